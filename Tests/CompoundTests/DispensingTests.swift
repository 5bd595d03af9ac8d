import Foundation
import Testing

@Suite("Prescriptions and fills end to end")
struct DispensingTests {
  /// A pharmacy with released LDN 1.5 and 4.5 mg batches, a patient and a prescriber.
  func pharmacy(medications: [String] = [], allergies: [String] = []) throws -> Pharmacy {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay + Pharmacy.semiMicro)
    try pharmacy.seed()
    for _ in 0..<2 { try releasedBatch(pharmacy, formula: "LDN45") }
    try pharmacy.ok(
      ["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12"]
        + medications.flatMap { ["--medication", $0] } + allergies.flatMap { ["--allergy", $0] })
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893"])
    return pharmacy
  }

  @discardableResult
  func releasedBatch(_ pharmacy: Pharmacy, formula: String, strength: String = "4.5") throws -> String {
    let api = formula == "LDN45" ? "149.8mg" : (formula == "LDN15" ? "49.9mg" : "99.9mg")
    let record = try pharmacy.ok([
      "batch", "record", "--formula", formula, "--quantity", "30", "--weighed", "api=\(api)", "--weighed",
      "filler=\(formula == "LDN45" ? "7770.2" : (formula == "LDN15" ? "7870.0" : "7820.0"))mg", "--yield", "31", "--by",
      "mtorres", "--balance", formula == "LDN15" ? "B2" : "B1",
      "--deviation", "filled one extra capsule", "--json",
    ]).json()
    let lot = try #require(record["lotNumber"] as? String)
    try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
    try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])
    try pharmacy.ok(["batch", "release", lot, "--by", "dchen"])
    return lot
  }

  func rx(_ pharmacy: Pharmacy, _ extra: [String] = ["--formula", "LDN45", "--quantity", "30"], refills: Int = 1)
    throws -> String
  {
    let record = try pharmacy.ok(
      [
        "rx", "add", "--patient", "1", "--prescriber", "1", "--refills", "\(refills)", "--written", "2026-11-20",
        "--by", "dchen", "--json",
      ]
        + extra
    ).json()
    return try #require((record["prescription"] as? [String: Any])?["rxNumber"] as? String)
  }

  @Test("a fill takes the first-expiry-first-out batch, lowers its stock and the refills; then none are left")
  func fillAndRefills() throws {
    let pharmacy = try pharmacy()
    let number = try rx(pharmacy)
    #expect(number == "600001")
    let fill = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    #expect(fill["lotNumber"] as? String == "LDN45-261122-01")
    #expect(fill["refillsRemaining"] as? Int == 1)
    #expect(fill["quantity"] as? Int == 30)
    let batches = try pharmacy.ok(["batch", "list", "--json"]).jsonArray()
    #expect(batches.count == 2)
    pharmacy.now = "2026-12-20T10:00:00-06:00"
    let second = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    #expect(second["lotNumber"] as? String == "LDN45-261122-02")
    #expect(second["refillsRemaining"] as? Int == 0)
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "dchen"]).contains("no refills left"))
  }

  @Test("a patient on an opioid is refused unless a pharmacist overrides with a reason, which is recorded")
  func opioid() throws {
    let pharmacy = try pharmacy(medications: ["Tramadol 50 mg twice daily", "Warfarin 5 mg"])
    let number = try rx(pharmacy)
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "dchen"]).contains("(tramadol, opioid agonist)"))
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--by", "mtorres", "--override", "ok"]).contains("only a pharmacist"))
    let fill = try pharmacy.ok([
      "rx", "fill", number, "--by", "dchen", "--override", "tramadol stopped 14 days ago", "--json",
    ]).json()
    let decision = try #require(fill["decision"] as? [String: Any])
    #expect(decision["overrideReason"] as? String == "tramadol stopped 14 days ago")
    #expect((decision["warnings"] as? [String])?.first?.contains("Warfarin") == true)
  }

  @Test("an allergy to an ingredient refuses the fill")
  func allergy() throws {
    let pharmacy = try pharmacy(allergies: ["naltrexone"])
    let number = try rx(pharmacy)
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "dchen"]).contains("allergic"))
  }

  @Test("skipping the suggested batch needs a reason; an unreleased batch is refused")
  func lotChoice() throws {
    let pharmacy = try pharmacy()
    let number = try rx(pharmacy)
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--lot", "LDN45-261122-02", "--by", "mtorres"]).contains("--reason"))
    let unreleased = try pharmacy.recordStandardBatch()
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--lot", unreleased, "--by", "mtorres", "--reason", "x"]).contains(
        "not released"))
    let fill = try pharmacy.ok([
      "rx", "fill", number, "--lot", "LDN45-261122-02", "--reason", "patient asked for the newer lot", "--by",
      "mtorres",
      "--json",
    ]).json()
    #expect((fill["decision"] as? [String: Any])?["suggestedLot"] as? String == "LDN45-261122-01")
  }

  @Test("a batch whose BUD ends before the days' supply is refused unless a pharmacist overrides")
  func budBeforeSupply() throws {
    let pharmacy = try pharmacy()
    let number = try rx(pharmacy, ["--formula", "LDN45", "--quantity", "30", "--days-supply", "30"])
    pharmacy.now = "2027-05-01T10:00:00-05:00"
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--by", "dchen"]).contains(
        "falls before the end of the 30-day supply"))
    try pharmacy.ok([
      "rx", "fill", number, "--by", "dchen", "--override", "patient travels; counselled to discard on 2027-05-21",
    ])
  }

  @Test("a titration fills each step from a batch of its own strength")
  func titration() throws {
    let pharmacy = try pharmacy()
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-2", expiry: "2028-06-30", quantity: "1g", assay: ["--assay", "100.0"])
    try releasedBatch(pharmacy, formula: "LDN15")
    let number = try rx(pharmacy, ["--step", "LDN15=30", "--step", "LDN45=30"], refills: 0)
    let first = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    #expect(first["lotNumber"] as? String == "LDN15-261122-01")
    #expect((first["formula"] as? [String: Any])?["code"] as? String == "LDN15")
    pharmacy.now = "2026-12-20T10:00:00-06:00"
    let second = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    #expect((second["lotNumber"] as? String)?.hasPrefix("LDN45") == true)
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"]).contains("no refills left"))
  }

  @Test("bad prescriptions and prescribers are refused")
  func badInput() throws {
    let pharmacy = try pharmacy()
    #expect(try pharmacy.refused(["prescriber", "add", "--name", "X", "--npi", "1234567890"]).contains("check digit"))
    #expect(
      try pharmacy.refused(["prescriber", "add", "--name", "Y", "--npi", "1234567893"]).contains("already on file"))
    let base = ["rx", "add", "--patient", "1", "--prescriber", "1", "--written", "2026-11-20", "--by", "dchen"]
    #expect(try pharmacy.refused(base + ["--formula", "LDN99", "--quantity", "30"]).contains("LDN99"))
    #expect(try pharmacy.refused(base + ["--formula", "LDN45", "--quantity", "0"]).contains("--quantity"))
    #expect(
      try pharmacy.refused([
        "rx", "add", "--patient", "9", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
        "2026-11-20", "--by", "dchen",
      ]).contains("patient 9"))
    #expect(
      try pharmacy.refused([
        "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
        "2026-12-20", "--by", "dchen",
      ])
      .contains("future"))
    #expect(try pharmacy.refused(["patient", "add", "--name", "Z", "--dob", "2027-01-01"]).contains("future"))
    #expect(try pharmacy.refused(["rx", "fill", "999999", "--by", "dchen"]).contains("does not exist"))
  }

  @Test("a lot put on hold by a failing assay cannot be filled, by suggestion or by name")
  func heldLot() throws {
    let pharmacy = try pharmacy()
    let number = try rx(pharmacy)
    for lot in ["LDN45-261122-01", "LDN45-261122-02"] {
      try pharmacy.ok([
        "assay", "record", lot, "--lab", "Eagle", "--method", "HPLC", "--tested", "2026-11-22", "--percent", "87.0",
        "--by", "dchen",
      ])
    }
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "dchen"]).contains("no released batch"))
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--lot", "LDN45-261122-01", "--by", "dchen"]).contains("on_hold"))
  }
}
