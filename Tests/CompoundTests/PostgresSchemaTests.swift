import Foundation
import GRDB
import Settings
import Testing

@testable import Store

/// The pharmacy's tables on a real PostgreSQL server: the same columns as SQLite's, the same guards, and a
/// station role that can add records but never change or remove them.
@Suite("PostgreSQL: the schema, its migrations and what a station may do")
struct PostgresSchemaTests {
  /// A migrated database: its address as the owner and as the stations' role.
  func migrated() throws -> (owner: PostgresAddress, station: PostgresAddress) {
    let owner = try PostgresServer.migratedDatabase()
    return (owner, owner.with(user: PostgresSchema.stationRole))
  }

  /// Runs `sql` and returns the message it was refused with, or nil when it ran.
  func refusal(_ link: PostgresLink, _ sql: String, _ arguments: [SQLValue] = []) -> StoreError? {
    do {
      try link.run(sql, arguments)
      return nil
    } catch {
      return error
    }
  }

  /// Adds an ingredient, a lot of it and a batch as `link`'s role; returns the lot's and the batch's ids.
  func records(_ link: PostgresLink) throws -> (lot: Int64, batch: Int64) {
    let ingredient = try link.run(
      """
      INSERT INTO ingredient (code, name, kind, created_at, created_by)
      VALUES ('NALTREXONE-HCL', 'Naltrexone HCl', 'api', '2026-12-04T10:00:00Z', 'dchen') RETURNING id
      """
    ).rows[0][0]
    let lot = try link.run(
      """
      INSERT INTO lot (lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity, status,
        received_at, received_by)
      VALUES ('NTX-001', $1, 'Medisca', 'M123', '2027-06-30', 5000000, 'quarantined', '2026-12-04T10:00:00Z', 'dchen')
      RETURNING id
      """, [ingredient]
    ).rows[0][0]
    let formula = try link.run(
      """
      INSERT INTO formula (code, version, name, definition, source, sha256, created_at)
      VALUES ('LDN-4.5', 1, 'LDN 4.5 mg', '{}', 'x', 'x', '2026-12-04T10:00:00Z') RETURNING id
      """
    ).rows[0][0]
    let batch = try link.run(
      """
      INSERT INTO batch (lot_number, formula_id, quantity, capsules_planned, actual_yield, theoretical_fill_ug,
        compounding_date, bud, bud_basis, status, compounded_by, compounded_by_name, compounded_at, plan, record_check)
      VALUES ('B-001', $1, 100, 102, 100, 250000, '2026-12-04', '2027-06-02', 'USP <795>', 'quarantined', 'mtorres',
        'Maria Torres, CPhT', '2026-12-04T10:00:00Z', '{}', '{}') RETURNING id
      """, [formula]
    ).rows[0][0]
    guard case .integer(let lotID) = lot, case .integer(let batchID) = batch else {
      throw StoreError("ids are not integers: \(lot), \(batch)")
    }
    return (lotID, batchID)
  }

