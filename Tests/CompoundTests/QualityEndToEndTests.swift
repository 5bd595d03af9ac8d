import Digest
import Formulation
import Foundation
import Quantities
import Settings
import Store
import Testing

@Suite("Assays and lot release end to end")
struct QualityEndToEndTests {
  static let tenUnits = "98,99,100,101,102,97,103,99,100,101"

  /// A seeded pharmacy with one verified batch whose weight check passed.
  func verifiedBatch() throws -> (Pharmacy, String) {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    return (pharmacy, try pharmacy.verifiedBatch(release: false))
  }

  func assay(_ lot: String, percent: String = "99.2", units: String? = tenUnits, tested: String = "2026-11-22")
    -> [String]
  {
    [
      "assay", "record", lot, "--lab", "Eagle", "--method", "HPLC-UV", "--tested", tested, "--percent", percent, "--by",
      "dchen",
    ]
      + (units.map { ["--units", $0] } ?? [])
  }

  func usable(_ pharmacy: Pharmacy, _ lot: String) throws -> String? {
    let database = try pharmacy.open()
    let today = try CalendarDate.parse("2026-11-22")
    do throws(StoreError) {
      _ = try database.usableBatch(lot, today: today)
      return nil
    } catch {
      return error.message
    }
  }

  @Test("a passing assay with ten units lets a pharmacist release the lot, which may then be used")
  func passAndRelease() throws {
    let (pharmacy, lot) = try verifiedBatch()
    #expect(try usable(pharmacy, lot)?.contains("quarantined") == true)
    let entry = try pharmacy.ok(assay(lot) + ["--json"]).json()
    let result = try #require(entry["result"] as? [String: Any])
    #expect(result["verdict"] as? String == "pass")
    #expect((result["uniformity"] as? [String: Any])?["passed"] as? Bool == true)
    let released = try pharmacy.ok(["batch", "release", lot, "--by", "dchen", "--json"]).json()
    #expect(released["status"] as? String == "released")
    #expect(try usable(pharmacy, lot) == nil)
    let show = try pharmacy.ok(["batch", "show", lot]).stdout
    #expect(show.contains("status: released"))
    #expect(show.contains("Uniformity: PASS"))
    #expect(show.contains("quarantined -> released by dchen"))
  }

  @Test("a failing assay puts the lot on hold; release is then refused and the lot cannot be used")
  func failHolds() throws {
    let (pharmacy, lot) = try verifiedBatch()
    let outcome = try pharmacy.ok(assay(lot, percent: "88.4"))
    #expect(outcome.stdout.contains("FAIL"))
    #expect(outcome.stdout.contains("ON HOLD"))
    let record = try pharmacy.ok(["batch", "show", lot, "--json"]).json()
    #expect(record["status"] as? String == "on_hold")
    let refusal = try pharmacy.refused(["batch", "release", lot, "--by", "dchen"])
    #expect(refusal.contains("latest assay failed (88.4 %)"))
    #expect(try usable(pharmacy, lot)?.contains("on_hold") == true)
  }

  @Test("a stage-2 uniformity failure holds the lot; a stage-1 miss asks for 20 more units and blocks release")
  func uniformity() throws {
    let (pharmacy, lot) = try verifiedBatch()
    let wide = "80,120,85,115,90,110,88,112,95,105"
    let incomplete = try pharmacy.ok(assay(lot, units: wide))
    #expect(incomplete.stdout.contains("NOT MET: test 20 more units"))
    #expect(try pharmacy.ok(["batch", "show", lot, "--json"]).json()["status"] as? String == "quarantined")
    #expect(try pharmacy.refused(["batch", "release", lot, "--by", "dchen"]).contains("test 20 more units"))
    let thirty = Array(repeating: "100", count: 29) + ["74"]
    try pharmacy.ok(assay(lot, units: thirty.joined(separator: ",")))
    #expect(try pharmacy.ok(["batch", "show", lot, "--json"]).json()["status"] as? String == "on_hold")
  }

