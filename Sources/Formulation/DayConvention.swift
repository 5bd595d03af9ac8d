import Foundation
import Quantities

/// Whether the day compounding starts is counted as day 0 or day 1 of the beyond-use period.
public enum DayConvention: String, Sendable, Codable, CaseIterable {
  /// The compounding day is day 0: a 180-day BUD of a batch made on 1 January is 30 June.
  case day0
  /// The compounding day is day 1: the same batch's BUD is 29 June.
  case day1

  /// The last day of a period of `days` days starting on `start`.
  public func lastDay(from start: CalendarDate, days: Int) -> CalendarDate {
    start.adding(days: self == .day0 ? days : days - 1)
  }

  /// How the rule reads on a record.
  public var explanation: String {
    self == .day0 ? "the compounding day is day 0" : "the compounding day is day 1"
  }
}
