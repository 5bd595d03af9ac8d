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

    func run() throws {
      let context = try Context(global)
      let loaded = context.loaded
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
