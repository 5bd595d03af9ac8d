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
