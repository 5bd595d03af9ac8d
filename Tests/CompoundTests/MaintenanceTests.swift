import Foundation
import Testing

@Suite("Backup, restore and doctor")
struct MaintenanceTests {
  @Test(
    "a backup is a sound copy with mode 0600, never written over an existing file; restore brings it back",
    Pharmacy.fileOnly)
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

  /// Every table of `database` but the checkpoints (each file keeps its own), dumped by the sqlite3 shell.
  func dump(_ pharmacy: Pharmacy, _ database: String) throws -> String {
    let tables = try pharmacy.sqlite(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'audit_checkpoint' ORDER BY name",
      database: database
    ).output.split(separator: "\n")
    return try tables.map { try pharmacy.sqlite(".dump \($0)", database: database).output }.joined()
  }

  @Test(
    "backup --update brings an earlier backup up to date: the same rows, its trail checked; others are refused",
    Pharmacy.fileOnly)
  func backupUpdate() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.recordStandardBatch()
    let backup = pharmacy.folder.appendingPathComponent("daily.sqlite").path
    try pharmacy.ok(["backup", "--to", backup])
    // A day's work: a batch (with its stock), a lot released, a failed signature, a patient.
    try pharmacy.recordStandardBatch()
    _ = try pharmacy.run(["patient", "add", "--name", "Ann Lee", "--dob", "1970-02-03"])
    let updated = try pharmacy.ok(["backup", "--to", backup, "--update"]).stdout
    #expect(updated.contains("brought \(backup) up to date"), "\(updated)")
    #expect(!updated.contains(": 0 audit entries added"), "\(updated)")
    #expect(try dump(pharmacy, backup) == dump(pharmacy, pharmacy.database))
    #expect(try pharmacy.ok(["audit", "verify", "--full", "--db", backup]).status == 0)
    // Nothing new: nothing added, still the same.
    #expect(try pharmacy.ok(["backup", "--to", backup, "--update"]).stdout.contains(": 0 audit entries added"))
    #expect(try dump(pharmacy, backup) == dump(pharmacy, pharmacy.database))

    // The database itself, a missing file and another pharmacy's database are refused, changing nothing.
    #expect(try pharmacy.refused(["backup", "--to", pharmacy.database, "--update"]).contains("is the database"))
    let missing = pharmacy.folder.appendingPathComponent("missing.sqlite").path
    #expect(try pharmacy.refused(["backup", "--to", missing, "--update"]).contains("no backup at"))
    #expect(!FileManager.default.fileExists(atPath: missing))
    let other = try Pharmacy()
    try other.initialize()
    let before = try other.digest()
    #expect(try pharmacy.refused(["backup", "--to", other.database, "--update"]).contains("another pharmacy's"))
    #expect(try other.digest() == before)

    // A backup of another time line: taken before a restore went back past it.
    let early = pharmacy.folder.appendingPathComponent("early.sqlite").path
    try pharmacy.ok(["backup", "--to", early])
    try pharmacy.recordStandardBatch()
    let late = pharmacy.folder.appendingPathComponent("late.sqlite").path
    try pharmacy.ok(["backup", "--to", late])
    try pharmacy.ok(["restore", "--from", early, "--by", "dchen"])
    let lateDump = try dump(pharmacy, late)
    #expect(try pharmacy.refused(["backup", "--to", late, "--update"]).contains("is not this database's"))
    #expect(try dump(pharmacy, late) == lateDump)

