import Accounts
import Dispensing
import Formulation
import Foundation

extension AppDatabase {
  /// The active user `login` once `pin` matches their stored hash: an electronic signature for `action`.
  ///
  /// `policy.attempts` wrong PINs in a row lock the user for `policy.minutes`; every failed signature is
  /// recorded (an audit entry, and nothing else). A PIN a pharmacist reset signs nothing until its owner
  /// chooses their own (`changingOwnPin`).
  ///
  /// With `beside`, the PIN is hashed on another core while the command goes on, and its verdict is waited for
  /// before anything is written and when the command ends (`settleSignatures`): a wrong PIN is refused and
  /// recorded as here, and the command writes nothing. A lock, and a reset PIN, are still refused here.
  public func authenticate(
    _ login: String, pin: String, action: String, policy: SigningPolicy, changingOwnPin: Bool = false, now: Date,
    beside: Bool = false
  ) throws(StoreError) -> User {
    let user = try activeUser(login)
    let state = try read { db in try Self.signingState(db, login: user.id) }
    let nowText = Timestamp.string(now)
    if let locked = policy.lockedUntil(
      failures: state.failures, lastFailure: state.lastFailure.flatMap(Timestamp.date), now: now)
    {
      try recordSignatureFailure(user.id, action: action, locked: true, at: nowText)
      let until = local(Timestamp.string(locked))
      throw StoreError(
        "\(user.id) is locked after \(state.failures) wrong PINs until \(until): nothing was signed; wait, or a pharmacist resets the PIN ('compound user pin \(user.id) --by PHARMACIST')",
        code: .signature)
    }
    let left = policy.attemptsLeft(afterFailures: state.failures)
    let wrong = StoreError(
      left > 0
        ? "wrong PIN for \(user.id): nothing was signed (\(left) more wrong PIN\(left == 1 ? "" : "s") lock \(user.id) for \(policy.minutes) minutes)"
        : "wrong PIN for \(user.id): nothing was signed; \(user.id) is now locked for \(policy.minutes) minutes",
      code: .signature)
    // A reset PIN is checked here, so that a wrong one is named before the reset, as always.
    if beside, !state.mustChange || changingOwnPin {
      PinCheck.begin(
        database: self, login: user.id, pin: pin, hash: state.hash, action: action, at: nowText, refusal: wrong)
      return user
    }
    guard PinHash.matches(pin, hash: state.hash) else {
      try recordSignatureFailure(user.id, action: action, locked: false, at: nowText)
      throw wrong
    }
    if state.mustChange, !changingOwnPin {
      throw StoreError(
        "\(user.id)'s PIN was reset by \(state.knownTo ?? "a pharmacist"): it signs nothing until \(user.id) chooses their own with 'compound user pin \(user.id)'",
        code: .signature)
    }
    return user
  }

  /// Waits for every PIN still being checked (`authenticate(beside:)`): refuses with the first wrong one.
  ///
  /// Each wrong one is recorded. Every write calls it first; a command calls it before anything else leaves it.
  public static func settleSignatures() throws(StoreError) {
    try PinCheck.settleAll()
  }

  /// Why `signer` may not sign the second step of what `first` (login) signed first, or nil when they may:
  /// the facts about the first signer, judged by `SigningRules.sameSigner`.
  static func sameSigner(
    _ connection: any StoreConnection, _ signer: User, first login: String, firstName: String
  ) throws(StoreError) -> String? {
    let knownTo = try connection.row("SELECT pin_known_to FROM app_user WHERE login = ?", [.text(login)])?
      .optionalText("pin_known_to")
    return SigningRules.sameSigner(checker: signer, first: Signer(login: login, name: firstName, pinKnownTo: knownTo))
  }

  /// Records a failed signature of `action` by `login` at `at` (an audit entry, and nothing else).
  func recordSignatureFailure(_ login: String, action: String, locked: Bool, at: String) throws(StoreError) {
    var stamp = stamp(login, Date())
    stamp.at = at
    try write(stamp) { db in
      try db.execute(
        sql: "INSERT INTO signature_failure (login, at, action, locked) VALUES (?, ?, ?, ?)",
        arguments: [login, at, action, locked ? 1 : 0])
    }
  }

  /// What the signature state of `login` is: the hash, wrong PINs in a row since the last good signature or
  /// PIN change, the last one's time, and whether the PIN is a reset one.
  private static func signingState(_ db: any StoreConnection, login: String) throws -> (
    hash: String, failures: Int, lastFailure: String?, mustChange: Bool, knownTo: String?
  ) {
    guard
      let row = try db.row(
        sql: "SELECT pin_hash, must_change_pin, pin_known_to FROM app_user WHERE login = ?",
        arguments: [login])
    else { throw StoreError("user \(login) is not in the database", code: .notFound) }
    // Wrong PINs in a row: failed signatures after the user's last good one, or the last change to their
    // account (a PIN reset unlocks), in the trail's own order. The last good one is found walking the user's
    // entries back from the newest (audit_by_actor; `at` never goes back as entries are added), which stops
    // at the first: a max() over them would read every entry the user ever signed.
    let since =
      try db.value(
        Int64.self,
        sql: """
          SELECT \(db.dialect.greatest)(
            COALESCE((SELECT id FROM audit WHERE actor = ? AND table_name <> 'signature_failure'
              ORDER BY at DESC, id DESC LIMIT 1), 0),
            COALESCE((SELECT max(id) FROM audit
              WHERE table_name = 'app_user' AND row_id = (SELECT id FROM app_user WHERE login = ?)), 0))
          """, arguments: [login, login]) ?? 0
    let failures = try db.row(
      sql: """
        SELECT count(*) AS n, max(at) AS last FROM audit
        WHERE actor = ? AND table_name = 'signature_failure' AND id > ?
        """, arguments: [login, since])
    return (
      try row["pin_hash"], try failures?["n"] ?? 0, try failures?["last"], (try row["must_change_pin"] as Int?) == 1,
      try row["pin_known_to"]
    )
  }
}
