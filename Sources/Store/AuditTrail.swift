import Digest
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

  /// Tables kept outside the trail because they are derived or are the trail's own bookkeeping: `stock` (each
  /// lot's and batch's sum of its audited movements, checked against them by `doctor`), `audit_tally` (every
  /// table's write count), `audit_checkpoint` (where the last clean check stopped) and `fill_pending` (the
  /// fills with no final check or void yet, compared with them by `doctor --full`).
  static let bookkeeping = ["stock", "audit_tally", "audit_checkpoint", "fill_pending"]

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
  ///
  /// Its bytes are the row's canonical form: the SHA-256 of this text is what an entry's `row_sha256` holds.
  static func rowJSON(_ db: Database, table: String, row: String) throws -> String {
    let columns = try db.columns(in: table).map(\.name)
    let pairs = columns.map { "'\($0)', \(row).\"\($0)\"" }.joined(separator: ", ")
    return "json_object(\(pairs))"
  }

  /// The JSON of only the columns an update changed, as `side` (`OLD` or `NEW`) has them, in the table's order.
  static func changedJSON(_ db: Database, table: String, side: String) throws -> String {
    let columns = try db.columns(in: table).map(\.name)
    let pieces = columns.map {
      "CASE WHEN OLD.\"\($0)\" IS NOT NEW.\"\($0)\" THEN ',\"\($0)\":' || json_quote(\(side).\"\($0)\") ELSE '' END"
    }
    return "'{' || ltrim(\(pieces.joined(separator: " || ")), ',') || '}'"
  }

  /// The permanent triggers that count every write to `table`, by compound or by any other program.
  ///
  /// An incremental `verify` compares the count since its last checkpoint with the entries written since: a
  /// write with no entry (the sqlite3 shell, say) sends it to check that table's every row.
  static func tallySQL(table: String) -> String {
    // The trail counts its own writes too: an entry edited or deleted outside compound sends the next check
    // along the whole chain.
    "INSERT INTO audit_tally (table_name) VALUES ('\(table)');\n"
      + ["insert", "update", "delete"].map { tallyTrigger(table: table, operation: $0) + ";" }.joined(separator: "\n")
  }

  /// One tally trigger, as `sqlite_master` keeps it.
  static func tallyTrigger(table: String, operation: String) -> String {
    """
    CREATE TRIGGER audit_tally_\(table)_\(operation) AFTER \(operation.uppercased()) ON \(table)
    BEGIN UPDATE audit_tally SET writes = writes + 1 WHERE table_name = '\(table)'; END
    """
  }

  /// Creates this connection's capture table and triggers, unless present.
  static func capture(_ db: Database) throws {
    if try Bool.fetchOne(db, sql: "SELECT 1 FROM temp.sqlite_master WHERE name = 'audit_pending'") == true { return }
    let digests = try db.columns(in: "audit").contains { $0.name == "row_sha256" }
    try db.execute(
      sql: """
        CREATE TEMP TABLE audit_pending (
          seq INTEGER PRIMARY KEY, table_name TEXT, row_id INTEGER, op TEXT, lot TEXT, old_row TEXT, new_row TEXT,
          old_full TEXT, new_full TEXT)
        """)
    for table in tables {
      let lot = table.lot ?? "NULL"
      let new = try rowJSON(db, table: table.name, row: "NEW")
      let old = try rowJSON(db, table: table.name, row: "OLD")
      // An update keeps only what changed (before and after) once the trail holds row digests; the whole rows
      // go to the pending table alone, for the digests.
      let update =
        digests
        ? (try changedJSON(db, table: table.name, side: "OLD"), try changedJSON(db, table: table.name, side: "NEW"))
        : (old, new)
      let cases: [(String, String, String, String, String, String, String)] = [
        ("insert", "NEW", lot.replacingOccurrences(of: "{R}", with: "NEW"), "NULL", new, "NULL", "NULL"),
        ("update", "NEW", lot.replacingOccurrences(of: "{R}", with: "NEW"), update.0, update.1, old, new),
        ("delete", "OLD", lot.replacingOccurrences(of: "{R}", with: "OLD"), old, "NULL", "NULL", "NULL"),
      ]
      for (operation, row, lotExpression, before, after, oldFull, newFull) in cases {
        try db.execute(
          sql: """
            CREATE TEMP TRIGGER audit_capture_\(table.name)_\(operation) AFTER \(operation.uppercased())
            ON main.\(table.name)
            BEGIN
              INSERT INTO audit_pending (table_name, row_id, op, lot, old_row, new_row, old_full, new_full)
              VALUES ('\(table.name)', \(row).id, '\(operation)', \(lotExpression), \(before), \(after), \(oldFull),
                \(newFull));
            END
            """)
      }
    }
  }

  /// Turns the captured changes into chained entries stamped with `stamp`; called inside the transaction.
  ///
  /// An update or a delete of a row that no longer hashes to its latest entry is refused: the row was changed
  /// outside compound, and writing on would bury that change under a new entry.
  static func seal(_ db: Database, stamp: AuditStamp) throws {
    let pending = try Row.fetchAll(
      db,
      sql: "SELECT table_name, row_id, op, lot, old_row, new_row, old_full, new_full FROM audit_pending ORDER BY seq")
    guard !pending.isEmpty else { return }
    let digests = try db.columns(in: "audit").contains { $0.name == "row_sha256" }
    var latest: [String: String?] = [:]
    var changes: [Change] = []
    for row in pending {
      var change = Change(
        table: row["table_name"], rowID: row["row_id"], operation: row["op"], lot: row["lot"], before: row["old_row"],
        after: row["new_row"])
      if digests {
        let key = "\(change.table)#\(change.rowID)"
        if change.operation != "insert" {
          let previous: String?? = try latest[key] ?? recorded(db, table: change.table, rowID: change.rowID)
          let old: String? = change.operation == "update" ? row["old_full"] : change.before
          guard case .some(let expected) = previous, let expected, let old, SHA256.hex(old) == expected else {
            throw StoreError(
              "\(change.table) row \(change.rowID) was changed outside compound since its last audit entry: nothing was written; run 'compound audit verify --full' and 'compound doctor'"
            )
          }
        }
        let full: String? = change.operation == "update" ? row["new_full"] : change.after
        change.rowSHA256 = full.map { SHA256.hex($0) }
        latest[key] = .some(change.rowSHA256)
      }
      changes.append(change)
    }
    try append(db, stamp: stamp, changes: changes)
    try db.execute(sql: "DELETE FROM audit_pending")
  }

  /// The SHA-256 of a row as its latest entry left it: `.none` when it has no entry, `.some(nil)` when that
  /// entry deleted it.
  static func recorded(_ db: Database, table: String, rowID: Int64) throws -> String?? {
    guard
      let entry = try Row.fetchOne(
        db,
        sql:
          "SELECT op, new_row, row_sha256 FROM audit WHERE table_name = ? AND row_id = ? ORDER BY id DESC LIMIT 1",
        arguments: [table, rowID])
    else { return .none }
    if (entry["op"] as String) == "delete" { return .some(nil) }
    // Before row digests, every entry held the whole row.
    return .some((entry["row_sha256"] as String?) ?? (entry["new_row"] as String?).map { SHA256.hex($0) })
  }

  /// Entries for every row already in `table`, so a trail started on an existing database covers it.
  static func baseline(_ db: Database, table name: String, stamp: AuditStamp) throws {
    guard let table = tables.first(where: { $0.name == name }), try db.tableExists(name) else { return }
    let digests = try db.columns(in: "audit").contains { $0.name == "row_sha256" }
    let lot = (table.lot ?? "NULL").replacingOccurrences(of: "{R}", with: "R")
    let rows = try Row.fetchCursor(
      db,
      sql:
        "SELECT R.id AS row_id, \(lot) AS lot, \(try rowJSON(db, table: name, row: "R")) AS json FROM \(name) AS R ORDER BY R.id"
    )
    var changes: [Change] = []
    while let row = try rows.next() {
      let json: String = row["json"]
      changes.append(
        Change(
          table: name, rowID: row["row_id"], operation: "baseline", lot: row["lot"], before: nil, after: json,
          rowSHA256: digests ? SHA256.hex(json) : nil))
    }
    try append(db, stamp: stamp, changes: changes)
  }

  /// One captured change, before it is stamped and chained.
  struct Change {
    var table: String
    var rowID: Int64
    var operation: String
    var lot: String?
    var before: String?
    var after: String?
    var rowSHA256: String?
  }

  private static func append(_ db: Database, stamp: AuditStamp, changes: [Change]) throws {
    guard !changes.isEmpty else { return }
    let head = try Row.fetchOne(db, sql: "SELECT id, tx, hash FROM audit WHERE id = (SELECT max(id) FROM audit)")
    var id: Int64 = head?["id"] ?? 0
    var previous: String = head?["hash"] ?? AuditEntry.genesis
    let transaction: Int64 = (head?["tx"] ?? 0) + 1
    let digests = try db.columns(in: "audit").contains { $0.name == "row_sha256" }
    let insert = try db.cachedStatement(
      sql: digests
        ? """
        INSERT INTO audit (id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash,
          row_sha256)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
        : """
        INSERT INTO audit (id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for change in changes {
      id += 1
      var entry = AuditEntry(
        id: id, transaction: transaction, at: stamp.at, actor: stamp.actor, command: stamp.command,
        table: change.table, rowID: change.rowID, operation: change.operation, lot: change.lot, before: change.before,
        after: change.after, previousHash: previous, hash: "", rowSHA256: change.rowSHA256)
      entry.hash = entry.computedHash
      var arguments: StatementArguments = [
        entry.id, entry.transaction, entry.at, entry.actor, entry.command, entry.table, entry.rowID, entry.operation,
        entry.lot, entry.before, entry.after, entry.previousHash, entry.hash,
      ]
      if digests { _ = arguments.append(contentsOf: [entry.rowSHA256]) }
      try insert.execute(arguments: arguments)
      previous = entry.hash
    }
  }

  /// An entry read back from the trail.
  static func entry(_ row: Row) -> AuditEntry {
    AuditEntry(
      id: row["id"], transaction: row["tx"], at: row["at"], actor: row["actor"], command: row["command"],
      table: row["table_name"], rowID: row["row_id"], operation: row["op"], lot: row["lot"], before: row["old_row"],
      after: row["new_row"], previousHash: row["prev_hash"], hash: row["hash"],
      rowSHA256: row.hasColumn("row_sha256") ? row["row_sha256"] : nil)
  }

  /// The hash of the newest entry (the genesis value for an empty trail).
  static func head(_ db: Database) throws -> String {
    try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = (SELECT max(id) FROM audit)") ?? AuditEntry.genesis
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
  /// Entries whose hashes were checked this time (all of them, or those after the checkpoint).
  public var checked: Int64 = 0
  /// The checkpoint entry the check started after; nil for a check of the whole trail.
  public var since: Int64?
}
