import Foundation
import Quantities

/// One ingredient lot in a weighing plan: what to weigh or count, from which lot, within what range.
public struct PlannedComponent: Sendable, Hashable, Codable {
  public var role: ComponentRole
  public var ingredientCode: String
  public var ingredientName: String
  public var lotNumber: String
  public var supplier: String
  public var supplierLot: String
  public var expiry: CalendarDate
  public var unit: StockUnit
  /// Micrograms to weigh, or pieces to count.
  public var quantity: Int64
  /// The accepted range for the measured quantity (inclusive).
  public var minimum: Int64
  public var maximum: Int64
  /// Per-capsule mass, for weighed components.
  public var perCapsule: Mass?
  /// How the quantity was calculated, for the record.
  public var calculation: String

  public init(
    role: ComponentRole, ingredientCode: String, ingredientName: String, lotNumber: String, supplier: String,
    supplierLot: String, expiry: CalendarDate, unit: StockUnit, quantity: Int64, minimum: Int64,
    maximum: Int64, perCapsule: Mass?, calculation: String
  ) {
    self.role = role
    self.ingredientCode = ingredientCode
    self.ingredientName = ingredientName
    self.lotNumber = lotNumber
    self.supplier = supplier
    self.supplierLot = supplierLot
    self.expiry = expiry
    self.unit = unit
    self.quantity = quantity
    self.minimum = minimum
    self.maximum = maximum
    self.perCapsule = perCapsule
    self.calculation = calculation
  }
}

extension PlannedComponent {
  /// What a batch made to this plan consumes of this component when `yield` capsules are filled: a weighed
  /// component its planned mass, a counted one (shells) one a filled capsule.
  public func consumed(atYield yield: Int) -> Int64 { unit == .count ? Int64(yield) : quantity }
}
