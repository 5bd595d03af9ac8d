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

  public init(
    formula: Formula, formulaVersion: Int, quantity: Int, today: CalendarDate, ingredients: [Ingredient],
    lots: [IngredientLot], lotChoices: [String: String] = [:]
  ) {
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
