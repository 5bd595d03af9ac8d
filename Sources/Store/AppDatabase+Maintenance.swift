import Foundation
import GRDB
import Quality
import Quantities

extension AppDatabase {
  /// Copies the database to a new file with SQLite's online backup, while others may be writing.
  ///
  /// The copy must pass an integrity check; its audit trail is verified and the report returned (a copy of
  /// a tampered database is kept: it is evidence). An existing file is never overwritten.
  @discardableResult
  public func backup(to path: String) throws(StoreError) -> AuditReport {
    guard !FileManager.default.fileExists(atPath: path) else {
      throw StoreError("\(path) already exists: a backup never overwrites a file; choose a new name")
    }
    do {
      let destination = try DatabaseQueue(path: path)
      try pool.backup(to: destination)
      let (check, report) = try destination.read {
        (try String.fetchAll($0, sql: "PRAGMA integrity_check").joined(separator: "; "), try AuditTrail.verify($0))
      }
      try destination.close()
      guard check == "ok" else {
        try? FileManager.default.removeItem(atPath: path)
        throw StoreError("the backup at \(path) failed its integrity check (\(check)) and was removed")
      }
      chmod(path, 0o600)
      return report
    } catch let error as StoreError {
      throw error
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw StoreError("cannot back up to \(path): \(error)")
    }
  }

  /// Restores the database at `target` from a backup file.
  ///
  /// The backup must be sound, compound's, and not from a newer version. A database already at `target` is
  /// kept beside it first; returns where.
  public static func restore(from source: String, to target: String, now: Date) throws(StoreError) -> String? {
    guard FileManager.default.fileExists(atPath: source) else { throw StoreError("no backup at \(source)") }
    var configuration = Configuration()
    configuration.readonly = true
    do {
      let backup = try DatabaseQueue(path: source, configuration: configuration)
      let (check, application, superseded) = try backup.read { db in
        (
          try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; "),
          try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
          try Schema.migrator.hasBeenSuperseded(db)
        )
      }
      guard check == "ok" else { throw StoreError("\(source) is damaged (integrity check: \(check)): not restored") }
      guard application == Schema.applicationID else {
        throw StoreError("\(source) is not a compound database: not restored")
      }
      guard !superseded else {
        throw StoreError("\(source) was written by a newer version of compound: restore it with that version")
      }
      var kept: String?
      if FileManager.default.fileExists(atPath: target) {
        let stamp = Timestamp.string(now).replacingOccurrences(of: ":", with: "")
        let aside = "\(target).before-restore-\(stamp)"
        try FileManager.default.moveItem(atPath: target, toPath: aside)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: target + suffix) {
          try FileManager.default.moveItem(atPath: target + suffix, toPath: aside + suffix)
        }
        kept = aside
      }
      let destination = try DatabaseQueue(path: target)
      try backup.backup(to: destination)
      try destination.close()
      chmod(target, 0o600)
      return kept
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError("cannot restore from \(source): \(error)")
    }
  }

  /// What `compound doctor` finds wrong; empty when all is well.
  public func diagnose(today: CalendarDate) throws(StoreError) -> [String] {
    try read { db in
      var problems: [String] = []
      let check = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
      if check != "ok" { problems.append("integrity check: \(check)") }
      problems += try AuditTrail.verify(db).problems.map { "audit: \($0)" }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT lot_number, on_hand, (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE lot_id = lot.id) AS moved
          FROM lot WHERE on_hand <> (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE lot_id = lot.id)
          """)
      {
        problems.append(
          "lot \(row["lot_number"] as String) shows \(row["on_hand"] as Int64) on hand but its movements add up to \(row["moved"] as Int64)"
        )
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT lot_number, on_hand, (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE batch_id = batch.id) AS moved
          FROM batch WHERE on_hand <> (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE batch_id = batch.id)
          """)
      {
        problems.append(
          "batch \(row["lot_number"] as String) shows \(row["on_hand"] as Int64) capsules but its movements add up to \(row["moved"] as Int64)"
        )
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT lot_number, bud FROM batch WHERE status = 'released' AND bud < ?",
        arguments: [today.description])
      {
        problems.append(
          "batch \(row["lot_number"] as String) is still released past its BUD \(row["bud"] as String): hold or recall it"
        )
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT lot_number, expiry FROM lot WHERE status = 'released' AND expiry < ? AND on_hand > 0",
        arguments: [today.description])
      {
        problems.append(
          "ingredient lot \(row["lot_number"] as String) expired on \(row["expiry"] as String) and still has stock: waste it"
        )
      }
      return problems
    }
  }
}
