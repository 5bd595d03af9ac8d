import Foundation
import Quantities

/// A component as it was actually used: the planned line with the measured quantity.
public struct MeasuredComponent: Sendable, Hashable, Codable {
  public var planned: PlannedComponent
  /// Micrograms weighed, or pieces used.
  public var measured: Int64
  /// Measured as a percent of planned, two decimals.
  public var percentOfPlan: Decimal
  /// Whether the measured quantity lies within the planned range.
  public var withinTolerance: Bool
  /// Where a weighed mass came from: `balance B1 (serial ...)`, or `typed`; nil for counts and older records.
  public var source: String?

  public init(
    planned: PlannedComponent, measured: Int64, percentOfPlan: Decimal, withinTolerance: Bool, source: String? = nil
  ) {
    self.source = source
    self.planned = planned
    self.measured = measured
    self.percentOfPlan = percentOfPlan
    self.withinTolerance = withinTolerance
  }
}
