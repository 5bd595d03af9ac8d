import Formulation
import Foundation
import Quantities

/// A lot as `compound lot list` shows it.
public struct LotSummary: Sendable, Codable {
  public var lot: IngredientLot
  public var ingredientName: String
  public var unit: StockUnit
  public var receivedQuantity: Int64
  public var cost: Money?
  public var receivedBy: String
}
