import Foundation

/// A decimal number together with the decimals it was written with, so limits keep their precision.
///
/// `98.0` is 98 with 1 decimal; USP rounding compares a result rounded to that many decimals.
/// Decoded from a TOML or JSON number (through its shortest exact text) or from a string; encoded as
/// exact text unless the encoder asks for numbers (`ExactNumber.asNumber`).
public struct ExactNumber: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The exact value.
  public let value: Decimal
  /// How many decimals the number was written with.
  public let decimals: Int

  public init(_ value: Decimal, decimals: Int) {
    self.value = value
    self.decimals = decimals
  }

  /// Parses plain decimal text, keeping its number of decimals.
  public init?(_ text: String) {
    guard let value = Decimal.exact(text) else { return nil }
    self.value = value
    self.decimals = Decimal.decimalPlaces(in: text.trimmingCharacters(in: .whitespaces))
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
      guard let parsed = ExactNumber(text) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "'\(text)' is not a plain decimal number")
      }
      self = parsed
    } else if let double = try? container.decode(Double.self) {
      // Double's description is the shortest text that reads back to the same double: for a number
      // a person typed with up to 15 significant digits it is exactly what they typed.
      guard let parsed = ExactNumber("\(double)") else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "\(double) is not a plain decimal number")
      }
      self = parsed
    } else {
      self.init(Decimal(try container.decode(Int.self)), decimals: 0)
    }
  }

  /// Set to `true` in an encoder's `userInfo` to write numbers (for TOML); otherwise exact text is written.
  public static let asNumber = CodingUserInfoKey(rawValue: "compound.exact-number.as-number")

  /// Writes exact text such as `"98.0"`, or a number when the encoder asks for numbers.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    guard let key = ExactNumber.asNumber, encoder.userInfo[key] as? Bool == true else {
      return try container.encode(description)
    }
    if decimals == 0, let integer = Int(description) {
      try container.encode(integer)
    } else if let double = Double(description) {
      try container.encode(double)
    } else {
      try container.encode(description)
    }
  }

  public var description: String { value.fixed(decimals) }
}