  @Test("release names the missing step: verification, weight check, assay, pharmacist")
  func releaseSteps() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    #expect(try pharmacy.refused(["batch", "release", lot, "--by", "dchen"]).contains("not verified"))
    try pharmacy.ok(["batch", "weights", lot, "--mg", Array(repeating: "280", count: 10).joined(separator: ",")])
    try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])
    #expect(try pharmacy.refused(["batch", "release", lot, "--by", "dchen"]).contains("weight check failed"))
    let second = try pharmacy.recordStandardBatch()
    try pharmacy.ok(["batch", "weights", second, "--mg", Pharmacy.goodWeights])
    try pharmacy.ok(["batch", "verify", second, "--by", "aokafor"])
    #expect(try pharmacy.refused(["batch", "release", second, "--by", "dchen"]).contains("no assay is on record"))
    try pharmacy.ok(assay(second))
    #expect(try pharmacy.refused(["batch", "release", second, "--by", "mtorres"]).contains("only a pharmacist"))
    try pharmacy.ok(["batch", "release", second, "--by", "aokafor"])
    #expect(try pharmacy.refused(["batch", "release", second, "--by", "aokafor"]).contains("is released"))
  }

  @Test("without require_assay_before_release a verified, weighed batch is released without an assay")
  func assayOptional() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.verifiedBatch()
    let record = try pharmacy.ok(["batch", "show", lot, "--json"]).json()
    #expect(record["status"] as? String == "released")
    #expect((record["assays"] as? [Any])?.isEmpty == true)
    #expect(try usable(pharmacy, lot) == nil)
    // With the shipped rules (an assay required), the same steps leave the lot quarantined.
    let strict = try Pharmacy()
    try strict.seed()
    let held = try strict.verifiedBatch(release: false)
    #expect(try strict.refused(["batch", "release", held, "--by", "dchen"]).contains("no assay is on record"))
  }

  @Test("reject needs a reason and is final; hold by a technician, recall by a pharmacist")
  func otherActions() throws {
    let (pharmacy, lot) = try verifiedBatch()
    #expect(try pharmacy.refused(["batch", "reject", lot, "--by", "dchen"]).contains("reason is required"))
    try pharmacy.ok(["batch", "hold", lot, "--by", "mtorres", "--reason", "label smudged on the container"])
    try pharmacy.ok(assay(lot))
    try pharmacy.ok(["batch", "release", lot, "--by", "dchen"])
    #expect(
      try pharmacy.refused(["batch", "recall", lot, "--by", "mtorres", "--reason", "x"]).contains("only a pharmacist"))
    try pharmacy.ok(["batch", "recall", lot, "--by", "dchen", "--reason", "supplier recall of the API lot"])
    #expect(try pharmacy.refused(["batch", "release", lot, "--by", "dchen"]).contains("final"))
    let history = try #require(
      try pharmacy.ok(["batch", "show", lot, "--json"]).json()["statusHistory"] as? [[String: Any]])
    #expect(history.compactMap { $0["to"] as? String } == ["quarantined", "on_hold", "released", "recalled"])
    let second = try pharmacy.recordStandardBatch()
    try pharmacy.ok(["batch", "reject", second, "--by", "dchen", "--reason", "spilled"])
    #expect(try pharmacy.refused(["batch", "release", second, "--by", "dchen"]).contains("rejected"))
  }

  @Test("an ingredient lot on hold is skipped by planning, and named with --lot it is refused")
  func ingredientHold() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let api = try #require(try pharmacy.lotNumbers()["NX-1"])
    try pharmacy.ok(["lot", "hold", api, "--by", "mtorres", "--reason", "certificate query"])
    #expect(try pharmacy.refused(["batch", "plan", "--formula", "LDN45", "--quantity", "30"]).contains("no released"))
    #expect(
      try pharmacy.refused(["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--lot", "api=\(api)"]).contains(
        "on hold"))
    try pharmacy.ok(["lot", "release", api, "--by", "dchen"])
    try pharmacy.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30"])
  }

  @Test("assay input: mg converted, certificate hashed, future or unknown refused")
  func assayInput() throws {
    let (pharmacy, lot) = try verifiedBatch()
    let certificate = pharmacy.folder.appendingPathComponent("coa.pdf")
    try Data("%PDF-1.4 test certificate".utf8).write(to: certificate)
    let entry = try pharmacy.ok([
      "assay", "record", lot, "--lab", "Eagle", "--method", "HPLC", "--tested", "2026-11-22", "--mg", "4.41",
      "--certificate", certificate.path, "--by", "mtorres", "--json",
    ]).json()
    let result = try #require(entry["result"] as? [String: Any])
    #expect((result["percent"] as? NSNumber)?.doubleValue == 98)
    #expect(result["certificateSha256"] as? String == SHA256.hex("%PDF-1.4 test certificate"))
    #expect(result["certificatePath"] as? String == certificate.path)
    #expect(try pharmacy.refused(assay(lot, tested: "2026-12-01")).contains("in the future"))
    #expect(try pharmacy.refused(assay(lot, tested: "2026-11-01")).contains("before batch"))
    #expect(try pharmacy.refused(assay("NOPE-1")).contains("does not exist"))
    #expect(try pharmacy.refused(assay(lot, units: "98,99,100")).contains("10 unit results"))
    #expect(
      try pharmacy.refused([
        "assay", "record", lot, "--lab", "E", "--method", "M", "--tested", "2026-11-22", "--by", "dchen",
      ])
      .contains("either --percent"))
  }

  @Test("the uniformity calculator prints the USP figures as JSON and refuses bad input")
  func calculator() throws {
    let pharmacy = try Pharmacy()
    let json = try pharmacy.ok(["assay", "uniformity", "--units", Self.tenUnits, "--json"]).json()
    for key in ["n", "mean", "sd", "m", "k", "av", "avRounded", "stage", "passed", "unitsOutsideRange"] {
      #expect(json[key] != nil, "missing \(key)")
    }
    #expect((json["avRounded"] as? NSNumber)?.doubleValue == 4.4)
    #expect(json["passed"] as? Bool == true)
    // Stage 1 not met: the figures, and exit 6 so that a script notices.
    let first = "80,120,85,115,90,110,88,112,95,105"
    let notMet = try pharmacy.run(["assay", "uniformity", "--units", first])
    #expect(notMet.status == 6 && notMet.stdout.contains("test 20 more units"))
    // Stage 2: the 20 further units beside the first 10.
    let further = Array(repeating: "100", count: 20).joined(separator: ",")
    let stage2 = try pharmacy.run(["assay", "uniformity", "--units", first, "--more-units", further, "--json"])
    #expect(try stage2.json()["n"] as? Int == 30)
    let cases: [([String], String)] = [
      (["--units", "98,99"], "10 unit results"),
      (["--units", "98,99,100,101,102,97,103,99,100,abc"], "'abc' is not a number"),
      (["--units", "98,99,100,101,102,97,103,99,100,-1"], "negative"),
      (["--units", "98,99,100,101,102,97,103,99,100,1000"], "1000 % of label claim is not plausible"),
      (["--units", Self.tenUnits, "--target", "250"], "the target T of 250 % is outside 90 to 110 %"),
      (["--units", Self.tenUnits, "--more-units", "100,100"], "stage 2 is the first 10 units"),
    ]
    for (arguments, message) in cases {
      let outcome = try pharmacy.run(["assay", "uniformity"] + arguments)
      #expect(outcome.status == 1, "\(arguments)")
      #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(message), "\(outcome.stderr)")
      #expect(outcome.stderr.split(separator: "\n").count == 1)
    }
  }

  @Test("the trend lists results lot after lot and flags a drift toward a limit")
  func trend() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    for percent in ["96.0", "93.5", "91.2"] {
      let lot = try pharmacy.recordStandardBatch()
      try pharmacy.ok(assay(lot, percent: percent, units: nil))
    }
    let trend = try pharmacy.ok(["assay", "trend", "--formula", "LDN45", "--json"]).json()
    #expect((trend["points"] as? [Any])?.count == 3)
    #expect((trend["drift"] as? String)?.contains("lower limit 90.0") == true)
    #expect(try pharmacy.ok(["assay", "trend", "--formula", "LDN45"]).stdout.contains("WARNING: drift"))
  }
}
