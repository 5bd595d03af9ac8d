import Accounts
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// What a command runs with: the effective settings, the clock, the database and who signs.
final class Context {
  let loaded: LoadedSettings
  /// The current instant: the clock, or `COMPOUND_NOW` (ISO 8601 with zone) for reproducible runs.
  let now: Date
  /// Today's date in the pharmacy's time zone.
  let today: CalendarDate
  let environment: [String: String]
  private var opened: AppDatabase?
  /// Users who signed in this command, by lower-cased id.
  private var signed: [String: User] = [:]
  /// Whether `COMPOUND_NOW` fixed the clock.
  let fixedClock: Bool
  private var clinical: RulesInForce?

  /// The local settings.
  ///
  /// Their clinical parts are only the built-in defaults: checks use `inForce()`.
  var settings: Settings { loaded.settings }
  var zone: TimeZone { loaded.timeZone }

  /// The clinical rules in force in the database (read once per command); refused when there are none.
  func inForce() throws -> RulesInForce {
    if let clinical { return clinical }
    let rules = try RulesInForce(database: try database(), local: loaded.settings)
    clinical = rules
    return rules
  }

  /// The capsule and batch rules in force.
  func rules() throws -> FormulationRules { try inForce().settings.formulationRules }

  /// How quantities are shown (`display.grams_from`).
  var display: QuantityDisplay { settings.quantityDisplay }

  init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    self.environment = environment
    loaded = try SettingsPreload.load(
      configFlag: options.config, databaseFlag: options.database, environment: environment)
    if let fixed = environment["COMPOUND_NOW"], !fixed.isEmpty {
      guard let date = Timestamp.date(fixed) else {
        throw CLIError(
          "COMPOUND_NOW '\(fixed)' is not an ISO 8601 time with a zone, for example 2026-11-22T09:30:00-06:00")
      }
      now = date
      fixedClock = true
    } else {
      now = Date()
      fixedClock = false
    }
    today = CalendarDate.today(in: loaded.timeZone, now: now)
  }

  /// The database (opened once per command), which must exist.
  ///
  /// A fixed clock (`COMPOUND_NOW`) is honoured only on a training database (`init --training`, the demo):
  /// on a pharmacy's database it is refused before anything is read or written.
  func database() throws -> AppDatabase {
    if let opened { return opened }
    let database =
      if let server = loaded.server {
        try AppDatabase.open(server: server, environment: environment)
      } else {
        try AppDatabase.open(path: loaded.databasePath, clock: fixedClock ? now : nil)
      }
    try adopt(database)
    return database
  }

  /// Uses `database` (a new one from `init`) for this command, checking the clock rule against it.
  func adopt(_ database: AppDatabase) throws {
    if fixedClock, !(try database.installation().training) {
      throw CLIError(
        "COMPOUND_NOW is honoured only on a training database ('compound init --training'); this is a pharmacy's database: unset COMPOUND_NOW"
      )
    }
    database.setCommand(Invocation.command)
    database.setZone(zone)
    database.setStore(settings.pharmacy.store)
    opened = database
  }

  /// The active user `id`, signed with their PIN: every write is signed by the person it names.
  ///
  /// Within one command the PIN is asked once. Signing names nobody in the audit trail by itself: each write
  /// is stamped with the signer it is given.
  func user(_ id: String) throws -> User {
    try signer(id, for: Invocation.action)
  }

  /// The active user `id`, whose PIN is checked for `action`: an electronic signature.
  ///
  /// The PIN's slow hash runs on another core while the command goes on; nothing is written, and the command
  /// does not end, before it matches (`settle`). A lock or a reset PIN is refused here, at once.
  func signer(_ id: String, for action: String, changingOwnPin: Bool = false) throws -> User {
    if let signed = signed[id.lowercased()] { return signed }
    let database = try database()
    let user = try database.activeUser(id)
    // A second signer is asked only once the first one's PIN is known to match.
    try settle()
    let pin = try PinEntry.read(for: user.id, action: action, environment: environment)
    let signedUser = try database.authenticate(
      user.id, pin: pin, action: action, policy: signingPolicy, changingOwnPin: changingOwnPin, now: now, beside: true)
    signed[id.lowercased()] = signedUser
    return signedUser
  }

  /// Waits for the PINs still being checked: before a command asks a person for anything more (another PIN, a
  /// weighing at the balance), so that nobody works on under a wrong PIN.
  func settle() throws {
    try AppDatabase.settleSignatures()
  }

  /// A witness (a waste, say), signed with their own PIN (`COMPOUND_WITNESS_PIN` in a script); the audit
  /// trail still names the user who records.
  func witness(_ id: String, for action: String) throws -> User {
    try settle()
    let database = try database()
    let user = try database.activeUser(id)
    let pin = try PinEntry.read(
      for: user.id, action: "witness \(action)", environment: environment, variable: "COMPOUND_WITNESS_PIN")
    return try database.authenticate(user.id, pin: pin, action: "witness \(action)", policy: signingPolicy, now: now)
  }

  /// When wrong PINs lock a user (settings: signing).
  var signingPolicy: SigningPolicy {
    SigningPolicy(attempts: settings.signing.lockoutAttempts, minutes: settings.signing.lockoutMinutes)
  }

  /// A new PIN for `id`: `COMPOUND_NEW_PIN`, else typed twice at the terminal.
  func newPin(for id: String) throws -> String {
    try settle()
    return try PinEntry.new(for: id, environment: environment)
  }

  /// An instant as the pharmacy reads it.
  func local(_ timestamp: String) -> String { Timestamp.local(timestamp, zone: zone) }

  /// The balance `id` names, else the station's default one (`bench.balance`), as the clinical rules in force
  /// describe it, with this station's device for it.
  func balance(_ id: String?) throws -> Balance {
    let rules = try inForce().settings
    do {
      return try rules.balance(id)
    } catch {
      throw CLIError(error.message)
    }
  }
}
