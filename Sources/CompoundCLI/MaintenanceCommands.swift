import ArgumentParser
import Foundation
import Settings
import Store

/// `compound backup`: an online copy of the database.
struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup", abstract: "Copy the database online (others may keep working); the copy is checked.")

  @OptionGroup var global: GlobalOptions
  @Option(help: "The new backup file (never overwritten).") var to: String

  func run() throws {
    let context = try Context(global)
    let path = URL(fileURLWithPath: to).standardizedFileURL.path
    let report = try context.database().backup(to: path)
    print(
      "backed up \(context.loaded.databasePath) to \(path) (integrity check ok; audit trail of \(report.entries) entries \(report.problems.isEmpty ? "verifies" : "does NOT verify"))"
    )
    if let problem = report.problems.first {
      Output.error("warning: the copy keeps the problem the database has: \(problem) (see 'compound audit verify')")
    }
  }
}

/// `compound restore`: the database from a backup.
struct RestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Restore the database from a backup; a damaged, foreign or newer file is refused.",
    discussion: "The database being replaced is kept beside it as FILE.before-restore-TIME.")

  @OptionGroup var global: GlobalOptions
  @Option(help: "The backup file.") var from: String

  func run() throws {
    let context = try Context(global)
    let kept = try AppDatabase.restore(from: from, to: context.loaded.databasePath, now: context.now)
    print(
      "restored \(context.loaded.databasePath) from \(from)"
        + (kept.map { "; the previous database is kept at \($0)" } ?? ""))
  }
}

/// `compound doctor`: checks the database against itself.
struct DoctorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract:
      "Check the database: integrity, the audit trail, stock against its movements, lots past their BUD or expiry still usable."
  )

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let context = try Context(global)
    let problems = try context.database().diagnose(today: context.today)
    if problems.isEmpty {
      return print(
        "all checks passed: integrity ok, audit trail verifies, stock matches its movements, nothing usable is past its date"
      )
    }
    for problem in problems { print("problem: \(problem)") }
    Output.error("error: \(problems.count) problem(s) found")
    throw ExitCode(4)
  }
}
