import Dispensing
import Formulation
import Foundation
import GRDB
import Quality
import Quantities
import Settings
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The pharmacy's database: owns the connection and the migrator; every write is one transaction.
///
/// A SQLite file (the embedded default) through one serialized connection in write-ahead-log mode: each
/// command is a short process, and several processes share the file through SQLite's own locking with a busy
/// timeout. Opening an up-to-date database writes nothing, so a refused command leaves the file byte for byte
/// as it was. Or a PostgreSQL server several stations share (`PostgresEngine`): the same work on the same
/// `StoreConnection`, its changes sealed into the same audit chain.
public final class AppDatabase: Sendable {
  /// Where the records are kept.
  enum Backend: Sendable {
    /// A SQLite file, the embedded default.
    case sqlite(DatabaseQueue)
    /// A PostgreSQL server several stations share.
    case postgres(PostgresEngine)
  }

  let backend: Backend
  /// The database file, or the PostgreSQL server's address (without a password).
  public let path: String
  /// The command line this process runs, as every audit entry it writes names it.
  private let command = Mutex("")
  /// The pharmacy's zone, for the instants messages show.
  private let zone = Mutex(TimeZone(identifier: "UTC") ?? .current)
  /// For a database made by `create`: the name `publish` gives it.
  private let publishAs: String?
  /// What creates the connection's audit capture triggers as tables are first written (made by the first write).
  private let capture = Mutex<AuditCapture?>(nil)
  /// The store this station works at (`[pharmacy] store`), upper-cased; nil in a single store.
  let storeCode = Mutex<String?>(nil)

  init(pool: DatabaseQueue, path: String, publishAs: String? = nil) {
    self.backend = .sqlite(pool)
    self.path = path
    self.publishAs = publishAs
  }

  init(postgres engine: PostgresEngine) {
    self.backend = .postgres(engine)
    self.path = engine.link.address.description
    self.publishAs = nil
  }

  /// Whether the records are on a PostgreSQL server.
  public var isShared: Bool {
    if case .postgres = backend { return true }
    return false
  }

  /// The SQLite file's connection, for what only a file has (`what` names it); refused on PostgreSQL, saying so.
  func file(for what: String) throws(StoreError) -> DatabaseQueue {
    switch backend {
    case .sqlite(let queue): return queue
    case .postgres:
      throw StoreError(
        "\(what) works on a SQLite file; \(path) is a PostgreSQL server: use the server's own tools for it")
    }
  }

  /// The audit stamp of a write: who signed it, when, and this process's command.
  func stamp(_ actor: String, _ now: Date) -> AuditStamp {
    AuditStamp(actor: actor, command: command.withLock { $0 }, at: Timestamp.string(now))
  }

  /// The actor of a write nobody signs (the first set-up of a database): the operating-system account.
  static var systemActor: String { "system:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }

  /// Which pharmacy's database this is, and whether it is a training one.
  public func installation() throws(StoreError) -> Installation {
    try read { db in
      guard let row = try db.row(sql: "SELECT * FROM installation WHERE id = 1") else {
        throw StoreError("\(path) has no installation record: it was changed outside compound; run 'compound doctor'")
      }
      return try Installation(
        pharmacyID: row["pharmacy_id"], createdAt: row["created_at"], training: row["training"])
    }
  }

  /// Sets the command line the audit entries of this process's writes name (who and when come with each write).
  public func setCommand(_ text: String) {
    command.withLock { $0 = text }
  }

  /// Sets the zone in which messages show instants (the pharmacy's `time_zone`).
  public func setZone(_ zone: TimeZone) {
    self.zone.withLock { $0 = zone }
  }

  /// A stored instant as a person in the pharmacy reads it: `2026-11-22 06:10 -06:00`.
  func local(_ instant: String) -> String { Timestamp.local(instant, zone: zone.withLock { $0 }) }

  /// Opens the compound database at `path`, migrating an older compound file to this version's schema.
  ///
  /// A missing file is an error (a mistyped path never starts an empty database: `create` makes a new one).
  /// A zero-byte, partial or foreign file, and a file written by a newer compound, are refused and left
  /// untouched. Opening an up-to-date database writes nothing and takes no write lock.
  ///
  /// An upgrade's entries are dated by the computer's clock, or by `clock` on a training database (the fixed
  /// clock `COMPOUND_NOW` gives one): else a training database upgraded in the real present would refuse the
  /// next command of its fixed day as dated before its newest record.
  public static func open(path: String, clock: Date? = nil) throws(StoreError) -> AppDatabase {
    try checkFile(path)
    do {
      let pool = try DatabaseQueue(path: path, configuration: configuration())
      let application = try pool.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") ?? 0 }
      guard application == Schema.applicationID else {
        throw StoreError("\(path) is a SQLite database but not a compound database: point --db at another file")
      }
      let migrator = Schema.migrator
      if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
        throw StoreError(
          "\(path) was written by a newer version of compound: use that version (this one does not know its schema)")
      }
      if try pool.read({ try !migrator.hasCompletedMigrations($0) }) {
        let training = try pool.read { db in
          try db.tableExists("installation")
            && (try Bool.fetchOne(db, sql: "SELECT training FROM installation WHERE id = 1") ?? false)
        }
        try Schema.migrator(training: false, now: training ? clock ?? Date() : Date()).migrate(pool)
      }
      return AppDatabase(pool: pool, path: path)
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      throw StoreError("cannot open the database \(path): \(error.message ?? error.description)")
    } catch {
      throw StoreError("cannot open the database \(path): \(error)")
    }
  }

