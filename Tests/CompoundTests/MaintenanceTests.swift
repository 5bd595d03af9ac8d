import Foundation
import Testing

@Suite("Backup, restore and doctor")
struct MaintenanceTests {
  @Test("a backup is a sound copy with mode 0600, never written over an existing file; restore brings it back")
  func backupAndRestore() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    let backup = pharmacy.folder.appendingPathComponent("backup.sqlite").path
    try pharmacy.ok(["backup", "--to", backup])
    let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try pharmacy.refused(["backup", "--to", backup]).contains("already exists"))
    // Work after the backup is undone by restoring it; the replaced database is kept aside.
    try pharmacy.recordStandardBatch()
    #expect(try pharmacy.ok(["batch", "list", "--json"]).jsonArray().count == 2)
    let restored = try pharmacy.ok(["restore", "--from", backup, "--by", "dchen"]).stdout
    #expect(restored.contains("before-restore"))
    let batches = try pharmacy.ok(["batch", "list", "--json"]).jsonArray()
    #expect(batches.compactMap { $0["lotNumber"] as? String } == [lot])
  }

  @Test("restore refuses a damaged file, a foreign SQLite file and one from a newer compound, changing nothing")
  func restoreRefusals() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let garbage = pharmacy.folder.appendingPathComponent("garbage.sqlite").path
    try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: garbage))
    #expect(try pharmacy.refused(["restore", "--from", garbage, "--by", "dchen"]).contains("not a SQLite database"))
    let foreign = pharmacy.folder.appendingPathComponent("foreign.sqlite").path
    try pharmacy.sqlite("CREATE TABLE t(x)", database: foreign)
    #expect(try pharmacy.refused(["restore", "--from", foreign, "--by", "dchen"]).contains("not a compound database"))
    let newer = pharmacy.folder.appendingPathComponent("newer.sqlite").path
    try pharmacy.ok(["backup", "--to", newer])
    try pharmacy.sqlite("INSERT INTO grdb_migrations VALUES ('v99 from the future')", database: newer)
    #expect(try pharmacy.refused(["restore", "--from", newer, "--by", "dchen"]).contains("newer version"))
  }

  @Test("doctor passes a sound database and names stock that no longer matches its movements")
  func doctor() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    #expect(try pharmacy.ok(["doctor"]).stdout.contains("all checks passed"))
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    try pharmacy.sqlite(
      "UPDATE stock SET on_hand = on_hand + 1000 WHERE lot_id = (SELECT id FROM lot WHERE lot_number = '\(avicel)')")
    let outcome = try pharmacy.run(["doctor"])
    #expect(outcome.status == 4)
    #expect(outcome.stdout.contains("lot \(avicel) shows 500001000 on hand but its movements add up to 500000000"))
  }

  @Test("doctor names a released batch past its BUD")
  func doctorPastBUD() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.verifiedBatch()
    let outcome = try pharmacy.run(["doctor"], environment: ["COMPOUND_NOW": "2027-06-01T10:00:00-05:00"])
    #expect(outcome.status == 4)
    #expect(outcome.stdout.contains("batch \(lot) is still released past its BUD 2027-05-21"))
  }
}
