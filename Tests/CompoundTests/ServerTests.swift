import Foundation
import Settings
import Testing

@testable import Store

/// The product on a real PostgreSQL server, through the `compound` binary: the owner makes the tables once, the
/// stations (role `compound`) do the day's work, and everything the product checks holds there too.
@Suite("A pharmacy on a PostgreSQL server: init by the owner, the day at the stations")
struct ServerTests {
  /// `compound ARGUMENTS --db ADDRESS --config SETTINGS` for `pharmacy`.
  private func run(_ pharmacy: Pharmacy, _ arguments: [String], at address: PostgresAddress) throws -> Pharmacy.Outcome
  {
    try pharmacy.run(arguments + ["--db", address.description, "--config", pharmacy.settings], global: false)
  }

  @Test("the demo's whole day runs on the server; a station then verifies every entry and finds nothing wrong")
  func demoDay() throws {
    let owner = try PostgresServer.freshDatabase()
    let pharmacy = try Pharmacy()
    pharmacy.fixedClock = false
    let folder = pharmacy.folder.appendingPathComponent("day").path
    let demo = try pharmacy.run(
      [
        "demo", "--dir", folder, "--server", owner.description, "--config-dir",
        Pharmacy.repository.appendingPathComponent("Config").path,
      ], global: false)
    #expect(demo.status == 0, "\(demo.stderr)")
    #expect(demo.stdout.contains("created training database \(owner.description)"))
    #expect(demo.stdout.contains("database:            \(owner.description)"))
    #expect(demo.stdout.contains("all checks passed"), "\(demo.stdout.suffix(2_000))")
    #expect(!demo.stdout.contains("backup.sqlite"))
    #expect(FileManager.default.fileExists(atPath: folder + "/label-rx600001.pdf"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/compound.sqlite"))

    let station = owner.with(user: PostgresSchema.stationRole)
    let verify = try run(pharmacy, ["audit", "verify", "--full"], at: station)
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("audit trail intact"), "\(verify.stdout)")
    let doctor = try run(pharmacy, ["doctor", "--full"], at: station)
    #expect(doctor.status == 0, "\(doctor.stderr)")
    #expect(doctor.stdout.contains("all checks passed: the schema and its triggers"), "\(doctor.stdout)")
    // What the day left, read by a station: the batch released, the fill checked, the lot's stock moved.
    let batches = try run(pharmacy, ["batch", "list"], at: station)
    #expect(batches.stdout.contains("released"), "\(batches.stdout)")
    let lots = try run(pharmacy, ["lot", "list"], at: station).stdout
    let first = try #require(
      lots.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("R") && $0.hasSuffix("-001") })
    let recall = try run(pharmacy, ["recall", String(first)], at: station)
    #expect(recall.status == 0, "\(recall.stderr)")
    #expect(recall.stdout.contains("LDN45-"), "\(recall.stdout)")
    // A station's backup: pg_dump's archive of the snapshot that verified, mode 0600, never over a file.
    let dump = pharmacy.folder.appendingPathComponent("pharmacy.dump").path
    let backup = try run(pharmacy, ["backup", "--to", dump], at: station)
    #expect(backup.status == 0, "\(backup.stderr)")
    #expect(backup.stdout.contains("with pg_dump (audit trail of"), "\(backup.stdout)")
    let mode = try FileManager.default.attributesOfItem(atPath: dump)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let again = try run(pharmacy, ["backup", "--to", dump], at: station)
    #expect(again.status != 0 && again.stderr.contains("already exists"), "\(again.stderr)")
    let update = try run(pharmacy, ["backup", "--to", dump, "--update"], at: station)
    #expect(update.status != 0 && update.stderr.contains("is a PostgreSQL server"), "\(update.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path)
    #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
    // The archive restores into a new database, as its owner, signed by a pharmacist of the pharmacy; its whole
    // trail verifies, with the restore recorded in it.
    let copy = try PostgresServer.freshDatabase()
    let restore = try run(pharmacy, ["restore", "--from", dump, "--by", "dchen"], at: copy)
    #expect(restore.status == 0, "\(restore.stderr)")
    #expect(restore.stdout.contains("restored \(dump) into \(copy.description), signed by dchen"), "\(restore.stdout)")
    let restored = try run(pharmacy, ["audit", "verify", "--full"], at: copy.with(user: PostgresSchema.stationRole))
    #expect(restored.status == 0, "\(restored.stderr)")
    #expect(restored.stdout.contains("audit trail intact"), "\(restored.stdout)")
    let log = try run(pharmacy, ["audit", "log", "--json"], at: copy).jsonArray()
    #expect(log.last?["table"] as? String == "restore_log" && log.last?["actor"] as? String == "dchen")
    // Never over a pharmacy's records; a wrong PIN or a file that is not an archive restores nothing.
    let over = try run(pharmacy, ["restore", "--from", dump, "--by", "dchen"], at: copy)
    #expect(over.status != 0 && over.stderr.contains("already holds a pharmacy's records"), "\(over.stderr)")
    let other = try PostgresServer.freshDatabase()
    let wrong = try pharmacy.run(
      ["restore", "--from", dump, "--by", "dchen", "--db", other.description, "--config", pharmacy.settings],
      environment: ["COMPOUND_PIN": "000000"], global: false)
    #expect(wrong.status != 0, "\(wrong.stdout)")
    #expect(wrong.stderr.contains("drop it (DROP DATABASE)"), "\(wrong.stderr)")
    #expect(wrong.stderr.split(separator: "\n").count == 1, "\(wrong.stderr)")
    let notDump = try run(
      pharmacy, ["restore", "--from", pharmacy.settings, "--by", "dchen"], at: try PostgresServer.freshDatabase())
    #expect(notDump.status != 0 && notDump.stderr.contains("as a pg_dump archive"), "\(notDump.stderr)")
  }

  @Test("a station may not make the tables; the owner makes them once; two stations see each other's records")
  func ownerAndStations() throws {
    let owner = try PostgresServer.freshDatabase()
    let station = owner.with(user: PostgresSchema.stationRole)
    let pharmacy = try Pharmacy()
    let early = try run(pharmacy, ["batch", "list"], at: station)
    #expect(early.status != 0)
    #expect(early.stderr.contains("has no compound tables: run 'compound init' once as the database's owner"))
    let refused = try run(pharmacy, ["init", "--training"], at: station)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("run 'compound init' once as the database's owner"), "\(refused.stderr)")
    #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")

    let made = try run(pharmacy, ["init", "--training"], at: owner)
    #expect(made.status == 0, "\(made.stderr)")
    #expect(made.stdout.contains("created training database \(owner.description)"), "\(made.stdout)")
    let again = try run(pharmacy, ["init", "--training"], at: owner)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("is ready (already existed)"), "\(again.stdout)")

    // One station adds the first pharmacist; another sees her at once and signs with her PIN.
    let added = try pharmacy.run(
      [
        "user", "add", "dchen", "--name", "David Chen, PharmD", "--role", "pharmacist", "--db", station.description,
        "--config", pharmacy.settings,
      ],
      environment: ["COMPOUND_NEW_PIN": "135790"], global: false)
    #expect(added.status == 0, "\(added.stderr)")
    let listed = try run(pharmacy, ["user", "list"], at: station)
    #expect(listed.stdout.contains("dchen"), "\(listed.stdout)")
    let technician = try pharmacy.run(
      [
        "user", "add", "mtorres", "--name", "Maria Torres, CPhT", "--role", "technician", "--by", "dchen", "--db",
        station.description, "--config", pharmacy.settings,
      ],
      environment: ["COMPOUND_NEW_PIN": "246801"], global: false)
    #expect(technician.status == 0, "\(technician.stderr)")
    // A wrong PIN on the server: refused, recorded, nothing signed.
    let wrong = try pharmacy.run(
      [
        "user", "add", "aokafor", "--name", "Amara Okafor, PharmD", "--role", "pharmacist", "--by", "dchen", "--db",
        station.description, "--config", pharmacy.settings,
      ],
      environment: ["COMPOUND_NEW_PIN": "864209", "COMPOUND_PIN": "000000"], global: false)
    #expect(wrong.status != 0)
    #expect(!(try run(pharmacy, ["user", "list"], at: station).stdout.contains("aokafor")))
    let verify = try run(pharmacy, ["audit", "verify"], at: station)
    #expect(verify.status == 0, "\(verify.stderr)")
  }
}
