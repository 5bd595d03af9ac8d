import Accounts
import Formulation
import Foundation

extension AppDatabase {
  /// Every user, active first, in the order they were added.
  public func users() throws(StoreError) -> [UserAccount] {
    try read { db in
      try db.rows(sql: "SELECT * FROM app_user ORDER BY active DESC, id").map { try Self.account($0) }
    }
  }

  /// The user with `login` (any case), if any.
  public func account(_ login: String) throws(StoreError) -> UserAccount? {
    try read { db in
      try db.row(sql: "SELECT * FROM app_user WHERE login = ?", arguments: [login]).map {
        try Self.account($0)
      }
    }
  }

  /// The active user `login`, refused when unknown or disabled.
  public func activeUser(_ login: String) throws(StoreError) -> User {
    guard let account = try account(login) else {
      let known = try users().filter(\.active).map(\.user.id)
      let hint =
        known.isEmpty
        ? "no users yet: a pharmacist adds the first with 'compound user add ID --name NAME --role pharmacist'"
        : "known users: \(known.joined(separator: ", "))"
      throw StoreError("unknown user '\(login)': \(hint)")
    }
    guard account.active else {
      throw StoreError(
        "user \(account.user.id) was disabled on \(account.disabledAt ?? "an earlier date") and cannot sign or record")
    }
    return account.user
  }

  /// Adds a user with a PIN, stored as a salted hash.
  ///
  /// The first user must be a pharmacist and needs no signer; every later one is added by an active
  /// pharmacist, `by`.
  @discardableResult
  public func addUser(_ user: User, pin: String, by signer: User?, now: Date) throws(StoreError) -> UserAccount {
    guard Ingredient.isValidCode(user.id) else {
      throw StoreError(
        "user id '\(user.id)' must be 1-40 letters, digits, '-', '_' or '.', starting with a letter or digit, for example mtorres"
      )
    }
    let name = user.name.trimmingCharacters(in: .whitespaces)
    guard (1...200).contains(name.count) else { throw StoreError("user \(user.id) needs a name of 1-200 characters") }
    guard PinHash.isValid(pin) else { throw StoreError("a PIN is \(PinHash.rule): choose another for \(user.id)") }
    let hash = try PinHash.make(pin)
    return try write(stamp(signer?.id ?? user.id, now)) { db in
      let count = try db.value(Int.self, sql: "SELECT count(*) FROM app_user") ?? 0
      if count == 0 {
        if let refusal = SigningRules.firstUserRefusal(user) { throw StoreError(refusal) }
      } else {
        guard let signer else {
          throw StoreError("adding a user needs a pharmacist's signature: add --by PHARMACIST")
        }
        if let refusal = SigningRules.refusal(signer, for: .addUser) { throw StoreError(refusal) }
      }
      if try db.value(Bool.self, sql: "SELECT 1 FROM app_user WHERE login = ?", arguments: [user.id]) == true {
        throw StoreError("user \(user.id) already exists (ids are never reused): choose another id")
      }
      for row in try db.rows(sql: "SELECT login, name FROM app_user WHERE active = 1") {
        let other: String = try row["name"]
        if SigningRules.personKey(other) == SigningRules.personKey(name) {
          throw StoreError(
            "\(other) already has the account \(try row["login"] as String): one person has one account, so nobody signs both steps of a record"
          )
        }
      }
      try db.execute(
        sql: """
          INSERT INTO app_user (login, name, role, pin_hash, created_at, created_by, pin_set_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          user.id, name, user.role.rawValue, hash, Timestamp.string(now), signer?.id ?? user.id, Timestamp.string(now),
        ])
      return try Self.account(db, user.id)
    }
  }

  /// Sets a new PIN for `login`: signed by the user (with the old PIN) or, for a forgotten PIN, by
  /// another active pharmacist.
  ///
  /// A reset PIN is for one use: it signs nothing until its owner chooses their own, and until the owner has
  /// changed it twice the resetting pharmacist may not sign a second step after them.
  public func changePin(_ login: String, to pin: String, by signer: User, now: Date) throws(StoreError) {
    let target = try activeUser(login)
    let own = signer.id.lowercased() == target.id.lowercased()
    if let refusal = SigningRules.pinRefusal(signer: signer, target: target) { throw StoreError(refusal) }
    guard PinHash.isValid(pin) else { throw StoreError("a PIN is \(PinHash.rule): choose another for \(target.id)") }
    let hash = try PinHash.make(pin)
    try write(stamp(signer.id, now)) { db in
      if own {
        try db.execute(
          sql: """
            UPDATE app_user SET pin_hash = ?, pin_set_at = ?,
              pin_known_to = CASE WHEN must_change_pin = 1 THEN pin_known_to ELSE NULL END, must_change_pin = 0
            WHERE login = ?
            """, arguments: [hash, Timestamp.string(now), target.id])
      } else {
        try db.execute(
          sql:
            "UPDATE app_user SET pin_hash = ?, pin_set_at = ?, must_change_pin = 1, pin_known_to = ? WHERE login = ?",
          arguments: [hash, Timestamp.string(now), signer.id, target.id])
      }
    }
  }

  /// Disables a user for good: they keep every record they signed but can sign nothing more.
  public func disableUser(_ login: String, reason: String, by signer: User, now: Date) throws(StoreError) -> UserAccount
  {
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw StoreError("disabling a user needs --reason \"...\"")
    }
    if let refusal = SigningRules.refusal(signer, for: .disableUser) { throw StoreError(refusal) }
    let target = try activeUser(login)
    return try write(stamp(signer.id, now)) { db in
      if target.isPharmacist {
        let others =
          try db.value(
            Int.self, sql: "SELECT count(*) FROM app_user WHERE active = 1 AND role = 'pharmacist' AND login <> ?",
            arguments: [target.id]) ?? 0
        guard others > 0 else {
          throw StoreError("\(target.id) is the last active pharmacist: add another before disabling them")
        }
      }
      try db.execute(
        sql: "UPDATE app_user SET active = 0, disabled_at = ?, disabled_by = ?, disabled_reason = ? WHERE login = ?",
        arguments: [Timestamp.string(now), signer.id, reason, target.id])
      return try Self.account(db, target.id)
    }
  }

  private static func account(_ db: any StoreConnection, _ login: String) throws -> UserAccount {
    guard let row = try db.row(sql: "SELECT * FROM app_user WHERE login = ?", arguments: [login]) else {
      throw StoreError("user \(login) is not in the database", code: .notFound)
    }
    return try account(row)
  }

  private static func account(_ row: SQLRow) throws -> UserAccount {
    UserAccount(
      user: User(id: try row["login"], name: try row["name"], role: try RowDecoding.known(Role.self, row, "role")),
      active: try row["active"], createdAt: try row["created_at"], createdBy: try row["created_by"],
      disabledAt: try row["disabled_at"],
      disabledBy: try row["disabled_by"], disabledReason: try row["disabled_reason"])
  }
}
