import ArgumentParser
import Export
import FileOutput
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound stock`: corrections to stock, through the ledger.
struct StockCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stock", abstract: "Adjust or waste stock of a lot or batch; every change is a ledger movement.",
    subcommands: [Adjust.self, Waste.self])

  /// `compound stock adjust`.
  struct Adjust: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "adjust",
      abstract:
        "Correct a lot's stock by a signed quantity (-0.2g, +3count) after a count; a new movement, never an edit.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Lot or batch number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(parsing: .unconditional, help: "Signed quantity with its unit: -0.2g, +150mg, -3 (capsules of a batch).")
    var quantity: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var signer: SignerOption

    func run() throws {
      let context = try Context(global)
      let result = try context.database().moveStock(
        lot, kind: .adjusted, quantity: quantity, reason: reason, witness: nil, by: try context.user(signer.by),
        now: context.now)
      print("adjusted \(lot) by \(quantity): \(result.unit.format(result.onHand, display: context.display)) on hand")
    }
  }

  /// `compound stock waste`.
  struct Waste: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "waste",
      abstract: "Record stock wasted or destroyed, with a reason and a witness.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Lot or batch number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "Quantity wasted with its unit: 0.5g, 30 (capsules of a batch).") var quantity: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var signer: SignerOption
    @Option(help: "The witness (another user).") var witness: String?

    func run() throws {
      let context = try Context(global)
      let result = try context.database().moveStock(
        lot, kind: .wasted, quantity: quantity, reason: reason,
        witness: try witness.map { try context.witness($0, for: "waste of \(lot)") },
        by: try context.user(signer.by), now: context.now)
      print("wasted \(quantity) of \(lot): \(result.unit.format(result.onHand, display: context.display)) on hand")
    }
  }
}

/// `compound inventory`: stock as it is, or as it was.
struct InventoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inventory", abstract: "Stock on hand from the ledger, expiring stock, reorders.",
    subcommands: [Show.self, Expiring.self, Reorder.self, Export.self])

  /// `compound inventory show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Stock per lot and per item; --as-of DATE gives it as it was at the end of that day.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "A past day, YYYY-MM-DD (the end of that day in the pharmacy's time zone).") var asOf: String?
    @Flag(help: "Print JSON (masses in micrograms).") var json = false

    func run() throws {
      let context = try Context(global)
      var instant: Date?
      if let asOf {
        let day = try CalendarDate.parse(asOf, what: "--as-of")
        instant = InventoryText.endOfDay(day, zone: context.zone)
      }
      let lines = try context.database().inventory(asOf: instant).filter { $0.onHand != 0 }
      if json { return try Output.json(lines) }
      print(
        InventoryText.show(
          lines, title: asOf.map { "Stock at the end of \($0)" } ?? "Stock now", today: context.today,
          display: context.display))
    }
  }

  /// `compound inventory expiring`.
  struct Expiring: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "expiring", abstract: "Stock that expires (or reaches its BUD) soon.")

    @OptionGroup var global: GlobalOptions
    @Option(
      help: "How far ahead, in days: 60 or 60d (default: inventory.expiring_days).",
      transform: { text in
        try Parsing.whole(text.hasSuffix("d") ? String(text.dropLast()) : text, option: "--within", range: 0...3650)
      })
    var within: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let days = within ?? context.settings.inventory.expiringDays
      let horizon = context.today.adding(days: days)
      let lines = try context.database().inventory().filter { $0.onHand > 0 && $0.expires <= horizon }
      if json { return try Output.json(lines) }
      if lines.isEmpty { return print("nothing on hand expires within \(days) days") }
      print(
        InventoryText.show(
          lines, title: "Expiring by \(horizon) (within \(days) days)", today: context.today, display: context.display))
    }
  }

  /// `compound inventory reorder`.
  struct Reorder: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reorder",
      abstract: "Items whose released, unexpired stock is below their reorder level (inventory.reorder).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON (quantities in micrograms or pieces).") var json = false

    func run() throws {
      let context = try Context(global)
      let points = context.settings.inventory.reorder
      if points.isEmpty { return print("no reorder levels are set: add [[inventory.reorder]] to the settings file") }
      let shortages = try InventoryText.shortages(
        points, lines: try context.database().inventory(), today: context.today)
      if json { return try Output.json(shortages) }
      let display = context.display
      let below = shortages.map {
        [$0.item, $0.unit.format($0.stock, display: display), $0.unit.format($0.level, display: display)]
      }
      if below.isEmpty { return print("every item is at or above its reorder level") }
      print(Output.table(["ITEM", "USABLE STOCK", "REORDER BELOW"], below))
    }
  }
}

extension InventoryCommand {
  /// `compound inventory export`.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write the month's inventory workbook (Excel) from the ledger as of the month's end.",
      discussion: """
        Sheets: Summary (opening, received, produced, consumed, dispensed, wasted/adjusted, closing, value at cost,
        and a check column that is zero when opening + in - out = closing), Lots at month end, Batches compounded,
        Dispensed, Movements, Expiring. Exporting a past month again gives the same numbers.

        In a chain of stores the workbook is this station's store's ([pharmacy] store); --all-stores writes the
        chain's.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "The new file (default: the pharmacy's name and the month, .xlsx, in the working folder).")
    var out: String?
    @Flag(help: "Replace the file if it exists.") var force = false
    @Flag(help: "The whole chain's month, every store's stock, not this station's store's.") var allStores = false

    func run() throws {
      let context = try Context(global)
      let name = context.settings.pharmacy.name.isEmpty ? "pharmacy" : context.settings.pharmacy.name
      let store = allStores ? "all-stores" : context.settings.pharmacy.store.uppercased()
      let safe = String((store.isEmpty ? name : "\(name)-\(store)").map { $0.isLetter || $0.isNumber ? $0 : "-" })
        .replacingOccurrences(of: "--", with: "-")
      let output = try OutputPath(
        out ?? "\(safe)-inventory-\(month).xlsx", protected: [context.loaded.databasePath], force: force)
      let parts = month.split(separator: "-")
      guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
        let number = Int(parts[1]),
        (1...12).contains(number)
      else { throw CLIError("--month '\(month)' is not a month: write it as YYYY-MM, for example 2026-11") }
      let database = try context.database()
      let zone = context.zone
      let expiringDays = context.settings.inventory.expiringDays
      let written = try MonthlyWorkbook.write(
        year: year, month: number, to: output, pharmacy: name, zone: zone, generated: context.now,
        progress: isatty(2) == 1
      ) { sink in
        try database.monthReport(
          year: year, month: number, zone: zone, expiringDays: expiringDays, allStores: allStores, into: &sink)
      }
      let report = written.report
      let whose = report.stores.map { " (\($0))" } ?? ""
      print(
        "wrote \(output.path)\(whose): \(written.items) items, \(written.lots) lots, \(report.batches.count) batches, \(report.dispensed.count) fills, \(report.movementCount) movements"
      )
    }
  }
}
