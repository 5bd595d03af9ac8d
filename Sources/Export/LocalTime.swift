import CXlsxWriter
import Foundation
import Quantities

/// Stored UTC instants (`2026-11-22T05:10:00Z`) as Excel date-times in the pharmacy's zone, fast enough for a
/// million movements: the text is read by position, days go through `CalendarDate`, and the zone's offset is
/// looked up once an hour.
struct LocalTime {
  let zone: TimeZone
  private var offsets: [Int64: Int] = [:]

  init(zone: TimeZone) { self.zone = zone }

  /// The instant `text` as a date-time in the zone; nil when it is not a stored UTC instant.
  mutating func datetime(_ text: String) -> lxw_datetime? {
    var text = text
    // The stored text's own bytes, not a copy: this runs once a movement.
    return text.withUTF8 { bytes in datetime(bytes) }
  }

  private mutating func datetime(_ bytes: UnsafeBufferPointer<UInt8>) -> lxw_datetime? {
    guard bytes.count == 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
      bytes[19] == 90
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for byte in bytes[range] {
        guard (48...57).contains(byte) else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
      let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month)
    else { return nil }
    guard let date = CalendarDate(year: year, month: month, day: day) else { return nil }
    let epoch = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    let hourKey = epoch / 3600
    let offset: Int
    if let cached = offsets[hourKey] {
      offset = cached
    } else {
      offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch)))
      offsets[hourKey] = offset
    }
    let local = epoch + Int64(offset)
    let localDays = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    let secondsOfDay = Int(local - Int64(localDays) * 86_400)
    let localDate = CalendarDate(dayNumber: localDays)
    return lxw_datetime(
      year: Int32(localDate.year), month: Int32(localDate.month), day: Int32(localDate.day),
      hour: Int32(secondsOfDay / 3600),
      min: Int32(secondsOfDay % 3600 / 60), sec: Double(secondsOfDay % 60))
  }
}
