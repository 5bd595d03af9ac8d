import Digest
import Foundation
import GRDB

extension AppDatabase {
  /// Checks the audit chain and the records: since the last checkpoint, or all of it with `full`.
  ///
  /// A clean check leaves a checkpoint for the next one (not when the file cannot be written: a copy on
  /// read-only media is checked all the same). `progress` hears (entries checked, entries in all) as it goes.
  public func verifyAudit(
    full: Bool = false, now: Date = Date(), progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws(StoreError) -> AuditReport {
    // A full check compares the records on a second connection while this one walks the chain.
    let records: RecordsCheck?
    do {
      records = full && !isShared ? try RecordsCheck(path: path) : nil
    } catch {
      throw StoreError.from(error)
    }
    let (report, tally) = try read { db in
      (
        try AuditVerification.verify(db, full: full, progress: progress, records: records),
        try AuditVerification.tally(db)
      )
    }
    saveCheckpoint(report, tally: tally, full: full, at: now)
    return report
  }

  /// Keeps a checkpoint after a clean check, outside the audited path (it records a check, not a record).
  ///
  /// Skipped silently when the database cannot be written (a copy on read-only media is checked all the same).
  func saveCheckpoint(_ report: AuditReport, tally: [String: Int64], full: Bool, at now: Date) {
    let at = Timestamp.string(now)
    switch backend {
    case .sqlite(let pool):
      try? pool.write { db in try AuditVerification.save(db, report: report, tally: tally, full: full, at: at) }
    case .postgres(let engine):
      try? engine.write { connection throws(StoreError) in
        try AuditVerification.save(connection, report: report, tally: tally, full: full, at: at)
      }
    }
  }

  /// The trail's entry count and head hash: an anchor to keep outside the pharmacy's control.
  public func auditHead() throws(StoreError) -> (entries: Int64, head: String) {
    try read { db in (try db.value(Int64.self, sql: "SELECT max(id) FROM audit") ?? 0, try AuditTrail.head(db)) }
  }

  /// What is wrong with the trail against an anchor taken earlier (`entries` entries, head `head`); nil when
  /// the anchored entry is still there unchanged.
  public func anchorProblem(entries: Int64, head: String) throws(StoreError) -> String? {
    try read { db in
      guard entries > 0 else { return nil }
      guard let hash = try db.value(String.self, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [entries])
      else {
        let now = try db.value(Int64.self, sql: "SELECT max(id) FROM audit") ?? 0
        return "the anchor names audit entry #\(entries), but the trail now ends at #\(now): entries were cut off"
      }
      guard hash == head else {
        return
          "audit entry #\(entries) no longer has the anchor's hash: the trail was rewritten since the anchor was taken"
      }
      return nil
    }
  }

  /// Differences between this file's schema and the one this compound makes: a protective trigger, a table
  /// or an index dropped, changed or added outside compound, the migration history, the application id.
  public func schemaProblems() throws(StoreError) -> [String] {
    if isShared { return try read { db in try PostgresSchema.problems(db) } }
    do {
      let reference = try DatabaseQueue()
      try reference.write { db in try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)") }
      try Schema.migrator.migrate(reference)
      let query = """
        SELECT type, name, sql FROM sqlite_master
        WHERE name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY type, name
        """
      let expected = try reference.read { db in
        Dictionary(
          try SQLiteSession(db: db).rows(sql: query).map {
            ("\(try $0["type"] as String) \(try $0["name"] as String)", try $0["sql"] as String?)
          },
          uniquingKeysWith: { a, _ in a })
      }
      return try read { db in
        var problems: [String] = []
        let actual = Dictionary(
          try db.rows(sql: query).map {
            ("\(try $0["type"] as String) \(try $0["name"] as String)", try $0["sql"] as String?)
          },
          uniquingKeysWith: { a, _ in a })
        for (key, sql) in expected.sorted(by: { $0.key < $1.key }) {
          if let found = actual[key] {
            if found != sql { problems.append("the \(key) was changed outside compound") }
          } else {
            problems.append("the \(key) is missing: it was dropped outside compound")
          }
        }
        for key in actual.keys.sorted() where expected[key] == nil {
          problems.append("the \(key) was added outside compound")
        }
        let applied = try db.values(String.self, sql: "SELECT identifier FROM grdb_migrations")
        let known = Schema.migrator.migrations
        if applied != known {
          problems.append(
            "the migration history reads [\(applied.joined(separator: ", "))], not this version's [\(known.joined(separator: ", "))]: it was edited outside compound"
          )
        }
        if try db.value(Int32.self, sql: "PRAGMA application_id") != Schema.applicationID {
          problems.append("the application id is not compound's")
        }
        for row in try db.rows(sql: "SELECT version, sha256, rules FROM clinical_rules ORDER BY version") {
          if try SHA256.hex(row["rules"] as String) != row["sha256"] as String {
            problems.append(
              "clinical rules version \(try row["version"] as Int) do not match their hash: changed outside compound")
          }
        }
        return problems
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError("cannot check the schema: \(error)")
    }
  }

  /// Audit entries, oldest first: only those about `lot` (ingredient or batch lot number), and only from
  /// the instant `since` (stored form) on, when given.
  public func auditLog(lot: String? = nil, since: String? = nil) throws(StoreError) -> [AuditEntry] {
    try read { db in
      var clauses: [String] = []
      var arguments: SQLArguments = []
      if let lot {
        clauses.append(db.dialect.equalsIgnoringCase("lot"))
        arguments.append(lot)
      }
      if let since {
        clauses.append("at >= ?")
        arguments.append(since)
      }
      let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
      // A PIN hash never leaves the database, not even salted: an offline guess at a short PIN is cheap.
      return try db.rows(sql: "SELECT * FROM audit \(filter) ORDER BY id", arguments: arguments).map {
        var entry = try AuditTrail.entry($0)
        entry.before = entry.before.map(Self.hidingPins)
        entry.after = entry.after.map(Self.hidingPins)
        return entry
      }
    }
  }
}

extension AppDatabase {
  /// `json` with every `pin_hash` value replaced by "(hidden)".
  static func hidingPins(_ json: String) -> String {
    json.replacing(/"pin_hash":"[^"]*"/, with: "\"pin_hash\":\"(hidden)\"")
  }
}
