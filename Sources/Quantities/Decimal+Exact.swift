import Foundation

extension Decimal {
  /// Parses plain decimal text such as `4.5`, `0.33` or `-2`, refusing anything else.
  ///
  /// Foundation's own parser accepts `12abc` as 12; this one accepts only an optional minus sign,
  /// digits, and at most one decimal point with digits on at least one side.
  public static func exact(_ text: String) -> Decimal? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var body = Substring(trimmed)
    if body.hasPrefix("-") { body = body.dropFirst() }
    guard !body.isEmpty, body.count <= 40 else { return nil }
    var dots = 0
    var digits = 0
    for character in body {
      if character == "." {
        dots += 1
      } else if character.isASCII, character.isNumber {
        digits += 1
      } else {
        return nil
      }
    }
    guard dots <= 1, digits > 0 else { return nil }
    return Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
  }

  /// The number of digits after the decimal point in plain decimal text (`98.0` has 1).
  public static func decimalPlaces(in text: String) -> Int {
    guard let dot = text.firstIndex(of: ".") else { return 0 }
    return text.distance(from: dot, to: text.endIndex) - 1
  }

  /// This value rounded to `scale` decimals, half away from zero (USP's "round half up").
  public func rounded(scale: Int) -> Decimal {
    var source = self
    var result = Decimal()
    NSDecimalRound(&result, &source, scale, .plain)
    return result
  }

  /// This value rounded up (towards positive infinity) to `scale` decimals.
  public func roundedUp(scale: Int) -> Decimal {
    var source = self
    var result = Decimal()
    NSDecimalRound(&result, &source, scale, .up)
    return result
  }

  /// The square root by Newton's method, to about 30 significant digits; zero for zero or less.
  public func squareRoot() -> Decimal {
    guard self > 0 else { return 0 }
    var guess = Decimal(Double(truncating: self as NSNumber).squareRoot())
    if guess <= 0 { guess = self }
    for _ in 0..<12 {
      guess = (guess + self / guess) / 2
    }
    return guess
  }

  /// Plain text with exactly `decimals` digits after the point, rounded half up (`4.50`).
  public func fixed(_ decimals: Int) -> String {
    let value = rounded(scale: decimals)
    let negative = value < 0
    let magnitude = negative ? -value : value
    let scaled = (magnitude * Decimal(sign: .plus, exponent: decimals, significand: 1)).rounded(scale: 0)
    var digits = NSDecimalNumber(decimal: scaled).stringValue
    if decimals > 0 {
      while digits.count <= decimals { digits = "0" + digits }
      let split = digits.index(digits.endIndex, offsetBy: -decimals)
      digits = digits[..<split] + "." + digits[split...]
    }
    return (negative && scaled != 0 ? "-" : "") + digits
  }

  /// Plain text with at least `minimum` and at most `maximum` decimals, trailing zeros dropped.
  public func trimmed(minimum: Int = 0, maximum: Int) -> String {
    var text = fixed(maximum)
    guard text.contains(".") else { return text }
    while text.hasSuffix("0"),
      let dot = text.firstIndex(of: "."),
      text.distance(from: dot, to: text.endIndex) - 1 > minimum
    {
      text.removeLast()
    }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