  @Test("every SQLite table and column exists on PostgreSQL, in the same order; migrating again changes nothing")
  func sameTables() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-schema-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = try AppDatabase.create(
      path: folder.appendingPathComponent("p.sqlite").path, training: true, now: Date())
    // SQLite's migration log (PostgreSQL's is compound_migration).
    let sqliteOnly: Set = ["grdb_migrations"]
    let expected = try sqlite.file(for: "the test").read { db in
      try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      ).filter { !sqliteOnly.contains($0) }.map { table in
        (table, try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]))
      }
    }
    let (owner, _) = try migrated()
    let link = try PostgresServer.link(owner)
    defer { link.close() }
    let actual = try link.run(
      """
      SELECT table_name::text, string_agg(column_name::text, ',' ORDER BY ordinal_position)
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'compound_migration'
      GROUP BY table_name ORDER BY table_name
      """
    ).rows.map { "\($0[0]) \($0[1])" }
    #expect(actual == expected.map { "\(SQLValue.text($0.0)) \(SQLValue.text($0.1.joined(separator: ",")))" })
    #expect(expected.count >= 30)

    try PostgresSchema.migrate(link)
    let applied = try link.run("SELECT identifier FROM compound_migration").rows
    #expect(applied == PostgresSchema.migrations.map { [.text($0.identifier)] })
  }

  @Test("a station adds records and changes only what the product changes; it deletes and truncates nothing")
  func stationRole() throws {
    let (owner, station) = try migrated()
    let link = try PostgresServer.link(station)
    defer { link.close() }
    let (lot, batch) = try records(link)
    // The stock row is the owner's trigger's: made with the lot, moved by movements, never written by a station.
    try link.run(
      """
      INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by)
      VALUES ($1, 'received', 5000000, '2026-12-04T10:00:00Z', 'dchen')
      """, [.integer(lot)])
    #expect(
      try link.run("SELECT on_hand FROM stock WHERE lot_id = $1", [.integer(lot)]).rows == [[.integer(5_000_000)]])
    #expect(try link.run("SELECT count(*) FROM stock WHERE batch_id = $1", [.integer(batch)]).rows == [[.integer(1)]])
    // What the product changes, a station may change.
    try link.run("UPDATE lot SET status = 'released' WHERE id = $1", [.integer(lot)])
    try link.run(
      "UPDATE batch SET verified_by = 'dchen', verified_by_name = 'David Chen', verified_at = 'x' WHERE id = $1",
      [.integer(batch)])
    // Anything else is refused by the server itself, whatever the triggers say.
    let forbidden = [
      "UPDATE stock SET on_hand = 1",
      "INSERT INTO stock (lot_id, on_hand) VALUES (\(lot), 7)",
      "UPDATE lot SET received_quantity = 1",
      "UPDATE batch SET compounded_by = 'dchen'",
      "UPDATE audit SET actor = 'x'",
      "DELETE FROM movement",
      "DELETE FROM fill_pending",
      "DELETE FROM patient",
      "TRUNCATE audit",
      "TRUNCATE movement",
      "DROP TABLE movement",
      "ALTER TABLE movement DISABLE TRIGGER ALL",
      "CREATE TABLE mine (x int)",
    ]
    for sql in forbidden {
      let error = refusal(link, sql)
      #expect(error != nil, "a station ran: \(sql)")
      #expect(
        ["42501", "42P01"].contains(PostgresLink.state(of: error ?? StoreError("ran"))),
        "\(sql): \(String(describing: error))")
    }
    #expect(refusal(link, "DELETE FROM movement")?.message.contains("permission denied for table movement") == true)
    #expect(
      try link.run("SELECT on_hand FROM stock WHERE lot_id = $1", [.integer(lot)]).rows == [[.integer(5_000_000)]])
    _ = owner
  }

  @Test("the owner too is refused by the triggers: records never change, are never deleted or truncated")
  func ownerGuards() throws {
    let (owner, _) = try migrated()
    let link = try PostgresServer.link(owner)
    defer { link.close() }
    let (lot, batch) = try records(link)
    try link.run(
      "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by) VALUES ($1, 'received', 10, 'x', 'dchen')",
      [.integer(lot)])
    let cases: [(String, String)] = [
      ("UPDATE movement SET quantity = 11", "stock movements are append-only: record a correcting movement"),
      ("DELETE FROM movement", "stock movements are append-only: record a correcting movement"),
      ("TRUNCATE movement", "stock movements are append-only: record a correcting movement"),
      ("UPDATE lot SET expiry = '2030-01-01'", "a receipt never changes: receive again or reject the lot"),
      ("DELETE FROM lot", "lots are kept: they are legal records; reject or recall instead"),
      ("UPDATE batch SET plan = 'x'", "a compounding record never changes: record a correction instead"),
      ("UPDATE batch SET rules_version = 2", "a compounding record never changes: record a correction instead"),
      ("UPDATE batch SET verified_by = 'MTORRES'", "the compounder of a batch never verifies it"),
      ("UPDATE stock SET lot_id = NULL, batch_id = \(batch)", "a stock row belongs to its lot or batch for good"),
      ("TRUNCATE stock CASCADE", "stock rows are kept: move stock with a movement"),
      (
        "INSERT INTO lot (lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity, status,"
          + " received_at, received_by) SELECT 'ntx-001', ingredient_id, 'a', 'b', '2027-01-01', 1, 'released', 'x', 'y'"
          + " FROM lot", "duplicate key value violates unique constraint"
      ),
      (
        "INSERT INTO lot (lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity, status,"
          + " received_at, received_by) SELECT 'NTX-002', ingredient_id, 'a', 'b', '2027-6-30', 1, 'released', 'x', 'y'"
          + " FROM lot", "violates check constraint \"lot_expiry_check\""
      ),
    ]
    for (sql, message) in cases {
      let error = refusal(link, sql)
      #expect(error?.message.contains(message) == true, "\(sql): \(String(describing: error))")
    }
    #expect(try link.run("SELECT sum(quantity) FROM movement").rows == [[.integer(10)]])
  }

  @Test("a fill waits for its check, which another pharmacist makes; the wait is the owner's trigger's")
  func fillCheck() throws {
    let (_, station) = try migrated()
    let link = try PostgresServer.link(station)
    defer { link.close() }
    let (_, batch) = try records(link)
    let patient = try link.run(
      "INSERT INTO patient (name, date_of_birth, address, phone, created_at, created_by)"
        + " VALUES ('Ana', '1970-01-01', 'a', 'p', 'x', 'dchen') RETURNING id"
    ).rows[0][0]
    let prescriber = try link.run(
      "INSERT INTO prescriber (name, npi, phone, created_at) VALUES ('Dr', '1234567890', 'p', 'x') RETURNING id"
    ).rows[0][0]
    let prescription = try link.run(
      "INSERT INTO prescription (rx_number, patient_id, prescriber_id, refills, written_on, steps, created_at,"
        + " created_by) VALUES ('RX1', $1, $2, 0, '2026-12-01', '[]', 'x', 'dchen') RETURNING id",
      [patient, prescriber]
    ).rows[0][0]
    let fill = try link.run(
      "INSERT INTO fill (prescription_id, fill_number, step, batch_id, quantity, filled_on, filled_at, filled_by,"
        + " decision) VALUES ($1, 1, 0, $2, 30, '2026-12-04', 'x', 'dchen', '{}') RETURNING id",
      [prescription, .integer(batch)]
    ).rows[0][0]
    #expect(try link.run("SELECT fill_id FROM fill_pending").rows == [[fill]])
    let same = refusal(
      link, "INSERT INTO fill_check (fill_id, checked_at, checked_by) VALUES ($1, 'x', 'DCHEN')", [fill])
    #expect(same?.message == "whoever filled a prescription does not check it: another pharmacist checks it")
    try link.run("INSERT INTO fill_check (fill_id, checked_at, checked_by) VALUES ($1, 'x', 'aokafor')", [fill])
    #expect(try link.run("SELECT count(*) FROM fill_pending").rows == [[.integer(0)]])
  }

  @Test("a script is cut at the semicolons outside quotes, dollar-quoted bodies and comments")
  func statements() {
    let script = """
      -- a comment; with a semicolon
      CREATE TABLE a (x TEXT CHECK (x <> ';'));
      CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'a;b'; RETURN NULL; END $$;
      CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body1$ SELECT 1; $body1$;
      SELECT "odd;name" FROM a;;
      SELECT 'it''s; fine'
      """
    #expect(
      PostgresLink.statements(script) == [
        "CREATE TABLE a (x TEXT CHECK (x <> ';'))",
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'a;b'; RETURN NULL; END $$",
        "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body1$ SELECT 1; $body1$",
        "SELECT \"odd;name\" FROM a",
        "SELECT 'it''s; fine'",
      ])
    // The migration's own script: every statement runs (the schema tests), and none is cut inside a body.
    #expect(PostgresLink.statements(PostgresSchema.v1).allSatisfy { !$0.hasPrefix("END") && !$0.hasPrefix("RETURN") })
  }

  @Test("a value of a type the tables never hold is refused, not read as text; citext and numeric are read")
  func types() throws {
    let link = try PostgresServer.link(try PostgresServer.migratedDatabase())
    defer { link.close() }
    do {
      try link.run("SELECT now() AS t")
      Issue.record("a timestamp was read")
    } catch {
      #expect(error.message.contains("the column t is of PostgreSQL type"), "\(error.message)")
    }
    let row = try link.run(
      "SELECT 'Ab'::citext AS code, 12345678901234567890::numeric AS n, 7::int2 AS small, sum(x) AS total,"
        + " 2.50::numeric AS price FROM (VALUES (9223372036854775800::bigint), (7::bigint)) AS v (x)"
    ).rows
    #expect(
      row == [
        [.text("Ab"), .text("12345678901234567890"), .integer(7), .integer(9_223_372_036_854_775_807), .text("2.5")]
      ])
  }

  @Test(
    "TLS as sslmode says: disable goes without, prefer and require encrypt, verify-ca checks the authority, verify-full the host too"
  )
  func tls() throws {
    let owner = try PostgresServer.owner()
    let environment = ProcessInfo.processInfo.environment
    let authority = try #require(
      environment["COMPOUND_TEST_POSTGRES_CA"], "scripts/postgres.sh names the run's authority")
    let other = try #require(environment["COMPOUND_TEST_POSTGRES_OTHER_CA"])
    /// Whether a session opened with `parameters` (to `host`) is encrypted, or the refusal's message.
    func session(_ parameters: String, host: String = "127.0.0.1") -> String {
      do {
        let address = try PostgresAddress(
          owner.description.replacingOccurrences(of: "127.0.0.1", with: host) + parameters, from: .flag("--db"))
        let link = try PostgresServer.link(address)
        defer { link.close() }
        let row = try link.run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").rows.first
        return row == [.integer(1)] ? "encrypted" : "plain"
      } catch let error as StoreError {
        return error.message
      } catch {
        return "\(error)"
      }
    }
    #expect(session("?sslmode=disable") == "plain")
    #expect(session("") == "encrypted")
    #expect(session("?sslmode=require") == "encrypted")
    #expect(session("?sslmode=verify-ca&sslrootcert=\(authority)") == "encrypted")
    #expect(session("?sslmode=verify-full&sslrootcert=\(authority)", host: "localhost") == "encrypted")
    // Another authority's certificate is refused under either verifying mode; require checks none, as libpq's.
    for mode in ["verify-ca", "verify-full"] {
      let refused = session("?sslmode=\(mode)&sslrootcert=\(other)")
      #expect(refused.contains("presented a certificate that sslmode=\(mode) does not accept"), "\(mode): \(refused)")
    }
    // The certificate names localhost only: verify-ca accepts it at 127.0.0.1, verify-full does not.
    let wrongHost = session("?sslmode=verify-full&sslrootcert=\(authority)")
    #expect(wrongHost.contains("does not name 127.0.0.1, which sslmode=verify-full requires"), "\(wrongHost)")
  }

  @Test("only the owner migrates; a newer compound's database is refused; a login or a name gone wrong says so")
  func refusals() throws {
    let owner = try PostgresServer.freshDatabase()
    let station = owner.with(user: PostgresSchema.stationRole)
    let stationLink = try PostgresServer.link(station)
    defer { stationLink.close() }
    #expect(throws: StoreError.self) { try PostgresSchema.migrate(stationLink) }
    do {
      try PostgresSchema.migrate(stationLink)
    } catch {
      #expect(error.message.contains("has no compound tables yet: run 'compound init' once as the database's owner"))
    }
    let link = try PostgresServer.link(owner)
    defer { link.close() }
    try PostgresSchema.migrate(link)
    try link.run("INSERT INTO compound_migration VALUES ('v99 from the future')")
    do {
      try PostgresSchema.migrate(stationLink)
      Issue.record("a newer database was migrated")
    } catch {
      #expect(error.code == .newerFormat)
      #expect(error.message.contains("newer version of compound (its migration 'v99 from the future')"))
    }

    do {
      _ = try PostgresLink.connect(station, password: "not-the-password")
      Issue.record("a wrong password logged in")
    } catch {
      #expect(error.message.contains("refused the login"), "\(error.message)")
      #expect(error.message.contains("PGPASSWORD or ~/.pgpass"), "\(error.message)")
    }
    do {
      _ = try PostgresServer.link(owner.with(database: "no_such_pharmacy"))
      Issue.record("a missing database was opened")
    } catch let error as StoreError {
      #expect(error.message.contains("\"no_such_pharmacy\" does not exist"), "\(error.message)")
    }
    do {
      let closed = try PostgresAddress(
        "postgresql://compound@127.0.0.1:\(try CupsServer.freePort())/pharmacy", from: .flag("--db"))
      _ = try PostgresLink.connect(closed, password: "x")
      Issue.record("a closed port was connected to")
    } catch let error as StoreError {
      #expect(error.message.hasPrefix("cannot reach the PostgreSQL server at 127.0.0.1:"), "\(error.message)")
      #expect(error.message.contains(": connection refused; "), "\(error.message)")
      #expect(error.message.hasSuffix("check that it runs and that this station may connect"), "\(error.message)")
      #expect(!error.message.contains("\n"), "\(error.message)")
    }
    do {
      _ = try PostgresLink.connect(owner.with(database: "x"), password: nil)
      Issue.record("a login without a password was let in")
    } catch {
      #expect(error.message.contains("asks for a password"), "\(error.message)")
    }
  }
}
