import Foundation
import Quantities

/// The pharmacy's quality rules, taken from its settings.
public struct QualityPolicy: Sendable, Hashable {
  public var requireAssayBeforeRelease: Bool
  /// The warning band inside the assay limits.
  public var warningBand: InclusiveRange
  public var l1: Decimal
  public var l2: Decimal
  public var target: Decimal

  public init(requireAssayBeforeRelease: Bool, warningBand: InclusiveRange, l1: Decimal, l2: Decimal, target: Decimal) {
    self.requireAssayBeforeRelease = requireAssayBeforeRelease
    self.warningBand = warningBand
    self.l1 = l1
    self.l2 = l2
    self.target = target
  }

  /// The limits for a preparation whose formula sets `range`: the warning band applies where it lies
  /// inside the range.
  public func limits(range: InclusiveRange, source: String) -> AssayLimits {
    let inside = warningBand.minimum.value >= range.minimum.value && warningBand.maximum.value <= range.maximum.value
    return AssayLimits(range: range, warning: inside ? warningBand : nil, source: source)
  }
}
