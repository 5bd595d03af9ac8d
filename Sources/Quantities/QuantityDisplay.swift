import Foundation

/// The one rule for showing a quantity to a person: masses in mg below a threshold (1 g by default) and in g
/// from it, always with the unit and every significant digit to the microgram; counts in pieces.
public struct QuantityDisplay: Sendable, Hashable {
  /// Masses from this many micrograms are shown in grams.
  public var gramsFrom: Int64

  public init(gramsFrom: Mass) { self.gramsFrom = max(gramsFrom.micrograms, 1) }

  /// The pharmacy default: grams from 1 g.
  public static let standard = QuantityDisplay(gramsFrom: Mass(micrograms: 1_000_000))

  /// `449.546 mg`, `23.310454 g`, `5.0 g`.
  public func mass(_ mass: Mass) -> String {
    let micrograms = mass.micrograms
    if abs(micrograms) >= gramsFrom {
      return "\((Decimal(micrograms) / 1_000_000).trimmed(minimum: 1, maximum: 6)) g"
    }
    return "\(mass.milligrams.trimmed(minimum: 1, maximum: 3)) mg"
  }

  /// A stored quantity in `unit`: a mass by the rule above, a count as `910 pcs`.
  public func quantity(_ quantity: Int64, _ unit: StockUnit) -> String {
    unit == .mass ? mass(Mass(micrograms: quantity)) : "\(quantity) pcs"
  }
}
