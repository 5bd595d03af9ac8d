import Foundation

/// The shared engine: a PostgreSQL server several stations write to at once.
///
/// Each write is one `SERIALIZABLE` transaction, so two stations that read and change the same records cannot
/// both commit on what the other no longer sees: one gets a serialisation failure, and its whole transaction
/// runs again, a bounded number of times, after a short random wait. Past that it is refused in one line, with
/// nothing written. Reads are `REPEATABLE READ READ ONLY` snapshots, which never wait for a writer.
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
        try link.run("BEGIN ISOLATION LEVEL SERIALIZABLE")
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

  /// Whether `error` is a serialisation failure or a deadlock: the server undid the transaction, and running it
  /// again may succeed.
  static func isConflict(_ error: StoreError) -> Bool {
    ["40001", "40P01"].contains(PostgresLink.state(of: error))
  }
}
