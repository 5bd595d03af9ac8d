import Foundation

/// How a lot's stock is counted: by mass (held in micrograms) or by the piece.
public enum StockUnit: String, Sendable, Codable, CaseIterable {
  /// Powders and liquids weighed on a balance; quantities are micrograms.
  case mass
  /// Capsule shells, containers, labels; quantities are whole pieces.
  case count

  /// Formats a stored quantity in this unit for a person, by the standard display rule (`QuantityDisplay`).
  public func format(_ quantity: Int64, display: QuantityDisplay = .standard) -> String {
    display.quantity(quantity, self)
  }

  /// Parses a quantity with its unit (`25 g`, `500mg`, `1000 count`, `1000 caps`) into this unit.
  public func parse(_ text: String, what: String = "quantity") throws(QuantityError) -> Int64 {
    switch self {
    case .mass:
      return try Mass.parse(text, what: what).micrograms
    case .count:
      var trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
      for suffix in ["count", "caps", "capsules", "pcs", "each", "ea"] where trimmed.hasSuffix(suffix) {
        trimmed = String(trimmed.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
        break
      }
      guard let value = Int64(trimmed), value >= 0, value < 1_000_000_000 else {
        throw QuantityError("\(what) '\(text)' is not a whole number of pieces, for example 500count")
      }
      return value
    }
  }
}
