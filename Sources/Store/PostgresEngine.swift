import Foundation

/// The shared engine: a PostgreSQL server several stations write to at once.
///
/// Every write appends to one hash-chained audit trail, whose next entry names the newest one: two stations
/// sealing at once would chain from the same head. So a write transaction first takes the chain's lock
/// (`pg_advisory_xact_lock`, held until it commits or rolls back, released by the server if the station
/// dies), and reads after it at `READ COMMITTED`: every statement then sees what the stations before it
/// committed, the stock it checks included, and no update is lost or doubled. The lock is held for the
/// transaction only; a command's PIN hash, its label and its output happen outside it. A serialisation failure
/// or a deadlock (which a writer outside compound could still cause) runs the whole transaction again, a bounded
/// number of times, after a short random wait; past that it is refused in one line, with nothing written.
/// Reads are `REPEATABLE READ READ ONLY` snapshots, which neither wait for a writer nor hold one up.
final class PostgresEngine: StoreEngine {
  /// The connection (one a process: a command is one short transaction).
  let link: PostgresLink
  /// How many times a write runs before a conflict is reported.
  let attempts: Int
  /// One transaction at a time on the connection.
  private let lock = NSLock()

  init(link: PostgresLink, attempts: Int = 8) {
    self.link = link
    self.attempts = attempts
  }

  func write<T>(_ work: (any StoreConnection) throws(StoreError) -> T) throws(StoreError) -> T {
    lock.lock()
    defer { lock.unlock() }
    var attempt = 1
    while true {
      do throws(StoreError) {
        try link.run("BEGIN ISOLATION LEVEL READ COMMITTED")
        try link.run("SELECT pg_advisory_xact_lock($1)", [.integer(Self.chainLock)])
        let result = try work(PostgresSession(link: link))
        try link.run("COMMIT")
        return result
      } catch {
        _ = try? link.run("ROLLBACK")
        guard Self.isConflict(error) else { throw error }
        guard attempt < attempts else {
          throw StoreError(
            "other stations kept changing the same records at the same moment: tried \(attempts) times and nothing"
              + " was written; run the command again", code: .busy, cause: error)
        }
        // Waits grow with each attempt and are random, so the stations that collided do not collide again.
        usleep(UInt32.random(in: 1_000...(10_000 * UInt32(attempt))))
        attempt += 1
      }
    }
  }

  func read<T>(_ work: (any StoreConnection) throws(StoreError) -> T) throws(StoreError) -> T {
    lock.lock()
    defer { lock.unlock() }
    do throws(StoreError) {
      try link.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
      let result = try work(PostgresSession(link: link))
      try link.run("COMMIT")
      return result
    } catch {
      _ = try? link.run("ROLLBACK")
      throw error
    }
  }

  /// The advisory lock every write takes first: the audit chain's ("CMPD" and "AUDT" in ASCII).
  static let chainLock: Int64 = 0x434D_5044_4155_4454

  /// Whether `error` is a serialisation failure or a deadlock: the server undid the transaction, and running it
  /// again may succeed.
  static func isConflict(_ error: StoreError) -> Bool {
    ["40001", "40P01"].contains(PostgresLink.state(of: error))
  }
}
