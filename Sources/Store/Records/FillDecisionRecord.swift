import Dispensing
import Foundation
import Quantities

/// What a fill decided: lot, overrides, warnings, BUD and supply (`fill.decision`), as stored.
///
/// Format 1: the first releases' keys. Format 2: the same keys and `format`.
struct FillDecisionRecord: StoredFormat {
  static let kind = "fill decision"

  var format: Int?
  var stepIndex: Int
  var step: StepsRecord.Step
  var lotNumber: String
  var suggestedLot: String?
  var skipReason: String?
  var overridden: [String]
  var overrideReason: String?
  var warnings: [String]
  var beyondUseDate: String
  var lastDayOfSupply: String
  var stepNote: String?

  init(_ value: FillDecision) {
    format = Self.current
    stepIndex = value.stepIndex
    step = StepsRecord.Step(value.step)
    lotNumber = value.lotNumber
    suggestedLot = value.suggestedLot
    skipReason = value.skipReason
    overridden = value.overridden
    overrideReason = value.overrideReason
    warnings = value.warnings
    beyondUseDate = value.beyondUseDate.description
    lastDayOfSupply = value.lastDayOfSupply.description
    stepNote = value.stepNote
  }

  func value() throws -> FillDecision {
    FillDecision(
      stepIndex: stepIndex, step: step.value, lotNumber: lotNumber, suggestedLot: suggestedLot,
      skipReason: skipReason, overridden: overridden, overrideReason: overrideReason, warnings: warnings,
      beyondUseDate: try StoredValue.date(beyondUseDate, in: Self.kind),
      lastDayOfSupply: try StoredValue.date(lastDayOfSupply, in: Self.kind), stepNote: stepNote)
  }
}
