import Accounts
import ArgumentParser
import Formulation
import Foundation
import Quantities

/// Typed option values: each option's text becomes its domain value as the command line is parsed, and a
/// value that is not one is refused with the domain's own message.
enum ArgumentTypes {
  /// A lot or batch number as typed or scanned, without the spaces around it.
  static let lotNumber: @Sendable (String) throws -> String = { $0.trimmingCharacters(in: .whitespacesAndNewlines) }

  /// A calendar date, YYYY-MM-DD.
  static func date(_ option: String) -> @Sendable (String) throws -> CalendarDate {
    { text in try CalendarDate.parse(text, what: option) }
  }

  /// A mass with its unit: 4.5mg, 9.4 g, 500 mcg.
  static func mass(_ option: String) -> @Sendable (String) throws -> Mass {
    { text in try Mass.parse(text, what: option) }
  }

  /// One of an enumeration's values, in any case: `--role Pharmacist` is a pharmacist.
  static func choice<T: RawRepresentable & CaseIterable & Sendable>(_ type: T.Type, _ option: String)
    -> @Sendable (String) throws -> T
  where T.RawValue == String {
    { text in
      guard let value = T(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
        let names = T.allCases.map(\.rawValue)
        throw CLIError(
          "\(option) '\(text)' is not \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""): use one of them"
        )
      }
      return value
    }
  }

  /// A plain decimal number, kept exact with its decimals: 99.5.
  static func number(_ option: String) -> @Sendable (String) throws -> ExactNumber {
    { text in try Parsing.number(text, option: option) }
  }

  /// A whole number within `range`.
  static func whole(_ option: String, _ range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
    { text in try Parsing.whole(text, option: option, range: range) }
  }

  /// An amount of money: 185.00.
  static func money(_ option: String) -> @Sendable (String) throws -> Money {
    { text in try Money.parse(text, what: option) }
  }
}
