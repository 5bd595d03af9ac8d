import Foundation

/// A calendar day (year, month, day) with no time and no zone: expiry dates and beyond-use dates.
///
/// Which day "today" is depends on the pharmacy's time zone; see `CalendarDate.today(in:now:)`.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// A valid date, or nil for an impossible one such as 2026-02-30.
  public init?(year: Int, month: Int, day: Int) {
    guard (1900...9999).contains(year), (1...12).contains(month),
      (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses `YYYY-MM-DD`, or `YYYY-MM` meaning the last day of that month (as for expiry dates
  /// printed with month and year only).
  public static func parse(_ text: String, what: String = "date") throws(QuantityError) -> CalendarDate {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
    let widths = parts.map(\.count)
    guard widths == [4, 2, 2] || widths == [4, 2],
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let year = Int(parts[0]), let month = Int(parts[1])
    else {
      throw QuantityError("\(what) '\(text)' is not a date: write it as YYYY-MM-DD, for example 2027-03-31")
    }
    let day =
      parts.count == 3 ? Int(parts[2]) ?? 0 : (1...12).contains(month) ? daysIn(month: month, year: year) : 0
    guard let date = CalendarDate(year: year, month: month, day: day) else {
      throw QuantityError("\(what) '\(text)' does not exist in the calendar")
    }
    return date
  }

  /// Today's date in `zone` at the instant `now`.
  public static func today(in zone: TimeZone, now: Date) -> CalendarDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day], from: now)
    return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
      ?? CalendarDate.epoch
  }

  static let epoch = CalendarDate(unchecked: 1970, 1, 1)

  private init(unchecked year: Int, _ month: Int, _ day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// The number of days in a month of the Gregorian calendar.
  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
  public var dayNumber: Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date `dayNumber` days after 1970-01-01 (civil_from_days).
  public init(dayNumber: Int) {
    let shifted = dayNumber + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthPrime = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
    let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
    self.init(unchecked: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// The date `days` days later (earlier when negative).
  public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

  /// Whole days from `self` to `other`.
  public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

  public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

  /// ISO 8601: `2027-03-31`.
  public var description: String {
    let paddedMonth = month < 10 ? "0\(month)" : "\(month)"
    let paddedDay = day < 10 ? "0\(day)" : "\(day)"
    return "\(year)-\(paddedMonth)-\(paddedDay)"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      self = try CalendarDate.parse(text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
