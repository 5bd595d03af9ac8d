import Foundation
import Testing

@testable import Store

@Suite("Audit trail and signatures")
struct AuditTests {
  @Test("every change is a chained entry: who, when, the command, the row before and after")
  func entries() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.verifiedBatch()
    let entries = try pharmacy.ok(["audit", "log", "--lot", lot, "--json"]).jsonArray()
    let release = try #require(
      entries.first {
        ($0["command"] as? String)?.hasPrefix("compound batch release") == true && $0["table"] as? String == "batch"
      })
    #expect(release["actor"] as? String == "dchen")
    // Each write is stamped with the signer it is given: a waste names who recorded it, never the witness.
    let shells = try #require(try pharmacy.lotNumbers()["CP-1"])
    try pharmacy.ok([
      "stock", "waste", shells, "--quantity", "2count", "--reason", "crushed", "--witness", "dchen", "--by", "mtorres",
    ])
    let waste = try pharmacy.ok(["audit", "log", "--json"]).jsonArray().filter {
      ($0["command"] as? String)?.hasPrefix("compound stock waste") == true
    }
    #expect(!waste.isEmpty && waste.allSatisfy { $0["actor"] as? String == "mtorres" })
    #expect(release["operation"] as? String == "update")
    #expect(release["at"] as? String == "2026-11-22T21:00:00Z")
    let before = try #require((release["before"] as? String).map { Data($0.utf8) })
    let after = try #require((release["after"] as? String).map { Data($0.utf8) })
    #expect((try JSONSerialization.jsonObject(with: before) as? [String: Any])?["status"] as? String == "quarantined")
    #expect((try JSONSerialization.jsonObject(with: after) as? [String: Any])?["status"] as? String == "released")
    // The record, its components, movements, weight check, verification and status change are all there.
    let tables = Set(entries.compactMap { $0["table"] as? String })
    #expect(tables.isSuperset(of: ["batch", "batch_component", "movement", "weight_check", "status_change"]))
    #expect(entries.allSatisfy { ($0["lot"] as? String) == lot })
    // One command is one transaction; the chain links each entry to the one before.
    let all = try pharmacy.ok(["audit", "log", "--json"]).jsonArray()
    #expect(all.map { $0["id"] as? Int } == Array(1...all.count).map { $0 })
    for (earlier, later) in zip(all, all.dropFirst()) {
      #expect(later["previousHash"] as? String == earlier["hash"] as? String)
    }
    let verified = try pharmacy.ok(["audit", "verify"]).stdout
    #expect(verified.contains("audit trail intact: \(all.count) entries"))
    let text = try pharmacy.ok(["audit", "log", "--lot", lot]).stdout
    #expect(text.contains("status quarantined -> released"))
    #expect(text.contains("2026-11-22 15:00 -06:00  dchen  compound batch release \(lot) --by dchen"))
  }

  @Test("every table of records is audited: a new table must join AuditTrail.tables", Pharmacy.fileOnly)
  func coverage() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.ok(["init", "--training"])
    let tables = try pharmacy.sqlite(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('grdb_migrations', 'audit') ORDER BY name"
    ).output.split(separator: "\n").map(String.init)
    #expect(
      tables == (AuditTrail.tables.map(\.name) + AuditTrail.contentAddressed + AuditTrail.bookkeeping).sorted())
  }

  @Test("audit log --since keeps the day's entries in the pharmacy's time zone")
  func since() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    pharmacy.now = "2026-11-23T00:30:00-06:00"
    try pharmacy.checkBalances()
    try pharmacy.recordStandardBatch()
    let entries = try pharmacy.ok(["audit", "log", "--since", "2026-11-23", "--json"]).jsonArray()
    #expect(!entries.isEmpty)
    let commands = entries.compactMap { $0["command"] as? String }
    #expect(commands.contains { $0.hasPrefix("compound batch record") })
    #expect(commands.allSatisfy { $0.hasPrefix("compound batch record") || $0.hasPrefix("compound balance check") })
    #expect(try pharmacy.ok(["audit", "log", "--since", "2026-11-24"]).stdout.hasPrefix("no audit entries"))
    #expect(try pharmacy.refused(["audit", "log", "--since", "2026-02-30"]).contains("--since"))
  }

  @Test(
    "a change made behind compound's back is found and the first entry it breaks is named", Pharmacy.fileOnly,
    arguments: [
      ("UPDATE lot SET cost_cents = 1 WHERE id = 1", "lot row 1 no longer matches audit entry"),
      (
        "DROP TRIGGER batch_record_is_final; UPDATE batch SET actual_yield = 29 WHERE id = 1",
        "batch row 1 no longer matches audit entry"
      ),
      (
        "DROP TRIGGER audit_entries_never_change; UPDATE audit SET actor = 'aokafor' WHERE id = 5",
        "audit entry #5 (insert"
      ),
      ("DROP TRIGGER audit_entries_are_kept; DELETE FROM audit WHERE id = 7", "audit entry #7 is missing"),
      (
        "DROP TRIGGER movements_are_append_only_delete; DELETE FROM movement WHERE id = 2",
        "movement row 2 of audit entry"
      ),
      (
        "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by) VALUES (1, 'adjusted', 5, 'x', 'x')",
        "has no audit entry: it was added outside compound"
      ),
      (
        "INSERT INTO prescriber (name, npi, phone, created_at) VALUES ('X', '1234567893', '', '')", "has no audit entry"
      ),
    ])
  func tampering(sql: String, named: String) throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    try pharmacy.verifiedBatch()
    try pharmacy.ok(["audit", "verify"])
    let result = try pharmacy.sqlite(sql)
    #expect(result.status == 0, "\(result.output)")
    let outcome = try pharmacy.run(["audit", "verify"])
    #expect(outcome.status == 5)
    #expect(outcome.stderr.hasPrefix("error: "))
    #expect(outcome.stderr.contains(named), "\(outcome.stderr)")
    #expect(outcome.stderr.split(separator: "\n").count == 1)
    // The full check (the records compared on a second connection while the chain is walked) names it too.
    let full = try pharmacy.run(["audit", "verify", "--full"])
    #expect(full.status == 5)
    #expect(full.stderr.contains(named), "\(full.stderr)")
    let doctor = try pharmacy.run(["doctor"])
    #expect(doctor.status == 4)
    #expect(doctor.stdout.contains("audit: "))
  }

  @Test(
    "an update keeps what changed; verify starts from its checkpoint; a row changed outside compound stops writes",
    Pharmacy.fileOnly)
  func changesAndCheckpoints() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.verifiedBatch()
    let release = try #require(
      try pharmacy.ok(["audit", "log", "--lot", lot, "--json"]).jsonArray().first {
        ($0["command"] as? String)?.hasPrefix("compound batch release") == true && $0["table"] as? String == "batch"
      })
    // The release changed the status alone: the entry holds that, not the plan, with the whole row's SHA-256.
    let after = try #require((release["after"] as? String).map { Data($0.utf8) })
    #expect((try JSONSerialization.jsonObject(with: after) as? [String: Any])?.keys.sorted() == ["status"])
    #expect((release["rowSHA256"] as? String)?.count == 64)
    #expect(try pharmacy.ok(["audit", "verify"]).stdout.contains("checked every entry"))
    try pharmacy.ok(["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12"])
    let since = try pharmacy.ok(["audit", "verify"]).stdout
    #expect(since.contains("checked the 1 entries since the checkpoint"), "\(since)")
    #expect(try pharmacy.ok(["audit", "verify", "--full"]).stdout.contains("entries/s"))
    // A batch row changed with the sqlite3 shell: the next write to it is refused, and the check after a
    // checkpoint still finds it, through the batch table's write tally.
    let tampered = try pharmacy.sqlite(
      "DROP TRIGGER batch_record_is_final; UPDATE batch SET actual_yield = 29 WHERE lot_number = '\(lot)'")
    #expect(tampered.status == 0, "\(tampered.output)")
    let refusal = try pharmacy.refused(["recall", lot, "--hold", "--reason", "supplier notice", "--by", "dchen"])
    #expect(refusal.contains("batch row 1 was changed outside compound since its last audit entry"), "\(refusal)")
    let found = try pharmacy.run(["audit", "verify"])
    #expect(found.status == 5)
    #expect(found.stderr.contains("batch row 1 no longer matches audit entry"), "\(found.stderr)")
  }

  @Test("signed actions need the signer's own PIN; a wrong or missing PIN signs nothing")
  func pins() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
    // dchen's action with aokafor's PIN, an empty PIN, or none at all.
    #expect(
      try pharmacy.refusedSignature(["batch", "verify", lot, "--by", "dchen"], environment: ["COMPOUND_PIN": "864209"])
        .contains("wrong PIN for dchen"))
    #expect(
      try pharmacy.refusedSignature(["batch", "verify", lot, "--by", "dchen"], environment: ["COMPOUND_PIN": ""])
        .contains("wrong PIN"))
    // Without a terminal to ask at (as under CI), a missing COMPOUND_PIN is refused, naming it.
    #expect(
      try pharmacy.refused(
        ["batch", "verify", lot, "--by", "dchen"], environment: ["COMPOUND_PIN": Pharmacy.unset], withoutTerminal: true
      ).contains("COMPOUND_PIN"))
    try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])
    // Every write is signed: release, and a hold too.
    #expect(
      try pharmacy.refusedSignature(
        ["batch", "release", lot, "--by", "aokafor"], environment: ["COMPOUND_PIN": "135790"]
      )
      .contains("wrong PIN for aokafor"))
    #expect(
      try pharmacy.refusedSignature(
        ["batch", "hold", lot, "--by", "mtorres", "--reason", "label check"], environment: ["COMPOUND_PIN": ""]
      ).contains("wrong PIN for mtorres"))
    try pharmacy.ok(["batch", "hold", lot, "--by", "mtorres", "--reason", "label check"])
    // PINs are kept only as salted yescrypt hashes: never the PIN, and two equal PINs hash differently.
    let hashes = try pharmacy.sqlite("SELECT pin_hash FROM app_user ORDER BY id").output.split(separator: "\n")
    #expect(hashes.count == 3)
    #expect(hashes.allSatisfy { $0.hasPrefix("$y$") && !$0.contains("135790") })
    try pharmacy.ok(
      ["user", "add", "jlee", "--name", "Jin Lee, PharmD", "--role", "pharmacist", "--by", "dchen"],
      environment: ["COMPOUND_NEW_PIN": "135790"])
    let again = try pharmacy.sqlite("SELECT pin_hash FROM app_user WHERE login IN ('dchen', 'jlee')").output
      .split(separator: "\n")
    #expect(again.count == 2 && again[0] != again[1])
  }

  @Test("a PIN hashed beside the work: a wrong one stops the print before its file and wins over a later refusal")
  func pinBesideTheWork() throws {
    let pharmacy = try Pharmacy.filled()
    let pdf = pharmacy.folder.appendingPathComponent("label.pdf")
    let print = ["label", "print", "--fill", "1", "--format", "pdf", "--out", pdf.path, "--by", "mtorres"]
    // The label is rendered while the PIN is hashed, but neither the log nor the file comes before the verdict.
    #expect(
      try pharmacy.refusedSignature(print, environment: ["COMPOUND_PIN": "135790"]).contains("wrong PIN for mtorres"))
    #expect(!FileManager.default.fileExists(atPath: pdf.path))
    // A command refused for another reason after the signer names the wrong PIN, and records it.
    let missing = ["label", "print", "--fill", "99", "--format", "pdf", "--out", pdf.path, "--by", "mtorres"]
    #expect(
      try pharmacy.refusedSignature(missing, environment: ["COMPOUND_PIN": "135790"]).contains("wrong PIN for mtorres"))
    #expect(try pharmacy.refused(missing).contains("fill 99"))
    // Two wrong PINs so far: the third says how many are left; the right PIN still prints.
    #expect(
      try pharmacy.refusedSignature(print, environment: ["COMPOUND_PIN": "000000"]).contains("2 more wrong PINs"))
    try pharmacy.ok(print)
    #expect(FileManager.default.fileExists(atPath: pdf.path))
  }

  @Test("users: the first is a pharmacist; a pharmacist signs for the rest; a disabled user records and signs nothing")
  func users() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.ok(["init", "--training"])
    #expect(
      try pharmacy.refused(
        ["user", "add", "mtorres", "--name", "Maria Torres", "--role", "technician"],
        environment: ["COMPOUND_NEW_PIN": "246801"]
      ).contains("first user must be a pharmacist"))
    #expect(
      try pharmacy.refused(
        ["user", "add", "dchen", "--name", "David Chen", "--role", "pharmacist"],
        environment: ["COMPOUND_NEW_PIN": "12"]
      ).contains("6 to 12 digits"))
    try pharmacy.ok(
      ["user", "add", "dchen", "--name", "David Chen, PharmD", "--role", "pharmacist"],
      environment: ["COMPOUND_NEW_PIN": "135790"])
    #expect(
      try pharmacy.refused(
        ["user", "add", "mtorres", "--name", "Maria Torres", "--role", "technician"],
        environment: ["COMPOUND_NEW_PIN": "246801"]
      ).contains("--by"))
    try pharmacy.ok(
      ["user", "add", "mtorres", "--name", "Maria Torres, CPhT", "--role", "technician", "--by", "dchen"],
      environment: ["COMPOUND_NEW_PIN": "246801"])
    #expect(
      try pharmacy.refused(
        ["user", "add", "aokafor", "--name", "Amara Okafor", "--role", "pharmacist", "--by", "mtorres"],
        environment: ["COMPOUND_NEW_PIN": "864209"]
      ).contains("only a pharmacist adds users"))
    #expect(
      try pharmacy.refused(
        ["user", "add", "MTORRES", "--name", "Someone Else", "--role", "technician", "--by", "dchen"],
        environment: ["COMPOUND_NEW_PIN": "246801"]
      ).contains("already exists"))
    #expect(
      try pharmacy.refused(["user", "disable", "dchen", "--reason", "left", "--by", "dchen"]).contains(
        "last active pharmacist"))
    try pharmacy.ok(["user", "disable", "mtorres", "--reason", "left the pharmacy", "--by", "dchen"])
    #expect(
      try pharmacy.refused(["ingredient", "add", "X", "--name", "X", "--kind", "api", "--by", "mtorres"]).contains(
        "disabled"))
    // A disabled pharmacist cannot sign, even with the right PIN.
    try pharmacy.ok(
      ["user", "add", "aokafor", "--name", "Amara Okafor, PharmD", "--role", "pharmacist", "--by", "dchen"],
      environment: ["COMPOUND_NEW_PIN": "864209"])
    try pharmacy.ok(["user", "disable", "aokafor", "--reason", "moved away", "--by", "dchen"])
    #expect(
      try pharmacy.refused(
        ["user", "add", "jlee", "--name", "Jin Lee", "--role", "technician", "--by", "aokafor"],
        environment: ["COMPOUND_NEW_PIN": "111111"]
      ).contains("aokafor was disabled"))
    let listed = try pharmacy.ok(["user", "list", "--json"]).jsonArray()
    #expect(listed.count == 3)
    let torres = try #require(listed.first { ($0["user"] as? [String: Any])?["id"] as? String == "mtorres" })
    #expect(torres["active"] as? Bool == false)
    #expect(torres["disabledReason"] as? String == "left the pharmacy")
    // Users are never deleted, even with the sqlite3 shell (the trigger refuses).
    #expect(try pharmacy.sqlite("DELETE FROM app_user WHERE login = 'mtorres'").status != 0)
    try pharmacy.ok(["audit", "verify"])
  }

  @Test("at a terminal the PIN is asked for without echo; a user changes their PIN, a pharmacist resets one")
  func terminal() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
    var environment = ProcessInfo.processInfo.environment
    environment["COMPOUND_NOW"] = pharmacy.now
    environment["COMPOUND_PIN"] = nil
    environment["COMPOUND_NEW_PIN"] = nil
    let global = ["--db", pharmacy.database, "--config", pharmacy.settings]
    let binary = Pharmacy.binary.path
    let verify = try Terminal.run(
      [binary, "batch", "verify", lot, "--by", "dchen"] + global, answers: ["135790"], environment: environment)
    #expect(verify.status == 0, "\(verify.screen)")
    #expect(verify.screen.contains("PIN for dchen to verify batch \(lot): "))
    #expect(verify.screen.contains("verified \(lot)"))
    #expect(!verify.screen.contains("135790"), "the PIN was echoed: \(verify.screen)")
    // A user sets a new PIN with the old one; the old one then signs nothing.
    let change = try Terminal.run(
      [binary, "user", "pin", "aokafor"] + global, answers: ["864209", "975310", "975310"], environment: environment)
    #expect(change.status == 0, "\(change.screen)")
    #expect(!change.screen.contains("975310"))
    #expect(
      try pharmacy.refusedSignature(
        ["batch", "release", lot, "--by", "aokafor"], environment: ["COMPOUND_PIN": "864209"]
      )
      .contains("wrong PIN"))
    // A technician cannot reset someone else's PIN; a pharmacist can, for one use only: the reset PIN signs
    // nothing until its owner chooses their own.
    #expect(
      try pharmacy.refused(["user", "pin", "aokafor", "--by", "mtorres"], environment: ["COMPOUND_NEW_PIN": "111111"])
        .contains("only aokafor or a pharmacist"))
    try pharmacy.ok(["user", "pin", "aokafor", "--by", "dchen"], environment: ["COMPOUND_NEW_PIN": "555666"])
    #expect(
      try pharmacy.refused(["batch", "release", lot, "--by", "aokafor"], environment: ["COMPOUND_PIN": "555666"])
        .contains("aokafor's PIN was reset by dchen: it signs nothing until aokafor chooses their own"))
    try pharmacy.ok(
      ["user", "pin", "aokafor"], environment: ["COMPOUND_PIN": "555666", "COMPOUND_NEW_PIN": "864209"])
    try pharmacy.ok(["batch", "release", lot, "--by", "aokafor"])
    try pharmacy.ok(["audit", "verify"])
  }

  @Test("a pharmacist cannot verify the batch they compounded")
  func ownBatch() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch(by: "dchen")
    try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
    #expect(try pharmacy.refused(["batch", "verify", lot, "--by", "dchen"]).contains("dchen"))
    try pharmacy.ok(["batch", "verify", lot, "--by", "aokafor"])
  }

  @Test(
    "a database from before the audit trail starts it with a baseline entry per record, then chains on",
    Pharmacy.fileOnly)
  func upgrade() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.recordStandardBatch()
    try pharmacy.ok(["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12"])
    // Take the file back to schema v6: no users, no audit trail, none of v8's guards, and v3's medication and
    // allergy lists as JSON on the patient row, as an old pharmacy's file holds them.
    let v8 = [
      "ingredients_are_kept", "lots_are_kept", "batch_components_never_change", "batch_components_are_kept",
      "weight_checks_never_change", "weight_checks_are_kept", "patients_are_kept", "prescribers_are_kept",
      "prescriptions_are_kept",
    ]
    let v9 = [
      "patient_entries_keep_what_was_typed", "patient_entries_are_kept", "clinical_rules_never_change",
      "clinical_rules_are_kept", "prescription_ends_are_final", "prescription_ends_are_kept", "fill_voids_are_final",
      "fill_voids_are_kept", "fill_checks_are_final", "fill_checks_are_kept", "fill_checked_by_another",
      "batch_rules_version_is_final", "installation_never_changes", "installation_is_kept",
      "signature_failures_never_change", "signature_failures_are_kept", "restores_never_change", "restores_are_kept",
      "label_delivery_failures_never_change", "label_delivery_failures_are_kept",
      // v11
      "batch_verifier_is_another",
    ]
    // The stores' tables go with their tally triggers.
    let tallied = AuditTrail.tables.map(\.name).filter { !AuditTrail.storeTables.contains($0) } + ["audit"]
    let v13 =
      // v15 first: no stores; then v14: no fills waiting in a table of their own, no indexes for today.
      """
      DROP TABLE store_record; DROP TABLE store;
      DROP TRIGGER fill_waits_for_its_check; DROP TRIGGER fill_check_ends_the_wait;
      DROP TRIGGER fill_void_ends_the_wait; DROP TABLE fill_pending;
      DROP INDEX batch_quarantined; DROP INDEX balance_check_on_day;
      """
      // v13: stock back on the lot and batch rows, kept by their old triggers; no tally, no checkpoints.
      + (tallied.flatMap { table in ["insert", "update", "delete"].map { "DROP TRIGGER audit_tally_\(table)_\($0);" } }
      + [
        "lot_has_stock", "batch_has_stock", "movement_keeps_lot_stock", "movement_keeps_batch_stock", "stock_is_kept",
        "stock_follows_movements", "audit_checkpoints_never_change", "audit_checkpoints_are_kept",
      ].map { "DROP TRIGGER \($0);" }).joined()
        + """
        ALTER TABLE lot ADD COLUMN on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0);
        UPDATE lot SET on_hand = (SELECT on_hand FROM stock WHERE lot_id = lot.id);
        ALTER TABLE batch ADD COLUMN on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0);
        UPDATE batch SET on_hand = (SELECT on_hand FROM stock WHERE batch_id = batch.id);
        DROP TABLE stock; DROP TABLE audit_tally; DROP TABLE audit_checkpoint;
        DROP INDEX fill_by_time; DROP INDEX batch_by_time;
        DROP INDEX prescription_by_patient;
        CREATE TRIGGER movement_keeps_lot_on_hand AFTER INSERT ON movement WHEN NEW.lot_id IS NOT NULL
        BEGIN UPDATE lot SET on_hand = on_hand + NEW.quantity WHERE id = NEW.lot_id; END;
        CREATE TRIGGER movement_keeps_batch_on_hand AFTER INSERT ON movement WHEN NEW.batch_id IS NOT NULL
        BEGIN UPDATE batch SET on_hand = on_hand + NEW.quantity WHERE id = NEW.batch_id; END;
        """
    let downgrade =
      v13
      // v12's receipt guard first, so that the lots can lose the certificates v12's table held.
      + "DROP TRIGGER lot_receipt_is_final; UPDATE lot SET certificate_sha256 = NULL;"
      + (v8 + v9).map { "DROP TRIGGER \($0);" }.joined()
      + [
        "patient_entry", "clinical_rules", "prescription_end", "fill_void", "fill_check", "installation",
        "signature_failure", "restore_log", "label_delivery_failure",
        // v12 (its rebuilt lot table keeps its new columns: v12 copies the old ones by name when it runs again)
        "balance_check", "certificate", "trituration_assay", "trituration", "trituration_formula",
      ].map { "DROP TABLE \($0);" }
      .joined()
        + """
        ALTER TABLE batch DROP COLUMN rules_version; ALTER TABLE fill DROP COLUMN rules_version;
        ALTER TABLE patient ADD COLUMN allergies TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE patient ADD COLUMN medications TEXT NOT NULL DEFAULT '[]';
        UPDATE patient SET medications = '["Norco 10/325", "Warfarin 5 mg"]', allergies = '["gelatin"]';
        DROP TABLE audit; DROP TABLE app_user; DELETE FROM grdb_migrations WHERE identifier >= 'v7' OR identifier LIKE 'v1_ %';
        """
    let done = try pharmacy.sqlite(downgrade)
    #expect(done.status == 0, "\(done.output)")
    // An upgraded file is a pharmacy's, not a training one: from here on the real clock runs.
    pharmacy.fixedClock = false
    let records = try pharmacy.sqlite(
      "SELECT (SELECT count(*) FROM ingredient) + (SELECT count(*) FROM lot) + (SELECT count(*) FROM formula) + (SELECT count(*) FROM batch) + (SELECT count(*) FROM batch_component) + (SELECT count(*) FROM status_change) + (SELECT count(*) FROM movement) + (SELECT count(*) FROM patient)"
    ).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let lots =
      Int(try pharmacy.sqlite("SELECT count(*) FROM lot").output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    // v9 changes the batch and patient rows' columns, so it records them again, with the three new entries;
    // v10 records the installation; v12 rebuilds the lot table, so it records the lots again.
    // v13 records every row once more, with its SHA-256 (the patient entries and the installation among them).
    let expected = (Int(records) ?? 0) + 1 + 1 + 3 + 1 + lots + (Int(records) ?? 0) + 3 + 1

    let verified = try pharmacy.ok(["audit", "verify"]).stdout
    #expect(verified.contains("audit trail intact: \(expected) entries"), "\(verified)")
    let entries = try pharmacy.ok(["audit", "log", "--json"]).jsonArray()
    #expect(entries.allSatisfy { $0["operation"] as? String == "baseline" && $0["actor"] as? String == "compound" })
    // The lists became entries, read through the vocabulary once rules are imported.
    let shown = try pharmacy.ok(["patient", "show", "1", "--json"]).json()
    let texts = (shown["entries"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
    #expect(texts == ["Norco 10/325", "Warfarin 5 mg", "gelatin"])
    // An upgraded file has no clinical rules: checks refuse until a pharmacist imports them.
    #expect(
      try pharmacy.refused(["batch", "plan", "--formula", "LDN45", "--quantity", "30"]).contains("no clinical rules"))
    // The trail goes on from there.
    try pharmacy.ok(
      ["user", "add", "dchen", "--name", "David Chen", "--role", "pharmacist"],
      environment: ["COMPOUND_NEW_PIN": "135790"])
    let after = try pharmacy.ok(["audit", "log", "--json"]).jsonArray()
    #expect(after.count == entries.count + 1)
    #expect(after.last?["previousHash"] as? String == entries.last?["hash"] as? String)
    // A patient added before the rules are imported is stored, with a warning, not an error after the write.
    let early = try pharmacy.ok(["patient", "add", "--name", "Early Patient", "--dob", "1970-01-01", "--by", "dchen"])
    #expect(early.stdout.contains("no clinical rules"))
    try pharmacy.ok(["rules", "import", "--by", "dchen"])
    #expect(
      try pharmacy.ok(["patient", "show", "1"]).stdout.contains("[1] Norco 10/325 = hydrocodone + acetaminophen"))
    try pharmacy.ok(["doctor"])
  }

  @Test("settings that still list [[users]] are refused with the way to add them now")
  func usersInSettings() throws {
    let pharmacy = try Pharmacy(settings: "[[users]]\nid = \"x\"\nname = \"X\"\nrole = \"technician\"\n")
    let outcome = try pharmacy.run(["batch", "list"])
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("compound user add"))
  }
}
