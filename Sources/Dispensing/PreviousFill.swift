import Foundation
import Quantities

/// The patient's latest fill of the same drug, for the refill-too-soon check.
public struct PreviousFill: Sendable, Hashable, Codable {
  public var rxNumber: String
  public var fillNumber: Int
  public var filledOn: CalendarDate
  public var daysSupply: Int

  public init(rxNumber: String, fillNumber: Int, filledOn: CalendarDate, daysSupply: Int) {
    self.rxNumber = rxNumber
    self.fillNumber = fillNumber
    self.filledOn = filledOn
    self.daysSupply = daysSupply
  }

  /// The first day a next fill is not too soon: when `percent` of this fill's days' supply has passed.
  public func nextAllowed(percent: Int) -> CalendarDate {
    let days = (daysSupply * percent + 99) / 100
    return filledOn.adding(days: days)
  }
}
