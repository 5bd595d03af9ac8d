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
  private let environment: [String: String]
  private var opened: AppDatabase?
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

  init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    self.environment = environment
    loaded = try SettingsLoader.load(
      configFlag: options.config, databaseFlag: options.database, environment: environment)
    if let fixed = environment["COMPOUND_NOW"], !fixed.isEmpty {
      guard let date = Timestamp.date(fixed) else {
        throw CLIError(
          "COMPOUND_NOW '\(fixed)' is not an ISO 8601 time with a zone, for example 2026-11-22T09:30:00-06:00")
      }
      now = date
    } else {
      now = Date()
    }
    today = CalendarDate.today(in: loaded.timeZone, now: now)
  }

  /// The database (opened once per command), which must exist unless `create` is set.
  func database(create: Bool = false) throws -> AppDatabase {
    if let opened { return opened }
    let database = try AppDatabase.open(path: loaded.databasePath, create: create)
    database.stamp(command: Invocation.command, now: now)
    opened = database
    return database
  }

  /// The active user `id`, who is then named in the audit trail; unknown or disabled users are refused.
  func user(_ id: String) throws -> User {
    let database = try database()
    let user = try database.activeUser(id)
    database.stamp(actor: user.id)
    return user
  }

  /// The user for an optional `--by`: the named one, or the operating-system account.
  func userOrSystem(_ id: String?) throws -> User {
    if let id { return try user(id) }
    let name = environment["USER"] ?? "system"
    return User(id: "system:\(name)", name: name, role: .technician)
  }

  /// The active user `id` once their PIN matches: an electronic signature for `action` (verify, release,
  /// reject, override, reprint, user changes).
  func signer(_ id: String, for action: String) throws -> User {
    let user = try user(id)
    let pin = try PinEntry.read(for: user.id, action: action, environment: environment)
    return try database().authenticate(user.id, pin: pin)
  }

  /// A new PIN for `id`: `COMPOUND_NEW_PIN`, else typed twice at the terminal.
  func newPin(for id: String) throws -> String {
    try PinEntry.new(for: id, environment: environment)
  }

  /// An instant as the pharmacy reads it.
  func local(_ timestamp: String) -> String { Timestamp.local(timestamp, zone: zone) }
}
