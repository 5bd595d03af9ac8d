import Foundation
import Quantities

/// What the planner needs: the formula, the quantity, today's date and the relevant stock.
public struct PlanRequest: Sendable {
  public var formula: Formula
  public var formulaVersion: Int
  public var quantity: Int
  /// The compounding day in the pharmacy's time zone.
  public var today: CalendarDate
  /// Catalog entries keyed by upper-cased code.
  public var ingredients: [String: Ingredient]
  /// Every lot of the formula's ingredients, whatever its status.
  public var lots: [IngredientLot]
  /// Lots named by the user, keyed by upper-cased ingredient code or role (`API`, `FILLER`, `SHELL`).
  public var lotChoices: [String: String]
  /// The balance the batch is weighed on; nil plans without minimum-weight checks.
  public var balance: Balance?
  /// The triturations defined for the formula's API, to propose for a mass below the minimum weight.
  public var triturations: [Trituration]
  /// Why a lot that brings the BUD under the rules' minimum was named with `--lot`.
  public var shortDatedReason: String?

  /// The lots to choose from, as first-expiry-first-out sees them.
  public var pool: LotPool {
    LotPool(
      lots: lots, lotChoices: lotChoices, today: today, balance: balance, shortDatedReason: shortDatedReason)
  }

  public init(
    formula: Formula, formulaVersion: Int, quantity: Int, today: CalendarDate, ingredients: [Ingredient],
    lots: [IngredientLot], lotChoices: [String: String] = [:], balance: Balance? = nil,
    triturations: [Trituration] = [], shortDatedReason: String? = nil
  ) {
    self.balance = balance
    self.triturations = triturations
    self.shortDatedReason = shortDatedReason.flatMap {
      $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0
    }
    self.formula = formula
    self.formulaVersion = formulaVersion
    self.quantity = quantity
    self.today = today
    self.ingredients = Dictionary(ingredients.map { ($0.code.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
    self.lots = lots
    self.lotChoices = Dictionary(
      lotChoices.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
  }
}
