import Formulation
import Foundation
import Quantities
import Settings
import Store

/// What a command runs with: the effective settings, the clock, and the database.
struct Context {
  let loaded: LoadedSettings
  /// The current instant: the clock, or `COMPOUND_NOW` (ISO 8601 with zone) for reproducible runs.
  let now: Date
  /// Today's date in the pharmacy's time zone.
  let today: CalendarDate

  var settings: Settings { loaded.settings }
  var rules: FormulationRules { loaded.settings.formulationRules }
  var zone: TimeZone { loaded.timeZone }

  init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
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

  /// Opens the database, which must exist unless `create` is set.
  func database(create: Bool = false) throws -> AppDatabase {
    try AppDatabase.open(path: loaded.databasePath, create: create)
  }

  /// The configured user with `id`; an unknown id is refused naming the known ones.
  func user(_ id: String) throws -> User {
    guard let user = settings.user(id) else {
      let known = settings.users.map(\.id)
      let hint =
        known.isEmpty
        ? "no users are configured: add [[users]] to \(loaded.configPath ?? "your settings file (see Config/compound.toml)")"
        : "known users: \(known.joined(separator: ", "))"
      throw CLIError("unknown user '\(id)': \(hint)")
    }
    return user
  }

  /// The user for an optional `--by`: the named one, or the operating-system account.
  func userOrSystem(_ id: String?) throws -> User {
    if let id { return try user(id) }
    let name = ProcessInfo.processInfo.environment["USER"] ?? "system"
    return User(id: "system:\(name)", name: name, role: .technician)
  }

  /// An instant as the pharmacy reads it.
  func local(_ timestamp: String) -> String { Timestamp.local(timestamp, zone: zone) }
}
