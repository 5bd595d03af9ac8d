import Foundation

/// An amount of money held exactly as whole cents.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The amount in cents.
  public let cents: Int64

  public init(cents: Int64) {
    self.cents = cents
  }

  /// Parses `45`, `45.00`, `$45.5` or `45.5 USD`; refuses negative amounts and fractions of a cent.
  public static func parse(_ text: String, what: String = "cost") throws(QuantityError) -> Money {
    var body = text.trimmingCharacters(in: .whitespaces)
    if body.hasPrefix("$") { body.removeFirst() }
    for code in [" USD", "USD"] where body.uppercased().hasSuffix(code) {
      body = String(body.dropLast(code.count))
      break
    }
    guard let value = Decimal.exact(body) else {
      throw QuantityError("\(what) '\(text)' is not an amount of money, for example 45.00")
    }
    guard value >= 0 else { throw QuantityError("\(what) '\(text)' is negative") }
    let cents = value * 100
    guard cents == cents.rounded(scale: 0) else {
      throw QuantityError("\(what) '\(text)' has fractions of a cent: give at most two decimals")
    }
    guard cents < 100_000_000_000 else { throw QuantityError("\(what) '\(text)' is too large") }
    return Money(cents: Int64(truncating: cents as NSNumber))
  }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

  /// Decodes exact text such as "34.99".
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      self = try Money.parse(text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  /// Encodes the amount as exact text with two decimals, "34.99".
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// Plain amount with two decimals: `45.00`.
  public var description: String { (Decimal(cents) / 100).fixed(2) }
}

extension Money {
  /// `cents`, exact and possibly fractional, rounded half up to whole cents: the one rounding of money.
  public static func rounding(cents: Decimal) -> Money {
    Money(cents: Int64(truncating: cents.rounded(scale: 0) as NSDecimalNumber))
  }

  /// The value of `part` of a lot that cost `cost` for `whole`: cost x part / whole, rounded once.
  public static func share(of cost: Money, part: Int64, whole: Int64) -> Money {
    rounding(cents: Decimal(cost.cents) * Decimal(part) / Decimal(max(whole, 1)))
  }
}
