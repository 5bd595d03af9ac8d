import Accounts
import ArgumentParser
import Export
import FileOutput
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound recall`: who got a lot, and what to pull from the shelf.
struct RecallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recall",
    abstract:
      "Trace a lot: from an ingredient lot to batches, fills, patients and prescribers; from a batch to its lots.",
    discussion: "--hold puts every affected lot still on hand on hold, in one transaction (with --by and --reason).")

  @OptionGroup var global: GlobalOptions
  @Argument(help: "Ingredient lot or batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
  @Flag(help: "Put every affected lot still on hand on hold.") var hold = false
  @Option(help: "Who puts them on hold.") var by: String?
  @Option(help: "Why (the recall notice).") var reason: String?
  @Option(help: "Also write the trace to this new workbook (.xlsx).") var out: String?
  @Flag(help: "Replace the --out file if it exists.") var force = false
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let context = try Context(global)
    // The output is checked before anything is written: a refused --out holds nothing.
    let output = try out.map { try OutputPath($0, protected: [context.loaded.databasePath], force: force) }
    var holder: (User, String)?
    if hold {
      guard let by, let reason else { throw CLIError("--hold needs --by USER and --reason TEXT") }
      holder = (try context.user(by), reason)
    }
    let report = try context.database().recall(lot, hold: holder, now: context.now)
    if let output {
      try RecallWorkbook.write(report, to: output)
      if !json { print("wrote the recall trace to \(output.path)") }
    }
    if json { return try Output.json(report) }
    var lines = ["Recall trace of \(report.kind) lot \(report.lotNumber) (\(report.item))"]
    // In a chain, each lot and batch with the store that holds it.
    let chain = !report.stores.isEmpty
    func at(_ number: String) -> String { report.stores[number].map { "store \($0)" } ?? "" }
    if report.receipts.count > 1 || (chain && !report.receipts.isEmpty) {
      lines.append(
        "Receipts of its supplier lot (\(report.receipts.count)), every one traced: "
          + report.receipts.map { chain ? "\($0) (\(at($0)))" : $0 }.joined(separator: ", "))
    }
    if !report.components.isEmpty {
      lines.append("Component lots:")
      lines.append(
        Output.table(
          ["LOT", "INGREDIENT", "SUPPLIER", "SUPPLIER LOT", "USED"],
          report.components.map {
            [
              $0.lotNumber, $0.ingredient, $0.supplier, $0.supplierLot,
              $0.unit.format($0.used, display: context.display),
            ]
          }))
    }
    if !report.triturations.isEmpty {
      lines.append("Triturations made from it (\(report.triturations.count)), traced to the batches that used them:")
      lines.append(
        Output.table(
          ["TRITURATION LOT", "USED", "STATUS", "ON HAND"],
          report.triturations.map {
            [
              $0.lotNumber, StockUnit.mass.format($0.used, display: context.display), $0.status,
              StockUnit.mass.format($0.onHand, display: context.display),
            ]
          }))
    }
    lines.append("Batches (\(report.batches.count)):")
    lines.append(
      Output.table(
        ["BATCH", "FORMULA", "COMPOUNDED", "STATUS", "ON HAND"] + (chain ? ["STORE"] : []),
        report.batches.map {
          [$0.lotNumber, $0.formulaCode, "\($0.compounded)", $0.status, "\($0.onHand)"]
            + (chain ? [report.stores[$0.lotNumber] ?? ""] : [])
        }))
    lines.append("Fills (\(report.fills.count)): patients and prescribers to contact")
    lines.append(
      Output.table(
        ["RX", "FILL", "BATCH", "QTY", "FILLED", "PATIENT", "PHONE", "PRESCRIBER", "PHONE"] + (chain ? ["STORE"] : []),
        report.fills.map {
          [
            $0.rxNumber, "\($0.fillNumber)", $0.lotNumber, "\($0.quantity)", "\($0.filled)", $0.patient,
            $0.patientPhone,
            $0.prescriber, $0.prescriberPhone,
          ] + (chain ? [report.stores[$0.lotNumber] ?? ""] : [])
        }))
    lines.append(
      "On hand to quarantine: "
        + (report.onHand.isEmpty
          ? "nothing"
          : report.onHand.sorted { $0.key < $1.key }.map {
            "\($0.key) (\((report.onHandUnits[$0.key] ?? .count).format($0.value, display: context.display))"
              + (chain ? ", \(at($0.key)))" : ")")
          }.joined(separator: ", ")))
    if hold {
      lines.append(
        "Put on hold: "
          + (report.held.isEmpty ? "nothing (already held or final)" : report.held.joined(separator: ", ")))
    }
    print(lines.joined(separator: "\n"))
  }
}