  /// Makes a new database under a hidden temporary name beside `path`; `publish` puts it in place.
  ///
  /// Nothing exists at `path` until `publish`, so a kill midway leaves no partial database under the name.
  public static func create(path: String, training: Bool, now: Date) throws(StoreError) -> AppDatabase {
    let manager = FileManager.default
    if manager.fileExists(atPath: path) || (try? manager.destinationOfSymbolicLink(atPath: path)) != nil {
      throw StoreError("\(path) already exists: 'compound init' never takes over a file; name a new one")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try manager.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw StoreError("cannot create the folder \(folder) for the database: \(error.localizedDescription)")
    }
    let temporary = URL(fileURLWithPath: folder).appendingPathComponent(
      ".\(URL(fileURLWithPath: path).lastPathComponent).\(getpid()).creating"
    ).path
    do {
      let pool = try DatabaseQueue(path: temporary, configuration: configuration())
      chmod(temporary, 0o600)
      try pool.write { db in try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)") }
      try Schema.migrator(training: training, now: now).migrate(pool)
      return AppDatabase(pool: pool, path: temporary, publishAs: path)
    } catch {
      for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) }
      throw StoreError("cannot create the database \(path): \(error)")
    }
  }

  /// Closes a database made by `create` and puts it under its name in one step; returns the name.
  public func publish() throws(StoreError) -> String {
    guard let final = publishAs, case .sqlite(let pool) = backend else { return path }
    do {
      try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
      try pool.close()
    } catch {
      throw StoreError("cannot finish the new database: \(error)")
    }
    for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
    let descriptor = Glibc.open(path, O_RDONLY)
    if descriptor >= 0 {
      fsync(descriptor)
      Glibc.close(descriptor)
    }
    guard link(path, final) == 0 else {
      let reason = errno == EEXIST ? "a file appeared there meanwhile" : String(cString: strerror(errno))
      unlink(path)
      throw StoreError("cannot create the database \(final): \(reason); nothing was replaced")
    }
    unlink(path)
    return final
  }

  /// Refuses anything at `path` that is not a whole SQLite file: missing, a folder, empty, or another format.
  static func checkFile(_ path: String) throws(StoreError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw StoreError("no database at \(path): create it with 'compound init' (or pass --db PATH)")
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw StoreError("\(path) is not a database file (it is a folder or a device): point --db at the database")
    }
    guard info.st_size >= 512 else {
      throw StoreError(
        "\(path) is \(info.st_size == 0 ? "empty" : "too short to be a database"): it is not a compound database and is left untouched; 'compound init' makes a new one at another path"
      )
    }
    let handle = FileHandle(forReadingAtPath: path)
    let header = (try? handle?.read(upToCount: 16)) ?? nil
    try? handle?.close()
    guard let header, Array(header) == Array("SQLite format 3\u{0}".utf8) else {
      throw StoreError("\(path) is not a SQLite database: point --db at the compound database")
    }
  }

  static func configuration() -> Configuration {
    var configuration = Configuration()
    configuration.busyMode = .callback { retries in
      // Readers read a snapshot and never wait; a writer waits for another command, saying so after a second.
      if retries == 100 {
        FileHandle.standardError.write(Data("waiting for another compound command to finish writing...\n".utf8))
      }
      usleep(10_000)
      return retries < 1_000
    }
    configuration.foreignKeysEnabled = true
    configuration.label = "compound"
    // COMPOUND_TRACE_SQL=FILE appends every statement this process runs to FILE (for support and for the test
    // that every hot statement uses an index).
    let trace = ProcessInfo.processInfo.environment["COMPOUND_TRACE_SQL"].flatMap { FileHandle(forWritingAtPath: $0) }
    configuration.prepareDatabase { db in
      if let trace {
        trace.seekToEndOfFile()
        db.trace(options: .statement) { event in
          if case .statement(let statement) = event { trace.write(Data((statement.sql + "\n\u{1E}\n").utf8)) }
        }
      }
      // Already WAL: a no-op. (GRDB's own WAL set-up writes a dummy table on every open.)
      if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
        try db.execute(sql: "PRAGMA journal_mode = WAL")
      }
    }
    return configuration
  }

  /// Runs `work` in one write transaction, with its audit entries, translating errors into one-line messages.
  ///
  /// No record is dated before the newest audit entry: a clock set back is refused, not written. A PIN still
  /// being hashed is waited for before the transaction commits: for a wrong one it rolls back, and the wrong
  /// PIN is recorded and refused instead.
  @discardableResult
  func write<T>(_ stamp: AuditStamp, _ work: (any StoreConnection) throws -> T) throws(StoreError) -> T {
    let pool: DatabaseQueue
    switch backend {
    case .sqlite(let queue): pool = queue
    case .postgres(let engine): return try writeShared(engine, stamp, work)
    }
    do {
      return try pool.write { db in
        let connection = SQLiteSession(db: db)
        if let newest = try connection.value(String.self, sql: "SELECT max(at) FROM audit"), stamp.at < newest {
          throw StoreError(
            "the clock reads \(local(stamp.at)), earlier than the newest record (\(local(newest))): nothing was written; set the computer's clock right",
            code: .clock)
        }
        var observer = capture.withLock { $0 }
        let tallies = try AuditTrail.capture(db, observer: &observer)
        capture.withLock { $0 = observer }
        let result = try work(connection)
        try AuditTrail.seal(db, stamp: stamp, tallies: tallies, observer: observer)
        guard PinCheck.allMatched() else { throw PinCheck.Mismatch() }
        return result
      }
    } catch is PinCheck.Mismatch {
      try Self.settleSignatures()
      throw StoreError("a PIN did not match: nothing was signed", code: .signature)
    } catch {
      throw StoreError.from(error)
    }
  }

  /// `write` on the PostgreSQL server: the same work, its changes sealed by the same code, under the chain's lock.
  private func writeShared<T>(
    _ engine: PostgresEngine, _ stamp: AuditStamp, _ work: (any StoreConnection) throws -> T
  ) throws(StoreError) -> T {
    var mismatch = false
    do throws(StoreError) {
      return try PostgresAudit.write(engine, stamp: stamp, local: local) { connection throws(StoreError) in
        mismatch = false
        do {
          let result = try work(connection)
          guard PinCheck.allMatched() else { throw PinCheck.Mismatch() }
          return result
        } catch is PinCheck.Mismatch {
          mismatch = true
          throw StoreError("a PIN did not match: nothing was signed", code: .signature)
        } catch {
          throw StoreError.from(error)
        }
      }
    } catch {
      guard mismatch else { throw error }
      try Self.settleSignatures()
      throw error
    }
  }

  /// Runs `work` on a consistent snapshot.
  func read<T>(_ work: (any StoreConnection) throws -> T) throws(StoreError) -> T {
    switch backend {
    case .sqlite(let pool):
      do {
        return try pool.read { db in try work(SQLiteSession(db: db)) }
      } catch {
        throw StoreError.from(error)
      }
    case .postgres(let engine):
      return try engine.read { connection throws(StoreError) in
        do { return try work(connection) } catch { throw StoreError.from(error) }
      }
    }
  }

  /// The result of `PRAGMA integrity_check`: `ok` for a sound file.
  public func integrityCheck() throws(StoreError) -> String {
    let pool = try file(for: "the page-by-page integrity check")
    do {
      // Outside a transaction: inside a read transaction, its COMMIT fails again with the damage the check
      // stopped at, and the findings would be lost.
      return try pool.inDatabase { db in try Self.integrity(db) }
    } catch {
      throw StoreError.from(error)
    }
  }

  /// `PRAGMA integrity_check` on `db`, its findings joined: `ok` for a sound file.
  ///
  /// A page so damaged that the check itself stops (SQLite's "malformed") is one more finding, not an error.
  static func integrity(_ db: Database) throws -> String {
    var findings: [String] = []
    do {
      let rows = try String.fetchCursor(db, sql: "PRAGMA integrity_check")
      while let row = try rows.next() { findings.append(row) }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
      findings.removeAll { $0 == "ok" }
      findings.append(error.message ?? "database disk image is malformed")
    }
    return findings.joined(separator: "; ")
  }
}

