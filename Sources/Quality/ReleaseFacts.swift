import Formulation
import Foundation
import Quantities

/// What the records say about a compounded batch when a pharmacist asks to release it.
public struct ReleaseFacts: Sendable, Hashable {
  /// An ingredient lot the batch consumed, with its status now.
  public struct Consumed: Sendable, Hashable {
    public var lotNumber: String
    public var ingredient: String
    public var status: LotStatus

    public init(lotNumber: String, ingredient: String, status: LotStatus) {
      self.lotNumber = lotNumber
      self.ingredient = ingredient
      self.status = status
    }
  }

  public var lotNumber: String
  /// Whether a pharmacist verified the compounding record.
  public var verified: Bool
  /// The latest capsule weight check: passed, failed, or nil when there is none.
  public var weightCheckPassed: Bool?
  public var beyondUseDate: CalendarDate
  /// The latest assay on record, if any.
  public var latestAssay: AssayResult?
  public var consumed: [Consumed]

  public init(
    lotNumber: String, verified: Bool, weightCheckPassed: Bool?, beyondUseDate: CalendarDate,
    latestAssay: AssayResult?, consumed: [Consumed]
  ) {
    self.lotNumber = lotNumber
    self.verified = verified
    self.weightCheckPassed = weightCheckPassed
    self.beyondUseDate = beyondUseDate
    self.latestAssay = latestAssay
    self.consumed = consumed
  }
}
