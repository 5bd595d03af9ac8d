import Foundation

/// Instants as stored: ISO 8601 in UTC to the second, for example `2026-11-22T05:10:00Z`.
///
/// Through Foundation's `Date.ISO8601FormatStyle`, a value made once: an `ISO8601DateFormatter` made for each
/// instant sets up ICU every time, and decoding a hundred lots spent a third of `batch record` there.
public enum Timestamp {
  private static let style = Date.ISO8601FormatStyle()

  /// The stored text of `date`.
  public static func string(_ date: Date) -> String {
    date.formatted(style)
  }

  /// Parses stored or user-given ISO 8601 text with a zone (`Z` or `+01:00`), to the second.
  public static func date(_ text: String) -> Date? {
    // The style would take fractions of a second; stored and typed instants never have them.
    guard !text.contains(".") else { return nil }
    return try? style.parse(text)
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
