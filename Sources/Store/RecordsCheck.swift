import Foundation
import GRDB
import Synchronization

/// Every record compared with its latest audit entry, on connections and threads of their own.
///
/// A full check walks the chain and compares the records; the two read different tables, so they run at once,
/// and the records' tables are shared out between two workers, each with its own connection (the largest
/// tables first, each worker taking the next when it is done). Each worker reads in a read transaction of its
/// own, which must see the same trail as the walk: `result(entries:head:)` hands over the problems only when
/// every worker's last entry is the walk's (same number, same hash), and nil otherwise (a command wrote in
/// between), for the walk's connection to compare the records itself.
final class RecordsCheck: Sendable {
  /// What the workers found: each one's trail's last entry and hash, and the problems.
  private struct Found: Sendable {
    var trails: [(entries: Int64, head: String?)] = []
    var problems: [AuditVerification.Problem] = []
    var failure: (any Error)?
  }

  private let found = Mutex(Found())
  /// The tables no worker has taken yet.
  private let tables: Mutex<[String]>
  private let done = DispatchSemaphore(value: 0)
  private let workers: Int

  /// Starts comparing every record of the database at `path`, read-only, on `workers` new threads.
  init(path: String, workers: Int = 2) throws {
    self.workers = workers
    tables = Mutex(AuditTrail.tables.map(\.name))
    var configuration = Configuration()
    configuration.readonly = true
    var queues: [DatabaseQueue] = []
    for _ in 0..<workers { queues.append(try DatabaseQueue(path: path, configuration: configuration)) }
    // Sorted smallest first and taken from the end: the largest tables go first, the last taken is a small one.
    let sizes = try queues[0].read { db in
      try Dictionary(
        AuditTrail.tables.map {
          ($0.name, try Int64.fetchOne(db, sql: "SELECT max(id) FROM \($0.name)") ?? 0)
        }, uniquingKeysWith: { a, _ in a })
    }
    tables.withLock { $0.sort { (sizes[$0] ?? 0, $0) < (sizes[$1] ?? 0, $1) } }
    for queue in queues {
      Thread { [self] in self.work(on: queue) }.start()
    }
  }

  /// One worker: its read transaction, then tables until none is left.
  private func work(on queue: DatabaseQueue) {
    do {
      try queue.read { db in
        let entries = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0
        let head = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [entries])
        found.withLock { $0.trails.append((entries, head)) }
        while let table = tables.withLock({ $0.popLast() }) {
          let problems = try AuditVerification.compareAll(SQLiteSession(db: db), table: table)
          found.withLock { $0.problems += problems }
        }
      }
    } catch {
      found.withLock { $0.failure = error }
    }
    done.signal()
  }

  /// The problems found, once every worker is done, if each one's trail ended at entry `entries` with hash
  /// `head`.
  func result(entries: Int64, head: String) throws -> [AuditVerification.Problem]? {
    for _ in 0..<workers { done.wait() }
    for _ in 0..<workers { done.signal() }
    return try found.withLock { found in
      if let failure = found.failure { throw failure }
      guard found.trails.count == workers,
        found.trails.allSatisfy({ $0.entries == entries && (entries == 0 || $0.head == head) })
      else { return nil }
      return found.problems
    }
  }
}
