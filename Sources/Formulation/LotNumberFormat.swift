import Foundation
import Quantities

/// A lot-number pattern such as `{formula}-{yy}{MM}{dd}-{seq:2}`.
///
/// Placeholders: `{formula}`, `{ingredient}`, `{yyyy}`, `{yy}`, `{MM}`, `{dd}`, and `{seq}` or
/// `{seq:N}` (the day's sequence number, zero-padded to N digits), which is required.
public struct LotNumberFormat: Sendable, Hashable {
  public let pattern: String

  /// A format, or an error naming what is wrong with the pattern.
  public init(_ pattern: String) throws(FormulationError) {
    guard pattern.contains("{seq") else {
      throw FormulationError("lot number format '\(pattern)' needs {seq} so every lot number is unique")
    }
    let known = ["formula", "ingredient", "yyyy", "yy", "MM", "dd", "seq"]
    var rest = Substring(pattern)
    while let open = rest.firstIndex(of: "{") {
      guard let close = rest[open...].firstIndex(of: "}") else {
        throw FormulationError("lot number format '\(pattern)' has an unclosed '{'")
      }
      let name = rest[rest.index(after: open)..<close].split(separator: ":").first.map(String.init) ?? ""
      guard known.contains(name) else {
        throw FormulationError("lot number format '\(pattern)' has an unknown placeholder {\(name)}")
      }
      rest = rest[rest.index(after: close)...]
    }
    self.pattern = pattern
  }

  /// The lot number for `code` on `date` with sequence number `sequence`.
  public func render(code: String, date: CalendarDate, sequence: Int) -> String {
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    var result = ""
    var rest = Substring(pattern)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      result += rest[..<open]
      let token = rest[rest.index(after: open)..<close]
      let parts = token.split(separator: ":")
      switch parts.first ?? "" {
      case "formula", "ingredient": result += code.uppercased()
      case "yyyy": result += pad(date.year, 4)
      case "yy": result += pad(date.year % 100, 2)
      case "MM": result += pad(date.month, 2)
      case "dd": result += pad(date.day, 2)
      default: result += pad(sequence, parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
      }
      rest = rest[rest.index(after: close)...]
    }
    return result + rest
  }
}
