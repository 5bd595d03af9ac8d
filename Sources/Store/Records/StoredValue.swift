import Foundation
import Quantities

/// Reading enumerations and dates out of stored records, refusing what this version does not know.
enum StoredValue {
  /// A stored enumeration's value; an unknown one is an error naming the record, never a default.
  static func known<T: RawRepresentable>(_ type: T.Type, _ text: String, in kind: String) throws(StoreError) -> T
  where T.RawValue == String {
    guard let value = T(rawValue: text) else {
      throw StoreError(
        "a stored \(kind) has '\(text)', which this compound does not know: the database was changed outside compound; run 'compound doctor'",
        code: .corrupt)
    }
    return value
  }

  /// A stored date; one that is not a calendar date is an error naming the record.
  static func date(_ text: String, in kind: String) throws(StoreError) -> CalendarDate {
    do { return try CalendarDate.parse(text) } catch {
      throw StoreError(
        "a stored \(kind) has the date '\(text)', which is not a date: run 'compound doctor'", code: .corrupt)
    }
  }
}
