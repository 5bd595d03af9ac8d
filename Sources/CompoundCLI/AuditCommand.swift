import ArgumentParser
import FileOutput
import Foundation
import Quantities
import Settings
import Store

/// `compound audit`: the chained record of every change.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Verify and read the audit trail of every change.",
    subcommands: [Verify.self, Anchor.self, Log.self])

  /// `compound audit anchor`.
  struct Anchor: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "anchor",
      abstract:
        "Write a small checkpoint of the audit trail (entry count, head hash, time, pharmacy) to keep elsewhere.",
      discussion: """
        Hand it outside the pharmacy's control (the owner, the inspector, an e-mail): 'compound audit verify \
        --anchor FILE' later fails if that entry is gone or differs. The monthly workbook carries the same \
        head hash in its properties and on its Summary sheet.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Write it to this new file (default: print it).") var out: String?
    @Flag(help: "Replace the --out file if it exists.") var force = false

    func run() throws {
      let context = try Context(global)
      let output = try out.map { try OutputPath($0, protected: [context.loaded.databasePath], force: force) }
      let database = try context.database()
      let (entries, head) = try database.auditHead()
      let report = try database.verifyAudit()
      if let problem = report.problems.first {
        throw CLIError("the audit trail does not verify (\(problem)): no anchor is taken of it; run 'compound doctor'")
      }
      let anchor = AuditAnchor(
        pharmacy: context.settings.pharmacy.name, pharmacyID: try database.installation().pharmacyID,
        entries: entries, head: head, at: Timestamp.string(context.now))
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let bytes = Array(try encoder.encode(anchor)) + Array("\n".utf8)
      guard let output else { return FileHandle.standardOutput.write(Data(bytes)) }
      try output.write(bytes)
      print("wrote the audit anchor to \(output.path): \(entries) entries, head \(head)")
    }
  }

  /// `compound audit verify`.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check the SHA-256 chain and the records against their latest entries; exit 5 on a mismatch.",
      discussion: """
        Finds entries edited or deleted, and records added, changed or deleted, outside compound (with the \
        sqlite3 shell, say), and names the first. Write down the head hash it prints: a later check that \
        shows the same entry count and head proves the trail was not cut short.

        A clean check leaves a checkpoint in the database; the next one starts from it while its entry keeps \
        its hash, checking the entries written since and the rows they name, and every row of any table \
        written outside compound since (every table's writes are counted by triggers, whoever writes).

        --full walks the whole chain and compares every record, with progress on a terminal and the entries \
        checked per second at the end; the records are compared on two more connections while the chain is \
        walked.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "An anchor written earlier by 'compound audit anchor': its entry must still be there unchanged.")
    var anchor: String?
    @Flag(help: "Check the whole chain and every record, not only what changed since the last checkpoint.")
    var full = false
    @Flag(help: "Print JSON: entries, head and problems (exit 5 still on a mismatch).") var json = false

    func run() throws {
      let context = try Context(global)
      let database = try context.database()
      let started = ContinuousClock.now
      let terminal = isatty(STDERR_FILENO) == 1
      var report = try database.verifyAudit(full: full, now: context.now) { done, total in
        guard terminal else { return }
        FileHandle.standardError.write(Data("\rchecking the audit trail: \(done) of \(total) entries".utf8))
      }
      if terminal && full { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      let seconds = Self.seconds(ContinuousClock.now - started)
      if let anchor {
        let data = try SettingsLoader.readData(anchor, what: "audit anchor", limit: 65_536)
        guard let taken = try? JSONDecoder().decode(AuditAnchor.self, from: data), taken.format == 1 else {
          throw CLIError("\(anchor) is not an audit anchor written by 'compound audit anchor'")
        }
        if taken.pharmacyID != (try database.installation().pharmacyID) {
          report.problems.insert("the anchor \(anchor) is of another pharmacy's database (\(taken.pharmacy))", at: 0)
        } else if let problem = try database.anchorProblem(entries: taken.entries, head: taken.head) {
          report.problems.insert("\(problem) (anchor of \(context.local(taken.at)))", at: 0)
        }
      }
      if json {
        try Output.json(report)
        if !report.problems.isEmpty { throw ExitStatus.auditMismatch }
        return
      }
      guard let first = report.problems.first else {
        let rate = seconds > 0 ? Int(Double(report.checked) / seconds) : 0
        print(
          report.since.map { "checked the \(report.checked) entries since the checkpoint at entry #\($0)" }
            ?? "checked every entry: \(report.checked) in \(String(format: "%.1f", seconds)) s (\(rate) entries/s)")
        print(
          "audit trail intact: \(report.entries) entries, every record matches its latest entry; head \(report.head)"
            + (anchor == nil ? "" : "; the anchor's entry is there unchanged"))
        return
      }
      for problem in report.problems { print("problem: \(problem)") }
      Output.error(
        "error: \(first)\(report.problems.count > 1 ? " (and \(report.problems.count - 1) more problem(s))" : "")")
      throw ExitStatus.auditMismatch
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
      Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
  }

  /// `compound audit log`.
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: "Print audit entries, one command at a time: who, when, the command, each change.",
      discussion: "Example: compound audit log --lot LDN45-261122-01 --since 2026-11-01")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries about this ingredient or batch lot number.", transform: ArgumentTypes.lotNumber)
    var lot: String?
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
