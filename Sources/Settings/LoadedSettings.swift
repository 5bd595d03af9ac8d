import Foundation

/// The effective settings with where each came from.
public struct LoadedSettings: Sendable {
  public var settings: Settings
  /// The settings file read, if any.
  public var configPath: String?
  public var configSource: SettingSource
  public var databasePath: String
  public var databaseSource: SettingSource
  /// Dotted keys the settings file set; every other key has its default.
  public var keysFromFile: Set<String>
  public var timeZone: TimeZone
  /// The pricing file read beside the settings file, if any.
  public var pricingPath: String?
  /// The PostgreSQL server the database setting names; nil for a SQLite file at `databasePath`.
  public var server: PostgresAddress?

  public init(
    settings: Settings, configPath: String?, configSource: SettingSource, databasePath: String,
    databaseSource: SettingSource, keysFromFile: Set<String>, timeZone: TimeZone, pricingPath: String? = nil,
    server: PostgresAddress? = nil
  ) {
    self.settings = settings
    self.configPath = configPath
    self.configSource = configSource
    self.databasePath = databasePath
    self.databaseSource = databaseSource
    self.keysFromFile = keysFromFile
    self.timeZone = timeZone
    self.pricingPath = pricingPath
    self.server = server
  }

  /// Where the setting at dotted `key` came from.
  public func source(of key: String) -> SettingSource {
    guard let configPath else { return .builtIn }
    if let pricingPath, key.hasPrefix("pricing."),
      keysFromFile.contains(where: { key.hasPrefix($0) && $0.hasPrefix("pricing") })
    {
      return .file(pricingPath)
    }
    let fromFile = keysFromFile.contains { key == $0 || key.hasPrefix($0 + ".") || key.hasPrefix($0 + "[") }
    return fromFile ? .file(configPath) : .builtIn
  }
}
