import Foundation
import GRDB
import Testing

@testable import Store

/// Ten years of records: the daily commands read through indexes, never a whole table that grows with the years.
@Suite("Hot statements use an index")
struct QueryPlanTests {
  /// Tables that grow with every day's work: a statement that scans one of them slows down year after year.
  static let growing: Set<String> = [
    "audit", "batch", "batch_component", "fill", "fill_check", "fill_void", "label_print", "label_delivery_failure",
    "lot", "movement", "patient", "patient_entry", "prescription", "prescription_end", "status_change", "stock",
    "weight_check", "assay", "balance_check", "signature_failure", "trituration", "trituration_assay",
  ]

  @Test(
    "rx fill, label print, batch record, the month's export, today, doctor and the stock views scan no growing table",
    Pharmacy.fileOnly)
  func hotStatements() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.verifiedBatch()
    try pharmacy.ok(["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893"])
    try pharmacy.ok([
      "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
      "2026-11-20", "--by", "dchen",
    ])
    let trace = pharmacy.folder.appendingPathComponent("trace.sql").path
    #expect(FileManager.default.createFile(atPath: trace, contents: nil))
    let traced = ["COMPOUND_TRACE_SQL": trace]
    try pharmacy.ok(["rx", "fill", "600001", "--by", "mtorres"], environment: traced)
    let label = pharmacy.folder.appendingPathComponent("label.pdf").path
    try pharmacy.ok(
      ["label", "print", "--fill", "1", "--format", "pdf", "--out", label, "--by", "mtorres"], environment: traced)
    try pharmacy.ok(
      [
        "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "api=149.8mg", "--weighed",
        "filler=7770.2mg", "--yield", "30", "--by", "mtorres",
      ], environment: traced)
    let workbook = pharmacy.folder.appendingPathComponent("month.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", workbook], environment: traced)
    try pharmacy.ok(["recall", lot], environment: traced)
    // The interactive views of what is on hand and what waits.
    for command in [
      ["today"], ["inventory", "show"], ["inventory", "expiring"], ["inventory", "reorder"], ["batch", "list"],
    ] {
      try pharmacy.ok(command, environment: traced)
    }
    // The daily doctor, from the checkpoint a clean check keeps (without one it compares all stock, as weekly).
    try pharmacy.ok(["audit", "verify"])
    try pharmacy.ok(["doctor"], environment: traced)
    let statements = Set(
      try String(contentsOfFile: trace, encoding: .utf8).components(separatedBy: "\n\u{1E}\n")
        .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        .filter { $0.uppercased().hasPrefix("SELECT") || $0.uppercased().hasPrefix("WITH") }
        // The connection's own temporary capture table holds one transaction's changes.
        .filter { !$0.contains("audit_pending") })
    #expect(statements.count > 40, "the trace holds \(statements.count) statements")
    let queue = try DatabaseQueue(path: pharmacy.database)
    var scans: [String] = []
    var starts: [String] = []
    try queue.read { db in
      for sql in statements.sorted() {
        // Unbound parameters read as NULL: the plan does not depend on their values.
        let statement = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
        statement.setUncheckedArguments(StatementArguments())
        let plan = try Row.fetchAll(statement)
        // What is on hand is the stock index's few rows whatever the years behind them: a statement asking for it
        // must start there, not search every batch a formula ever had (or every lot of an ingredient) and probe
        // stock for each. Each step of such a plan is a SEARCH, so only its order tells.
        if sql.contains("stock.on_hand > 0"), let first = plan.first?["detail"] as String?,
          !first.hasPrefix("SEARCH stock USING INDEX stock_held_by_")
        {
          starts.append("starts with \(first) in: \(sql)")
        }
        for row in plan {
          let detail: String = row["detail"]
          // `SCAN t` reads the whole table; `SCAN t USING INDEX i` walks an index in order (bounded by a LIMIT or
          // a range the planner shows as SEARCH elsewhere) and is accepted only with a partial or covering index.
          guard detail.hasPrefix("SCAN "), !detail.contains("USING COVERING INDEX"),
            !detail.contains("USING INDEX stock_held"), !detail.contains("USING INDEX batch_quarantined")
          else { continue }
          let table = String(detail.dropFirst(5).prefix { $0 != " " })
          if Self.growing.contains(table) { scans.append("\(detail) in: \(sql)") }
        }
      }
    }
    #expect(scans.isEmpty, "\(scans.joined(separator: "\n\n"))")
    #expect(starts.isEmpty, "\(starts.joined(separator: "\n\n"))")
    #expect(statements.contains { $0.contains("stock.on_hand > 0") }, "no statement asked for what is on hand")
  }

  @Test(
    "the daily backup update reads the entries after the backup's head, not the trail's whole row index",
    Pharmacy.fileOnly)
  func backupReadsTheDayOnly() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let backup = pharmacy.folder.appendingPathComponent("backup.sqlite").path
    try pharmacy.ok(["backup", "--to", backup])
    let queue = try DatabaseQueue(path: backup)
    let plan = try queue.writeWithoutTransaction { db in
      try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [pharmacy.database])
      return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + AppDatabase.rowsSinceHead, arguments: [0])
        .map { $0["detail"] as String }
    }
    // Without NOT INDEXED, SQLite answers DISTINCT by walking audit_by_row: every entry ever written.
    #expect(plan.first == "SEARCH src.audit USING INTEGER PRIMARY KEY (rowid>?)", "\(plan)")
  }
}
