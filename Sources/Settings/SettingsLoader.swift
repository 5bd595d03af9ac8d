import Foundation
import Quantities
import TOMLKit

/// Resolves settings: flag > environment variable > settings file > built-in default.
///
/// The settings file is `--config`, else `COMPOUND_CONFIG`, else `compound/compound.toml` in the user's
/// config folder (`XDG_CONFIG_HOME`, default `~/.config`) when it exists. The database is `--db`, else
/// `COMPOUND_DB`, else the file's `database`, else `compound/compound.sqlite` in the user's data folder
/// (`XDG_DATA_HOME`, default `~/.local/share`).
public enum SettingsLoader {
  /// Loads the effective settings; throws with a one-line message naming the file and key at fault.
  public static func load(
    configFlag: String?, databaseFlag: String?, environment: [String: String]
  ) throws(SettingsError) -> LoadedSettings {
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    var configPath: String?
    var configSource = SettingSource.builtIn
    if let flag = configFlag {
      configPath = flag
      configSource = .flag("--config")
    } else if let variable = environment["COMPOUND_CONFIG"], !variable.isEmpty {
      configPath = variable
      configSource = .environment("COMPOUND_CONFIG")
    } else {
      let folder = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
      let candidate = folder + "/compound/compound.toml"
      if FileManager.default.fileExists(atPath: candidate) {
        configPath = candidate
        configSource = .file(candidate)
      }
    }
    var settings = Settings.defaults
    var keys = Set<String>()
    var pricingPath: String?
    if let configPath {
      guard FileManager.default.fileExists(atPath: configPath) else {
        throw SettingsError(
          "settings file \(configPath) (from \(configSource)) does not exist: create it or point to another")
      }
      let text = try readText(configPath, what: "settings file")
      (settings, keys) = try parse(text, file: configPath)
      let folder = URL(fileURLWithPath: configPath).deletingLastPathComponent()
      let candidate =
        settings.pricingFile.hasPrefix("/")
        ? settings.pricingFile : folder.appendingPathComponent(settings.pricingFile).path
      if FileManager.default.fileExists(atPath: candidate) {
        let pricingText = try readText(candidate, what: "pricing file")
        (settings, keys) = try parse(text, file: configPath, pricing: (pricingText, candidate))
        pricingPath = candidate
      }
    }
    let zone = try settings.timeZone()

    let databasePath: String
    let databaseSource: SettingSource
    var server: PostgresAddress?
    if let flag = databaseFlag {
      databasePath = flag
      databaseSource = .flag("--db")
      server = try DatabaseAddress.check(flag, from: databaseSource)
    } else if let variable = environment["COMPOUND_DB"], !variable.isEmpty {
      databasePath = variable
      databaseSource = .environment("COMPOUND_DB")
      server = try DatabaseAddress.check(variable, from: databaseSource)
    } else if !settings.database.isEmpty, let configPath {
      server = try DatabaseAddress.check(settings.database, from: .file(configPath))
      let folder = URL(fileURLWithPath: configPath).deletingLastPathComponent()
      databasePath =
        settings.database.hasPrefix("/") || server != nil
        ? settings.database : folder.appendingPathComponent(settings.database).path
      databaseSource = .file(configPath)
    } else {
      let folder = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
      databasePath = folder + "/compound/compound.sqlite"
      databaseSource = .builtIn
    }
    return LoadedSettings(
      settings: settings, configPath: configPath, configSource: configSource, databasePath: databasePath,
      databaseSource: databaseSource, keysFromFile: keys, timeZone: zone, pricingPath: pricingPath, server: server)
  }

  /// A TOML encoder that writes exact numbers as TOML numbers.
  static var encoder: TOMLEncoder {
    var encoder = TOMLEncoder()
    if let key = ExactNumber.asNumber { encoder.userInfo[key] = true }
    return encoder
  }

