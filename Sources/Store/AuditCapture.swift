import CSQLiteControl
import GRDB

/// Creates a record table's capture triggers on this connection just before a statement first writes it.
///
/// Parsing the triggers of every record table was most of a signed command's first write, and a command
/// writes a handful of tables. Before each statement runs, GRDB asks its transaction observers about every
/// table the statement changes, as SQLite's authorizer reports them (its triggers and foreign-key actions
/// too): the triggers of those tables are created then, and SQLite compiles the statement again with them.
/// This observer never asks to hear the changes themselves. A write it did not see is still never sealed
/// unrecorded: `AuditTrail.seal` refuses a transaction whose permanent write tallies count more rows than
/// the triggers captured.
final class AuditCapture: TransactionObserver, @unchecked Sendable {
  // Used only on the connection's own queue, as GRDB calls observers.
  private let connection: SQLiteConnection
  private let triggers: [String: String]
  private var installed: Set<String> = []
  /// Why a table's triggers could not be created, if one could not: the seal refuses with it.
  private(set) var failure: String?

  /// An observer for `connection` with each record table's trigger SQL (lower-cased table name to SQL).
  init(connection: SQLiteConnection, triggers: [String: String]) {
    self.connection = connection
    self.triggers = triggers
  }

  /// Starts a transaction with the tables whose triggers exist (`present`, lower-cased).
  func begin(present: Set<String>) {
    installed = present
    failure = nil
  }

  /// Creates every record table's triggers now.
  func installAll() throws {
    for table in triggers.keys.sorted() { install(table) }
    if let failure { throw StoreError(failure) }
  }

  /// Creates the triggers of the table `eventKind` changes, the first time; never observes the change.
  func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
    install(eventKind.tableName.lowercased())
    return false
  }

  /// Creates the triggers of `table` (lower-cased), unless they are there or it is not a record table.
  private func install(_ table: String) {
    guard let sql = triggers[table], !installed.contains(table) else { return }
    installed.insert(table)
    // GRDB is readying a statement: the triggers go straight to SQLite, outside GRDB's bookkeeping.
    if sqlite3_exec(connection, sql, nil, nil, nil) != SQLITE_OK {
      failure = "cannot record changes to \(table): \(String(cString: sqlite3_errmsg(connection)))"
    }
  }

  func databaseDidChange(with event: DatabaseEvent) {}

  func databaseDidCommit(_ db: Database) {}

  /// A rolled-back transaction takes the temporary triggers it created with it (`begin` looks again anyway).
  func databaseDidRollback(_ db: Database) {
    installed.removeAll()
  }
}
