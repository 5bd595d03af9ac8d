import Digest
import Foundation
import GRDB

/// The append-only, SHA-256-chained audit trail: captured by triggers, sealed in the same transaction.
///
/// Each connection compound opens carries temporary triggers on every record table it writes (made just
/// before the first statement that writes the table, by `AuditCapture`). They copy each
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
    Audited(name: "store"),
    Audited(name: "store_record", lot: lotOrBatch),
  ]

  /// The record tables the stores of a chain added (SQLite's v15, PostgreSQL's v3): the migrations before them
  /// leave them out.
  static let storeTables: Set<String> = ["store", "store_record"]

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
    rowJSON(columns: try db.columns(in: table).map(\.name), row: row)
  }

  /// The JSON of a row with `columns` (`row` standing for the row), as `rowJSON(_:table:row:)` writes it.
  static func rowJSON(columns: [String], row: String) -> String {
    "json_object(\(columns.map { "'\($0)', \(row).\"\($0)\"" }.joined(separator: ", ")))"
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

  /// Readies this connection to capture the transaction about to be written; returns the write tallies at
  /// its start, for `seal` to compare.
  ///
  /// The first time, it makes the pending table and `observer` (which creates a record table's triggers when
  /// a statement first writes the table). An update's trigger keeps the whole rows before and after,
  /// and which columns changed as a bit mask (`OLD.c IS NOT NEW.c`, bit k for the table's k-th column);
  /// `seal` cuts the changed columns out of the whole rows.
  static func capture(_ db: Database, observer: inout AuditCapture?) throws -> [String: Int64] {
    if observer == nil {
      guard let connection = db.sqliteConnection else { throw StoreError("the database connection is closed") }
      let digests = try Bool.fetchOne(
        db, sql: "SELECT count(*) > 0 FROM pragma_table_info('audit', 'main') WHERE name = 'row_sha256'")
      let made = AuditCapture(connection: connection, digests: digests ?? false)
      db.add(transactionObserver: made, extent: .databaseLifetime)
      observer = made
    }
    try db.execute(
      sql: """
        CREATE TEMP TABLE IF NOT EXISTS audit_pending (
          seq INTEGER PRIMARY KEY, table_name TEXT, row_id INTEGER, op TEXT, lot TEXT, old_row TEXT, new_row TEXT,
          old_full TEXT, new_full TEXT, changed INTEGER)
        """)
    // The tables whose three capture triggers are there now (a rolled-back transaction took the ones it made
    // with it; a table missing one has them all made again, IF NOT EXISTS).
    let present = try String.fetchAll(
      db,
      sql: """
        SELECT lower(tbl_name) FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'audit\\_capture\\_%' ESCAPE '\\'
        GROUP BY lower(tbl_name) HAVING count(*) = 3
        """)
    observer?.begin(present: Set(present))
    let counts = try tallies(db)
    // Without the tallies (a database still being migrated), nothing could tell a missed write: every trigger.
    if counts.isEmpty { try observer?.installAll() }
    return counts
  }

  /// Every record table by its lower-cased name.
  static let tablesByName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name.lowercased(), $0) })

  /// The three capture triggers of `table`, whose columns are `names` in the table's order, as one batch of
  /// SQL; `digests` when the trail holds row digests.
  static func triggers(_ table: Audited, columns names: [String], digests: Bool) throws -> String {
    let lot = table.lot ?? "NULL"
    let new = rowJSON(columns: names, row: "NEW")
    let old = rowJSON(columns: names, row: "OLD")
    // An update keeps only what changed (before and after) once the trail holds row digests; the whole rows
    // go to the pending table alone, for the digests.
    let update = digests ? ("NULL", "NULL", try changedMask(columns: names, table: table.name)) : (old, new, "NULL")
    let cases: [(String, String, String, String, String, String, String, String)] = [
      ("insert", "NEW", lot.replacingOccurrences(of: "{R}", with: "NEW"), "NULL", new, "NULL", "NULL", "NULL"),
      ("update", "NEW", lot.replacingOccurrences(of: "{R}", with: "NEW"), update.0, update.1, old, new, update.2),
      ("delete", "OLD", lot.replacingOccurrences(of: "{R}", with: "OLD"), old, "NULL", "NULL", "NULL", "NULL"),
    ]
    return cases.map {
      operation, row, lotExpression, before, after, oldFull, newFull, changed in
      """
      CREATE TEMP TRIGGER IF NOT EXISTS audit_capture_\(table.name)_\(operation) AFTER \(operation.uppercased())
      ON main.\(table.name)
      BEGIN
        INSERT INTO audit_pending (table_name, row_id, op, lot, old_row, new_row, old_full, new_full, changed)
        VALUES ('\(table.name)', \(row).id, '\(operation)', \(lotExpression), \(before), \(after), \(oldFull),
          \(newFull), \(changed));
      END;

      """
    }.joined()
  }

  /// Every record table's count of rows written, by any program (the permanent tally triggers).
  static func tallies(_ db: Database) throws -> [String: Int64] {
    // Asked of the schema table itself: GRDB's `tableExists` looks in every schema, on every write.
    let exists = try Bool.fetchOne(
      db, sql: "SELECT count(*) > 0 FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_tally'")
    guard exists == true else { return [:] }
    var counts: [String: Int64] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT table_name, writes FROM audit_tally") {
      counts[(row["table_name"] as String).lowercased()] = row["writes"]
    }
    return counts
  }

  /// The SQL of an update's changed columns as a bit mask: bit k set when the k-th of `columns` changed.
  static func changedMask(columns: [String], table: String) throws -> String {
    // Bit 63 is the sign: a table wider than 63 columns would need a second mask.
    guard columns.count <= 63 else {
      throw StoreError("\(table) has \(columns.count) columns, more than the audit capture's 63: nothing was written")
    }
    return columns.enumerated().map { "((OLD.\"\($1)\" IS NOT NEW.\"\($1)\") << \($0))" }.joined(separator: " | ")
  }

  /// The changed columns of an update, as `side` (the whole row before or after, as `rowJSON` wrote it) has
  /// them: `{"status":"released"}`, in the table's order.
  ///
  /// The bytes are those SQLite's `json_object` gives the same columns, because they are cut from its output.
  static func changedJSON(_ side: String, mask: Int64, table: String) throws(StoreError) -> String {
    // Every changed column is among the row's members (a mask bit past them would be a column lost).
    guard let members = JSONMembers.split(side), members.count < 64, mask >= 0, mask >> Int64(members.count) == 0
    else {
      throw StoreError("the audit capture of a \(table) row is not the JSON it wrote: nothing was written")
    }
    let kept = members.enumerated().filter { mask & (1 << Int64($0.offset)) != 0 }.map(\.element)
    return "{" + kept.joined(separator: ",") + "}"
  }

  /// Turns the captured changes into chained entries stamped with `stamp`; called inside the transaction.
  ///
  /// An update or a delete of a row that no longer hashes to its latest entry is refused: the row was changed
  /// outside compound, and writing on would bury that change under a new entry.
  ///
  /// `tallies` are the write tallies `capture` read at the transaction's start: a record table whose tally
  /// counts more rows written since than were captured had a change no trigger saw, and the transaction is
  /// refused rather than sealed without it.
  static func seal(_ db: Database, stamp: AuditStamp, tallies: [String: Int64], observer: AuditCapture?) throws {
    let connection = SQLiteSession(db: db)
    let pending = try self.pending(connection)
    if !tallies.isEmpty {
      let now = try Self.tallies(db)
      var captured: [String: Int64] = [:]
      for row in pending { captured[try row.text("table_name").lowercased(), default: 0] += 1 }
      for table in tables.map({ $0.name.lowercased() }) {
        let written = (now[table] ?? 0) - (tallies[table] ?? 0)
        guard written <= captured[table] ?? 0 else {
          throw StoreError(
            "\(written - (captured[table] ?? 0)) change(s) to \(table) were not captured for the audit trail\(observer?.failure.map { " (\($0))" } ?? ""): nothing was written; run 'compound doctor'"
          )
        }
      }
    }
    guard !pending.isEmpty else { return }
    try seal(
      connection, stamp: stamp, pending: pending,
      digests: try db.columns(in: "audit").contains { $0.name == "row_sha256" })
  }

  /// The changes the capture triggers left in the pending table, in the order they were made.
  static func pending(_ connection: any StoreConnection) throws(StoreError) -> [SQLRow] {
    try connection.rows(
      """
      SELECT table_name, row_id, op, lot, old_row, new_row, old_full, new_full, changed FROM audit_pending
      ORDER BY seq
      """, [])
  }

  /// Turns `pending` changes into chained entries stamped with `stamp`, on either engine, and empties the
  /// pending table; `digests` when the trail holds row digests (always, but while an old SQLite file migrates).
  ///
  /// An update's changed columns come from its mask (`changed`, as SQLite's trigger computes it) or, when the
  /// capture left none (PostgreSQL's trigger keeps the whole rows only), from the members of the rows that differ.
  static func seal(
    _ connection: any StoreConnection, stamp: AuditStamp, pending: [SQLRow], digests: Bool
  ) throws(StoreError) {
    var latest: [String: String?] = [:]
    var changes: [Change] = []
    for row in pending {
      var change = Change(
        table: try row.text("table_name"), rowID: try row.integer("row_id"), operation: try row.text("op"),
        lot: try row.optionalText("lot"), before: try row.optionalText("old_row"),
        after: try row.optionalText("new_row"))
      let (oldFull, newFull) = (try row.optionalText("old_full"), try row.optionalText("new_full"))
      if digests, change.operation == "update" {
        let mask: Int64
        if let given = try row.optionalInteger("changed") {
          mask = given
        } else {
          mask = try changedMask(oldFull ?? "", newFull ?? "", table: change.table)
        }
        change.before = try changedJSON(oldFull ?? "", mask: mask, table: change.table)
        change.after = try changedJSON(newFull ?? "", mask: mask, table: change.table)
      }
      if digests {
        let key = "\(change.table)#\(change.rowID)"
        if change.operation != "insert" {
          var previous: String?? = latest[key]
          if previous == nil { previous = try recorded(connection, table: change.table, rowID: change.rowID) }
          let old: String? = change.operation == "update" ? oldFull : change.before
          guard case .some(let expected) = previous, let expected, let old, SHA256.hex(old) == expected else {
            throw StoreError(
              "\(change.table) row \(change.rowID) was changed outside compound since its last audit entry: nothing was written; run 'compound audit verify --full' and 'compound doctor'"
            )
          }
        }
        let full: String? = change.operation == "update" ? newFull : change.after
        change.rowSHA256 = full.map { SHA256.hex($0) }
        latest[key] = .some(change.rowSHA256)
      }
      changes.append(change)
    }
    try append(connection, stamp: stamp, changes: changes, digests: digests)
    try connection.execute("DELETE FROM audit_pending", [])
  }

  /// The mask of the members that differ between an update's whole rows before and after (bit k for the k-th
  /// column), as SQLite's trigger computes it with `OLD.c IS NOT NEW.c`.
  static func changedMask(_ before: String, _ after: String, table: String) throws(StoreError) -> Int64 {
    guard let old = JSONMembers.split(before), let new = JSONMembers.split(after), old.count == new.count,
      old.count < 64
    else {
      throw StoreError("the audit capture of a \(table) row is not the JSON it wrote: nothing was written")
    }
    return zip(old, new).enumerated().reduce(Int64(0)) { mask, pair in
      pair.element.0 == pair.element.1 ? mask : mask | (1 << Int64(pair.offset))
    }
  }

  /// The SHA-256 of a row as its latest entry left it: `.none` when it has no entry, `.some(nil)` when that
  /// entry deleted it.
  static func recorded(_ connection: any StoreConnection, table: String, rowID: Int64) throws(StoreError) -> String?? {
    guard
      let entry = try connection.row(
        "SELECT op, new_row, row_sha256 FROM audit WHERE table_name = ? AND row_id = ? ORDER BY id DESC LIMIT 1",
        [.text(table), .integer(rowID)])
    else { return .none }
    if try entry.text("op") == "delete" { return .some(nil) }
    // Before row digests, every entry held the whole row.
    if let digest = try entry.optionalText("row_sha256") { return .some(digest) }
    return .some(try entry.optionalText("new_row").map { SHA256.hex($0) })
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
    try append(SQLiteSession(db: db), stamp: stamp, changes: changes, digests: digests)
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

  /// Chains `changes` after the trail's newest entry, one transaction number for them all.
  private static func append(
    _ connection: any StoreConnection, stamp: AuditStamp, changes: [Change], digests: Bool
  ) throws(StoreError) {
    guard !changes.isEmpty else { return }
    let head = try connection.row("SELECT id, tx, hash FROM audit WHERE id = (SELECT max(id) FROM audit)")
    var id: Int64 = try head?.integer("id") ?? 0
    var previous: String = try head?.text("hash") ?? AuditEntry.genesis
    let transaction: Int64 = (try head?.integer("tx") ?? 0) + 1
    let insert =
      digests
      ? """
      INSERT INTO audit (id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash,
        row_sha256)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """
      : """
      INSERT INTO audit (id, tx, at, actor, command, table_name, row_id, op, lot, old_row, new_row, prev_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """
    func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    for change in changes {
      id += 1
      var entry = AuditEntry(
        id: id, transaction: transaction, at: stamp.at, actor: stamp.actor, command: stamp.command,
        table: change.table, rowID: change.rowID, operation: change.operation, lot: change.lot, before: change.before,
        after: change.after, previousHash: previous, hash: "", rowSHA256: change.rowSHA256)
      entry.hash = entry.computedHash
      var arguments: [SQLValue] = [
        .integer(entry.id), .integer(entry.transaction), .text(entry.at), .text(entry.actor), .text(entry.command),
        .text(entry.table), .integer(entry.rowID), .text(entry.operation), text(entry.lot), text(entry.before),
        text(entry.after), .text(entry.previousHash), .text(entry.hash),
      ]
      if digests { arguments.append(text(entry.rowSHA256)) }
      try connection.execute(insert, arguments)
      previous = entry.hash
    }
  }

  /// An entry read back from the trail.
  static func entry(_ row: SQLRow) throws(StoreError) -> AuditEntry {
    try AuditEntry(
      id: row["id"], transaction: row["tx"], at: row["at"], actor: row["actor"], command: row["command"],
      table: row["table_name"], rowID: row["row_id"], operation: row["op"], lot: row["lot"], before: row["old_row"],
      after: row["new_row"], previousHash: row["prev_hash"], hash: row["hash"],
      rowSHA256: row.hasColumn("row_sha256") ? try row["row_sha256"] : nil)
  }

  /// The hash of the newest entry (the genesis value for an empty trail).
  static func head(_ db: any StoreConnection) throws(StoreError) -> String {
    try db.value(String.self, sql: "SELECT hash FROM audit WHERE id = (SELECT max(id) FROM audit)")
      ?? AuditEntry.genesis
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
