import Foundation
import GRDB

/// The append-only, SHA-256-chained audit trail: captured by triggers, sealed in the same transaction.
///
/// Each connection compound opens carries temporary triggers on every record table. They copy each
/// inserted, updated or deleted row (as JSON, before and after) into a temporary `audit_pending` table;
/// before the transaction commits, `seal` turns those rows into chained `audit` entries stamped with who,
/// when and the command. A change made with another program (the sqlite3 shell, say) fires no capture
/// trigger, so it leaves a record that no longer matches its latest entry: `verify` finds it.
enum AuditTrail {
  /// A table whose rows are audited, and how to find the lot number a row concerns (`{R}` is the row).
  struct Audited {
    var name: String
    var lot: String?
  }

  private static let batchLot = "(SELECT lot_number FROM batch WHERE id = {R}.batch_id)"
  private static let lotOrBatch =
    "COALESCE((SELECT lot_number FROM lot WHERE id = {R}.lot_id), (SELECT lot_number FROM batch WHERE id = {R}.batch_id))"

  /// Tables kept outside the trail: certificates of analysis, whose rows are content-addressed by SHA-256 (a
  /// lot's audited row names the hash, and `doctor` checks every file still hashes to its key).
  static let contentAddressed = ["certificate"]

  /// Every record table.
  ///
  /// A migration that adds one adds it here; a migration that changes an audited table's columns calls
  /// `baseline` for it in the same migration.
  static let tables: [Audited] = [
    Audited(name: "app_user"),
    Audited(name: "ingredient"),
    Audited(name: "lot", lot: "{R}.lot_number"),
    Audited(name: "formula"),
    Audited(name: "batch", lot: "{R}.lot_number"),
    Audited(name: "batch_component", lot: batchLot),
    Audited(name: "weight_check", lot: batchLot),
    Audited(name: "status_change", lot: lotOrBatch),
    Audited(name: "movement", lot: lotOrBatch),
    Audited(name: "assay", lot: batchLot),
    Audited(name: "patient"),
    Audited(name: "prescriber"),
    Audited(name: "prescription"),
    Audited(name: "fill", lot: batchLot),
    Audited(name: "label_print", lot: batchLot),
    Audited(name: "patient_entry"),
    Audited(name: "clinical_rules"),
    Audited(name: "prescription_end"),
    Audited(
      name: "fill_void",
      lot: "(SELECT lot_number FROM batch WHERE id = (SELECT batch_id FROM fill WHERE id = {R}.fill_id))"),
    Audited(
      name: "fill_check",
      lot: "(SELECT lot_number FROM batch WHERE id = (SELECT batch_id FROM fill WHERE id = {R}.fill_id))"),
    Audited(name: "installation"),
    Audited(name: "signature_failure"),
    Audited(name: "restore_log"),
    Audited(
      name: "label_delivery_failure",
      lot: "(SELECT lot_number FROM batch WHERE id = (SELECT batch_id FROM label_print WHERE id = {R}.label_print_id))"),
    Audited(name: "balance_check"),
    Audited(name: "trituration_formula"),
    Audited(name: "trituration", lot: "(SELECT lot_number FROM lot WHERE id = {R}.lot_id)"),
    Audited(
      name: "trituration_assay",
      lot: "(SELECT lot_number FROM lot WHERE id = (SELECT lot_id FROM trituration WHERE id = {R}.trituration_id))"),
  ]

  /// The trail's own table, append-only by trigger.
  static let schema = """
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      tx INTEGER NOT NULL,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      command TEXT NOT NULL,
      table_name TEXT NOT NULL,
      row_id INTEGER NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('insert','update','delete','baseline')),
      lot TEXT,
      old_row TEXT,
      new_row TEXT,
      prev_hash TEXT NOT NULL UNIQUE,
      hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX audit_by_row ON audit(table_name, row_id);
    CREATE INDEX audit_by_lot ON audit(lot COLLATE NOCASE);
    CREATE INDEX audit_by_time ON audit(at);
    CREATE TRIGGER audit_entries_never_change BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_entries_are_kept BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is kept: it is a legal record'); END;
    """

