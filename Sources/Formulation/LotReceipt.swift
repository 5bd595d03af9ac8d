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

extension LotReceipt {
  /// Why this delivery of an ingredient of `kind` cannot be received on `today`, or nil when it can.
  ///
  /// It needs the supplier and the supplier's lot, a quantity, an expiry not yet past, a plausible assay and
  /// water content, the certificate's assay for an API, and the water content for an anhydrous assay.
  public func refusal(kind: IngredientKind, today: CalendarDate) -> String? {
    for (label, text) in [("--supplier", supplier), ("--supplier-lot", supplierLot)]
    where text.trimmingCharacters(in: .whitespaces).isEmpty {
      return "\(label) is empty: copy it from the supplier's label"
    }
    guard quantity > 0 else { return "the quantity received must be more than zero" }
    guard expiry >= today else {
      return "the lot expired on \(expiry): an expired lot cannot be received into stock"
    }
    if let assay = assayPercent, assay.value <= 0 || assay.value > 200 {
      return "--assay \(assay) is not a plausible percent: give the certificate's assay, for example 99.6"
    }
    if let water = waterPercent, water.value < 0 || water.value >= 100 {
      return "--water \(water) must be a percent from 0 to below 100"
    }
    if kind == .api, assayPercent == nil {
      return "an API lot needs its certificate assay: add --assay PERCENT (and --assay-basis, --water)"
    }
    if assayBasis == .anhydrous, waterPercent == nil {
      return "an assay on the anhydrous basis needs the water content: add --water PERCENT"
    }
    return nil
  }
}
