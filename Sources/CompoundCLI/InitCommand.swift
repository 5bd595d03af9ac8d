import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound init`: creates the database.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create the database (mode 0600) and import the shipped clinical rules; an existing one is only migrated."
  )

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let context = try Context(global)
    let existed = FileManager.default.fileExists(atPath: context.loaded.databasePath)
    if !existed {
      // Read the shipped rules before anything is created, so a missing file leaves no database behind.
      let (rules, source) = try RulesInForce.read(rulesFile: nil, vocabularyFile: nil)
      let database = try context.database(create: true)
      let record = try database.importRules(
        json: try rules.canonicalJSON(), source: source, reason: "shipped rules, imported by compound init", by: nil,
        now: context.now)
      print("created database \(database.path)")
      print("imported the shipped clinical rules as version \(record.version) (\(record.sha256.prefix(12)))")
      return
    }
    let database = try context.database(create: true)
    print("database \(database.path) is ready (already existed)")
    if try database.activeRules() == nil {
      print("warning: \(RulesRecord.missing)")
    }
  }
}
