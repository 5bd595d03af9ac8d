import Accounts
import FileOutput
import Foundation
import Settings

extension AppDatabase {
  /// Dumps the server's database to a new file with `pg_dump`, from the very snapshot whose audit trail was just
  /// verified; the archive is read back with `pg_restore --list` before it gets its name.
  ///
  /// The trail is checked in a read-only snapshot that stays open while `pg_dump` reads it (`--snapshot`): what
  /// the file holds is exactly what verified, whatever the stations write meanwhile. A trail that does not verify
  /// is refused with nothing written; the dump is written under a hidden name and linked under its own only when
  /// whole, never over a file. `pg_dump` finds the password as compound does (`PGPASSWORD`, the password file).
  public func dump(to output: OutputPath, environment: [String: String]) throws(StoreError) -> AuditReport {
    guard case .postgres(let engine) = backend else {
      throw StoreError("\(path) is a SQLite file: 'compound backup' copies it")
    }
    let address = engine.link.address
    let temporary: String
    do {
      temporary = try OutputPath.temporary(beside: output.path)
    } catch {
      throw StoreError(error.message)
    }
    defer { unlink(temporary) }
    let report = try engine.read { connection throws(StoreError) -> AuditReport in
      let report = try AuditVerification.verify(connection, full: false)
      if let problem = report.problems.first {
        throw StoreError(
          "the database's audit trail does not verify (\(problem)): no backup was written; run 'compound doctor'")
      }
      guard let snapshot = try connection.value(String.self, sql: "SELECT pg_export_snapshot()") else {
        throw StoreError("the PostgreSQL server gave no snapshot to dump: no backup was written", code: .database)
      }
      try Self.tool(
        "pg_dump",
        [
          "--format=custom", "--snapshot=\(snapshot)", "--no-password", "--file=\(temporary)",
          "--dbname=\(address.connectionString)",
        ], environment: environment, what: "dump \(address)")
      return report
    }
    chmod(temporary, 0o600)
    try Self.tool(
      "pg_restore", ["--list", temporary], environment: environment, what: "read back the dump of \(address)")
    do {
      try output.publish(temporary)
    } catch {
      throw StoreError(error.message)
    }
    return report
  }

  /// Runs one of PostgreSQL's client tools; refuses in one line, with the tool's own last line, if it fails.
  static func tool(
    _ name: String, _ arguments: [String], environment: [String: String], what: String
  ) throws(StoreError) {
    let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin"]
    guard let executable = folders.map({ $0 + "/" + name }).first(where: FileManager.default.isExecutableFile)
    else {
      throw StoreError(
        "\(name) is not installed on this station: install Debian's postgresql-client (apt-get install"
          + " postgresql-client), then run the command again; nothing was written")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw StoreError("cannot run \(executable): \(error.localizedDescription); nothing was written")
    }
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let lines = text.split(separator: "\n").map(String.init)
      let last =
        lines.first { $0.contains("error:") } ?? lines.last ?? "it ended with status \(process.terminationStatus)"
      throw StoreError("\(name) could not \(what): \(last); nothing was written", code: .database)
    }
  }
}

extension AppDatabase {
  /// Loads a `pg_dump` archive into a new, empty database on a server, as that database's owner.
  ///
  /// The live database is never touched: a restore on a server goes into a database of its own, which the
  /// stations are pointed at once it is checked (`recordRestore`). A database that already holds compound's
  /// tables is refused. The archive is loaded in one transaction (`pg_restore --single-transaction`), then
  /// brought up to this version's schema.
  public static func load(
    dump source: String, into address: PostgresAddress, environment: [String: String]
  ) throws(StoreError) {
    guard FileManager.default.isReadableFile(atPath: source) else {
      throw StoreError("no backup at \(source) (or it cannot be read): name the pg_dump archive with --from")
    }
    let link = try connect(address, environment: environment)
    defer { link.close() }
    let existing = try link.run("SELECT to_regclass('compound_migration') IS NOT NULL").rows.first?.first
    guard existing != .integer(1) else {
      throw StoreError(
        "\(address) already holds a pharmacy's records: a restore goes into a new, empty database (CREATE DATABASE"
          + " ... OWNER \(address.user)); then point the stations at it; nothing was changed")
    }
    try tool("pg_restore", ["--list", source], environment: environment, what: "read \(source) as a pg_dump archive")
    try tool(
      "pg_restore",
      ["--exit-on-error", "--single-transaction", "--no-owner", "--dbname=\(address.connectionString)", source],
      environment: environment, what: "load \(source) into \(address)")
    try PostgresSchema.migrate(link)
  }

  /// Checks a database just loaded from a dump and records the restore in its trail, signed by `signer`.
  ///
  /// The whole trail must verify and the database must have an active pharmacist; else the restore is refused
  /// and the new database holds an unchecked copy, which the message says to drop.
  public func recordRestore(
    from source: String, by signer: User, now: Date
  ) throws(StoreError) -> AuditReport {
    if let refusal = SigningRules.refusal(signer, for: .restore) { throw StoreError(refusal) }
    let (report, pharmacists) = try read { db in
      (
        try AuditVerification.verify(db, full: true),
        try db.value(Int.self, sql: "SELECT count(*) FROM app_user WHERE active = 1 AND role = 'pharmacist'") ?? 0
      )
    }
    let drop = "\(path) holds the unchecked copy: drop it (DROP DATABASE) before restoring again"
    if let problem = report.problems.first {
      throw StoreError("\(source) fails its audit check (\(problem)): not restored; \(drop)")
    }
    guard pharmacists > 0 else {
      throw StoreError("\(source) has no active pharmacist: not restored; \(drop)")
    }
    let digest: String
    do {
      digest = try Self.fileDigest(source)
    } catch {
      throw StoreError.from(error)
    }
    try write(stamp(signer.id, now)) { db in
      try db.execute(
        sql: """
          INSERT INTO restore_log (restored_at, restored_by, backup_path, backup_sha256, backup_head, replaced_head,
            replaced_kept_at, foreign_reason)
          VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL)
          """,
        arguments: [
          Timestamp.string(now), signer.id, URL(fileURLWithPath: source).standardizedFileURL.path, digest, report.head,
        ])
    }
    return try read { db in try AuditVerification.verify(db, full: false) }
  }
}
