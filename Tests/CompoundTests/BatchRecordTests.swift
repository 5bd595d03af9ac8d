import Foundation
import Testing

@Suite("Recording a batch end to end, on a real SQLite file through the compound command")
struct BatchRecordTests {
  @Test("plan, record, weigh, verify, show: the record carries every lot, mass, yield and the BUD")
  func pharmacistsDay() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lots = try pharmacy.lotNumbers()
    let api = try #require(lots["NX-1"])
    let filler = try #require(lots["AV-1"])

    let plan = try pharmacy.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    #expect(plan["capsules"] as? Int == 33)
    let planned = try #require(plan["components"] as? [[String: Any]])
    #expect(planned.first?["lotNumber"] as? String == api)
    #expect((planned.first?["quantity"] as? NSNumber)?.int64Value == 149_849)
    #expect((plan["beyondUseDate"] as? [String: Any])?["date"] as? String == "2027-05-21")
    let planDigest = try pharmacy.digest()
    try pharmacy.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30"])
    #expect(try pharmacy.digest() == planDigest, "planning wrote to the database")

    let lot = try pharmacy.recordStandardBatch()
    #expect(lot == "LDN45-261122-01")
    #expect(try pharmacy.onHand(api) == 5_000_000 - 149_800)
    #expect(try pharmacy.onHand(filler) == 500_000_000 - 7_770_200)
    #expect(try pharmacy.onHand(try #require(lots["CP-1"])) == 1000 - 30)

