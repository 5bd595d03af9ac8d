import ArgumentParser
import Dispensing
import Formulation
import Foundation
import Quality
import Quantities
import Settings
import Store

/// `compound today`: what needs attention now, most urgent first.
struct TodayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "today",
    abstract: "What needs attention now, most urgent first, with the command for each.",
    discussion: """
      Fills awaiting a label or the final check; batches awaiting weights, verification, an assay or release; \
      received lots awaiting release; released batches whose BUD ends within 7 days; stock expiring within 30 days \
      (--within); items below their reorder level. Records nothing.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(
    parsing: .unconditional, help: "Days ahead for expiring stock (default 30).",
    transform: ArgumentTypes.whole("--within", 0...3650))
  var within: Int = 30
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let context = try Context(global)
    let database = try context.database()
    let today = context.today
    let lines = try database.inventory()
    // Only the batches still waiting for something: those quarantined (the work queue lists no other).
    let batches = try database.batches(quarantinedOnly: true).map {
      WorkQueue.Batch(
        lotNumber: $0.lotNumber, status: $0.status, verified: $0.verifiedBy != nil,
        weightCheckPassed: $0.weightCheckPassed, assayed: !(try database.assays(lotNumber: $0.lotNumber).isEmpty))
    }
    let fills = try database.pendingFills().map {
      WorkQueue.Fill(id: $0.id, rxNumber: $0.rxNumber, fillNumber: $0.fillNumber, labelsPrinted: $0.labelsPrinted)
    }
    let items = WorkQueue.items(
      fills: fills, batches: batches, stock: InventoryText.stock(lines),
      ingredientLots: Set(lines.filter { $0.kind == "ingredient" }.map(\.lotNumber)),
      shortages: try InventoryText.shortages(context.settings.inventory.reorder, lines: lines, today: today),
      requireAssay: try context.inForce().settings.qualityPolicy.requireAssayBeforeRelease, expiringDays: within,
      today: today, balanceChecks: try balanceChecks(database, context), display: context.display)
    if json { return try Output.json(items) }
    guard !items.isEmpty else { return print("nothing needs attention on \(today)") }
    print("Today, \(today): \(items.count) thing\(items.count == 1 ? "" : "s") to do, most urgent first")
    for urgency in WorkItem.Urgency.allCases {
      let group = items.filter { $0.urgency == urgency }
      guard !group.isEmpty else { continue }
      print("\n\(urgency.heading)")
      for item in group { print("  \(item.subject): \(item.what)\n    \(item.command)") }
    }
  }

  /// Each configured balance with its latest check today: passed, failed, or nil when none.
  private func balanceChecks(_ database: AppDatabase, _ context: Context) throws -> [(balance: String, passed: Bool?)] {
    let checks = try database.balanceChecks(on: context.today)
    return try context.inForce().settings.balances.map { ($0.id, checks[$0.id.uppercased()]?.passed) }
  }
}