    // A database changed outside compound is not copied: the backup stays as it was.
    try pharmacy.ok(["backup", "--to", early, "--update"])
    try pharmacy.ok(["audit", "verify"])
    try pharmacy.recordStandardBatch()
    try pharmacy.sqlite("UPDATE patient SET name = 'Someone Else' WHERE id = 1")
    let earlyDump = try dump(pharmacy, early)
    #expect(try pharmacy.refused(["backup", "--to", early, "--update"]).contains("does not verify"))
    #expect(try dump(pharmacy, early) == earlyDump)
  }

  @Test(
    "restore refuses a damaged file, a foreign SQLite file and one from a newer compound, changing nothing",
    Pharmacy.fileOnly)
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

  @Test("the daily doctor compares the stock moved since the checkpoint, and all of it after a write outside compound")
  func doctorStockSinceCheckpoint() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.receive("AVICEL-PH102", lot: "AV-2", expiry: "2029-03-31", quantity: "100g")
    let other = try #require(try pharmacy.lotNumbers()["AV-2"])
    try pharmacy.ok(["audit", "verify"])
    // A batch since the checkpoint moves the naltrexone, Avicel and capsule lots; the second Avicel lot, which it
    // did not touch, is then changed with the sqlite3 shell: the stock's write count gives it away.
    try pharmacy.recordStandardBatch()
    #expect(try pharmacy.ok(["doctor"]).stdout.contains("all checks passed"))
    try pharmacy.sqlite(
      "UPDATE stock SET on_hand = on_hand + 7 WHERE lot_id = (SELECT id FROM lot WHERE lot_number = '\(other)')")
    // Found again the next day: a check that finds stock off does not move the checkpoint past it.
    for _ in 0..<2 {
      let outcome = try pharmacy.run(["doctor"])
      #expect(outcome.status == 4)
      #expect(outcome.stdout.contains("lot \(other) shows "), "\(outcome.stdout)")
    }
  }

  @Test("doctor --full reads every page: a damaged index page is named by the integrity check", Pharmacy.fileOnly)
  func doctorFullReadsEveryPage() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    #expect(try pharmacy.ok(["doctor", "--full"]).stdout.contains("all checks passed: integrity ok"))
    // Damage the first page of an index the daily commands do not read, as a failing disk would.
    _ = try pharmacy.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
    let root = try #require(
      Int(
        try pharmacy.sqlite("SELECT rootpage FROM sqlite_master WHERE name = 'audit_by_actor'").output
          .trimmingCharacters(in: .whitespacesAndNewlines)))
    let file = try #require(FileHandle(forUpdatingAtPath: pharmacy.database))
    try file.seek(toOffset: UInt64((root - 1) * 4096))
    try file.write(contentsOf: Data(repeating: 0xFF, count: 16))
    try file.close()
    let outcome = try pharmacy.run(["doctor", "--full"])
    #expect(outcome.status == 4)
    #expect(outcome.stdout.contains("problem: integrity check:"), "\(outcome.stdout)\(outcome.stderr)")
  }

  @Test("today reads the fills waiting for their check from fill_pending; doctor --full finds one taken out")
  func pendingFills() throws {
    let pharmacy = try Pharmacy.filled()
    #expect(try pharmacy.ok(["today"]).stdout.contains("600001"))
    #expect(try pharmacy.ok(["doctor", "--full"]).status == 0)
    // Taken out behind compound's back, the fill no longer shows today: the weekly check names it.
    try pharmacy.sqlite("DELETE FROM fill_pending")
    #expect(try !pharmacy.ok(["today"]).stdout.contains("600001"))
    let outcome = try pharmacy.run(["doctor", "--full"])
    #expect(outcome.status == 4)
    #expect(outcome.stdout.contains("fill 1 has no final check but is missing from the fills waiting for one"))
    // Its final check ends the wait.
    try pharmacy.sqlite("INSERT INTO fill_pending VALUES (1)")
    let label = pharmacy.folder.appendingPathComponent("label.pdf").path
    try pharmacy.ok(["label", "print", "--fill", "1", "--format", "pdf", "--out", label, "--by", "mtorres"])
    try pharmacy.ok(["rx", "check", "1", "--by", "dchen"])
    #expect(try pharmacy.sqlite("SELECT count(*) FROM fill_pending").output.hasPrefix("0"))
    #expect(try !pharmacy.ok(["today"]).stdout.contains("600001"))
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