  /// Reads settings text over the built-in defaults.
  ///
  /// Returns the settings and the dotted keys the text set.
  /// A settings file may hold only local keys; a rules file (`scope: .clinical`) only clinical ones.
  public static func parse(
    _ text: String, file: String, pricing: (text: String, file: String)? = nil, scope: KeyScope = .local
  ) throws(SettingsError) -> (Settings, Set<String>) {
    var current = file
    var mergedSoFar: TOMLTable?
    do {
      try TOMLText.refuseBrokenHeaders(text)
      let given = try TOMLTable(string: text)
      try TOMLText.refuseControlCharacters(given)
      try scope.check(given)
      var pricingTable: TOMLTable?
      if let pricing {
        current = pricing.file
        try TOMLText.refuseBrokenHeaders(pricing.text)
        let table = try TOMLTable(string: pricing.text)
        try TOMLText.refuseControlCharacters(table)
        guard table.keys.allSatisfy({ $0 == "pricing" }) else {
          throw SettingsError("it may only hold the [pricing] table")
        }
        pricingTable = table
        current = file
      }
      // Only the tables the text names are encoded from the defaults and merged; every other key is read
      // as its default.
      var encoder = SettingsLoader.encoder
      if let key = Settings.encodedKeys { encoder.userInfo[key] = Set(given.keys + (pricingTable?.keys ?? [])) }
      let merged: TOMLTable = try encoder.encode(Settings.defaults)
      mergedSoFar = merged
      var keys = Set<String>()
      merge(given, into: merged, prefix: "", keys: &keys)
      if let pricingTable {
        current = pricing?.file ?? file
        merge(pricingTable, into: merged, prefix: "", keys: &keys)
        current = file
      }
      var decoder = TOMLDecoder()
      if let key = Settings.missingKeepsDefault { decoder.userInfo[key] = true }
      decoder.strictDecoding = true
      let settings = try decoder.decode(Settings.self, from: merged)
      try settings.validate()
      return (settings, keys)
    } catch let error as SettingsError {
      throw SettingsError("\(current): \(error.message)")
    } catch {
      throw SettingsError(TOMLErrorText.describe(error, file: current, table: mergedSoFar))
    }
  }

  private static func merge(_ given: TOMLTable, into base: TOMLTable, prefix: String, keys: inout Set<String>) {
    for key in given.keys {
      let path = prefix.isEmpty ? key : prefix + "." + key
      if let givenTable = given[key]?.table, let baseTable = base[key]?.table {
        merge(givenTable, into: baseTable, prefix: path, keys: &keys)
      } else {
        base[key] = given[key]
        keys.insert(path)
      }
    }
  }

  /// Reads a UTF-8 text file of at most 1 MiB, refusing anything else with a clear message.
  public static func readText(_ path: String, what: String) throws(SettingsError) -> String {
    let data = try readData(path, what: what, limit: 1_048_576)
    guard let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") else {
      throw SettingsError("\(what) \(path) is not UTF-8 text")
    }
    return text
  }

  /// The bytes of the regular file at `path`, refused when missing, not a regular file (a FIFO or
  /// /dev/zero would never end) or larger than `limit` bytes.
  public static func readData(_ path: String, what: String, limit: Int) throws(SettingsError) -> Data {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw SettingsError("cannot read \(what) \(path): check that it exists and is readable")
    }
    guard info.st_mode & S_IFMT == S_IFREG else { throw SettingsError("\(what) \(path) is not a regular file") }
    let megabytes = limit / 1_048_576
    guard info.st_size <= limit, let handle = FileHandle(forReadingAtPath: path) else {
      throw SettingsError(
        info.st_size > limit
          ? "\(what) \(path) is larger than \(megabytes) MiB" : "cannot read \(what) \(path): check its permissions")
    }
    defer { try? handle.close() }
    let data = handle.readData(ofLength: limit + 1)
    guard data.count <= limit else { throw SettingsError("\(what) \(path) is larger than \(megabytes) MiB") }
    return data
  }
}
