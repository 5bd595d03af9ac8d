import Formulation
import Foundation
import Quantities

/// One lot's stock as of a moment: an ingredient lot or a compounded batch.
public struct InventoryLine: Sendable, Codable {
  /// `ingredient` or `batch`.
  public var kind: String
  public var lotNumber: String
  /// Ingredient code or formula code.
  public var item: String
  public var unit: StockUnit
  /// Expiry of an ingredient lot, BUD of a batch.
  public var expires: CalendarDate
  public var status: LotStatus
  /// Micrograms, or pieces (capsules for a batch).
  public var onHand: Int64
  /// Receipt cost of the lot and what it received, for valuation (ingredient lots).
  public var lotCost: Money?
  public var received: Int64
}