  /// The JSON of a row of `table` (`{R}` standing for the row), with every column in the table's order.
  static func rowJSON(_ db: Database, table: String, row: String) throws -> String {
    let columns = try db.columns(in: table).map(\.name)
    let pairs = columns.map { "'\($0)', \(row).\"\($0)\"" }.joined(separator: ", ")
    return "json_object(\(pairs))"
  }

  /// Creates this connection's capture table and triggers, unless present.
  static func capture(_ db: Database) throws {
    if try Bool.fetchOne(db, sql: "SELECT 1 FROM temp.sqlite_master WHERE name = 'audit_pending'") == true { return }
    try db.execute(
      sql: """
        CREATE TEMP TABLE audit_pending (
          seq INTEGER PRIMARY KEY, table_name TEXT, row_id INTEGER, op TEXT, lot TEXT, old_row TEXT, new_row TEXT)
        """)
    for table in tables {
      let lot = table.lot ?? "NULL"
      let new = try rowJSON(db, table: table.name, row: "NEW")
      let old = try rowJSON(db, table: table.name, row: "OLD")
      let cases: [(String, String, String, String, String)] = [
        ("insert", "NEW", lot.replacingOccurrences(of: "{R}", with: "NEW"), "NULL", new),
        ("update", "NEW", lot.replacingOccurrences(of: "{R}", with: "NEW"), old, new),
        ("delete", "OLD", lot.replacingOccurrences(of: "{R}", with: "OLD"), old, "NULL"),
      ]
      for (operation, row, lotExpression, before, after) in cases {
        try db.execute(
          sql: """
            CREATE TEMP TRIGGER audit_capture_\(table.name)_\(operation) AFTER \(operation.uppercased())
            ON main.\(table.name)
            BEGIN
              INSERT INTO audit_pending (table_name, row_id, op, lot, old_row, new_row)
              VALUES ('\(table.name)', \(row).id, '\(operation)', \(lotExpression), \(before), \(after));
            END
            """)
      }
    }
  }

  /// Turns the captured changes into chained entries stamped with `stamp`; called inside the transaction.
  static func seal(_ db: Database, stamp: AuditStamp) throws {
    let pending = try Row.fetchAll(
      db, sql: "SELECT table_name, row_id, op, lot, old_row, new_row FROM audit_pending ORDER BY seq")
    guard !pending.isEmpty else { return }
    try append(
      db, stamp: stamp,
      changes: pending.map {
        Change(
          table: $0["table_name"], rowID: $0["row_id"], operation: $0["op"], lot: $0["lot"], before: $0["old_row"],
          after: $0["new_row"])
      })
    try db.execute(sql: "DELETE FROM audit_pending")
  }

  /// Entries for every row already in `table`, so a trail started on an existing database covers it.
  static func baseline(_ db: Database, table name: String, stamp: AuditStamp) throws {
    guard let table = tables.first(where: { $0.name == name }), try db.tableExists(name) else { return }
    let lot = (table.lot ?? "NULL").replacingOccurrences(of: "{R}", with: "R")
    let rows = try Row.fetchAll(
      db,
      sql:
        "SELECT R.id AS row_id, \(lot) AS lot, \(try rowJSON(db, table: name, row: "R")) AS json FROM \(name) AS R ORDER BY R.id"
    )
    try append(
      db, stamp: stamp,
      changes: rows.map {
        Change(table: name, rowID: $0["row_id"], operation: "baseline", lot: $0["lot"], before: nil, after: $0["json"])
      })
  }

  /// One captured change, before it is stamped and chained.
  struct Change {
    var table: String
    var rowID: Int64
    var operation: String
    var lot: String?
    var before: String?
    var after: String?
  }

