import Foundation
import Settings
import Testing

@Suite("A PostgreSQL address as the database setting")
struct PostgresAddressTests {
  let source = SettingSource.flag("--db")

  @Test("the parts of an address, with libpq's defaults for the port and sslmode")
  func parts() throws {
    let full = try PostgresAddress("postgresql://compound@db.example:6543/pharmacy?sslmode=verify-full", from: source)
    #expect(full.user == "compound")
    #expect(full.host == "db.example")
    #expect(full.port == 6543)
    #expect(full.database == "pharmacy")
    #expect(full.tlsMode == .verifyFull)
    #expect(full.description == "postgresql://compound@db.example:6543/pharmacy")
    let short = try PostgresAddress("postgres://station@10.0.0.5/store_2", from: source)
    #expect(short.port == 5432)
    #expect(short.tlsMode == .prefer)
    #expect(short.rootCertificate == nil)
    let six = try PostgresAddress("postgresql://compound@[::1]:5433/pharmacy?sslrootcert=/etc/ca.pem", from: source)
    #expect(six.host == "::1")
    #expect(six.rootCertificate == "/etc/ca.pem")
    #expect(six.description == "postgresql://compound@[::1]:5433/pharmacy")
    let encoded = try PostgresAddress("postgresql://st%C3%A9@db/pharmacy%20one", from: source)
    #expect(encoded.user == "sté")
    #expect(encoded.database == "pharmacy one")
  }

  @Test("what an address lacks or holds too much of is refused with the reason and the source")
  func refusals() {
    let cases: [(String, String)] = [
      ("postgresql://db.example:5432/pharmacy", "name the role"),
      ("postgresql://compound@db.example:5432", "name the database"),
      ("postgresql://compound@db.example:5432/", "name the database"),
      ("postgresql://compound@:5432/pharmacy", "name the server's host"),
      ("postgresql://compound@db.example:port/pharmacy", "write it as postgresql://USER@HOST:PORT/NAME"),
      ("postgresql://compound@db.example:70000/pharmacy", "not between 1 and 65535"),
      ("postgresql://compound@db.example/pharmacy?sslmode=on", "sslmode 'on' is not one of disable, allow"),
      ("postgresql://compound@db.example/pharmacy?application_name=x", "only sslmode and sslrootcert"),
      ("postgresql:pharmacy", "write it as"),
      ("postgresql://compound@db.example/a/b", "holds a /"),
    ]
    for (value, reason) in cases {
      do {
        _ = try PostgresAddress(value, from: source)
        Issue.record("\(value) was read")
      } catch {
        #expect(error.message.contains(reason), "\(value): \(error.message)")
        #expect(error.message.contains("from flag --db"), "\(value): \(error.message)")
      }
    }
    do {
      _ = try PostgresAddress("postgresql://compound:s3cret@db.example/pharmacy", from: source)
      Issue.record("a password in the address was read")
    } catch {
      #expect(error.message.contains("PGPASSWORD or ~/.pgpass"))
      #expect(!error.message.contains("s3cret"))
    }
  }

  @Test("the password comes from PGPASSWORD, else the first matching line of the password file, as libpq's")
  func passwords() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("pgpass").path
    try """
    # comment
    other.example:5432:pharmacy:compound:wrong-host
    db.example:5432:store_2:compound:wrong-database
    db.example:5432:pharmacy:owner:wrong-user
    db.example:*:pharmacy:compound:c\\:olon\\\\slash
    *:*:*:*:fallback
    """.write(toFile: file, atomically: true, encoding: .utf8)
    chmod(file, 0o600)
    let address = try PostgresAddress("postgresql://compound@db.example/pharmacy", from: source)
    let environment = ["PGPASSFILE": file]
    #expect(try address.password(environment: environment, home: "/nonexistent") == "c:olon\\slash")
    #expect(
      try address.with(database: "other").password(environment: environment, home: "/nonexistent") == "fallback")
    #expect(
      try address.password(environment: environment.merging(["PGPASSWORD": "from-env"]) { $1 }, home: "/") == "from-env"
    )
    // ~/.pgpass when PGPASSFILE is not set; nothing when there is none.
    try FileManager.default.copyItem(atPath: file, toPath: folder.appendingPathComponent(".pgpass").path)
    #expect(try address.password(environment: [:], home: folder.path) == "c:olon\\slash")
    #expect(try address.password(environment: [:], home: "/nonexistent") == nil)
    // A file others may read is refused, as libpq ignores it, saying how to fix it.
    chmod(file, 0o644)
    do {
      _ = try address.password(environment: environment, home: "/nonexistent")
      Issue.record("a password file readable by others was used")
    } catch {
      #expect(error.message.contains("chmod 0600 \(file)"), "\(error.message)")
    }
  }
}
