import Accounts
import Digest
import Formulation
import Foundation

extension AppDatabase {
  /// Stores a new version of the clinical rules, signed by a pharmacist.
  ///
  /// With `by` nil it is the first import of a new database (`compound init`): refused once any user or
  /// rules version exists. Rules identical to the version in force are refused, naming it.
  public func importRules(
    json: String, source: String, reason: String, by signer: User?, now: Date
  ) throws(StoreError) -> RulesRecord {
    if let signer, let refusal = SigningRules.refusal(signer, for: .importRules) { throw StoreError(refusal) }
    let digest = SHA256.hex(json)
    return try write(stamp(signer?.id ?? Self.systemActor, now)) { db in
      if signer == nil {
        let users = try db.value(Int.self, sql: "SELECT count(*) FROM app_user") ?? 0
        let versions = try db.value(Int.self, sql: "SELECT count(*) FROM clinical_rules") ?? 0
        guard users == 0, versions == 0 else {
          throw StoreError("this database already has users or rules: a pharmacist imports rules with --by ID")
        }
      }
      if let current = try Self.activeRules(db), current.sha256 == digest {
        throw StoreError(
          "these rules are already in force as version \(current.version) (\(current.sha256.prefix(12))): nothing to import"
        )
      }
      let next = (try db.value(Int.self, sql: "SELECT MAX(version) FROM clinical_rules") ?? 0) + 1
      try db.execute(
        sql: """
          INSERT INTO clinical_rules (version, sha256, rules, source, reason, imported_at, imported_by)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [next, digest, json, source, reason, Timestamp.string(now), signer?.id ?? "compound init"])
      guard let stored = try Self.rules(db, version: next) else { throw StoreError("the rules were not stored") }
      return stored
    }
  }

  /// The rules in force: the newest version; nil when none was ever imported.
  public func activeRules() throws(StoreError) -> RulesRecord? {
    try read { db in try Self.activeRules(db) }
  }

  /// Every imported version, oldest first.
  public func rulesHistory() throws(StoreError) -> [RulesRecord] {
    try read { db in
      try db.rows(sql: "SELECT * FROM clinical_rules ORDER BY version").map(Self.rulesRecord)
    }
  }

  static func activeRules(_ db: any StoreConnection) throws -> RulesRecord? {
    try db.row(sql: "SELECT * FROM clinical_rules ORDER BY version DESC LIMIT 1").map(rulesRecord)
  }

  static func rules(_ db: any StoreConnection, version: Int) throws -> RulesRecord? {
    try db.row(sql: "SELECT * FROM clinical_rules WHERE version = ?", arguments: [version]).map(rulesRecord)
  }

  /// Refuses a write checked against `version` when another version came into force meanwhile.
  static func requireRulesInForce(_ db: any StoreConnection, version: Int) throws {
    guard let current = try activeRules(db) else {
      throw StoreError(RulesRecord.missing)
    }
    guard current.version == version else {
      throw StoreError(
        "the clinical rules changed to version \(current.version) while this command ran: run it again")
    }
    guard SHA256.hex(current.json) == current.sha256 else {
      throw StoreError(
        "the stored clinical rules version \(current.version) do not match their hash: they were changed outside compound; run 'compound doctor'"
      )
    }
  }

  static func rulesRecord(_ row: SQLRow) throws(StoreError) -> RulesRecord {
    RulesRecord(
      version: try row["version"], sha256: try row["sha256"], json: try row["rules"], source: try row["source"],
      reason: try row["reason"], importedAt: try row["imported_at"], importedBy: try row["imported_by"])
  }
}

extension RulesRecord {
  /// What a command that checks against the rules says on a database that has none.
  public static let missing =
    "this database has no clinical rules: a pharmacist imports them with 'compound rules import --by PHARMACIST'"
}
