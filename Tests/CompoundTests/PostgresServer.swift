import Foundation
import Settings
import Testing

@testable import Store

/// The PostgreSQL server `make test` starts for the run (`scripts/postgres.sh`), and databases made on it.
///
/// `COMPOUND_TEST_POSTGRES` names it as its owner role (`compound_owner`, which may create databases); the
/// passwords of that role and of the stations' role `compound` are in the file `PGPASSFILE` names. Without the
/// variable a test that needs the server fails, saying how to run it: no test passes by skipping the engine.
enum PostgresServer {
  /// The server's address as the owner, or a recorded issue saying how to start one.
  static func owner(sourceLocation: SourceLocation = #_sourceLocation) throws -> PostgresAddress {
    guard let value = ProcessInfo.processInfo.environment["COMPOUND_TEST_POSTGRES"], !value.isEmpty else {
      let reason =
        "COMPOUND_TEST_POSTGRES is not set: run the suite with 'make test', or as"
        + " 'scripts/postgres.sh swift test', which starts a PostgreSQL server for it"
      Issue.record(Comment(rawValue: reason), sourceLocation: sourceLocation)
      throw Missing()
    }
    return try PostgresAddress(value, from: .environment("COMPOUND_TEST_POSTGRES"))
  }

  /// Thrown when there is no server: the issue recorded says why.
  struct Missing: Error {}

  /// Opens a link to `address` with the password the run's password file holds for it; with `capturing`, the
  /// session has the audit capture's pending table, as compound's own sessions do (else every write to a record
  /// table is refused, the migrated database's capture triggers having nowhere to write).
  static func link(_ address: PostgresAddress, capturing: Bool = true) throws -> PostgresLink {
    let password = try address.password(
      environment: ProcessInfo.processInfo.environment, home: NSHomeDirectory())
    let link = try PostgresLink.connect(address, password: password)
    if capturing, address.database != "postgres" {
      try link.run(PostgresAudit.pendingTable)
    }
    return link
  }

  /// A new database with the pharmacy's schema, migrated by its owner; its address as the owner.
  static func migratedDatabase(sourceLocation: SourceLocation = #_sourceLocation) throws -> PostgresAddress {
    let owner = try freshDatabase(sourceLocation: sourceLocation)
    let migrating = try link(owner)
    defer { migrating.close() }
    try PostgresSchema.migrate(migrating)
    return owner
  }

  /// A new, empty database owned by the owner role; its address as the owner.
  static func freshDatabase(sourceLocation: SourceLocation = #_sourceLocation) throws -> PostgresAddress {
    let owner = try owner(sourceLocation: sourceLocation)
    let name = "pharmacy_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
    let server = try link(owner)
    defer { server.close() }
    try server.run("CREATE DATABASE \(name)")
    return owner.with(database: String(name))
  }
}
