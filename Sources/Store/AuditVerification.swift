import Digest
import Foundation
import GRDB

/// Checks the audit trail and the records against each other: all of it, or what changed since a checkpoint.
///
/// A full check walks every entry's hash and compares every record with its latest entry. A checkpoint, kept
/// in the database after a clean check, names the entry it reached with that entry's hash and the write tally
/// of every table; the next check trusts the chain up to it only while that entry still has that hash, walks
/// the entries after it, compares the rows they name, and compares each table's tally (counted by permanent
/// triggers, whatever program writes) with the entries written since: a table written outside compound is
/// then checked row by row.
enum AuditVerification {
  /// Where the last clean check stopped.
  struct Checkpoint {
    var entry: Int64
    var hash: String
    var tally: [String: Int64]
  }

  /// Called every so many entries with (entries checked, entries to check).
  typealias Progress = (Int64, Int64) -> Void

  /// A problem found, and the entry it concerns (for the order of the report).
  typealias Problem = (entry: Int64, message: String)

  /// The first problems found, and how many entries were checked; `full` ignores the checkpoint.
  ///
  /// `records`, started before, compares every record on another connection while this one walks the chain;
  /// it is used when every record is to be compared and it read the same trail.
  static func verify(
    _ db: Database, full: Bool, progress: Progress? = nil, records: RecordsCheck? = nil
  ) throws -> AuditReport {
    let total = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0
    var problems: [(entry: Int64, message: String)] = []
    var start: Checkpoint? = full ? nil : try checkpoint(db)
    let tally = try self.tally(db)
    let triggers = try tallyTriggersIntact(db)
    // An entry written, changed or deleted outside compound leaves the trail's tally off its length: walk it all.
    if let checkpoint = start,
      !triggers || (tally["audit"] ?? 0) - (checkpoint.tally["audit"] ?? 0) != total - checkpoint.entry
    {
      start = nil
    }
    if let checkpoint = start {
      let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [checkpoint.entry])
      if hash != checkpoint.hash {
        problems.append(
          (
            checkpoint.entry,
            "audit entry #\(checkpoint.entry) no longer has the hash it had when it was last verified: the trail was rewritten outside compound"
          ))
        start = nil
      }
    }
    // The walk: every entry after the checkpoint, its place, its link and its own hash.
    var expected = (start?.entry ?? 0) + 1
    var previous = start?.hash ?? AuditEntry.genesis
    var head = previous
    var latest: [String: [Int64: AuditEntry]] = [:]
    var written: [String: Int64] = [:]
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash, \
        \(try digestColumn(db)) FROM audit WHERE id >= ? ORDER BY id
        """, arguments: [expected])
    while let row = try cursor.next() {
      let entry = AuditEntry(
        id: row[0], transaction: row[1], at: row[2], actor: row[3], command: row[4], table: row[5], rowID: row[6],
        operation: row[7], lot: row[8], before: row[9], after: row[10], previousHash: row[11], hash: row[12],
        rowSHA256: row[13])
      if entry.id != expected {
        problems.append((expected, "audit entry #\(expected) is missing: it was deleted outside compound"))
        break
      }
      if entry.previousHash != previous {
        problems.append(
          (
            entry.id,
            "audit entry #\(entry.id) does not follow entry #\(entry.id - 1): the chain was edited outside compound"
          ))
        break
      }
      if entry.computedHash != entry.hash {
        problems.append(
          (
            entry.id,
            "audit entry #\(entry.id) (\(entry.operation) \(entry.table) row \(entry.rowID)) was changed outside compound"
          ))
        break
      }
      if start != nil {
        var light = entry
        light.before = nil
        latest[entry.table, default: [:]][entry.rowID] = light
        if entry.operation != "baseline" { written[entry.table, default: 0] += 1 }
      }
      previous = entry.hash
      head = entry.hash
      expected += 1
      if let progress, expected % 100_000 == 0 { progress(expected - 1, total) }
    }
    let checked = expected - 1 - (start?.entry ?? 0)
    // The records: every row of every table, or the rows named since the checkpoint and every row of a table
    // whose tally shows a write with no entry.
    var whole = Set(AuditTrail.tables.map(\.name))
    if let start {
      whole = []
      for table in AuditTrail.tables.map(\.name) {
        let since = (tally[table] ?? 0) - (start.tally[table] ?? 0)
        if !triggers || since != written[table, default: 0] { whole.insert(table) }
      }
      for (table, rows) in latest where !whole.contains(table) {
        problems += try compare(db, table: table, rows: rows)
      }
    }
    if whole.count == AuditTrail.tables.count,
      let found = try records?.result(entries: expected - 1, head: head)
    {
      problems += found
    } else {
      for table in AuditTrail.tables.map(\.name) where whole.contains(table) {
        problems += try compareAll(db, table: table)
      }
    }
    let sorted = problems.sorted { $0.entry < $1.entry }
    return AuditReport(
      entries: expected - 1, head: head, problems: sorted.map(\.message), checked: checked,
      since: start?.entry)
  }

  /// `row_sha256`, or NULL on a trail from before row digests.
  private static func digestColumn(_ db: Database) throws -> String {
    try db.columns(in: "audit").contains { $0.name == "row_sha256" } ? "row_sha256" : "NULL"
  }

  /// Whether `json`, a row's canonical text now, is what `entry` left.
  private static func matches(_ json: String, _ entry: AuditEntry) -> Bool {
    guard entry.operation != "delete" else { return false }
    if let digest = entry.rowSHA256 { return SHA256.hex(json) == digest }
    return entry.after == json
  }

  /// The rows named by entries since the checkpoint, each against its latest entry.
  private static func compare(
    _ db: Database, table: String, rows: [Int64: AuditEntry]
  ) throws -> [(entry: Int64, message: String)] {
    let statement = try db.makeStatement(
      sql: "SELECT \(try AuditTrail.rowJSON(db, table: table, row: "R")) FROM \(table) AS R WHERE R.id = ?")
    var problems: [(entry: Int64, message: String)] = []
    for (rowID, entry) in rows.sorted(by: { $0.key < $1.key }) {
      let json = try String.fetchOne(statement, arguments: [rowID])
      switch (json, entry.operation) {
      case (nil, "delete"): continue
      case (nil, _):
        problems.append(
          (entry.id, "\(table) row \(rowID) of audit entry #\(entry.id) is gone: it was deleted outside compound"))
      case (let json?, _) where !matches(json, entry):
        problems.append(
          (
            entry.id,
            "\(table) row \(rowID) no longer matches audit entry #\(entry.id): it was changed outside compound"
          ))
      default: continue
      }
      return problems
    }
    return problems
  }

  /// Every row of `table` against its latest entry, and every entry's row still there; the first problem.
  static func compareAll(_ db: Database, table: String) throws -> [(entry: Int64, message: String)] {
    let digest = try digestColumn(db)
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT R.id, \(try AuditTrail.rowJSON(db, table: table, row: "R")), a.id, a.op, a.new_row, a.\(digest == "NULL" ? "id" : digest)
        FROM \(table) AS R
        LEFT JOIN audit a ON a.id = (SELECT max(b.id) FROM audit b WHERE b.table_name = ? AND b.row_id = R.id)
        ORDER BY R.id
        """, arguments: [table])
    while let row = try rows.next() {
      let rowID: Int64 = row[0]
      guard let entryID: Int64 = row[2] else {
        return [(Int64.max, "\(table) row \(rowID) has no audit entry: it was added outside compound")]
      }
      let entry = AuditEntry(
        id: entryID, transaction: 0, at: "", actor: "", command: "", table: table, rowID: rowID, operation: row[3],
        lot: nil, before: nil, after: row[4], previousHash: "", hash: "",
        rowSHA256: digest == "NULL" ? nil : row[5])
      if !matches(row[1], entry) {
        return [
          (entryID, "\(table) row \(rowID) no longer matches audit entry #\(entryID): it was changed outside compound")
        ]
      }
    }
    if let row = try Row.fetchOne(
      db,
      sql: """
        SELECT a.id, a.row_id FROM audit a
        WHERE a.table_name = ? AND a.op <> 'delete'
          AND a.id = (SELECT max(b.id) FROM audit b WHERE b.table_name = a.table_name AND b.row_id = a.row_id)
          AND NOT EXISTS (SELECT 1 FROM \(table) WHERE id = a.row_id)
        ORDER BY a.id LIMIT 1
        """, arguments: [table])
    {
      let entry: Int64 = row[0]
      let rowID: Int64 = row[1]
      return [(entry, "\(table) row \(rowID) of audit entry #\(entry) is gone: it was deleted outside compound")]
    }
    return []
  }

  /// The newest checkpoint, if any.
  static func checkpoint(_ db: Database) throws -> Checkpoint? {
    guard try db.tableExists("audit_checkpoint"),
      let row = try Row.fetchOne(db, sql: "SELECT entry, hash, tally FROM audit_checkpoint ORDER BY id DESC LIMIT 1")
    else { return nil }
    let tally = try JSONDecoder().decode([String: Int64].self, from: Data((row["tally"] as String).utf8))
    return Checkpoint(entry: row["entry"], hash: row["hash"], tally: tally)
  }

  /// Every table's write count, from the permanent tally triggers.
  static func tally(_ db: Database) throws -> [String: Int64] {
    guard try db.tableExists("audit_tally") else { return [:] }
    return Dictionary(
      try Row.fetchAll(db, sql: "SELECT table_name, writes FROM audit_tally").map {
        ($0["table_name"] as String, $0["writes"] as Int64)
      },
      uniquingKeysWith: { a, _ in a })
  }

  /// Whether every tally trigger is there as compound made it.
  private static func tallyTriggersIntact(_ db: Database) throws -> Bool {
    let found = Dictionary(
      try Row.fetchAll(
        db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_tally_%'"
      )
      .map { ($0["name"] as String, $0["sql"] as String) },
      uniquingKeysWith: { a, _ in a })
    for table in AuditTrail.tables.map(\.name) + ["audit"] {
      for operation in ["insert", "update", "delete"] {
        let expected = AuditTrail.tallyTrigger(table: table, operation: operation)
        if found["audit_tally_\(table)_\(operation)"] != expected { return false }
      }
    }
    return true
  }

  /// Keeps a checkpoint after a clean check (nothing when the trail has not moved since the last one).
  static func save(_ db: Database, report: AuditReport, tally: [String: Int64], full: Bool, at: String) throws {
    guard report.problems.isEmpty, report.entries > 0, try db.tableExists("audit_checkpoint") else { return }
    if let last = try checkpoint(db), last.entry == report.entries, last.tally == tally, !full { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try db.execute(
      sql: "INSERT INTO audit_checkpoint (entry, hash, tally, verified_at, full) VALUES (?, ?, ?, ?, ?)",
      arguments: [
        report.entries, report.head, String(decoding: try encoder.encode(tally), as: UTF8.self), at, full ? 1 : 0,
      ])
  }
}