extension StoreError {
  /// Any error from a transaction as a one-line message.
  static func from(_ error: any Error) -> StoreError {
    switch error {
    case let store as StoreError: return store
    case let formulation as FormulationError: return StoreError(formulation.message, cause: formulation)
    case let quantity as QuantityError: return StoreError(quantity.message, cause: quantity)
    case let quality as QualityError: return StoreError(quality.message, cause: quality)
    case let dispensing as DispensingError: return StoreError(dispensing.message, cause: dispensing)
    case let database as DatabaseError:
      if database.resultCode == .SQLITE_BUSY || database.resultCode == .SQLITE_LOCKED {
        return StoreError(
          "the database is busy with another command: try again in a moment", code: .busy, cause: database)
      }
      if database.resultCode == .SQLITE_CORRUPT || database.resultCode == .SQLITE_NOTADB {
        return StoreError(
          "the database file is damaged (\(database.message ?? database.description)): run 'compound doctor --full' to see where, and restore the last backup",
          code: .database, cause: database)
      }
      if database.resultCode == .SQLITE_FULL {
        return StoreError(
          "the disk is full: nothing was written; free some space and run the command again", code: .database,
          cause: database)
      }
      return StoreError(
        "the database refused the change: \(database.message ?? database.description)", code: .database,
        cause: database)
    default: return StoreError("\(error)", cause: error)
    }
  }
}
