import Foundation
import Testing

@Suite("The monthly Excel export, read back with openpyxl")
struct ExportTests {
  /// Reads a workbook with openpyxl (Debian's python3-openpyxl) and returns what the script prints as JSON.
  func read(_ path: String, _ script: String) throws -> Any {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", "import json, openpyxl, datetime\npath = \(String(reflecting: path))\n" + script]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "openpyxl could not read \(path)")
    return try JSONSerialization.jsonObject(with: data)
  }

  static let summary = """
    wb = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    ws = wb['Summary']
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)
      if r[0] and r[0] != 'Total' and not str(r[0]).startswith(('Month', 'Audit:'))]
    out = {
      'sheets': wb.sheetnames,
      'closing': {r[0]: r[9] for r in rows},
      'checks': [round(r[3] + r[4] + r[5] - r[6] - r[7] + r[8] - r[9], 6) for r in rows],
      'check_formulas': [c.value for c in formulas['Summary']['L'][1:len(rows)+1]],
      'types': [type(r[3]).__name__ for r in rows],
      'lot_dates': [type(r[4]).__name__ for r in wb['Lots at month end'].iter_rows(min_row=2, values_only=True)],
      'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref,
      'movements': wb['Movements'].max_row - 1,
      'title': formulas.properties.title,
      'lot_values': [[r[7], r[8], r[9]] for r in wb['Lots at month end'].iter_rows(min_row=2, values_only=True)
        if isinstance(r[8], (int, float))],
      'times': [str(r[0]) for r in wb['Movements'].iter_rows(min_row=2, values_only=True)],
      'time_types': [type(r[0]).__name__ for r in wb['Movements'].iter_rows(min_row=2, values_only=True)],
      'when': wb['Movements']['A1'].value,
      'statuses': {r[0]: r[5] for r in wb['Lots at month end'].iter_rows(min_row=2, values_only=True) if r[0]},
      'footer': [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if str(r[0]).startswith(('Month', 'Audit:'))],
      'max_column': ws.max_column,
      'print': [[s.page_setup.orientation, s.print_title_rows, s.page_setup.fitToWidth or 1,
        s.page_setup.fitToHeight, s.sheet_properties.pageSetUpPr.fitToPage] for s in formulas.worksheets],
      'chart': any('Value of stock' in __import__('zipfile').ZipFile(path).read(n).decode('utf-8', 'ignore')
        for n in __import__('zipfile').ZipFile(path).namelist() if n.startswith('xl/charts/')),
    }
    print(json.dumps(out, default=str))
    """

