import Foundation
import Quantities

/// One part of a cost: an ingredient lot used, or labour.
public struct CostLine: Sendable, Hashable, Codable {
  public var what: String
  /// The lot it came from, for ingredients.
  public var lotNumber: String?
  /// Micrograms or pieces used.
  public var quantity: Int64?
  /// Exact cost in cents, before rounding; nil when the lot's cost is not known.
  public var cents: Decimal?

  public init(what: String, lotNumber: String?, quantity: Int64?, cents: Decimal?) {
    self.what = what
    self.lotNumber = lotNumber
    self.quantity = quantity
    self.cents = cents
  }

  /// The cost of `quantity` of a lot that cost `lotCost` for `received` units.
  public static func ingredient(
    _ what: String, lotNumber: String, quantity: Int64, lotCost: Money?, received: Int64
  ) -> CostLine {
    let cents = lotCost.map { Decimal($0.cents) * Decimal(quantity) / Decimal(max(received, 1)) }
    return CostLine(what: what, lotNumber: lotNumber, quantity: quantity, cents: cents)
  }
}
