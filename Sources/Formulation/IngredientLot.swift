import Foundation
import Quantities

/// A received lot of an ingredient, as planning and release see it.
public struct IngredientLot: Sendable, Hashable, Codable {
  /// The pharmacy's own lot number, for example `R261122-001`.
  public var lotNumber: String
  public var ingredientCode: String
  public var supplier: String
  public var supplierLot: String
  public var expiry: CalendarDate
  /// Stock on hand, in micrograms or pieces (see the ingredient's unit).
  public var onHand: Int64
  public var status: LotStatus
  /// The certificate's assay in percent, when it reports one.
  public var assayPercent: ExactNumber?
  public var assayBasis: AssayBasis?
  /// Water content in percent, for an assay on the anhydrous basis.
  public var waterPercent: ExactNumber?
  public var receivedAt: Date
  /// For a trituration lot: 1 part of API in this many parts, and the API powder's mass fraction as weighed.
  public var triturationParts: Int?
  public var apiFraction: Decimal?
  /// For a trituration lot: the diluent's ingredient code, which the capsules it goes into must use as filler.
  public var triturationDiluent: String?
  /// The GTIN scanned from the container at receiving.
  public var gtin: String?

  public init(
    lotNumber: String, ingredientCode: String, supplier: String, supplierLot: String,
    expiry: CalendarDate, onHand: Int64, status: LotStatus, assayPercent: ExactNumber? = nil,
    assayBasis: AssayBasis? = nil, waterPercent: ExactNumber? = nil, receivedAt: Date, triturationParts: Int? = nil,
    apiFraction: Decimal? = nil, triturationDiluent: String? = nil, gtin: String? = nil
  ) {
    self.triturationDiluent = triturationDiluent
    self.triturationParts = triturationParts
    self.apiFraction = apiFraction
    self.gtin = gtin
    self.lotNumber = lotNumber
    self.ingredientCode = ingredientCode
    self.supplier = supplier
    self.supplierLot = supplierLot
    self.expiry = expiry
    self.onHand = onHand
    self.status = status
    self.assayPercent = assayPercent
    self.assayBasis = assayBasis
    self.waterPercent = waterPercent
    self.receivedAt = receivedAt
  }

  /// Whether the lot is past its expiry date on `today` (a lot may be used on its expiry date).
  public func isExpired(on today: CalendarDate) -> Bool { expiry < today }

  /// Why this lot may not be consumed on `today`, or nil when it may.
  public func refusal(on today: CalendarDate) -> String? {
    if isExpired(on: today) || status == .expired {
      return "lot \(lotNumber) (\(ingredientCode)) expired on \(expiry): it cannot be used"
    }
    switch status {
    case .released: return nil
    case .quarantined:
      return
        "lot \(lotNumber) (\(ingredientCode)) is quarantined: a pharmacist must check its certificate and run 'compound lot release \(lotNumber) --by USER'"
    case .rejected: return "lot \(lotNumber) (\(ingredientCode)) was rejected and can never be used"
    case .onHold: return "lot \(lotNumber) (\(ingredientCode)) is on hold: it cannot be used until released again"
    case .recalled: return "lot \(lotNumber) (\(ingredientCode)) was recalled and cannot be used"
    case .expired: return "lot \(lotNumber) (\(ingredientCode)) has expired and cannot be used"
    }
  }

  /// The fraction of the weighed powder that is the API; nil when the certificate gives no assay.
  ///
  /// It is the assay, corrected for water when the certificate reports it on the anhydrous basis.
  public var potency: Decimal? {
    guard let assay = assayPercent else { return nil }
    var fraction = assay.value / 100
    if assayBasis == .anhydrous, let water = waterPercent {
      fraction = fraction * (100 - water.value) / 100
    }
    return fraction
  }
}
