import Formulation
import Foundation
import Quantities

/// What arrives with a delivery: the lot as the supplier labelled it, with its certificate.
public struct LotReceipt: Sendable {
  public var ingredientCode: String
  public var supplier: String
  public var supplierLot: String
  public var expiry: CalendarDate
  /// Micrograms or pieces, in the ingredient's unit.
  public var quantity: Int64
  public var assayPercent: ExactNumber?
  public var assayBasis: AssayBasis?
  public var waterPercent: ExactNumber?
  /// The lot's total cost; nil when not known.
  public var cost: Money?

  public init(
    ingredientCode: String, supplier: String, supplierLot: String, expiry: CalendarDate, quantity: Int64,
    assayPercent: ExactNumber?, assayBasis: AssayBasis?, waterPercent: ExactNumber?, cost: Money?
  ) {
    self.ingredientCode = ingredientCode
    self.supplier = supplier
    self.supplierLot = supplierLot
    self.expiry = expiry
    self.quantity = quantity
    self.assayPercent = assayPercent
    self.assayBasis = assayBasis
    self.waterPercent = waterPercent
    self.cost = cost
  }
}
