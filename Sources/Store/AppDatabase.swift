import Dispensing
import Formulation
import Foundation
import GRDB
import Quality
import Quantities
import Synchronization

/// The pharmacy's database: owns the connection and the migrator; every write is one transaction.
///
/// One serialized connection in write-ahead-log mode: each command is a short process, and several
/// processes share the file through SQLite's own locking with a busy timeout. Opening an up-to-date
/// database writes nothing, so a refused command leaves the file byte for byte as it was.
public final class AppDatabase: Sendable {
  let pool: DatabaseQueue
  /// The database file.
  public let path: String
  private let stamp: Mutex<AuditStamp>

  private init(pool: DatabaseQueue, path: String) {
    self.pool = pool
    self.path = path
    let account = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    stamp = Mutex(AuditStamp(actor: "system:\(account)", command: "", at: Timestamp.string(Date())))
  }

  /// Sets who, when and what command the audit entries of later writes are stamped with.
  public func stamp(actor: String? = nil, command: String? = nil, now: Date? = nil) {
    stamp.withLock { current in
      if let actor { current.actor = actor }
      if let command { current.command = command }
      if let now { current.at = Timestamp.string(now) }
    }
  }

  /// Opens the database at `path`, migrating it to this version's schema.
  ///
  /// With `create` false a missing file is an error (so a mistyped path never starts an empty
  /// database). A file written by a newer compound, or a SQLite file that is not compound's, is refused.
  public static func open(path: String, create: Bool) throws(StoreError) -> AppDatabase {
    let manager = FileManager.default
    let exists = manager.fileExists(atPath: path)
    if !exists && !create {
      throw StoreError("no database at \(path): create it with 'compound init' (or pass --db PATH)")
    }
    if !exists {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      do {
        try manager.createDirectory(
          atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw StoreError("cannot create the folder \(folder) for the database: \(error.localizedDescription)")
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.foreignKeysEnabled = true
    configuration.label = "compound"
    configuration.prepareDatabase { db in
      // Already WAL: a no-op. (GRDB's own WAL set-up writes a dummy table on every open.)
      if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
        try db.execute(sql: "PRAGMA journal_mode = WAL")
      }
    }
    do {
      let pool = try DatabaseQueue(path: path, configuration: configuration)
      try pool.write { db in
        let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        if application == 0 && tables == 0 {
          try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
        } else if application != Schema.applicationID {
          throw StoreError("\(path) is a SQLite database but not a compound database: point --db at another file")
        }
      }
      let migrator = Schema.migrator
      if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
        throw StoreError(
          "\(path) was written by a newer version of compound: use that version (this one does not know its schema)")
      }
      if try !pool.read({ try migrator.hasCompletedMigrations($0) }) {
        try migrator.migrate(pool)
      }
      if !exists { chmod(path, 0o600) }
      return AppDatabase(pool: pool, path: path)
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      throw StoreError("cannot open the database \(path): \(error.message ?? error.description)")
    } catch {
      throw StoreError("cannot open the database \(path): \(error)")
    }
  }

  /// Runs `work` in one write transaction, with its audit entries, translating errors into one-line messages.
  func write<T>(_ work: (Database) throws -> T) throws(StoreError) -> T {
    let stamp = stamp.withLock { $0 }
    do {
      return try pool.write { db in
        try AuditTrail.capture(db)
        let result = try work(db)
        try AuditTrail.seal(db, stamp: stamp)
        return result
      }
    } catch {
      throw StoreError.from(error)
    }
  }

  /// Runs `work` on a consistent snapshot.
  func read<T>(_ work: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.read(work)
    } catch {
      throw StoreError.from(error)
    }
  }

  /// The result of `PRAGMA integrity_check`: `ok` for a sound file.
  public func integrityCheck() throws(StoreError) -> String {
    try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
  }
}

extension StoreError {
  /// Any error from a transaction as a one-line message.
  static func from(_ error: any Error) -> StoreError {
    switch error {
    case let store as StoreError: return store
    case let formulation as FormulationError: return StoreError(formulation.message)
    case let quantity as QuantityError: return StoreError(quantity.message)
    case let quality as QualityError: return StoreError(quality.message)
    case let dispensing as DispensingError: return StoreError(dispensing.message)
    case let database as DatabaseError:
      if database.resultCode == .SQLITE_BUSY || database.resultCode == .SQLITE_LOCKED {
        return StoreError("the database is busy with another command: try again in a moment")
      }
      return StoreError("the database refused the change: \(database.message ?? database.description)")
    default: return StoreError("\(error)")
    }
  }
}
