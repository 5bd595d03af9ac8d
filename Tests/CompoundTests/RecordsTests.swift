import Foundation
import Testing

@Suite("Records that cannot be lost, forged or signed by the wrong person")
struct RecordsTests {
  /// A pharmacy with the demo's catalog, formulas, users and one released batch.
  func pharmacy() throws -> (Pharmacy, lot: String) {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    return (pharmacy, try pharmacy.verifiedBatch())
  }

  @Test(
    "--out and --to never destroy anything: the database, its sidecars, a folder, a device, links, a file",
    Pharmacy.fileOnly)
  func outputsNeverDestroy() throws {
    let (pharmacy, lot) = try pharmacy()
    try pharmacy.sqlite("PRAGMA journal_mode=WAL; SELECT 1;")
    let folder = pharmacy.folder.path
    let existing = pharmacy.folder.appendingPathComponent("existing.pdf").path
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("compound-link-\(UUID())")
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: outside) }
    let link = outside.appendingPathComponent("label.pdf").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: pharmacy.database)
    let hardLink = pharmacy.folder.appendingPathComponent("hard.sqlite").path
    #expect(Foundation.link(pharmacy.database, hardLink) == 0)
    let cases: [(String, String)] = [
      (pharmacy.database, "is the database"), (pharmacy.database + "-wal", "-wal file"),
      (pharmacy.database + "-journal", "-journal file"), (folder, "is a folder"), ("/dev/null", "not a regular file"),
      (existing, "already exists"), (link, "outside its folder"), (hardLink, "under another name"),
    ]
    for (target, reason) in cases {
      let commands: [[String]] = [
        ["label", "print", "--batch", lot, "--format", "text", "--out", target, "--by", "mtorres"],
        ["label", "print", "--batch", lot, "--format", "pdf", "--out", target, "--by", "mtorres"],
        ["inventory", "export", "--month", "2026-11", "--out", target],
        ["recall", lot, "--out", target],
        ["audit", "anchor", "--out", target],
        ["backup", "--to", target],
      ]
      for command in commands {
        let error = try pharmacy.refused(command)
        #expect(error.contains(reason), "\(command.joined(separator: " ")): \(error)")
      }
    }
    #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    // --force replaces an ordinary file, and only that.
    try pharmacy.ok(["inventory", "export", "--month", "2026-11", "--out", existing, "--force"])
    #expect(
      try pharmacy.refused(["inventory", "export", "--month", "2026-11", "--out", pharmacy.database, "--force"])
        .contains("is the database"))
    try pharmacy.ok(["doctor"])
  }

  @Test("a zero-byte, partial or foreign file given as --db is refused and left as it was", Pharmacy.fileOnly)
  func onlyCompoundFilesOpen() throws {
    let (pharmacy, _) = try pharmacy()
    let empty = pharmacy.folder.appendingPathComponent("empty.sqlite").path
    FileManager.default.createFile(atPath: empty, contents: Data())
    let partial = pharmacy.folder.appendingPathComponent("partial.sqlite").path
    let whole = try Data(contentsOf: URL(fileURLWithPath: pharmacy.database))
    try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: partial))
    let text = pharmacy.folder.appendingPathComponent("notes.txt").path
    try String(repeating: "not a database\n", count: 100).write(toFile: text, atomically: true, encoding: .utf8)
    for (file, reason) in [(empty, "is empty"), (partial, "cannot open the database"), (text, "not a SQLite database")]
    {
      let before = try Data(contentsOf: URL(fileURLWithPath: file))
      for command in [["audit", "verify"], ["doctor"], ["batch", "list"], ["init", "--training"]] {
        let outcome = try pharmacy.run(command + ["--db", file, "--config", pharmacy.settings], global: false)
        #expect(outcome.status != 0, "\(command) on \(file)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(
          outcome.stderr.contains(reason) || outcome.stderr.contains("already exists")
            || outcome.stderr.contains("not a compound database") || outcome.stderr.contains("malformed"),
          "\(command): \(outcome.stderr)")
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "\(file) was changed")
    }
  }

  @Test(
    "a backup is checked before it gets its name; a restore is signed, checked, recorded and keeps the old file",
    Pharmacy.fileOnly)
  func backupAndRestore() throws {
    let (pharmacy, _) = try pharmacy()
    let backup = pharmacy.folder.appendingPathComponent("monday.sqlite").path
    let made = try pharmacy.ok(["backup", "--to", backup])
    #expect(made.stdout.contains("audit trail of"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path).filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
    #expect(try pharmacy.refused(["backup", "--to", backup]).contains("already exists"))
    let head = try pharmacy.sqlite("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").output
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try pharmacy.ok(["patient", "add", "--name", "After Backup", "--dob", "1970-01-01"])
    // A technician cannot restore; a pharmacist signs it.
    #expect(try pharmacy.refused(["restore", "--from", backup, "--by", "mtorres"]).contains("only a pharmacist"))
    let restored = try pharmacy.ok(["restore", "--from", backup, "--by", "dchen"])
    #expect(restored.stdout.contains("the replaced database"))
    #expect(try pharmacy.ok(["patient", "find", "After Backup"]).stdout.contains("no patient matches"))
    let log = try pharmacy.ok(["audit", "log"]).stdout
    #expect(log.contains("dchen  restore from \(backup)"), "\(log.suffix(400))")
    #expect(try pharmacy.sqlite("SELECT backup_head FROM restore_log").output.contains(head))
    try pharmacy.ok(["audit", "verify"])
    let kept = try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path).filter {
      $0.contains(".before-restore-")
    }
    #expect(kept.count == 1)
    // A second restore within the same second keeps its own copy of what it replaced.
    try pharmacy.ok(["restore", "--from", backup, "--by", "dchen"])
    let keptTwice = try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path).filter {
      $0.contains(".before-restore-")
    }
    #expect(keptTwice.count == 2 && keptTwice.contains { $0.hasSuffix("-2") }, "\(keptTwice)")
    // A damaged file, another pharmacy's, and one with no users are refused.
    let damaged = pharmacy.folder.appendingPathComponent("damaged.sqlite").path
    var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
    for index in stride(from: 8192, to: min(bytes.count, 16384), by: 7) { bytes[index] ^= 0x5A }
    try bytes.write(to: URL(fileURLWithPath: damaged))
    #expect(try pharmacy.refused(["restore", "--from", damaged, "--by", "dchen"]).contains("not restored"))
    let other = try Pharmacy()
    try other.initialize()
    let foreign = other.folder.appendingPathComponent("theirs.sqlite").path
    try other.ok(["backup", "--to", foreign])
    #expect(
      try pharmacy.refused(["restore", "--from", foreign, "--by", "dchen"]).contains("another pharmacy's database"))
    let bare = try Pharmacy()
    try bare.ok(["init", "--training"])
    let empty = bare.folder.appendingPathComponent("bare.sqlite").path
    #expect(FileManager.default.fileExists(atPath: bare.database))
    try FileManager.default.copyItem(atPath: bare.database, toPath: empty)
    #expect(
      try pharmacy.refused(["restore", "--from", empty, "--by", "dchen", "--foreign", "--reason", "test"]).contains(
        "no active pharmacist"))
    try pharmacy.ok(["restore", "--from", foreign, "--by", "dchen", "--foreign", "--reason", "merging the branch"])
    try pharmacy.ok(["audit", "verify"])
  }

  @Test(
    "forgery behind compound's back is found: dropped triggers, a promoted technician, a cut tail, a lost trail",
    Pharmacy.fileOnly)
  func forgeries() throws {
    let (pharmacy, _) = try pharmacy()
    let anchor = pharmacy.folder.appendingPathComponent("anchor.json").path
    try pharmacy.ok(["audit", "anchor", "--out", anchor])
    #expect(try pharmacy.ok(["audit", "verify", "--anchor", anchor]).stdout.contains("the anchor's entry is there"))
    // A dropped protective trigger is named by doctor.
    try pharmacy.sqlite("DROP TRIGGER lots_are_kept;")
    let doctor = try pharmacy.run(["doctor"])
    #expect(doctor.status == 4)
    #expect(doctor.stdout.contains("trigger lots_are_kept is missing"))
    // A technician promoted with the shell: the trigger that refuses it is gone too, and both are found.
    try pharmacy.sqlite(
      "DROP TRIGGER users_keep_their_identity; UPDATE app_user SET role = 'pharmacist' WHERE login = 'mtorres';")
    let promoted = try pharmacy.run(["doctor"])
    #expect(promoted.stdout.contains("app_user row 2 no longer matches"))
    #expect(promoted.stdout.contains("trigger users_keep_their_identity is missing"))
    // Cutting the newest entries off with their records passes a plain verify, but not the anchor.
    let (other, _) = try self.pharmacy()
    let second = other.folder.appendingPathComponent("anchor.json").path
    try other.ok(["patient", "add", "--name", "Tail Patient", "--dob", "1970-01-01"])
    try other.ok(["audit", "anchor", "--out", second])
    let last = try other.sqlite("SELECT max(id) FROM audit").output.trimmingCharacters(in: .whitespacesAndNewlines)
    try other.sqlite(
      """
      DROP TRIGGER audit_entries_are_kept; DROP TRIGGER patients_are_kept; DROP TRIGGER patient_entries_are_kept;
      DELETE FROM audit WHERE table_name = 'patient' AND id = \(last); DELETE FROM patient;
      CREATE TRIGGER audit_entries_are_kept BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit trail is kept: it is a legal record'); END;
      """)
    let cut = try other.run(["audit", "verify", "--anchor", second])
    #expect(cut.status == 5)
    #expect(cut.stderr.contains("the anchor names audit entry #\(last), but the trail now ends"), "\(cut.stderr)")
    // A trail dropped with its migration history is never rebuilt from the records as they now are.
    let (lost, _) = try self.pharmacy()
    try lost.sqlite("DROP TABLE audit; DELETE FROM grdb_migrations WHERE identifier >= 'v7';")
    let reopened = try lost.run(["batch", "list"])
    #expect(reopened.status != 0)
    #expect(reopened.stderr.contains("its history was removed outside compound"))
  }

  @Test("every write is signed; five wrong PINs lock; one person, one account; a reset PIN cannot verify by proxy")
  func signatures() throws {
    let (pharmacy, lot) = try pharmacy()
    // Recording a batch, a receipt, an adjustment: all need the named user's PIN.
    for command in [
      ["batch", "hold", lot, "--reason", "check", "--by", "mtorres"],
      [
        "lot", "receive", "--ingredient", "AVICEL-PH102", "--supplier", "X", "--supplier-lot", "Z-9", "--expiry",
        "2029-01-31", "--quantity", "10g", "--by", "mtorres",
      ],
    ] {
      #expect(
        try pharmacy.refusedSignature(command, environment: ["COMPOUND_PIN": "999999"]).contains(
          "wrong PIN for mtorres"))
    }
    for attempt in 2...3 {
      let error = try pharmacy.refusedSignature(
        ["batch", "hold", lot, "--reason", "check", "--by", "mtorres"], environment: ["COMPOUND_PIN": "99999\(attempt)"]
      )
      #expect(error.contains("wrong PIN for mtorres"))
    }
    // The fifth wrong PIN locks; then even the right PIN is refused, and that attempt is recorded too.
    #expect(
      try pharmacy.refusedSignature(
        ["batch", "hold", lot, "--reason", "check", "--by", "mtorres"], environment: ["COMPOUND_PIN": "999995"]
      ).contains("mtorres is now locked for 15 minutes"))
    #expect(
      try pharmacy.refusedSignature(["batch", "hold", lot, "--reason", "check", "--by", "mtorres"]).contains(
        "mtorres is locked after 5 wrong PINs until 2026-11-22 15:15 -06:00"))
    let failures = try pharmacy.ok(["audit", "log", "--json"]).jsonArray().filter {
      $0["table"] as? String == "signature_failure"
    }
    #expect(failures.count == 6)
    pharmacy.now = "2026-11-22T15:20:00-06:00"
    try pharmacy.ok(["batch", "hold", lot, "--reason", "check", "--by", "mtorres"])
    // No PIN hash ever leaves in the audit log.
    #expect(!(try pharmacy.ok(["audit", "log", "--json"]).stdout.contains("$y$")))
    // A second account for the same person is refused.
    #expect(
      try pharmacy.refused(
        ["user", "add", "dchen2", "--name", "david chen", "--role", "technician", "--by", "dchen"],
        environment: ["COMPOUND_NEW_PIN": "121212"]
      ).contains("one person has one account"))
    // dchen resets mtorres's PIN, sets it again through the reset one, records as mtorres, and tries to verify.
    try pharmacy.ok(["user", "pin", "mtorres", "--by", "dchen"], environment: ["COMPOUND_NEW_PIN": "424242"])
    try pharmacy.ok(["user", "pin", "mtorres"], environment: ["COMPOUND_PIN": "424242", "COMPOUND_NEW_PIN": "434343"])
    let proxy = try pharmacy.ok(
      [
        "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg",
        "--weighed", "AVICEL-PH102=7.7702g", "--yield", "30", "--by", "mtorres", "--json",
      ], environment: ["COMPOUND_PIN": "434343"]
    ).json()
    let proxyLot = try #require(proxy["lotNumber"] as? String)
    try pharmacy.ok(["batch", "weights", proxyLot, "--mg", Pharmacy.goodWeights])
    #expect(
      try pharmacy.refused(["batch", "verify", proxyLot, "--by", "dchen"]).contains(
        "dchen reset mtorres's PIN, and mtorres has not changed it twice since"))
    try pharmacy.ok(["batch", "verify", proxyLot, "--by", "aokafor"])
    // A witness signs with their own PIN.
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    let waste = [
      "stock", "waste", avicel, "--quantity", "1g", "--reason", "spill", "--witness", "aokafor", "--by",
      "mtorres",
    ]
    #expect(
      try pharmacy.refused(
        waste, environment: ["COMPOUND_PIN": "434343", "COMPOUND_WITNESS_PIN": Pharmacy.unset], withoutTerminal: true
      ).contains("COMPOUND_WITNESS_PIN"))
    #expect(
      try pharmacy.refusedSignature(waste, environment: ["COMPOUND_PIN": "434343", "COMPOUND_WITNESS_PIN": "000000"])
        .contains("wrong PIN for aokafor"))
    try pharmacy.ok(waste, environment: ["COMPOUND_PIN": "434343", "COMPOUND_WITNESS_PIN": "864209"])
    try pharmacy.ok(["audit", "verify"])
  }

  @Test("a corrupt stored value is an error naming the row, never a default", Pharmacy.fileOnly)
  func corruptValues() throws {
    let (pharmacy, lot) = try pharmacy()
    try pharmacy.sqlite("PRAGMA ignore_check_constraints = ON; UPDATE lot SET status = 'bogus' WHERE id = 1;")
    #expect(try pharmacy.refused(["lot", "list"]).contains("(row 1) has status 'bogus'"))
    try pharmacy.sqlite(
      "PRAGMA ignore_check_constraints = ON; UPDATE batch SET status = 'fine' WHERE lot_number = '\(lot)';")
    #expect(try pharmacy.refused(["batch", "show", lot]).contains("has status 'fine'"))
  }

  @Test("the clock: COMPOUND_NOW only on a training database, and never before the newest record")
  func clock() throws {
    let pharmacy = try Pharmacy()
    let real = ["COMPOUND_NOW": Pharmacy.unset]
    try pharmacy.ok(["init"], environment: real)
    #expect(
      try pharmacy.refused(["batch", "list"]).contains("COMPOUND_NOW is honoured only on a training database"))
    try pharmacy.ok(
      ["user", "add", "dchen", "--name", "David Chen", "--role", "pharmacist"],
      environment: real.merging(["COMPOUND_NEW_PIN": "135790"]) { $1 })
    let (training, lot) = try self.pharmacy()
    training.now = "2026-11-21T09:00:00-06:00"
    #expect(
      try training.refused(["batch", "hold", lot, "--reason", "x", "--by", "dchen"]).contains(
        "the clock reads 2026-11-21 09:00 -06:00, earlier than the newest record (2026-11-22 15:00 -06:00)"))
  }

  @Test("every label is logged before it leaves, a text label too; a failed delivery is logged as failed")
  func labelsLogged() throws {
    let (pharmacy, lot) = try pharmacy()
    let text = pharmacy.folder.appendingPathComponent("label.txt").path
    try pharmacy.ok(["label", "print", "--batch", lot, "--format", "text", "--out", text, "--by", "mtorres"])
    #expect(try pharmacy.sqlite("SELECT format, destination FROM label_print").output.contains("text|file \(text)"))
    try pharmacy.ok(["label", "print", "--batch", lot, "--by", "mtorres"])
    #expect(
      try pharmacy.sqlite("SELECT count(*) FROM label_print WHERE destination = 'terminal'").output.hasPrefix("1"))
    // A printer that is not there: the print is logged, then its failure.
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    let port = UInt16(bigEndian: address.sin_port)
    close(socket)
    let failed = try pharmacy.run(
      [
        "label", "print", "--batch", lot, "--format", "pdf", "--tcp", "127.0.0.1:\(port)", "--reason", "jam", "--by",
        "mtorres",
      ])
    #expect(failed.status != 0)
    #expect(failed.stderr.contains("logged as print"), "\(failed.stderr)")
    #expect(try pharmacy.sqlite("SELECT count(*) FROM label_delivery_failure").output.hasPrefix("1"))
    try pharmacy.ok(["audit", "verify"])
  }

  @Test("readers do not wait for a writer; a writer that waits says so, then gives up in one line", Pharmacy.fileOnly)
  func readersDoNotWait() throws {
    let (pharmacy, _) = try pharmacy()
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    holder.arguments = [pharmacy.database]
    let input = Pipe()
    holder.standardInput = input
    holder.standardOutput = FileHandle.nullDevice
    try holder.run()
    input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\n".utf8))
    usleep(300_000)
    let started = Date()
    let read = try pharmacy.run(["batch", "list"])
    #expect(read.status == 0, "\(read.stderr)")
    #expect(Date().timeIntervalSince(started) < 5)
    let write = try pharmacy.run(["patient", "add", "--name", "Waiting Writer", "--dob", "1970-01-01"])
    #expect(write.status != 0)
    #expect(write.stderr.contains("waiting for another compound command"))
    #expect(write.stderr.contains("busy"))
    input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
    try input.fileHandleForWriting.close()
    holder.waitUntilExit()
  }
}
