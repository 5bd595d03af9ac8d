import Foundation
import Quantities

/// One ingredient lot's stock on hand valued at its receipt cost.
public struct ValuationLine: Sendable, Codable {
  public var lotNumber: String
  public var ingredient: String
  public var unit: StockUnit
  /// Micrograms or pieces.
  public var onHand: Int64
  /// Receipt cost x on hand / received, rounded once to the cent; nil when the lot's cost is unknown.
  public var value: Money?
}
