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
  /// The GTIN and serial scanned from the container, when it was scanned.
  public var gtin: String?
  public var serial: String?

  public init(
    ingredientCode: String, supplier: String, supplierLot: String, expiry: CalendarDate, quantity: Int64,
    assayPercent: ExactNumber?, assayBasis: AssayBasis?, waterPercent: ExactNumber?, cost: Money?,
    gtin: String? = nil, serial: String? = nil
  ) {
    self.gtin = gtin
    self.serial = serial
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
  /// This receipt as another container of `earlier`, a lot of the same supplier lot already received: the
  /// certificate's figures are taken from it when not given; a different expiry or assay is refused.
  public func sharingCertificate(of earlier: IngredientLot) throws(FormulationError) -> LotReceipt {
    let name = "\(supplier) lot \(supplierLot), received as \(earlier.lotNumber)"
    guard expiry == earlier.expiry else {
      throw FormulationError(
        "\(name), expires \(earlier.expiry), not \(expiry): one manufacturing lot has one expiry; check the label")
    }
    var receipt = self
    if assayPercent == nil, waterPercent == nil, assayBasis == nil {
      receipt.assayPercent = earlier.assayPercent
      receipt.assayBasis = earlier.assayBasis
      receipt.waterPercent = earlier.waterPercent
    } else if assayPercent != earlier.assayPercent || (assayBasis ?? .asIs) != (earlier.assayBasis ?? .asIs)
      || waterPercent != earlier.waterPercent
    {
      throw FormulationError(
        "\(name), has the certificate's assay \(earlier.assayPercent?.description ?? "none") % \(earlier.assayBasis?.rawValue ?? "")\(earlier.waterPercent.map { ", water \($0) %" } ?? ""): another container of the same lot shares it; leave out --assay, or check the certificate"
      )
    }
    return receipt
  }

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
