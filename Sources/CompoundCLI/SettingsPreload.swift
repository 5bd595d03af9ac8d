import Foundation
import Settings
import Synchronization

/// The settings, read on another core while the command line is parsed.
///
/// Reading the settings file and parsing the command line are each a few milliseconds and do not need each
/// other, except for `--config` and `--db`. `begin` guesses those two from the raw words and starts the
/// read; `Context` uses the result only when the parsed options and the environment are the ones it was
/// read with, and otherwise reads the settings itself. A wrong guess costs time, never a wrong setting.
final class SettingsPreload: Sendable {
  /// The read under way, if one was begun.
  private static let current = Mutex<SettingsPreload?>(nil)

  private let configFlag: String?
  private let databaseFlag: String?
  private let environment: [String: String]
  private let done = DispatchSemaphore(value: 0)
  private let result = Mutex<Result<LoadedSettings, SettingsError>?>(nil)

  private init(configFlag: String?, databaseFlag: String?, environment: [String: String]) {
    self.configFlag = configFlag
    self.databaseFlag = databaseFlag
    self.environment = environment
  }

  /// Starts reading the settings for the command line `arguments` (without the program name), when they name
  /// a command (`--version` and `--help` read none).
  static func begin(_ arguments: [String], environment: [String: String]) {
    current.withLock { $0 = nil }
    guard let first = arguments.first, !first.hasPrefix("-") else { return }
    let flags = scan(arguments)
    let preload = SettingsPreload(configFlag: flags.config, databaseFlag: flags.database, environment: environment)
    current.withLock { $0 = preload }
    let thread = Thread {
      let loaded = Result { () throws(SettingsError) -> LoadedSettings in
        try SettingsLoader.load(
          configFlag: preload.configFlag, databaseFlag: preload.databaseFlag, environment: preload.environment)
      }
      preload.result.withLock { $0 = loaded }
      preload.done.signal()
    }
    thread.start()
  }

  /// The settings for these options and environment: the preloaded ones when they were read with them.
  ///
  /// The preload serves the command's first read only; any later one reads the files again.
  static func load(
    configFlag: String?, databaseFlag: String?, environment: [String: String]
  ) throws(SettingsError) -> LoadedSettings {
    let taken = current.withLock { preload in
      defer { preload = nil }
      return preload
    }
    if let preload = taken, preload.configFlag == configFlag,
      preload.databaseFlag == databaseFlag, preload.environment == environment
    {
      preload.done.wait()
      preload.done.signal()
      if let result = preload.result.withLock({ $0 }) { return try result.get() }
    }
    return try SettingsLoader.load(configFlag: configFlag, databaseFlag: databaseFlag, environment: environment)
  }

  /// The values of `--config` and `--db` as the raw words give them (`--db FILE` or `--db=FILE`), up to `--`.
  static func scan(_ arguments: [String]) -> (config: String?, database: String?) {
    var config: String?
    var database: String?
    var index = 0
    while index < arguments.count, arguments[index] != "--" {
      let word = arguments[index]
      for (name, assign) in [("--config", { (value: String) in config = value }), ("--db", { database = $0 })] {
        if word == name, index + 1 < arguments.count {
          assign(arguments[index + 1])
        } else if word.hasPrefix(name + "=") {
          assign(String(word.dropFirst(name.count + 1)))
        }
      }
      index += 1
    }
    return (config, database)
  }
}
