import ArgumentParser
import Foundation
import Pricing
import Quantities
import Settings
import Store

/// `compound price`: quotes, batch costs and stock valuation.
struct PriceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "price", abstract: "Quote a preparation, show a batch's cost, value the stock.",
    subcommands: [Quote.self, Batch.self, Valuation.self])

  /// `compound price quote`.
  struct Quote: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "quote",
      abstract: "Quote N capsules from the lots a batch would use now and the formula's labour (Config/pricing.toml).",
      discussion: "A missing cost marks the quote incomplete and exits non-zero unless --allow-incomplete.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Formula code.") var formula: String
    @Option(parsing: .unconditional, help: "Capsules.", transform: ArgumentTypes.whole("--quantity", 1...100_000))
    var quantity: Int
    @Flag(help: "Exit 0 even when a cost is missing.") var allowIncomplete = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let count = quantity
      let price = try context.database().quote(
        formulaCode: formula, quantity: count, rules: try context.rules(), model: try context.settings.priceModel(),
        today: context.today)
      if json {
        try Output.json(price)
      } else {
        print(PricingText.breakdown(price, title: "Quote: \(count) capsules of \(formula.uppercased())"))
      }
      if !price.complete, !allowIncomplete {
        Output.error(
          "error: the quote is incomplete: \(price.missing.joined(separator: "; ")) (or pass --allow-incomplete)")
        throw ExitStatus.incompletePrice
      }
    }
  }

  /// `compound price batch`.
  struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "batch", abstract: "What a batch cost, from the lots it consumed.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let model = try context.settings.priceModel()
      let cost = try context.database().batchCost(lot)
      let minutes = cost.labourMinutes ?? model.defaultLabourMinutes
      let labour = model.labour(minutes: minutes)
      let ingredients = cost.lines.compactMap(\.cents).reduce(0, +)
      let total = ingredients + labour
      let perCapsule = total / Decimal(max(cost.yield, 1))
      struct Summary: Encodable {
        var lines: [CostLine]
        var labourMinutes: Int
        var totalCents: Decimal
        var perCapsuleCents: Decimal
        var complete: Bool
      }
      let complete = cost.lines.allSatisfy { $0.cents != nil }
      if json {
        return try Output.json(
          Summary(
            lines: cost.lines, labourMinutes: minutes, totalCents: total.rounded(scale: 2),
            perCapsuleCents: perCapsule.rounded(scale: 2), complete: complete))
      }
      for line in cost.lines {
        print("\(line.what) lot \(line.lotNumber ?? "?"): \(line.cents.map { ($0 / 100).fixed(2) } ?? "UNKNOWN")")
      }
      print("labour \(minutes) min at \(model.hourlyRate)/h: \((labour / 100).fixed(2))")
      print(
        "batch cost \((total / 100).fixed(2)) for \(cost.yield) capsules: \((perCapsule / 100).fixed(4)) a capsule\(complete ? "" : " (INCOMPLETE: a lot has no cost)")"
      )
    }
  }

  /// `compound price valuation`.
  struct Valuation: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "valuation", abstract: "Ingredient stock on hand valued at cost.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON (quantities in micrograms or pieces, values in the currency).") var json = false

    func run() throws {
      let context = try Context(global)
      let rows = try context.database().valuation()
      if json { return try Output.json(rows) }
      let display = context.display
      print(
        Output.table(
          ["LOT", "INGREDIENT", "ON HAND", "VALUE"],
          rows.map {
            [
              $0.lotNumber, $0.ingredient, $0.unit.format($0.onHand, display: display),
              $0.value.map { "\($0)" } ?? "unknown",
            ]
          }))
      let total = rows.compactMap(\.value).reduce(0) { $0 + $1.cents }
      let unknown = rows.filter { $0.value == nil }.count
      print("total \(Money(cents: total))\(unknown > 0 ? " (\(unknown) lots without a cost are not counted)" : "")")
    }
  }
}
