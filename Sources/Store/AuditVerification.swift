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
    try verify(SQLiteSession(db: db), full: full, progress: progress, records: records)
  }

  /// The same check on either engine's connection.
  static func verify(
    _ db: any StoreConnection, full: Bool, progress: Progress? = nil, records: RecordsCheck? = nil
  ) throws(StoreError) -> AuditReport {
    let total = try db.row("SELECT max(id) AS last FROM audit")?.optionalInteger("last") ?? 0
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
      let hash = try db.row("SELECT hash FROM audit WHERE id = ?", [.integer(checkpoint.entry)])?.text("hash")
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
    // The walk stops at the first problem: what follows a broken link proves nothing.
    try db.each(
      """
      SELECT id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash, \
      \(try digestColumn(db)) AS row_sha256 FROM audit WHERE id >= ? ORDER BY id
      """, [.integer(expected)]
    ) { row throws(StoreError) in
      // By position: the walk reads millions of rows, and a name is a search.
      let entry = AuditEntry(
        id: try row.integer(at: 0), transaction: try row.integer(at: 1), at: try row.text(at: 2),
        actor: try row.text(at: 3), command: try row.text(at: 4), table: try row.text(at: 5),
        rowID: try row.integer(at: 6), operation: try row.text(at: 7), lot: try row.optionalText(at: 8),
        before: try row.optionalText(at: 9), after: try row.optionalText(at: 10), previousHash: try row.text(at: 11),
        hash: try row.text(at: 12), rowSHA256: try row.optionalText(at: 13))
      if entry.id != expected {
        problems.append((expected, "audit entry #\(expected) is missing: it was deleted outside compound"))
        return false
      }
      if entry.previousHash != previous {
        problems.append(
          (
            entry.id,
            "audit entry #\(entry.id) does not follow entry #\(entry.id - 1): the chain was edited outside compound"
          ))
        return false
      }
      if entry.computedHash != entry.hash {
        problems.append(
          (
            entry.id,
            "audit entry #\(entry.id) (\(entry.operation) \(entry.table) row \(entry.rowID)) was changed outside compound"
          ))
        return false
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
      return true
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
      let found = try Self.records(records, entries: expected - 1, head: head)
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

  /// What the SQLite records check running beside the walk found, if it ran and read the same trail.
  private static func records(_ check: RecordsCheck?, entries: Int64, head: String) throws(StoreError)
    -> [Problem]?
  {
    do {
      return try check?.result(entries: entries, head: head)
    } catch {
      throw StoreError.from(error)
    }
  }

  /// `row_sha256`, or NULL on a trail from before row digests.
  private static func digestColumn(_ db: any StoreConnection) throws(StoreError) -> String {
    try db.columns(of: "audit").contains("row_sha256") ? "row_sha256" : "NULL"
  }

  /// Whether `json`, a row's canonical text now, is what `entry` left.
  private static func matches(_ json: String, _ entry: AuditEntry) -> Bool {
    guard entry.operation != "delete" else { return false }
    if let digest = entry.rowSHA256 { return SHA256.hex(json) == digest }
    return entry.after == json
  }

  /// The rows named by entries since the checkpoint, each against its latest entry.
  private static func compare(
    _ db: any StoreConnection, table: String, rows: [Int64: AuditEntry]
  ) throws(StoreError) -> [(entry: Int64, message: String)] {
    let sql = "SELECT \(try db.rowJSON(table: table, alias: "R")) AS json FROM \(table) AS R WHERE R.id = ?"
    var problems: [(entry: Int64, message: String)] = []
    for (rowID, entry) in rows.sorted(by: { $0.key < $1.key }) {
      let json = try db.row(sql, [.integer(rowID)])?.text("json")
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
  static func compareAll(_ db: any StoreConnection, table: String) throws(StoreError) -> [(
    entry: Int64, message: String
  )] {
    let digest = try digestColumn(db)
    var found: [(entry: Int64, message: String)] = []
    try db.each(
      """
      SELECT R.id AS row_id, \(try db.rowJSON(table: table, alias: "R")) AS json, a.id AS entry, a.op, a.new_row,
        a.\(digest == "NULL" ? "id" : digest) AS digest
      FROM \(table) AS R
      LEFT JOIN audit a ON a.id = (SELECT max(b.id) FROM audit b WHERE b.table_name = ? AND b.row_id = R.id)
      ORDER BY R.id
      """, [.text(table)]
    ) { row throws(StoreError) in
      let rowID = try row.integer("row_id")
      guard let entryID = try row.optionalInteger("entry") else {
        found = [(Int64.max, "\(table) row \(rowID) has no audit entry: it was added outside compound")]
        return false
      }
      let entry = AuditEntry(
        id: entryID, transaction: 0, at: "", actor: "", command: "", table: table, rowID: rowID,
        operation: try row.text("op"), lot: nil, before: nil, after: try row.optionalText("new_row"), previousHash: "",
        hash: "", rowSHA256: digest == "NULL" ? nil : try row.optionalText("digest"))
      if !matches(try row.text("json"), entry) {
        found = [
          (entryID, "\(table) row \(rowID) no longer matches audit entry #\(entryID): it was changed outside compound")
        ]
        return false
      }
      return true
    }
    if !found.isEmpty { return found }
    if let row = try db.row(
      """
      SELECT a.id, a.row_id FROM audit a
      WHERE a.table_name = ? AND a.op <> 'delete'
        AND a.id = (SELECT max(b.id) FROM audit b WHERE b.table_name = a.table_name AND b.row_id = a.row_id)
        AND NOT EXISTS (SELECT 1 FROM \(table) WHERE id = a.row_id)
      ORDER BY a.id LIMIT 1
      """, [.text(table)])
    {
      let entry = try row.integer("id")
      let rowID = try row.integer("row_id")
      return [(entry, "\(table) row \(rowID) of audit entry #\(entry) is gone: it was deleted outside compound")]
    }
    return []
  }

  /// The newest checkpoint, if any.
  static func checkpoint(_ db: Database) throws -> Checkpoint? {
    try checkpoint(SQLiteSession(db: db))
  }

  /// The newest checkpoint on either engine's connection.
  static func checkpoint(_ db: any StoreConnection) throws(StoreError) -> Checkpoint? {
    guard try db.tableExists("audit_checkpoint"),
      let row = try db.row("SELECT entry, hash, tally FROM audit_checkpoint ORDER BY id DESC LIMIT 1")
    else { return nil }
    guard let tally = try? JSONDecoder().decode([String: Int64].self, from: Data(try row.text("tally").utf8)) else {
      throw StoreError(
        "the newest verification checkpoint's tally is not what compound writes: it was changed outside compound",
        code: .corrupt)
    }
    return Checkpoint(entry: try row.integer("entry"), hash: try row.text("hash"), tally: tally)
  }

  /// Every table's write count, from the permanent tally triggers.
  static func tally(_ db: Database) throws -> [String: Int64] {
    try tally(SQLiteSession(db: db))
  }

  /// Every table's write count on either engine's connection.
  static func tally(_ db: any StoreConnection) throws(StoreError) -> [String: Int64] {
    guard try db.tableExists("audit_tally") else { return [:] }
    var counts: [String: Int64] = [:]
    for row in try db.rows("SELECT table_name, writes FROM audit_tally", []) {
      let name = try row.text("table_name")
      if counts[name] == nil { counts[name] = try row.integer("writes") }
    }
    return counts
  }

  /// Whether every tally trigger is there as compound made it (and on PostgreSQL, every capture trigger on).
  private static func tallyTriggersIntact(_ connection: any StoreConnection) throws(StoreError) -> Bool {
    guard let sqlite = connection as? SQLiteSession else {
      return try PostgresSchema.triggersIntact(connection)
    }
    do {
      return try tallyTriggersIntact(sqlite.db)
    } catch {
      throw StoreError.from(error)
    }
  }

  /// Whether every SQLite tally trigger is there as compound made it.
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
    try save(SQLiteSession(db: db), report: report, tally: tally, full: full, at: at)
  }

  /// Keeps a checkpoint on either engine's connection.
  static func save(
    _ db: any StoreConnection, report: AuditReport, tally: [String: Int64], full: Bool, at: String
  ) throws(StoreError) {
    guard report.problems.isEmpty, report.entries > 0, try db.tableExists("audit_checkpoint") else { return }
    if let last = try checkpoint(db), last.entry == report.entries, last.tally == tally, !full { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = (try? encoder.encode(tally)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    try db.execute(
      "INSERT INTO audit_checkpoint (entry, hash, tally, verified_at, \"full\") VALUES (?, ?, ?, ?, ?)",
      [.integer(report.entries), .text(report.head), .text(text), .text(at), .integer(full ? 1 : 0)])
  }
}
