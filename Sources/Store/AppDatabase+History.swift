import Foundation
import GRDB

extension AppDatabase {
  /// Runs `work` as one write through the audited path, stamped with `actor`, `command` and `at`.
  ///
  /// For the bench's ten-year generator alone: the rows it copies go through the same capture triggers, chain,
  /// tally and stock triggers as every command's, so `audit verify` checks the result like any pharmacy's file.
  @_spi(Bench) public func auditedWrite(
    actor: String, command: String, at: Date, _ work: (Database) throws -> Void
  ) throws(StoreError) {
    try write(AuditStamp(actor: actor, command: command, at: Timestamp.string(at))) { connection in
      guard let session = connection as? SQLiteSession else {
        throw StoreError("the ten-year history is generated into a SQLite file only")
      }
      try work(session.db)
    }
  }

  /// Folds the write-ahead log into the database file, as a pharmacy's long-lived file would be.
  @_spi(Bench) public func checkpointLog() throws(StoreError) {
    do {
      try file(for: "folding the write-ahead log").writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    } catch {
      throw StoreError.from(error)
    }
  }
}
