import Foundation

/// Instants as stored: ISO 8601 in UTC to the second, for example `2026-11-22T05:10:00Z`.
public enum Timestamp {
  /// The stored text of `date`.
  public static func string(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  /// Parses stored or user-given ISO 8601 text with a zone (`Z` or `+01:00`).
  public static func date(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }

  /// `2026-11-22 06:10 +01:00`: the instant in the pharmacy's zone, with the offset shown.
  public static func local(_ text: String, zone: TimeZone) -> String {
    guard let date = date(text) else { return text }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = zone
    formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
    return formatter.string(from: date)
  }
}
