import Foundation

/// A mass held exactly as a whole number of micrograms.
public struct Mass: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The mass in micrograms.
  public let micrograms: Int64

  public init(micrograms: Int64) {
    self.micrograms = micrograms
  }

  /// Zero micrograms.
  public static let zero = Mass(micrograms: 0)

  /// The mass of `value` milligrams, rounded half up to the microgram.
  public static func milligrams(_ value: Decimal) -> Mass {
    Mass(micrograms: Int64(truncating: (value * 1000).rounded(scale: 0) as NSNumber))
  }

  /// The mass in milligrams, exactly.
  public var milligrams: Decimal { Decimal(micrograms) / 1000 }

  /// Parses a mass with its unit: `49.5mg`, `9.4 g`, `500 mcg`, `500ug`, `500 µg`, `1 kg`.
  ///
  /// A number without a unit is refused, and so is a value finer than one microgram.
  public static func parse(_ text: String, what: String = "mass") throws(QuantityError) -> Mass {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
      throw QuantityError("\(what) is empty: give a number and a unit, for example 49.5mg")
    }
    let numberEnd =
      trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == "." || $0 == "-")) } ?? trimmed.endIndex
    let numberText = String(trimmed[..<numberEnd])
    let unitText = trimmed[numberEnd...].trimmingCharacters(in: .whitespaces).lowercased()
    guard let number = Decimal.exact(numberText) else {
      throw QuantityError("\(what) '\(text)' is not a number with a unit, for example 49.5mg or 9.4g")
    }
    guard !unitText.isEmpty else {
      throw QuantityError("\(what) '\(text)' has no unit: write it as \(numberText)mg or \(numberText)g")
    }
    let factor: Decimal
    switch unitText {
    case "mcg", "ug", "µg", "μg": factor = 1
    case "mg": factor = 1000
    case "g": factor = 1_000_000
    case "kg": factor = 1_000_000_000
    default:
      if unitText.hasPrefix(","), unitText.dropFirst().first?.isNumber == true {
        throw QuantityError(
          "\(what) '\(text)' has a comma in its number: write it with a decimal point and no thousands separator, for example 150.2mg"
        )
      }
      throw QuantityError("\(what) '\(text)' has an unknown unit '\(unitText)': use mg, g, kg or mcg")
    }
    guard number >= 0 else {
      throw QuantityError("\(what) '\(text)' is negative: a mass must be zero or more")
    }
    let micrograms = number * factor
    guard micrograms == micrograms.rounded(scale: 0) else {
      throw QuantityError("\(what) '\(text)' is finer than one microgram: round it to 0.001 mg")
    }
    guard micrograms <= Decimal(Int64.max / 2) else {
      throw QuantityError("\(what) '\(text)' is too large to be a real mass")
    }
    return Mass(micrograms: Int64(truncating: micrograms as NSNumber))
  }

  public static func < (lhs: Mass, rhs: Mass) -> Bool { lhs.micrograms < rhs.micrograms }
  public static func + (lhs: Mass, rhs: Mass) -> Mass { Mass(micrograms: lhs.micrograms + rhs.micrograms) }
  public static func - (lhs: Mass, rhs: Mass) -> Mass { Mass(micrograms: lhs.micrograms - rhs.micrograms) }

  /// Decodes a number of milligrams (JSON masses are milligrams).
  public init(from decoder: any Decoder) throws {
    self = Mass.milligrams(try decoder.singleValueContainer().decode(Decimal.self))
  }

  /// Encodes the mass as an exact number of milligrams.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(milligrams)
  }

  /// Milligrams with up to three decimals and at least one: `49.5 mg`, `9405.125 mg`.
  public var description: String { "\(milligrams.trimmed(minimum: 1, maximum: 3)) mg" }

}
