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

  public init(name: String, match: [String], range: InclusiveRange, basis: AssayBasis) {
    self.name = name
    self.match = match
    self.range = range
    self.basis = basis
  }

  /// Why `lot` of `ingredient` may not be released against these limits, or nil when it may.
  ///
  /// An as-is assay with a known water content is converted to the anhydrous basis when the limit is
  /// anhydrous (assay x 100 / (100 - water)); the comparison uses USP rounding.
  public func refusal(of lot: IngredientLot) -> String? {
    guard let assay = lot.assayPercent else {
      return
        "lot \(lot.lotNumber) has no certificate assay; \(name) must be \(range) (\(basis.rawValue)): record the certificate's assay"
    }
    var value = assay.value
    var note = "\(assay) % \(lot.assayBasis?.rawValue ?? "as-is")"
    if basis == .anhydrous, lot.assayBasis != .anhydrous, let water = lot.waterPercent, water.value < 100 {
      value = value * 100 / (100 - water.value)
      note += " = \(range.reported(value)) % anhydrous (water \(water) %)"
    }
    guard range.contains(value) else {
      return
        "certificate assay \(note) of lot \(lot.lotNumber) is outside the \(name) limits \(range) (\(basis.rawValue)): the lot cannot be released; reject it or check the certificate"
    }
    return nil
  }
}