  private static func append(_ db: Database, stamp: AuditStamp, changes: [Change]) throws {
    guard !changes.isEmpty else { return }
    let head = try Row.fetchOne(db, sql: "SELECT id, tx, hash FROM audit ORDER BY id DESC LIMIT 1")
    var id: Int64 = head?["id"] ?? 0
    var previous: String = head?["hash"] ?? AuditEntry.genesis
    let transaction: Int64 = (head?["tx"] ?? 0) + 1
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO audit (id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for change in changes {
      id += 1
      var entry = AuditEntry(
        id: id, transaction: transaction, at: stamp.at, actor: stamp.actor, command: stamp.command,
        table: change.table, rowID: change.rowID, operation: change.operation, lot: change.lot, before: change.before,
        after: change.after, previousHash: previous, hash: "")
      entry.hash = entry.computedHash
      try insert.execute(arguments: [
        entry.id, entry.transaction, entry.at, entry.actor, entry.command, entry.table, entry.rowID, entry.operation,
        entry.lot, entry.before, entry.after, entry.previousHash, entry.hash,
      ])
      previous = entry.hash
    }
  }

  /// An entry read back from the trail.
  static func entry(_ row: Row) -> AuditEntry {
    AuditEntry(
      id: row["id"], transaction: row["tx"], at: row["at"], actor: row["actor"], command: row["command"],
      table: row["table_name"], rowID: row["row_id"], operation: row["op"], lot: row["lot"], before: row["old_row"],
      after: row["new_row"], previousHash: row["prev_hash"], hash: row["hash"])
  }

  /// The hash of the newest entry (the genesis value for an empty trail).
  static func head(_ db: Database) throws -> String {
    try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? AuditEntry.genesis
  }

  /// The first place where the trail or the records disagree, and how many entries were checked.
  static func verify(_ db: Database) throws -> AuditReport {
    var problems: [(entry: Int64, message: String)] = []
    var expected: Int64 = 1
    var previous = AuditEntry.genesis
    var head = AuditEntry.genesis
    let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY id")
    while let row = try cursor.next() {
      let entry = entry(row)
      if entry.id != expected {
        problems.append(
          (expected, "audit entry #\(expected) is missing: it was deleted outside compound"))
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
      previous = entry.hash
      head = entry.hash
      expected += 1
    }
    let count = expected - 1
    for table in tables {
      let json = try rowJSON(db, table: table.name, row: "R")
      if let row = try Row.fetchOne(
        db,
        sql: """
          SELECT R.id AS row_id, a.id AS entry FROM \(table.name) AS R
          LEFT JOIN audit a ON a.id = (SELECT max(b.id) FROM audit b WHERE b.table_name = ? AND b.row_id = R.id)
          WHERE a.id IS NULL OR a.new_row IS NOT \(json)
          ORDER BY R.id LIMIT 1
          """, arguments: [table.name])
      {
        let rowID: Int64 = row["row_id"]
        if let entry: Int64 = row["entry"] {
          problems.append(
            (
              entry,
              "\(table.name) row \(rowID) no longer matches audit entry #\(entry): it was changed outside compound"
            ))
        } else {
          problems.append(
            (Int64.max, "\(table.name) row \(rowID) has no audit entry: it was added outside compound"))
        }
      }
      if let row = try Row.fetchOne(
        db,
        sql: """
          SELECT a.id, a.row_id FROM audit a
          WHERE a.table_name = ? AND a.op <> 'delete'
            AND a.id = (SELECT max(b.id) FROM audit b WHERE b.table_name = a.table_name AND b.row_id = a.row_id)
            AND NOT EXISTS (SELECT 1 FROM \(table.name) WHERE id = a.row_id)
          ORDER BY a.id LIMIT 1
          """, arguments: [table.name])
      {
        let entry: Int64 = row["id"]
        let rowID: Int64 = row["row_id"]
        problems.append(
          (entry, "\(table.name) row \(rowID) of audit entry #\(entry) is gone: it was deleted outside compound"))
      }
    }
    let sorted = problems.sorted { $0.entry < $1.entry }
    return AuditReport(entries: count, head: head, problems: sorted.map(\.message))
  }
}

/// Who, when and what command: what every entry of one transaction is stamped with.
public struct AuditStamp: Sendable, Equatable {
  public var actor: String
  public var command: String
  public var at: String

  public init(actor: String, command: String, at: String) {
    self.actor = actor
    self.command = command
    self.at = at
  }
}

/// What `compound audit verify` found.
public struct AuditReport: Sendable, Equatable, Codable {
  /// Entries checked.
  public var entries: Int64
  /// The hash of the last entry: writing it down lets a later check see the trail was not cut short.
  public var head: String
  /// What does not match, first problem first; empty when all is well.
  public var problems: [String]
}
