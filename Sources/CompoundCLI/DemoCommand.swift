import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound demo`: a fresh database and sample pharmacy, and a pharmacist's day on it.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Create a fresh sample pharmacy and run a compounding day on it, printing each command.",
    discussion: """
      Writes compound.toml (from Config/demo/), compound.sqlite and the batch's compounding record into
      --dir, replacing only those files. Reads the LDN formulas from Config/formulas/.

      With --server, the day's records go to a new, empty PostgreSQL database instead (the address of its
      owner, who may make its tables); the files still go into --dir, and the backup is left to pg_dump.
      """)

  @Option(help: "Folder for the demo's files.") var dir: String = "demo"
  @Option(help: "The Config folder holding demo/ and formulas/ (found from the working folder or the program).")
  var configDir: String?
  @Option(help: "A new, empty PostgreSQL database for the day, as postgresql://OWNER@HOST:PORT/NAME.")
  var server: String?

  func run() throws {
    let configFolder = try findConfig()
    let folder = URL(fileURLWithPath: dir).standardizedFileURL
    let manager = FileManager.default
    try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("compound.sqlite").path
    if let server, try DatabaseAddress.check(server, from: .flag("--server")) == nil {
      throw CLIError("--server '\(server)' is not a PostgreSQL address: give postgresql://OWNER@HOST:PORT/NAME")
    }
    let database = server ?? file
    let settings = folder.appendingPathComponent("compound.toml").path
    for suffix in ["", "-wal", "-shm"] where server == nil && manager.fileExists(atPath: file + suffix) {
      try manager.removeItem(atPath: file + suffix)
    }
    if manager.fileExists(atPath: settings) { try manager.removeItem(atPath: settings) }
    let backup = folder.appendingPathComponent("backup.sqlite").path
    if manager.fileExists(atPath: backup) { try manager.removeItem(atPath: backup) }
    try manager.copyItem(atPath: configFolder + "/demo/compound.toml", toPath: settings)

    let script = DemoScript(
      database: database, folder: folder, settings: settings, formulas: configFolder + "/formulas")
    try script.run()

    print("\nWhere everything went:")
    let rows = [("database", database), ("settings", settings)] + script.outputs
    for (name, path) in rows { print("  \((name + ":").padding(toLength: 20, withPad: " ", startingAt: 0)) \(path)") }
  }

  /// The Config folder: --config-dir, else ./Config, else one beside the program's build folder.
  private func findConfig() throws -> String {
    if let configDir { return try check(configDir) }
    guard let found = ProjectFolder.find("Config", containing: "demo/compound.toml") else {
      throw CLIError("cannot find the Config folder with demo/ and formulas/: pass --config-dir PATH/TO/Config")
    }
    return found
  }

  private func check(_ path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path + "/formulas"),
      FileManager.default.fileExists(atPath: path + "/demo/compound.toml")
    else { throw CLIError("\(path) has no formulas/ and demo/compound.toml: pass the repository's Config folder") }
    return path
  }
}
