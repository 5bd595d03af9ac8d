import Formulation
import Foundation
import Quantities
import Settings
import Store

/// Parsing the values people type into options.
enum Parsing {
  /// `KEY=VALUE` pairs keyed by upper-cased key; refuses a malformed or repeated pair.
  static func pairs(_ items: [String], option: String, example: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for item in items {
      let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw CLIError("\(option) '\(item)' must be INGREDIENT=VALUE, for example \(option) \(example)")
      }
      guard result[parts[0].uppercased()] == nil else {
        throw CLIError("\(option) names \(parts[0]) twice: give each ingredient once")
      }
      result[parts[0].uppercased()] = parts[1]
    }
    return result
  }

  /// A positive percentage or number from an option, kept exact.
  static func number(_ text: String, option: String) throws -> ExactNumber {
    guard let number = ExactNumber(text) else {
      throw CLIError("\(option) '\(text)' is not a number: write it like 99.5")
    }
    return number
  }

  /// A whole number within `range` from an option.
  static func whole(_ text: String, option: String, range: ClosedRange<Int>) throws -> Int {
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
      throw CLIError("\(option) '\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return value
  }

  /// A list of plain decimal numbers separated by commas, none negative: `98,99.5,101`.
  static func decimalList(_ text: String, option: String) throws -> [Decimal] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
      let trimmed = item.trimmingCharacters(in: .whitespaces)
      guard let value = Decimal.exact(trimmed) else {
        throw CLIError("\(option) '\(trimmed)' is not a number: list values like 98.5,101.2")
      }
      guard value >= 0 else { throw CLIError("\(option) '\(trimmed)' is negative: results are 0 or more") }
      return value
    }
  }

  /// A list of masses in mg separated by commas: `231.2,229.8`.
  static func milligramList(_ text: String, option: String) throws -> [Mass] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    return try items.map { item in
      guard let value = Decimal.exact(item), value > 0 else {
        throw CLIError("\(option) '\(item)' is not a capsule weight in mg: list numbers like 231.2,229.8")
      }
      let mass = Mass.milligrams(value)
      guard mass.milligrams == value else { throw CLIError("\(option) '\(item)' is finer than a microgram") }
      return mass
    }
  }

  /// Content-uniformity unit results: `--units` (10 or 30) and, for stage 2, `--more-units` (the 20 further units
  /// beside the first 10).
  static func units(_ text: String, more: String?) throws -> [Decimal] {
    let first = try decimalList(text, option: "--units")
    guard let more else { return first }
    let further = try decimalList(more, option: "--more-units")
    guard first.count == 10, further.count == 20 else {
      throw CLIError(
        "stage 2 is the first 10 units in --units and the 20 further ones in --more-units (\(first.count) and \(further.count) given)"
      )
    }
    return first + further
  }
}
