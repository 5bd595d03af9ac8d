import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound config`: the effective settings.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Show the effective settings.", subcommands: [Show.self])

  /// `compound config show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Print every effective setting and where it came from (flag, environment, file or default).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON: every setting with its value (as TOML writes it) and where it came from.") var json = false

    /// One setting as `config show --json` prints it.
    struct Line: Encodable {
      var key: String
      var value: String
      var source: String
    }

    func run() throws {
      let context = try Context(global)
      let loaded = context.loaded
      if json {
        return try Output.json(
          [
            Line(key: "settings file", value: loaded.configPath ?? "", source: "\(loaded.configSource)"),
            Line(
              key: "time zone in use", value: loaded.timeZone.identifier,
              source: loaded.settings.pharmacy.timeZone.isEmpty ? "the machine's zone" : "pharmacy.time_zone"),
          ] + loaded.lines().map { Line(key: $0.key, value: $0.value, source: "\($0.source)") })
      }
      print("settings file = \(loaded.configPath.map { "\"\($0)\"" } ?? "none")  # \(loaded.configSource)")
      print("database = \"\(loaded.databasePath)\"  # \(loaded.databaseSource)")
      let zoneNote = loaded.settings.pharmacy.timeZone.isEmpty ? " (the machine's zone)" : ""
      print("time zone in use = \"\(loaded.timeZone.identifier)\"\(zoneNote)")
      for line in loaded.lines() where line.key != "database" {
        print("\(line.key) = \(line.value)  # \(line.source)")
      }
      print("# the clinical rules are not settings: they are in the database ('compound rules show')")
    }
  }
}