    let weights = try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights, "--by", "mtorres"])
    #expect(weights.stdout.contains("Result: PASS"))
    try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])

    let record = try pharmacy.ok(["batch", "show", lot, "--json"]).json()
    #expect(record["status"] as? String == "quarantined")
    #expect(record["verifiedBy"] as? String == "dchen")
    #expect(record["compoundedBy"] as? String == "mtorres")
    #expect(record["formulaVersion"] as? Int == 1)
    #expect(record["actualYield"] as? Int == 30)
    #expect(record["beyondUseDate"] as? String == "2027-05-21")
    #expect(record["compoundedAt"] as? String == "2026-11-22T21:00:00Z")
    let components = try #require(record["components"] as? [[String: Any]])
    let used = components.compactMap { $0["planned"] as? [String: Any] }
    #expect(used.map { $0["lotNumber"] as? String } == [api, filler, lots["CP-1"]])
    #expect(used.map { $0["supplierLot"] as? String } == ["NX-1", "AV-1", "CP-1"])
    #expect(used.map { $0["supplier"] as? String } == ["Medisca", "Medisca", "Medisca"])
    #expect(used.map { $0["expiry"] as? String } == ["2028-06-30", "2029-01-31", "2029-01-31"])
    #expect(components.map { ($0["measured"] as? NSNumber)?.int64Value } == [149_800, 7_770_200, 30])

    let text = try pharmacy.ok(["batch", "show", lot]).stdout
    for expected in [
      "COMPOUNDING RECORD  LDN45-261122-01", "Maria Torres, CPhT (mtorres)", "David Chen, PharmD (dchen)",
      "BUD: 2027-05-21", "Result: PASS", "2026-11-22 15:00 -06:00", "Riverside Compounding Pharmacy",
    ] {
      #expect(text.contains(expected), "missing \(expected)")
    }
    let list = try pharmacy.ok(["batch", "list", "--json"]).jsonArray()
    #expect(list.count == 1)
    #expect(list.first?["weightCheckPassed"] as? Bool == true)
  }

  @Test("a second batch the same day gets the next sequence number")
  func sequence() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    #expect(try pharmacy.recordStandardBatch() == "LDN45-261122-01")
    #expect(try pharmacy.recordStandardBatch() == "LDN45-261122-02")
  }

  @Test("a mass outside tolerance is kept with its deviation, and the record says so")
  func deviationRecorded() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let record = try pharmacy.ok([
      "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "api=160mg", "--weighed",
      "filler=7770.2mg", "--yield", "30", "--by", "mtorres", "--deviation", "API over-weighed; pharmacist approved",
      "--json",
    ]).json()
    #expect(record["deviation"] as? String == "API over-weighed; pharmacist approved")
    #expect((record["outOfRange"] as? [String])?.first?.contains("NALTREXONE-HCL weighed 160.0 mg") == true)
  }

  @Test("BUD is capped by a component lot that expires first")
  func budCappedByLot() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.receive("AVICEL-PH102", lot: "AV-SOON", expiry: "2027-02-28", quantity: "100g")
    let soon = try #require(try pharmacy.lotNumbers()["AV-SOON"])
    try pharmacy.ok(["lot", "release", soon, "--by", "aokafor"])
    let plan = try pharmacy.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    let bud = try #require(plan["beyondUseDate"] as? [String: Any])
    #expect(bud["date"] as? String == "2027-02-28")
    #expect((bud["basis"] as? String)?.contains("AV-SOON") == true)
  }

  @Test("a changed formula becomes version 2; the batch made from version 1 still shows version 1")
  func formulaVersions() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    let source = Pharmacy.repository.appendingPathComponent("Config/formulas/LDN45.toml")
    let again = try pharmacy.ok(["formula", "add", "--file", source.path])
    #expect(again.stdout.contains("already has this content"))
    let changed = pharmacy.folder.appendingPathComponent("LDN45-v2.toml")
    try (try String(contentsOf: source, encoding: .utf8)).replacingOccurrences(
      of: "pack_stat_mg = 240", with: "pack_stat_mg = 236"
    )
    .write(to: changed, atomically: true, encoding: .utf8)
    #expect(try pharmacy.ok(["formula", "add", "--file", changed.path, "--by", "dchen"]).stdout.contains("version 2"))
    #expect(try pharmacy.ok(["formula", "show", "LDN45", "--json"]).json()["version"] as? Int == 2)
    let record = try pharmacy.ok(["batch", "show", lot, "--json"]).json()
    #expect(record["formulaVersion"] as? Int == 1)
    #expect((record["theoreticalFill"] as? NSNumber)?.doubleValue == 240)
    let plan = try pharmacy.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    #expect(plan["formulaVersion"] as? Int == 2)
  }

  @Test(
    "the database is created with mode 0600, and a missing database is never created by accident", Pharmacy.fileOnly)
  func databaseFile() throws {
    let pharmacy = try Pharmacy()
    let missing = try pharmacy.run(["batch", "list"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("compound init"))
    #expect(!FileManager.default.fileExists(atPath: pharmacy.database))
    try pharmacy.ok(["init", "--training"])
    let mode = try FileManager.default.attributesOfItem(atPath: pharmacy.database)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try pharmacy.ok(["init", "--training"]).stdout.contains("already existed"))
  }

  @Test("the demo runs the day and says where its outputs went")
  func demo() throws {
    let pharmacy = try Pharmacy()
    let folder = pharmacy.folder.appendingPathComponent("demo")
    let outcome = try pharmacy.run(
      ["demo", "--dir", folder.path, "--config-dir", Pharmacy.repository.appendingPathComponent("Config").path],
      global: false)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    let summary = outcome.stdout.components(separatedBy: "Where everything went:").last ?? ""
    let lines = summary.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
    #expect(lines.contains("compounding record: \(folder.path)/compounding-record-LDN45-261122-01.pdf"))
    #expect(lines.contains("database: \(folder.path)/compound.sqlite"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = [folder.appendingPathComponent("compounding-record-LDN45-261122-01.pdf").path, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let record = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(record.contains("by David Chen, PharmD (dchen)"))
    #expect(record.contains("Result: PASS"))
  }

  @Test("batch show --format pdf: the signed record as a PDF an inspector files, audit head on the page")
  func recordPDF() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.verifiedBatch()
    #expect(try pharmacy.refused(["batch", "show", lot, "--format", "pdf"]).contains("--format pdf writes a file"))
    let file = pharmacy.folder.appendingPathComponent("record.pdf").path
    try pharmacy.ok(["batch", "show", lot, "--format", "pdf", "--out", file])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = ["-layout", file, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let head = try pharmacy.ok(["audit", "verify"]).stdout
    let hash = try #require(
      head.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
    for fact in [
      lot, "Verified:", "dchen", "mtorres", "NALTREXONE-HCL", "Capsule weight check", "head \(hash)", "page 1 of",
    ] {
      #expect(text.contains(fact), "the record PDF does not show \(fact)")
    }
    // An existing file is never replaced without --force, and the database never.
    #expect(try pharmacy.refused(["batch", "show", lot, "--format", "pdf", "--out", file]).contains("already exists"))
    if pharmacy.owner == nil {
      #expect(
        try pharmacy.refused(["batch", "show", lot, "--format", "pdf", "--out", pharmacy.database]).contains("database")
      )
    }
  }
}
