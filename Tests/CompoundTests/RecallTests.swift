import Foundation
import Testing

@Suite("Recall: who got this lot")
struct RecallTests {
  /// Two batches from the same naltrexone lot, each filled for a different patient, 31 capsules each.
  func pharmacy() throws -> Pharmacy {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    for _ in 0..<2 {
      let record = try pharmacy.ok([
        "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "api=149.8mg", "--weighed",
        "filler=7770.2mg", "--yield", "31", "--deviation", "one extra capsule", "--by", "mtorres", "--json",
      ]).json()
      let lot = try #require(record["lotNumber"] as? String)
      try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
      try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])
      try pharmacy.ok(["batch", "release", lot, "--by", "dchen"])
    }
    try pharmacy.ok(["patient", "add", "--name", "Ann Able", "--dob", "1960-01-01", "--phone", "555-0101"])
    try pharmacy.ok(["patient", "add", "--name", "Ben Baker", "--dob", "1970-01-01", "--phone", "555-0202"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893", "--phone", "555-0300"])
    for (patient, lot) in [("1", "LDN45-261122-01"), ("2", "LDN45-261122-02")] {
      let rx = try pharmacy.ok([
        "rx", "add", "--patient", patient, "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
        "2026-11-20", "--by", "dchen", "--json",
      ]).json()
      let number = try #require((rx["prescription"] as? [String: Any])?["rxNumber"] as? String)
      try pharmacy.ok(["rx", "fill", number, "--lot", lot, "--reason", "test setup", "--by", "dchen"])
    }
    return pharmacy
  }

  @Test("from an ingredient lot: both batches, both fills, patients and prescriber, and the stock on hand")
  func fromIngredient() throws {
    let pharmacy = try pharmacy()
    let api = try #require(try pharmacy.lotNumbers()["NX-1"])
    let report = try pharmacy.ok(["recall", api, "--json"]).json()
    let batches = try #require(report["batches"] as? [[String: Any]])
    #expect(batches.compactMap { $0["lotNumber"] as? String } == ["LDN45-261122-01", "LDN45-261122-02"])
    let fills = try #require(report["fills"] as? [[String: Any]])
    #expect(fills.compactMap { $0["patient"] as? String } == ["Ann Able", "Ben Baker"])
    #expect(fills.compactMap { $0["patientPhone"] as? String } == ["555-0101", "555-0202"])
    #expect(fills.allSatisfy { $0["prescriber"] as? String == "Dr. Ana Ruiz, MD" })
    let onHand = try #require(report["onHand"] as? [String: Any])
    #expect(Set(onHand.keys) == [api, "LDN45-261122-01", "LDN45-261122-02"])
    #expect((onHand["LDN45-261122-01"] as? NSNumber)?.intValue == 1)
  }

  @Test("from a batch: its component lots and its fills")
  func fromBatch() throws {
    let pharmacy = try pharmacy()
    let report = try pharmacy.ok(["recall", "LDN45-261122-02", "--json"]).json()
    let components = try #require(report["components"] as? [[String: Any]])
    #expect(components.compactMap { $0["supplierLot"] as? String } == ["NX-1", "AV-1", "CP-1"])
    #expect((report["fills"] as? [[String: Any]])?.compactMap { $0["patient"] as? String } == ["Ben Baker"])
  }

  @Test("--hold puts exactly the affected lots still on hand on hold, in one transaction")
  func hold() throws {
    let pharmacy = try pharmacy()
    let lots = try pharmacy.lotNumbers()
    let api = try #require(lots["NX-1"])
    #expect(
      try pharmacy.refused(["recall", api, "--hold", "--by", "dchen"]).contains("--hold needs --by USER and --reason"))
    let report = try pharmacy.ok([
      "recall", api, "--hold", "--by", "dchen", "--reason", "supplier recall notice 2026-11", "--json",
    ]).json()
    #expect(Set(report["held"] as? [String] ?? []) == [api, "LDN45-261122-01", "LDN45-261122-02"])
    for lot in ["LDN45-261122-01", "LDN45-261122-02"] {
      #expect(try pharmacy.ok(["batch", "show", lot, "--json"]).json()["status"] as? String == "on_hold")
    }
    let statuses = try pharmacy.ok(["lot", "list", "--json"]).jsonArray().compactMap { $0["lot"] as? [String: Any] }
    for lot in statuses {
      let expected = lot["lotNumber"] as? String == api ? "on_hold" : "released"
      #expect(lot["status"] as? String == expected, "\(lot["lotNumber"] ?? "")")
    }
    // A batch leaves the recall hold only once the ingredient lot it used does.
    let refusal = try pharmacy.refused(["batch", "release", "LDN45-261122-01", "--by", "dchen"])
    #expect(refusal.contains("it used NALTREXONE-HCL lot \(api), which is on hold"), "\(refusal)")
    try pharmacy.ok(["lot", "release", api, "--by", "dchen"])
    try pharmacy.ok(["batch", "release", "LDN45-261122-01", "--by", "dchen"])
  }

  @Test("--out writes the trace as a workbook with the patients to contact")
  func workbook() throws {
    let pharmacy = try pharmacy()
    let api = try #require(try pharmacy.lotNumbers()["NX-1"])
    let file = pharmacy.folder.appendingPathComponent("recall.xlsx").path
    // The workbook of a recall that holds says so for what it held: status and held, as the database now has them.
    try pharmacy.ok(["recall", api, "--hold", "--reason", "supplier notice", "--by", "dchen", "--out", file])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [
      "-c",
      "import openpyxl, json, sys; wb = openpyxl.load_workbook(sys.argv[1]); "
        + "print(json.dumps([wb.sheetnames, [r[5] for r in wb['Fills to contact'].iter_rows(min_row=2, values_only=True)], "
        + "[[r[0], r[3], r[4]] for r in wb['On hand to quarantine'].iter_rows(min_row=2, values_only=True)], "
        + "[r[3] for r in wb['Batches'].iter_rows(min_row=2, values_only=True)]]))",
      file,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [Any])
    #expect(parsed.first as? [String] == ["Component lots", "Batches", "Fills to contact", "On hand to quarantine"])
    #expect(parsed[1] as? [String] == ["Ann Able", "Ben Baker"])
    let onHand = try #require(parsed[2] as? [[String]])
    #expect(!onHand.isEmpty && onHand.allSatisfy { $0[1] == "on_hold" && $0[2] == "yes, by this recall" }, "\(onHand)")
    #expect((parsed[3] as? [String])?.contains("on_hold") == true, "\(parsed[3])")
  }
}
