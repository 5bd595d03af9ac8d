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
      records = full ? try RecordsCheck(path: path) : nil
    } catch {
      throw StoreError.from(error)
    }
    let (report, tally) = try read { db in
      (
        try AuditVerification.verify(db, full: full, progress: progress, records: records),
        try AuditVerification.tally(db)
      )
    }
    try? pool.write { db in
      try AuditVerification.save(db, report: report, tally: tally, full: full, at: Timestamp.string(now))
    }
    return report
  }

  /// The trail's entry count and head hash: an anchor to keep outside the pharmacy's control.
  public func auditHead() throws(StoreError) -> (entries: Int64, head: String) {
    try read { db in (try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0, try AuditTrail.head(db)) }
  }

  /// What is wrong with the trail against an anchor taken earlier (`entries` entries, head `head`); nil when
  /// the anchored entry is still there unchanged.
  public func anchorProblem(entries: Int64, head: String) throws(StoreError) -> String? {
    try read { db in
      guard entries > 0 else { return nil }
      guard let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [entries]) else {
        let now = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0
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
          try Row.fetchAll(db, sql: query).map {
            ("\($0["type"] as String) \($0["name"] as String)", $0["sql"] as String?)
          },
          uniquingKeysWith: { a, _ in a })
      }
      return try read { db in
        var problems: [String] = []
        let actual = Dictionary(
          try Row.fetchAll(db, sql: query).map {
            ("\($0["type"] as String) \($0["name"] as String)", $0["sql"] as String?)
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
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let known = Schema.migrator.migrations
        if applied != known {
          problems.append(
            "the migration history reads [\(applied.joined(separator: ", "))], not this version's [\(known.joined(separator: ", "))]: it was edited outside compound"
          )
        }
        if try Int32.fetchOne(db, sql: "PRAGMA application_id") != Schema.applicationID {
          problems.append("the application id is not compound's")
        }
        for row in try Row.fetchAll(db, sql: "SELECT version, sha256, rules FROM clinical_rules ORDER BY version") {
          if SHA256.hex(row["rules"] as String) != row["sha256"] as String {
            problems.append(
              "clinical rules version \(row["version"] as Int) do not match their hash: changed outside compound")
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
      var arguments: StatementArguments = []
      if let lot {
        clauses.append("lot = ? COLLATE NOCASE")
        _ = arguments.append(contentsOf: [lot])
      }
      if let since {
        clauses.append("at >= ?")
        _ = arguments.append(contentsOf: [since])
      }
      let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
      // A PIN hash never leaves the database, not even salted: an offline guess at a short PIN is cheap.
      return try Row.fetchAll(db, sql: "SELECT * FROM audit \(filter) ORDER BY id", arguments: arguments).map {
        var entry = AuditTrail.entry($0)
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
