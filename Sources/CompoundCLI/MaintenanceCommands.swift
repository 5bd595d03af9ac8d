import Accounts
import ArgumentParser
import FileOutput
import Formulation
import Foundation
import Settings
import Store

/// `compound backup`: an online copy of the database.
struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the database online (others may keep working); the copy is checked before it gets its name.",
    discussion: """
      The copy is written under a hidden name beside the target, checked (integrity and the audit trail), \
      flushed to disk and renamed: a kill at any moment leaves no unchecked file under the backup's name. A \
      backup never overwrites a file, and never the database.

      With --update, --to names an earlier backup of this database, brought up to date in one transaction: \
      the audit entries written since its last one and the rows they name are copied, and its trail is checked \
      from its own checkpoint before the transaction commits. It takes as long as the work since that backup, \
      not as the whole file: the daily backup of years of records. A kill or a problem leaves the backup as it \
      was. Every page is read again by a new backup and by 'compound restore'.

      On a PostgreSQL server the backup is pg_dump's archive (--format=custom, for pg_restore), taken from the \
      snapshot whose audit trail was just verified, read back with pg_restore --list, and given its name only \
      when whole; --update is a SQLite file's. The station needs Debian's postgresql-client.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "The new backup file (never overwritten), or with --update an earlier backup of this database.")
  var to: String
  @Flag(help: "Bring the earlier backup named by --to up to date instead of writing a new file.") var update = false

  func run() throws {
    let context = try Context(global)
    if let server = context.loaded.server {
      if update {
        throw CLIError(
          "--update brings a SQLite copy up to date; \(server) is a PostgreSQL server: make a new dump with"
            + " 'compound backup --to FILE' (without --update)")
      }
      let output = try OutputPath(to, protected: [], force: false, option: "--to")
      let report = try context.database().dump(to: output, environment: context.environment)
      return print(
        "backed up \(server) to \(output.path) with pg_dump (audit trail of \(report.entries) entries verifies in the"
          + " dumped snapshot; head \(report.head))")
    }
    if update {
      let target = try OutputPath(to, protected: [context.loaded.databasePath], force: true, option: "--to")
      guard FileManager.default.fileExists(atPath: target.path) else {
        throw CLIError(
          "no backup at \(to) to bring up to date: make one first with 'compound backup --to \(to)' (without --update)")
      }
      let updated = try context.database().updateBackup(at: target.path, now: context.now)
      return print(
        "brought \(target.path) up to date from \(context.loaded.databasePath): \(updated.added) audit entries added; audit trail of \(updated.report.entries) entries verifies; head \(updated.report.head)"
      )
    }
    let output = try OutputPath(to, protected: [context.loaded.databasePath], force: false, option: "--to")
    let report = try context.database().backup(to: output)
    print(
      "backed up \(context.loaded.databasePath) to \(output.path) (integrity check ok; audit trail of \(report.entries) entries verifies; head \(report.head))"
    )
  }
}

/// `compound restore`: the database from a backup.
struct RestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Restore the database from a checked backup (a pharmacist, signed); the replaced one is kept.",
    discussion: """
      Refused: a damaged, partial or foreign file; one whose audit trail does not verify; one written by an \
      older or newer compound; one with no active pharmacist; another pharmacy's database unless --foreign \
      --reason. The restored database records the restore (who, the backup and the replaced head hash) in its \
      audit trail, and the two files change places in one atomic step: a kill at any moment leaves the old or \
      the new database, whole. The database being replaced is kept beside it as FILE.before-restore-TIME.

      On a PostgreSQL server, --from is a 'compound backup' (pg_dump) archive and --db a new, empty database, \
      given as its owner: the archive is loaded into it in one transaction, its whole trail checked and the \
      restore recorded, signed by a pharmacist of the restored pharmacy; the stations are then pointed at it. \
      The live database is never touched.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "The backup file.") var from: String
  @Flag(help: "The backup is another pharmacy's database (needs --reason).") var foreign = false
  @Option(help: "Why another pharmacy's database is restored here.") var reason: String?
  @OptionGroup var signer: SignerOption

  func run() throws {
    let context = try Context(global)
    if foreign, reason?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
      throw CLIError("--foreign needs --reason \"...\": why another pharmacy's database is restored here")
    }
    if let server = context.loaded.server {
      try AppDatabase.load(dump: from, into: server, environment: context.environment)
      let pharmacist: User
      let report: AuditReport
      do {
        pharmacist = try context.signer(signer.by, for: "restore the database from \(from)")
        report = try context.database().recordRestore(from: from, by: pharmacist, now: context.now)
        try AppDatabase.settleSignatures()
      } catch {
        // The new database holds the loaded copy, unrecorded: it must not be mistaken for a restore.
        let text = Runner.domainMessage(error) ?? "\(error)"
        if text.contains("DROP DATABASE") { throw CLIError(text) }
        throw CLIError(
          "\(text); not restored: \(server) holds the unchecked copy: drop it (DROP DATABASE) before restoring again")
      }
      return print(
        "restored \(from) into \(server), signed by \(pharmacist.id): audit trail of \(report.entries) entries"
          + " verifies; point the stations at \(server.with(user: "compound"))")
    }
    let target = context.loaded.databasePath
    let pharmacist: User
    if FileManager.default.fileExists(atPath: target) {
      pharmacist = try context.signer(signer.by, for: "restore the database from \(from)")
    } else {
      throw CLIError(
        "no database at \(target) to restore into: 'compound init' one first (a restore is signed by a pharmacist of this pharmacy)"
      )
    }
    let restored = try AppDatabase.restore(
      from: from, into: try context.database(), to: target, by: pharmacist, foreignReason: foreign ? reason : nil,
      now: context.now)
    print(
      "restored \(target) from \(from), signed by \(pharmacist.id): audit trail of \(restored.entries) entries verifies"
        + (restored.kept.map { "; the replaced database (head \(restored.replacedHead ?? "?")) is kept at \($0)" }
          ?? ""))
  }
}
/// `compound doctor`: checks the database against itself.
struct DoctorCommand: ParsableCommand {
  /// What `doctor --json` prints.
  struct Report: Encodable {
    var passed: Bool
    var problems: [String]
  }

  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract:
      "Check the database: the audit trail, stock against its movements, lots past their BUD or expiry still usable.",
    discussion: """
      The daily check reads the audit trail since its last verified checkpoint (a clean 'compound audit \
      verify' or daily doctor keeps one), the records those entries name and the stock their movements touched (all of it when stock was \
      written outside compound), so it takes about as long on the tenth year as on the first day. Once a week run it with --full: it also \
      reads every page of the file (SQLite's integrity check) and walks the whole trail, which takes minutes on \
      a file of many years.
      """
  )

  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print JSON: {\"passed\": true|false, \"problems\": [...]} (exit 4 still when there are problems).")
  var json = false
  @Flag(
    help:
      "Also check every page of the file and walk the whole audit trail (the weekly check; minutes on years of records)."
  )
  var full = false

  func run() throws {
    let context = try Context(global)
    let database = try context.database()
    let problems = try database.diagnose(today: context.today, full: full)
    if json {
      try Output.json(Report(passed: problems.isEmpty, problems: problems))
      if !problems.isEmpty { throw ExitStatus.problemsFound }
      return
    }
    if problems.isEmpty, database.isShared {
      return print(
        "all checks passed: the schema and its triggers are this version's, the audit trail verifies"
          + (full ? " entry by entry and every record matches it" : " since its checkpoint")
          + ", stock matches its movements, nothing usable is past its date (the server checks its own pages)")
    }
    if problems.isEmpty {
      return print(
        full
          ? "all checks passed: integrity ok, every audit entry and record verifies, stock matches its movements, nothing usable is past its date"
          : "all checks passed: audit trail verifies since its checkpoint, stock matches its movements, nothing usable is past its date (every page of the file: 'compound doctor --full', weekly)"
      )
    }
    for problem in problems { print("problem: \(problem)") }
    Output.error("error: \(problems.count) problem(s) found")
    throw ExitStatus.problemsFound
  }
}