  func pharmacy() throws -> Pharmacy {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    try pharmacy.verifiedBatch()
    try pharmacy.ok(["patient", "add", "--name", "Ann Able", "--dob", "1960-01-01"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ruiz", "--npi", "1234567893"])
    try pharmacy.ok([
      "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "25", "--written",
      "2026-11-20", "--by", "dchen",
    ])
    try pharmacy.ok(["rx", "fill", "600001", "--by", "dchen"])
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    try pharmacy.ok([
      "stock", "waste", avicel, "--quantity", "1.25g", "--reason", "spill", "--by", "mtorres", "--witness", "dchen",
    ])
    return pharmacy
  }

  @Test("every sheet is there; each closing figure equals the ledger's stock at month end; checks are zero")
  func reconciles() throws {
    let pharmacy = try pharmacy()
    let file = pharmacy.folder.appendingPathComponent("november.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", file])
    // The workbook holds stock and patient-linked figures: readable by this account only.
    #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
    let out = try #require(try read(file, Self.summary) as? [String: Any])
    #expect(
      out["sheets"] as? [String] == [
        "Summary", "Lots at month end", "Batches compounded", "Dispensed", "Movements", "Expiring",
      ])
    var ledger: [String: Double] = [:]
    for line in try pharmacy.ok(["inventory", "show", "--as-of", "2026-11-30", "--json"]).jsonArray() {
      let item = line["item"] as? String ?? ""
      let quantity = (line["onHand"] as? NSNumber)?.doubleValue ?? 0
      ledger[item, default: 0] += line["unit"] as? String == "mass" ? quantity / 1000 : quantity
    }
    let closing = try #require(out["closing"] as? [String: Double])
    #expect(Set(closing.keys) == Set(ledger.keys))
    for (item, value) in ledger {
      #expect(abs((closing[item] ?? -1) - value) < 0.0005, "\(item): workbook \(closing[item] ?? -1), ledger \(value)")
    }
    #expect((out["checks"] as? [Double])?.allSatisfy { $0 == 0 } == true)
    #expect((out["check_formulas"] as? [String])?.allSatisfy { $0.hasPrefix("=ROUND(D") } == true)
    #expect((out["types"] as? [String])?.allSatisfy { $0 == "int" || $0 == "float" } == true)
    #expect((out["lot_dates"] as? [String])?.allSatisfy { $0 == "datetime" } == true)
    #expect(out["freeze"] as? String == "A2")
    // 3 received, 3 consumed, 1 produced, 1 dispensed, 1 wasted.
    #expect(out["movements"] as? Int == 9)
    #expect((out["title"] as? String)?.contains("2026-11") == true)
    // Quantity x Unit cost = Value to the cent on every lot row: one unit for both.
    let values = try #require(out["lot_values"] as? [[Double]])
    #expect(!values.isEmpty)
    for row in values {
      #expect(abs((row[0] * row[1] * 100).rounded() / 100 - row[2]) < 0.000_001, "\(row)")
    }
    // Movement times are date-times in the pharmacy's zone; printing is landscape, one page wide, headers repeated.
    #expect(out["when"] as? String == "When (America/Chicago)")
    #expect((out["time_types"] as? [String])?.allSatisfy { $0 == "datetime" } == true)
    #expect((out["times"] as? [String])?.first == "2026-11-22 15:00:00")
    for sheet in try #require(out["print"] as? [[Any]]) {
      #expect(sheet[0] as? String == "landscape" && sheet[1] as? String == "$1:$1", "\(sheet)")
      // One page wide (1, OOXML's default when unwritten), as many pages tall as it takes (0).
      #expect((sheet[2] as? Int) == 1 && (sheet[3] as? Int) == 0 && (sheet[4] as? Bool) == true, "\(sheet)")
    }
    #expect(out["chart"] as? Bool == true)
    // The month, the local generation time and the audit anchor sit below the table, inside the printed width.
    let footer = try #require(out["footer"] as? [String])
    #expect(footer.first == "Month 2026-11; generated 2026-11-22 15:00 -06:00", "\(footer)")
    #expect(footer.last?.hasPrefix("Audit: audit trail of ") == true && out["max_column"] as? Int == 12)
  }

  @Test("a past month exported again gives the same numbers after later movements; an empty month is valid")
  func asOfAndEmpty() throws {
    let pharmacy = try pharmacy()
    let first = pharmacy.folder.appendingPathComponent("first.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", first])
    let before = try #require(try read(first, Self.summary) as? [String: Any])
    pharmacy.now = "2026-12-03T10:00:00-06:00"
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    try pharmacy.ok(["stock", "adjust", avicel, "--quantity", "-20g", "--reason", "recount", "--by", "mtorres"])
    // Held in December: November's workbook still shows the lot as it was at November's end.
    try pharmacy.ok(["lot", "hold", avicel, "--reason", "supplier notice", "--by", "dchen"])
    let again = pharmacy.folder.appendingPathComponent("again.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", again])
    let after = try #require(try read(again, Self.summary) as? [String: Any])
    #expect(after["closing"] as? [String: Double] == before["closing"] as? [String: Double])
    #expect((after["statuses"] as? [String: String])?[avicel] == "released")
    let empty = pharmacy.folder.appendingPathComponent("empty.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2025-01", "--out", empty])
    let blank = try #require(try read(empty, Self.summary) as? [String: Any])
    #expect((blank["closing"] as? [String: Any])?.isEmpty == true)
    #expect(blank["movements"] as? Int == 0)
  }

  @Test("the month boundary is midnight in the pharmacy's zone, across the daylight-saving change of 1 November")
  func daylightSaving() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    pharmacy.now = "2026-10-31T22:00:00-05:00"
    try pharmacy.seed()
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    let adjust = ["stock", "adjust", avicel, "--quantity", "-1g", "--reason", "recount", "--by", "mtorres"]
    // 23:30 CDT on 31 October; 00:30 CDT and 01:30 CST (after the clocks fall back) on 1 November.
    for instant in ["2026-10-31T23:30:00-05:00", "2026-11-01T00:30:00-05:00", "2026-11-01T01:30:00-06:00"] {
      pharmacy.now = instant
      try pharmacy.ok(adjust)
    }
    pharmacy.now = "2026-11-02T09:00:00-06:00"
    let october = pharmacy.folder.appendingPathComponent("october.xlsx").path
    let november = pharmacy.folder.appendingPathComponent("november.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2026-10", "--out", october])
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", november])
    // October: the three receipts and the 23:30 recount; November: the two recounts after midnight.
    #expect((try read(october, Self.summary) as? [String: Any])?["movements"] as? Int == 4)
    let novemberOut = try #require(try read(november, Self.summary) as? [String: Any])
    #expect(novemberOut["movements"] as? Int == 2)
    // Shown in the pharmacy's zone: 00:30 before the clocks fall back, 01:30 after.
    #expect(novemberOut["times"] as? [String] == ["2026-11-01 00:30:00", "2026-11-01 01:30:00"])
  }

  @Test(
    "the Movements rows hold the ledger's text and quantities exactly; the zip's checksums hold; nothing else is left")
  func movementRows() throws {
    let pharmacy = try pharmacy()
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    // Text that is markup in XML, spaces at the edges, and letters beyond ASCII; masses to the microgram.
    for (quantity, reason) in [
      ("-0.001mg", "recount <5 g> & \"spill\""), ("1.234567g", "  found behind the balance "),
      ("-250.5mg", "Ünïcödé résumé 💊"),
    ] {
      try pharmacy.ok(["stock", "adjust", avicel, "--quantity", quantity, "--reason", reason, "--by", "mtorres"])
    }
    let file = pharmacy.folder.appendingPathComponent("november.xlsx").path
    let before = Set(try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path))
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", file])
    let after = Set(try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path))
    #expect(after.subtracting(before) == ["november.xlsx"], "\(after.subtracting(before))")
    let out = try #require(
      try read(
        file,
        """
        import zipfile
        rows = [list(r) for r in openpyxl.load_workbook(path)['Movements'].iter_rows(min_row=2, values_only=True)]
        print(json.dumps({'rows': [[r[4], r[5], r[7] or ''] for r in rows],
          'bad': zipfile.ZipFile(path).testzip()}))
        """) as? [String: Any])
    #expect(out["bad"] is NSNull, "a part of the zip fails its CRC: \(out["bad"] ?? "")")
    let rows = try #require(out["rows"] as? [[Any]])
    let ledger = try #require(
      try JSONSerialization.jsonObject(
        with: Data(
          try pharmacy.sqlite(
            pharmacy.owner == nil
              ? "SELECT json_group_array(json_array(quantity, COALESCE(reason, ''))) FROM"
                + " (SELECT * FROM movement ORDER BY moved_at, id)"
              : "SELECT json_agg(json_build_array(quantity, COALESCE(reason, '')) ORDER BY moved_at, id) FROM movement"
          ).output.utf8)) as? [[Any]])
    #expect(rows.count == ledger.count && rows.count == 12)
    for (row, stored) in zip(rows, ledger) {
      let micrograms = try #require(stored[0] as? Int)
      let expected = row[0] as? String == "mg" ? Double(micrograms) / 1000 : Double(micrograms)
      #expect((row[1] as? NSNumber)?.doubleValue == expected, "\(row) against \(stored)")
      #expect(row[2] as? String == stored[1] as? String, "\(row) against \(stored)")
    }
    #expect(rows.contains { $0[2] as? String == "  found behind the balance " })
  }

  @Test("a month with more movements than an Excel sheet holds is refused before a row is written", Pharmacy.fileOnly)
  func tooManyRows() throws {
    let pharmacy = try pharmacy()
    // Excel's last row is 1,048,576: the header and 1,048,575 movements. The month already has 9.
    try pharmacy.sqlite(
      """
      WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1048575 - 9)
      INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by, reason)
      SELECT 1, 'adjusted', 1 - 2 * (i % 2), '2026-11-10T12:00:00Z', 'mtorres', 'recount' FROM c;
      """)
    let file = pharmacy.folder.appendingPathComponent("november.xlsx").path
    let before = Set(try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path))
    let refused = try pharmacy.refused(["inventory", "export", "--month", "2026-11", "--out", file])
    #expect(
      refused == "error: the month has 1048576 movements, more than the 1048575 rows an Excel sheet holds below its"
        + " header: nothing was written\n", "\(refused)")
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path)) == before)
  }

  @Test("a bad month or an unwritable place is refused, and no file is left under the final name")
  func refusals() throws {
    let pharmacy = try pharmacy()
    #expect(try pharmacy.refused(["inventory", "export", "--month", "2026-13"]).contains("YYYY-MM"))
    #expect(try pharmacy.refused(["inventory", "export", "--month", "Nov"]).contains("YYYY-MM"))
    let nowhere = pharmacy.folder.appendingPathComponent("missing/folder/x.xlsx").path
    #expect(
      try pharmacy.refused(["inventory", "export", "--month", "2026-11", "--out", nowhere]).contains("does not exist"))
    #expect(!FileManager.default.fileExists(atPath: nowhere))
  }
}
