import Foundation
import Quantities

/// Assay limits a certificate of analysis must meet before an API lot is released.
public struct CertificateLimit: Sendable, Hashable, Codable {
  public var name: String
  /// Name patterns of the ingredients it applies to (see `NameMatcher`).
  public var match: [String]
  public var range: InclusiveRange
  /// The basis the limits are written on.
  public var basis: AssayBasis
  /// The monograph's limits for an assay given as-is, when it has them.
  public var asIsRange: InclusiveRange?

  public init(name: String, match: [String], range: InclusiveRange, basis: AssayBasis, asIsRange: InclusiveRange? = nil)
  {
    self.asIsRange = asIsRange
    self.name = name
    self.match = match
    self.range = range
    self.basis = basis
  }

  /// Why `lot` of `ingredient` may not be released against these limits, or nil when it may.
  ///
  /// An as-is assay with a known water content is converted to the anhydrous basis when the limit is
  /// anhydrous (assay x 100 / (100 - water)); with no water content it is compared with the as-is limits when
  /// there are some, and refused otherwise. The comparison uses USP rounding.
  public func refusal(of lot: IngredientLot) -> String? {
    guard let assay = lot.assayPercent else {
      return
        "lot \(lot.lotNumber) has no certificate assay; \(name) must be \(range) (\(basis.rawValue)): record the certificate's assay"
    }
    var value = assay.value
    var note = "\(assay) % \(lot.assayBasis?.rawValue ?? "as-is")"
    var limits = range
    var limitBasis = basis.rawValue
    if basis == .anhydrous, lot.assayBasis != .anhydrous {
      if let water = lot.waterPercent, water.value < 100 {
        value = value * 100 / (100 - water.value)
        note += " = \(range.reported(value)) % anhydrous (water \(water) %)"
      } else if let asIsRange {
        limits = asIsRange
        limitBasis = AssayBasis.asIs.rawValue
      } else {
        return
          "lot \(lot.lotNumber)'s certificate gives the assay \(note) with no water content, and the \(name) limits \(range) are on the anhydrous basis: the two cannot be compared; receive the lot with the certificate's --water, or reject it"
      }
    }
    guard limits.contains(value) else {
      return
        "certificate assay \(note) of lot \(lot.lotNumber) is outside the \(name) limits \(limits) (\(limitBasis)): the lot cannot be released; reject it or check the certificate"
    }
    return nil
  }
}
