import GRDB

/// The embedded engine: one SQLite file through GRDB, shared with other processes by SQLite's own locking.
final class SQLiteEngine: StoreEngine {
  /// The serialized connection (write-ahead log, busy timeout: `AppDatabase.configuration`).
  let queue: DatabaseQueue

  init(queue: DatabaseQueue) {
    self.queue = queue
  }

  func write<T>(_ work: (any StoreConnection) throws(StoreError) -> T) throws(StoreError) -> T {
    do {
      return try queue.write { db in try work(SQLiteSession(db: db)) }
    } catch {
      throw StoreError.from(error)
    }
  }

  func read<T>(_ work: (any StoreConnection) throws(StoreError) -> T) throws(StoreError) -> T {
    do {
      return try queue.read { db in try work(SQLiteSession(db: db)) }
    } catch {
      throw StoreError.from(error)
    }
  }
}
