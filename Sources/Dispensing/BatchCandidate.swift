import Formulation
import Foundation
import Quality
import Quantities

/// A compounded lot that could fill a prescription.
public struct BatchCandidate: Sendable, Hashable, Codable {
  public var lotNumber: String
  public var formulaCode: String
  public var status: LotStatus
  public var beyondUseDate: CalendarDate
  /// Capsules on hand.
  public var onHand: Int
  public var compoundingDate: CalendarDate

  public init(
    lotNumber: String, formulaCode: String, status: LotStatus, beyondUseDate: CalendarDate, onHand: Int,
    compoundingDate: CalendarDate
  ) {
    self.lotNumber = lotNumber
    self.formulaCode = formulaCode
    self.status = status
    self.beyondUseDate = beyondUseDate
    self.onHand = onHand
    self.compoundingDate = compoundingDate
  }
}
