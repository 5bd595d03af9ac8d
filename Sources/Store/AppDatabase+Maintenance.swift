import Accounts
import CFileSystem
import Digest
import FileOutput
import Formulation
import Foundation
import GRDB
import Quality
import Quantities

#if canImport(Glibc)
  import Glibc
#endif

extension AppDatabase {
  /// Copies the database to a new file with SQLite's online backup, while others may be writing.
  ///
  /// The copy is written under a hidden temporary name beside the target, checked (integrity and the audit
  /// trail), flushed and only then put under its name in one step: nothing ever sits under a backup's name
  /// unchecked. A copy whose trail does not verify is not kept. The target is never overwritten.
  @discardableResult
  public func backup(to output: OutputPath) throws(StoreError) -> AuditReport {
    let temporary: String
    do {
      temporary = try OutputPath.temporary(beside: output.path)
    } catch {
      throw StoreError(error.message)
    }
    func discard() { for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) } }
    do {
      let destination = try DatabaseQueue(path: temporary)
      chmod(temporary, 0o600)
      try file(for: "backup").backup(to: destination)
      // Checked from the source's checkpoint; the copy keeps a checkpoint of its own at its head, where
      // `backup --update` will start.
      let check = try destination.inDatabase { db in try Self.integrity(db) }
      guard check == "ok" else {
        try? destination.close()
        discard()
        throw StoreError("the copy failed its integrity check (\(check)): no backup was written")
      }
      let report = try destination.write { db in
        let report = try AuditVerification.verify(db, full: false)
        try AuditVerification.save(
          db, report: report, tally: try AuditVerification.tally(db), full: false, at: Timestamp.string(Date()))
        return report
      }
      try destination.close()
      if let problem = report.problems.first {
        discard()
        throw StoreError(
          "the database's audit trail does not verify (\(problem)): no backup was written; run 'compound doctor', and keep the file itself as evidence"
        )
      }
      try output.publish(temporary)
      return report
    } catch let error as StoreError {
      discard()
      throw error
    } catch let error as OutputError {
      discard()
      throw StoreError(error.message)
    } catch {
      discard()
      throw StoreError("cannot back up to \(output.path): \(error)")
    }
  }

  /// What a restore did.
  public struct Restored: Sendable {
    /// Where the replaced database is kept, if there was one.
    public var kept: String?
    public var replacedHead: String?
    public var backupHead: String
    public var entries: Int64
  }

  /// Restores the database at `target` from a backup, signed by a pharmacist.
  ///
  /// The backup is checked first: a whole SQLite file, compound's, integrity and audit trail sound, this
  /// version's schema, with an active pharmacist, and from this pharmacy unless `foreignReason` is given. A
  /// copy of it, with a restore entry naming the backup and the replaced head hash, is prepared beside the
  /// target and swapped in by one atomic exchange; the replaced database is kept beside it. A kill at any
  /// moment leaves the old database or the new one, whole, under the name.
  public static func restore(
    from source: String, into live: AppDatabase?, to target: String, by signer: User, foreignReason: String?,
    now: Date
  ) throws(StoreError) -> Restored {
    if let refusal = SigningRules.refusal(signer, for: .restore) { throw StoreError(refusal) }
    // The restore replaces the file outside `write`: the signer's PIN is settled before anything is touched.
    try settleSignatures()
    try checkFile(source)
    // The backup is only read: no WAL set-up, whatever file it turns out to be.
    var readOnly = Configuration()
    readOnly.readonly = true
    let temporary = URL(fileURLWithPath: target).deletingLastPathComponent().appendingPathComponent(
      ".\(URL(fileURLWithPath: target).lastPathComponent).\(getpid()).restoring"
    ).path
    func discard() { for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) } }
    do {
      let backup = try DatabaseQueue(path: source, configuration: readOnly)
      let check = try backup.inDatabase { db in try Self.integrity(db) }
      let facts = try backup.read { db in
        (
          check: check,
          application: try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
          newer: try Schema.migrator.hasBeenSuperseded(db),
          older: try !Schema.migrator.hasCompletedMigrations(db)
        )
      }
      guard facts.check == "ok" else {
        throw StoreError("\(source) is damaged (integrity check: \(facts.check)): not restored")
      }
      guard facts.application == Schema.applicationID else {
        throw StoreError("\(source) is not a compound database: not restored")
      }
      guard !facts.newer else {
        throw StoreError("\(source) was written by a newer version of compound: restore it with that version")
      }
      guard !facts.older else {
        throw StoreError(
          "\(source) was written by an older compound (its schema is behind this one's): not restored; open a copy of it with this compound first ('compound doctor --db COPY'), then restore the copy"
        )
      }
      let (report, pharmacy, pharmacists) = try backup.read { db in
        (
          try AuditVerification.verify(db, full: true),
          try String.fetchOne(db, sql: "SELECT pharmacy_id FROM installation WHERE id = 1"),
          try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user WHERE active = 1 AND role = 'pharmacist'") ?? 0
        )
      }
      if let problem = report.problems.first {
        throw StoreError("\(source) fails its audit check (\(problem)): not restored")
      }
      guard pharmacists > 0 else {
        throw StoreError(
          "\(source) has no active pharmacist: after restoring it anyone could add themself as one; not restored")
      }
      var replacedHead: String?
      if let live {
        let ours = try live.installation().pharmacyID
        if pharmacy != ours, foreignReason?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
          throw StoreError(
            "\(source) is another pharmacy's database (\(pharmacy ?? "none") is not \(ours)): not restored; if that is meant, add --foreign --reason \"...\""
          )
        }
        replacedHead = try live.read { db in try AuditTrail.head(db) }
      }
      let digest = try fileDigest(source)
      // The copy, with the restore in its own trail.
      let copy = try DatabaseQueue(path: temporary, configuration: configuration())
      chmod(temporary, 0o600)
      try backup.backup(to: copy)
      try backup.close()
      let restored = AppDatabase(pool: copy, path: temporary)
      let stamp = AuditStamp(actor: signer.id, command: "restore from \(source)", at: Timestamp.string(now))
      // A second restore within the same second keeps its own copy: -2, -3...
      let base = target + ".before-restore-" + Timestamp.string(now).replacingOccurrences(of: ":", with: "")
      let stampedAside =
        (1...).lazy.map { $0 == 1 ? base : "\(base)-\($0)" }.first { !FileManager.default.fileExists(atPath: $0) }
        ?? base
      try restored.write(stamp) { db in
        try db.execute(
          sql: """
            INSERT INTO restore_log (restored_at, restored_by, backup_path, backup_sha256, backup_head, replaced_head,
              replaced_kept_at, foreign_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            Timestamp.string(now), signer.id, URL(fileURLWithPath: source).standardizedFileURL.path, digest,
            report.head, replacedHead, live == nil ? nil : stampedAside, pharmacy == nil ? nil : foreignReason,
          ])
      }
      let entries = try copy.read { try AuditVerification.verify($0, full: false).entries }
      try copy.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
      try copy.close()
      for suffix in ["-wal", "-shm"] { unlink(temporary + suffix) }
      try flush(temporary)
      guard let live else {
        guard link(temporary, target) == 0 else {
          throw StoreError("cannot restore to \(target): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)
        try flush(URL(fileURLWithPath: target).deletingLastPathComponent().path)
        return Restored(kept: nil, replacedHead: nil, backupHead: report.head, entries: entries)
      }
      // The live database gives up its write-ahead log (refused while another command has it open), then,
      // holding it exclusively, the two files change places in one step.
      try live.file(for: "restore").writeWithoutTransaction { db in
        _ = try db.checkpoint(.truncate)
        guard try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete" else {
          throw StoreError("another compound command is using \(target): close it, then restore again; nothing changed")
        }
        try db.inTransaction(.exclusive) {
          guard compound_exchange(temporary, target) == 0 else {
            throw StoreError(
              "cannot swap the restored database in: \(String(cString: strerror(errno))); nothing changed")
          }
          return .rollback
        }
      }
      try? live.file(for: "restore").close()
      guard rename(temporary, stampedAside) == 0 else {
        throw StoreError(
          "restored \(target), but the replaced database stays at \(temporary): \(String(cString: strerror(errno)))")
      }
      try flush(URL(fileURLWithPath: target).deletingLastPathComponent().path)
      return Restored(kept: stampedAside, replacedHead: replacedHead, backupHead: report.head, entries: entries)
    } catch let error as StoreError {
      discard()
      throw error
    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
      discard()
      throw StoreError("another compound command is using \(target): close it, then restore again; nothing changed")
    } catch let error as DatabaseError {
      discard()
      throw StoreError(
        "\(source) cannot be read as a database (\(error.message ?? error.description)): not restored; nothing changed")
    } catch {
      discard()
      throw StoreError("cannot restore from \(source): \(error); not restored, nothing changed")
    }
  }

  /// SHA-256 of a file's bytes, streamed.
  static func fileDigest(_ path: String) throws -> String {
    try SHA256.hex(fileAt: path)
  }

  /// Flushes a file or a folder to disk.
  static func flush(_ path: String) throws {
    let descriptor = Glibc.open(path, O_RDONLY)
    guard descriptor >= 0 else { throw StoreError("cannot flush \(path): \(String(cString: strerror(errno)))") }
    defer { Glibc.close(descriptor) }
    guard fsync(descriptor) == 0 else {
      throw StoreError("the disk did not take \(path): \(String(cString: strerror(errno)))")
    }
  }

  /// The checkpoint's entry when every write to `stock` since then is one a movement, lot or batch written since
  /// explains (counted by the stock's tally triggers, whatever program writes); nil to compare every row.
  static func stockCheckedSince(_ db: any StoreConnection) throws -> Int64? {
    guard let checkpoint = try AuditVerification.checkpoint(db), let before = checkpoint.tally["stock"],
      let now = try AuditVerification.tally(db)["stock"]
    else { return nil }
    let explained =
      try db.value(
        Int64.self,
        sql: """
          SELECT count(*) FROM audit
          WHERE id > ? AND op = 'insert' AND table_name IN ('movement', 'lot', 'batch')
          """, arguments: [checkpoint.entry]) ?? 0
    return now - before == explained ? checkpoint.entry : nil
  }

  /// What `compound doctor` finds wrong; empty when all is well.
  ///
  /// The daily check reads what grows with the day's work: the trail since its checkpoint and the rows it names,
  /// stock against its movements, dates. `full` also reads every page of the file (`PRAGMA integrity_check`)
  /// and walks the whole trail: minutes on a file of ten years, so it is the weekly check.
  public func diagnose(today: CalendarDate, full: Bool = false) throws(StoreError) -> [String] {
    var problems = try schemaProblems().map { "schema: \($0)" }
    var records: RecordsCheck?
    // A server checks its own pages; a SQLite file is read page by page here.
    if full, !isShared {
      let check = try integrityCheck()
      if check != "ok" { problems.append("integrity check: \(check)") }
      do {
        records = try RecordsCheck(path: path)
      } catch {
        throw StoreError.from(error)
      }
    }
    // Kept for the checkpoint below, when neither the trail nor the stock shows a problem.
    var audit: (report: AuditReport, tally: [String: Int64])?
    var stockSound = true
    problems += try read { db in
      var problems: [String] = []
      let report = try AuditVerification.verify(db, full: full, records: records)
      audit = (report, try AuditVerification.tally(db))
      problems += report.problems.map { "audit: \($0)" }
      if try db.row(sql: "SELECT 1 FROM installation WHERE id = 1") == nil {
        problems.append("schema: the installation record is missing")
      }
      // Stock against its movements: every lot and batch weekly, or daily only those moved or made since the
      // checkpoint, while the stock's write count since then is what those movements explain.
      let since = full ? nil : try Self.stockCheckedSince(db)
      for kind in ["lot", "batch"] {
        let scope =
          since == nil
          ? ""
          : """
          WHERE stock.KIND_id IN (
            SELECT KIND_id FROM movement WHERE KIND_id IS NOT NULL AND id IN
              (SELECT row_id FROM audit WHERE id > ? AND table_name = 'movement')
            UNION SELECT row_id FROM audit WHERE id > ? AND table_name = 'KIND' AND op = 'insert')
          """.replacingOccurrences(of: "KIND", with: kind)
        for row in try db.rows(
          sql: """
            SELECT * FROM (SELECT KIND.lot_number, stock.on_hand,
              (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE movement.KIND_id = stock.KIND_id) AS moved
              FROM stock JOIN KIND ON KIND.id = stock.KIND_id \(scope)) AS checked WHERE on_hand <> moved
            """.replacingOccurrences(of: "KIND", with: kind), arguments: since.map { [$0, $0] } ?? [])
        {
          let number: String = try row["lot_number"]
          let onHand: Int64 = try row["on_hand"]
          let moved: Int64 = try row["moved"]
          stockSound = false
          problems.append(
            kind == "lot"
              ? "lot \(number) shows \(onHand) on hand but its movements add up to \(moved)"
              : "batch \(number) shows \(onHand) capsules but its movements add up to \(moved)")
        }
      }
      for row in try db.rows(
        sql: """
          SELECT batch.lot_number, batch.bud FROM \(RowDecoding.batchesHeld(db))
          WHERE stock.batch_id IS NOT NULL AND stock.on_hand > 0 AND batch.status = 'released' AND batch.bud < ?
          """,
        arguments: [today.description])
      {
        problems.append(
          "batch \(try row["lot_number"] as String) is still released past its BUD \(try row["bud"] as String): hold or recall it"
        )
      }
      for row in try db.rows(
        sql:
          "SELECT lot.lot_number, lot.expiry FROM \(RowDecoding.lotsHeld(db)) WHERE stock.lot_id IS NOT NULL AND stock.on_hand > 0 AND lot.status = 'released' AND lot.expiry < ?",
        arguments: [today.description])
      {
        problems.append(
          "ingredient lot \(try row["lot_number"] as String) expired on \(try row["expiry"] as String) and still has stock: waste it"
        )
      }
      if full {
        // The fills waiting for their check, as the triggers keep them, against the fills themselves.
        let waiting = """
          SELECT id FROM fill WHERE NOT EXISTS (SELECT 1 FROM fill_check WHERE fill_check.fill_id = fill.id)
            AND NOT EXISTS (SELECT 1 FROM fill_void WHERE fill_void.fill_id = fill.id)
          """
        for id in try db.values(Int64.self, sql: "\(waiting) EXCEPT SELECT fill_id FROM fill_pending LIMIT 5") {
          problems.append(
            "fill \(id) has no final check but is missing from the fills waiting for one (compound today)")
        }
        for id in try db.values(Int64.self, sql: "SELECT fill_id FROM fill_pending EXCEPT \(waiting) LIMIT 5") {
          problems.append("fill \(id) is listed as waiting for its final check but has one, or is void")
        }
      }
      // Certificates are kept by their SHA-256 (outside the trail: a file in JSON would bloat it): each must
      // still hash to its key.
      for row in try db.rows(sql: "SELECT sha256, file_name, bytes FROM certificate ORDER BY sha256") {
        let bytes: Data = try row["bytes"]
        if SHA256.hex([UInt8](bytes)) != (try row["sha256"] as String) {
          problems.append(
            "certificate \(try row["file_name"] as String) no longer matches its SHA-256 \(try row["sha256"] as String): it was changed outside compound; restore a backup"
          )
        }
      }
      return problems
    }
    // A clean trail and stock move the checkpoint on, so that tomorrow's check starts from today's (skipped
    // silently on a file that cannot be written: the check itself stands). Stock that does not match keeps the
    // old checkpoint, so that the next check compares it again.
    if let audit, audit.report.problems.isEmpty, stockSound {
      saveCheckpoint(audit.report, tally: audit.tally, full: full, at: Date())
    }
    return problems
  }
}
