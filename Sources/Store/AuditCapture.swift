import CSQLiteControl
import GRDB

/// Creates a record table's capture triggers on this connection just before a statement first writes it.
///
/// Parsing the triggers of every record table was most of a signed command's first write, and a command
/// writes a handful of tables. Before each statement runs, GRDB asks its transaction observers about every
/// table the statement changes, as SQLite's authorizer reports them (its triggers and foreign-key actions
/// too): the triggers of those tables are made and created then, and SQLite compiles the statement again
/// with them. This observer never asks to hear the changes themselves. A write it did not see is still
/// never sealed unrecorded: `AuditTrail.seal` refuses a transaction whose permanent write tallies count more
/// rows than the triggers captured.
final class AuditCapture: TransactionObserver, @unchecked Sendable {
  // Used only on the connection's own queue, as GRDB calls observers.
  private let connection: SQLiteConnection
  private let digests: Bool
  private var installed: Set<String> = []
  /// Why a table's triggers could not be created, if one could not: the seal refuses with it.
  private(set) var failure: String?

  /// An observer for `connection`; `digests` when the trail holds row digests (`AuditTrail.triggers`).
  init(connection: SQLiteConnection, digests: Bool) {
    self.connection = connection
    self.digests = digests
  }

  /// Starts a transaction with the tables whose triggers exist (`present`, lower-cased).
  func begin(present: Set<String>) {
    installed = present
    failure = nil
  }

  /// Creates every record table's triggers now.
  func installAll() throws {
    for table in AuditTrail.tablesByName.keys.sorted() { install(table) }
    if let failure { throw StoreError(failure) }
  }

  /// Creates the triggers of the table `eventKind` changes, the first time; never observes the change.
  func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
    install(eventKind.tableName.lowercased())
    return false
  }

  /// Creates the triggers of `table` (lower-cased), unless they are there, it is not a record table, or the
  /// database does not have it yet (a migration still to make it).
  private func install(_ table: String) {
    guard let audited = AuditTrail.tablesByName[table], !installed.contains(table) else { return }
    // GRDB is readying a statement: the triggers go straight to SQLite, outside GRDB's bookkeeping.
    do {
      let columns = try columns(of: audited.name)
      guard !columns.isEmpty else { return }
      installed.insert(table)
      let sql = try AuditTrail.triggers(audited, columns: columns, digests: digests)
      if sqlite3_exec(connection, sql, nil, nil, nil) != SQLITE_OK {
        failure = "cannot record changes to \(table): \(String(cString: sqlite3_errmsg(connection)))"
      }
    } catch {
      installed.insert(table)
      failure = "cannot record changes to \(table): \(error)"
    }
  }

  /// The columns of the main database's `table` (a name from `AuditTrail.tables`), in the table's order;
  /// none when it has no such table.
  private func columns(of table: String) throws -> [String] {
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    let sql = "SELECT name FROM pragma_table_info('\(table)', 'main') ORDER BY cid"
    guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else {
      throw StoreError(String(cString: sqlite3_errmsg(connection)))
    }
    var names: [String] = []
    while true {
      switch sqlite3_step(statement) {
      case SQLITE_ROW:
        guard let name = sqlite3_column_text(statement, 0) else { continue }
        names.append(String(cString: name))
      case SQLITE_DONE:
        return names
      default:
        throw StoreError(String(cString: sqlite3_errmsg(connection)))
      }
    }
  }

  func databaseDidChange(with event: DatabaseEvent) {}

  func databaseDidCommit(_ db: Database) {}

  /// A rolled-back transaction takes the temporary triggers it created with it (`begin` looks again anyway).
  func databaseDidRollback(_ db: Database) {
    installed.removeAll()
  }
}
