import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound init`: creates the database.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "Create the database (mode 0600); an existing one is only migrated.")

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let context = try Context(global)
    let existed = FileManager.default.fileExists(atPath: context.loaded.databasePath)
    let database = try context.database(create: true)
    print(existed ? "database \(database.path) is ready (already existed)" : "created database \(database.path)")
  }
}
