import ArgumentParser
import Foundation
import Quantities
import Store

/// `compound audit`: the chained record of every change.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Verify and read the audit trail of every change.",
    subcommands: [Verify.self, Log.self])

  /// `compound audit verify`.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Walk the SHA-256 chain and compare every record with its latest entry; exit 5 on a mismatch.",
      discussion: """
        Finds entries edited or deleted, and records added, changed or deleted, outside compound (with the
        sqlite3 shell, say), and names the first. Write down the head hash it prints: a later check that
        shows the same entry count and head proves the trail was not cut short.
        """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
      let context = try Context(global)
      let report = try context.database().verifyAudit()
      guard let first = report.problems.first else {
        return print(
          "audit trail intact: \(report.entries) entries, every record matches its latest entry; head \(report.head)")
      }
      for problem in report.problems { print("problem: \(problem)") }
      Output.error(
        "error: \(first)\(report.problems.count > 1 ? " (and \(report.problems.count - 1) more problem(s))" : "")")
      throw ExitCode(5)
    }
  }

  /// `compound audit log`.
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print audit entries, one command at a time: who, when, the command, each change.",
      discussion: "Example: compound audit log --lot LDN45-261122-01 --since 2026-11-01")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries about this ingredient or batch lot number.") var lot: String?
    @Option(help: "Only entries from this date on (YYYY-MM-DD, in the pharmacy's time zone).") var since: String?
    @Flag(help: "Print JSON (every field, with the rows before and after).") var json = false

    func run() throws {
      let context = try Context(global)
      var start: String?
      if let since {
        let day = try CalendarDate.parse(since, what: "--since")
        start = Timestamp.string(InventoryText.startOfDay(day, zone: context.zone))
      }
      let entries = try context.database().auditLog(lot: lot, since: start)
      if json { return try Output.json(entries) }
      if entries.isEmpty {
        return print("no audit entries\(lot.map { " about \($0)" } ?? "")\(since.map { " since \($0)" } ?? "")")
      }
      var transaction: Int64 = -1
      for entry in entries {
        if entry.transaction != transaction {
          transaction = entry.transaction
          print("\(context.local(entry.at))  \(entry.actor)  \(entry.command)")
        }
        print(
          "  #\(entry.id) \(entry.operation) \(entry.table) \(entry.rowID)\(entry.lot.map { " [\($0)]" } ?? "")\(AuditText.change(entry))"
        )
      }
    }
  }
}
