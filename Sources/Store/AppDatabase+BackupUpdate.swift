import CSQLiteControl
import FileOutput
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

extension AppDatabase {
  /// What bringing a backup up to date did.
  public struct BackupUpdate: Sendable {
    /// The audit trail of the backup, as checked after the update.
    public var report: AuditReport
    /// Entries the backup gained.
    public var added: Int64
  }

  /// Brings an earlier backup of this database up to date: the audit entries written since its head, and the
  /// rows they name, copied in one transaction on the backup.
  ///
  /// The daily backup of a database of years then takes as long as the day's work, not as the file. The
  /// database is checked first (its trail since the checkpoint); the backup must be a compound database of this
  /// pharmacy whose last entry is in this trail with the same hash. Rows are copied exactly as they are here,
  /// with the backup's own triggers off on that one connection (they would otherwise write audit entries and
  /// move stock of their own). Before the transaction commits, the backup's trail is checked from its own
  /// checkpoint (the new entries and the rows they name) and a new checkpoint is kept; a problem, a kill or a
  /// full disk leaves the backup as it was. Every page of the file is read only by a new backup or `restore`.
  public func updateBackup(at backupPath: String, now: Date) throws(StoreError) -> BackupUpdate {
    try Self.checkFile(backupPath)
    // Checked, not checkpointed: a backup writes nothing to the database.
    let source = try read { db in try AuditVerification.verify(db, full: false) }
    if let problem = source.problems.first {
      throw StoreError(
        "the database's audit trail does not verify (\(problem)): the backup was not updated; run 'compound doctor', and keep the file itself as evidence"
      )
    }
    var configuration = Configuration()
    configuration.prepareDatabase { db in
      guard compound_enable_triggers(db.sqliteConnection, 0) == 0 else {
        throw StoreError("cannot turn the backup's triggers off for the copy: the backup was not updated")
      }
    }
    let update: BackupUpdate
    do {
      let backup = try DatabaseQueue(path: backupPath, configuration: configuration)
      update = try backup.writeWithoutTransaction { db throws -> BackupUpdate in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [path])
        defer { try? db.execute(sql: "DETACH DATABASE src") }
        var result: BackupUpdate?
        try db.inTransaction {
          result = try Self.bringForward(db, backup: backupPath, now: now)
          return .commit
        }
        guard let result else { throw StoreError("the backup was not updated") }
        return result
      }
      try backup.close()
      try Self.flush(backupPath)
      try Self.flush(URL(fileURLWithPath: backupPath).deletingLastPathComponent().path)
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(
        "cannot update the backup \(backupPath): \(StoreError.from(error).message); it is left as it was")
    }
    return update
  }

  /// The rows the entries after the backup's head name, read from those entries alone.
  ///
  /// `NOT INDEXED`: for `DISTINCT`, SQLite otherwise walks the whole of `audit_by_row` (every entry of the
  /// years, in order) instead of the few entries after the head: 145 MB of reads on a ten-year file, seconds
  /// when they are not cached. The rowid still bounds the read.
  static let rowsSinceHead = "SELECT DISTINCT table_name, row_id FROM src.audit NOT INDEXED WHERE id > ?"

  /// The copy itself, inside the backup's transaction, with the database attached as `src`.
  private static func bringForward(_ db: Database, backup path: String, now: Date) throws -> BackupUpdate {
    let refused = "\(path) is not an earlier backup of this database"
    guard try Int32.fetchOne(db, sql: "PRAGMA main.application_id") == Schema.applicationID,
      try db.tableExists("audit"), try db.tableExists("installation")
    else {
      throw StoreError("\(refused): it is not a compound database; make a new backup with 'compound backup --to NEW'")
    }
    let pharmacy = "SELECT pharmacy_id FROM %@installation WHERE id = 1"
    guard
      try String.fetchOne(db, sql: pharmacy.replacingOccurrences(of: "%@", with: "main."))
        == String.fetchOne(db, sql: pharmacy.replacingOccurrences(of: "%@", with: "src."))
    else { throw StoreError("\(refused): it is another pharmacy's; make a new backup with 'compound backup --to NEW'") }
    let migrations = "SELECT group_concat(identifier, ',') FROM (SELECT identifier FROM %@grdb_migrations ORDER BY 1)"
    guard
      try String.fetchOne(db, sql: migrations.replacingOccurrences(of: "%@", with: "main."))
        == String.fetchOne(db, sql: migrations.replacingOccurrences(of: "%@", with: "src."))
    else {
      throw StoreError(
        "\(path) was made with another version of compound's schema: make a new backup with 'compound backup --to NEW'")
    }
    let head = try Row.fetchOne(
      db, sql: "SELECT id, hash FROM main.audit WHERE id = (SELECT max(id) FROM main.audit)")
    let headID: Int64 = head?["id"] ?? 0
    let headHash: String? = head?["hash"]
    guard try String.fetchOne(db, sql: "SELECT hash FROM src.audit WHERE id = ?", arguments: [headID]) == headHash
    else {
      throw StoreError(
        "\(refused): its audit entry #\(headID) is not this database's (a backup of another time line, or newer); make a new backup with 'compound backup --to NEW'"
      )
    }
    // Every table must be one the copy knows how to bring forward; anything else waits for a new backup.
    let known = Set(
      AuditTrail.tables.map(\.name) + AuditTrail.bookkeeping + AuditTrail.contentAddressed + [
        "audit", "grdb_migrations",
      ])
    for table in try String.fetchAll(
      db, sql: "SELECT name FROM src.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    where !known.contains(table) {
      throw StoreError(
        "the database holds a table the backup update does not know (\(table)): make a new backup with 'compound backup --to NEW'"
      )
    }
    try db.execute(sql: "DROP TABLE IF EXISTS temp.backup_rows")
    try db.execute(sql: "CREATE TEMP TABLE backup_rows AS \(rowsSinceHead)", arguments: [headID])
    try db.execute(sql: "CREATE INDEX temp.backup_rows_by_table ON backup_rows(table_name, row_id)")
    for table in AuditTrail.tables.map(\.name) {
      let columns = try db.columns(in: table, in: "src").map { "\"\($0.name)\"" }
      let list = columns.joined(separator: ", ")
      let named = "SELECT row_id FROM temp.backup_rows WHERE table_name = '\(table)'"
      try db.execute(
        sql: """
          INSERT INTO main.\(table) (\(list)) SELECT \(list) FROM src.\(table) WHERE id IN (\(named))
          ON CONFLICT(id) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
          """)
      try db.execute(
        sql:
          "DELETE FROM main.\(table) WHERE id IN (\(named)) AND id NOT IN (SELECT id FROM src.\(table) WHERE id IN (\(named)))"
      )
    }
    let auditColumns = try db.columns(in: "audit", in: "src").map { "\"\($0.name)\"" }.joined(separator: ", ")
    try db.execute(
      sql: "INSERT INTO main.audit (\(auditColumns)) SELECT \(auditColumns) FROM src.audit WHERE id > ? ORDER BY id",
      arguments: [headID])
    let added = Int64(db.changesCount)
    try db.execute(
      sql: """
        INSERT INTO main.stock (id, lot_id, batch_id, on_hand)
        SELECT s.id, s.lot_id, s.batch_id, s.on_hand FROM src.stock s LEFT JOIN main.stock m ON m.id = s.id
        WHERE m.id IS NULL OR m.on_hand <> s.on_hand
        ON CONFLICT(id) DO UPDATE SET on_hand = excluded.on_hand;
        INSERT INTO main.audit_tally (table_name, writes) SELECT table_name, writes FROM src.audit_tally WHERE true
        ON CONFLICT(table_name) DO UPDATE SET writes = excluded.writes;
        DELETE FROM main.fill_pending;
        INSERT INTO main.fill_pending SELECT * FROM src.fill_pending;
        INSERT INTO main.certificate SELECT * FROM src.certificate
        WHERE sha256 NOT IN (SELECT sha256 FROM main.certificate);
        DROP TABLE temp.backup_rows;
        """)
    // The backup's own check, from its own checkpoint, before anything is kept.
    let report = try AuditVerification.verify(db, full: false)
    if let problem = report.problems.first {
      throw StoreError("the updated backup does not verify (\(problem)): the backup was left as it was")
    }
    try AuditVerification.save(
      db, report: report, tally: try AuditVerification.tally(db), full: false, at: Timestamp.string(now))
    return BackupUpdate(report: report, added: added)
  }
}
