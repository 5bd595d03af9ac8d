import Foundation
import Quantities

/// A number in a stored record, kept as its exact decimal text.
///
/// Format 2 writes every number as text ("449.546"), so no reader (Python's, a spreadsheet's) turns it into a
/// binary fraction; format 1 wrote JSON numbers, which are still read.
struct StoredNumber: Codable, Hashable, Sendable {
  /// The exact decimal text.
  let text: String

  init(_ value: Decimal) { text = value.description }
  init(_ value: ExactNumber) { text = value.description }
  init(_ value: Int) { text = String(value) }
  init(milligrams mass: Mass) { text = mass.milligrams.description }
  init(money: Money) { text = money.description }

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
      self.text = text
    } else {
      text = try container.decode(Decimal.self).description
    }
    guard StoredNumber.valid(text) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a decimal number")
    }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }

  /// Plain decimal text: an optional minus sign, digits and at most one point.
  static func valid(_ text: String) -> Bool {
    var body = Substring(text)
    if body.hasPrefix("-") { body = body.dropFirst() }
    guard !body.isEmpty, body.count <= 80, body.filter({ $0 == "." }).count <= 1 else { return false }
    return body.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) } && body.contains { $0 != "." }
  }

  /// The value, exactly.
  var decimal: Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
  /// The value with the decimals it was written with.
  var exact: ExactNumber { ExactNumber(decimal, decimals: Decimal.decimalPlaces(in: text)) }
  /// The value as milligrams.
  var mass: Mass { Mass.milligrams(decimal) }
  /// The value as an amount of money.
  var money: Money { Money(cents: Int64(truncating: (decimal * 100).rounded(scale: 0) as NSNumber)) }
  /// The value as a whole number.
  var integer: Int { Int(truncating: decimal as NSNumber) }
}
