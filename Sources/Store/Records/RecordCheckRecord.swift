import Formulation
import Foundation
import Quantities

/// The technician's weighed masses and yield checked against the plan (`batch.record_check`), as stored.
///
/// Format 1: the first releases' keys, numbers as JSON numbers. Format 2: numbers as exact text, and `format`.
struct RecordCheckRecord: StoredFormat {
  static let kind = "compounding record check"

  /// One component as it was used.
  struct Measured: Codable {
    var planned: PlanRecord.Component
    var measured: StoredNumber
    var percentOfPlan: StoredNumber
    var withinTolerance: Bool
    /// Where the mass came from (a balance and its serial, or typed); absent in records before balances.
    var source: String?
  }

  var format: Int?
  var components: [Measured]
  var actualYield: Int
  var yieldPercent: StoredNumber
  var outOfRange: [String]

  init(_ value: BatchRecordCheck) {
    format = Self.current
    components = value.components.map {
      Measured(
        planned: PlanRecord.Component($0.planned), measured: StoredNumber(Decimal($0.measured)),
        percentOfPlan: StoredNumber($0.percentOfPlan), withinTolerance: $0.withinTolerance, source: $0.source)
    }
    actualYield = value.actualYield
    yieldPercent = StoredNumber(value.yieldPercent)
    outOfRange = value.outOfRange
  }

  func value() throws -> BatchRecordCheck {
    BatchRecordCheck(
      components: try components.map {
        MeasuredComponent(
          planned: try $0.planned.value(), measured: Int64($0.measured.integer),
          percentOfPlan: $0.percentOfPlan.decimal,
          withinTolerance: $0.withinTolerance, source: $0.source)
      }, actualYield: actualYield, yieldPercent: yieldPercent.decimal, outOfRange: outOfRange)
  }
}
