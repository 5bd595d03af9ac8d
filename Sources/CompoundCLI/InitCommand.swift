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
    abstract:
      "Create the database (mode 0600) and import the shipped clinical rules; an existing one is only migrated.",
    discussion: """
      The new database is built under a hidden name beside the file and put in place whole, so a kill midway \
      leaves nothing under the name. An existing file is never taken over: an empty, partial or foreign file \
      is refused and left untouched.

      Given a PostgreSQL database (--db postgresql://OWNER@HOST:PORT/NAME), run it once as the database's owner: \
      it makes the tables, the station role's grants and the installation, or brings an existing database's \
      tables up to this version. The stations then connect as the role compound.
      """)

  @OptionGroup var global: GlobalOptions
  @Flag(help: "A training database, whose clock COMPOUND_NOW may fix (as the demo's); never a pharmacy's records.")
  var training = false

  func run() throws {
    let context = try Context(global)
    let path = context.loaded.databasePath
    if context.loaded.server == nil, FileManager.default.fileExists(atPath: path) {
      let database = try context.database()
      print("database \(database.path) is ready (already existed)")
      if try database.activeRules() == nil { print("warning: \(RulesRecord.missing)") }
      return
    }
    // Read the shipped rules before anything is created, so a missing file leaves no database behind.
    let (rules, source) = try RulesInForce.read(rulesFile: nil, vocabularyFile: nil)
    if context.fixedClock, !training {
      throw CLIError(
        "COMPOUND_NOW is honoured only on a training database: unset it, or make one with 'compound init --training'")
    }
    let database: AppDatabase
    if let server = context.loaded.server {
      let made = try AppDatabase.create(
        server: server, training: training, now: context.now, environment: context.environment)
      guard made.created else {
        try context.adopt(made.database)
        print("database \(made.database.path) is ready (already existed)")
        if try made.database.activeRules() == nil { print("warning: \(RulesRecord.missing)") }
        return
      }
      database = made.database
    } else {
      database = try AppDatabase.create(path: path, training: training, now: context.now)
    }
    try context.adopt(database)
    let record = try database.importRules(
      json: try rules.canonicalJSON(), source: source, reason: "shipped rules, imported by compound init", by: nil,
      now: context.now)
    let final = try database.publish()
    print("created \(training ? "training " : "")database \(final)")
    print("imported the shipped clinical rules as version \(record.version) (\(record.sha256.prefix(12)))")
  }
}
