import Foundation
import Settings

extension AppDatabase {
  /// Opens the pharmacy's database on a PostgreSQL server, as one station.
  ///
  /// The database must hold this version's tables and an installation (`compound init`, run once by the
  /// database's owner, makes them): a station never creates or migrates anything, so a mistyped database name is
  /// refused, not started empty. The password comes from `PGPASSWORD` or the password file, as libpq's does.
  public static func open(
    server address: PostgresAddress, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(StoreError) -> AppDatabase {
    let database = AppDatabase(postgres: PostgresEngine(link: try connect(address, environment: environment)))
    try database.read { connection in
      guard try connection.tableExists("compound_migration") else {
        throw StoreError(
          "\(address) has no compound tables: run 'compound init' once as the database's owner, then use this"
            + " address (or check the database's name)", code: .notFound)
      }
      let applied = Set(try connection.values(String.self, sql: "SELECT identifier FROM compound_migration"))
      let known = Set(PostgresSchema.migrations.map(\.identifier))
      if let unknown = applied.subtracting(known).sorted().first {
        throw StoreError(
          "\(address) was written by a newer version of compound (its migration '\(unknown)'): use that version",
          code: .newerFormat)
      }
      guard known.isSubset(of: applied) else {
        throw StoreError(
          "\(address) needs this version's tables: run 'compound init' once as the database's owner, then use this"
            + " address")
      }
    }
    return database
  }

  /// Makes the pharmacy's tables on a PostgreSQL server and its installation record, as the database's owner;
  /// returns the database and whether it was new (false: it was already there, and nothing was changed).
  ///
  /// The tables come in one transaction and the installation in another: a kill between them leaves tables
  /// and no installation, and `init` run again finishes the job. A database that already has its installation
  /// is opened as it is: `init` never takes over a pharmacy's records.
  public static func create(
    server address: PostgresAddress, training: Bool, now: Date,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(StoreError) -> (database: AppDatabase, created: Bool) {
    let link = try connect(address, environment: environment)
    try PostgresSchema.migrate(link)
    let database = AppDatabase(postgres: PostgresEngine(link: link))
    if try database.read({ try $0.row(sql: "SELECT 1 FROM installation WHERE id = 1") }) != nil {
      return (database, false)
    }
    try database.write(database.stamp(systemActor, now)) { connection in
      try connection.execute(
        sql: "INSERT INTO installation (id, pharmacy_id, created_at, training) VALUES (1, ?, ?, ?)",
        arguments: [UUID().uuidString.lowercased(), Timestamp.string(now), training])
    }
    return (database, true)
  }

  /// A link to `address` with the password libpq would use.
  static func connect(
    _ address: PostgresAddress, environment: [String: String]
  ) throws(StoreError) -> PostgresLink {
    let password: String?
    do {
      password = try address.password(environment: environment, home: NSHomeDirectory())
    } catch {
      throw StoreError(error.message)
    }
    return try PostgresLink.connect(address, password: password)
  }
}
