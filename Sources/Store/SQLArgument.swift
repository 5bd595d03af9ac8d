import Foundation

/// A Swift value a statement binds, as the `SQLValue` either engine receives.
protocol SQLArgument {
  /// The value as bound.
  var sqlValue: SQLValue { get }
}

extension SQLValue: SQLArgument {
  var sqlValue: SQLValue { self }
}

extension Int64: SQLArgument {
  var sqlValue: SQLValue { .integer(self) }
}

extension Int: SQLArgument {
  var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int32: SQLArgument {
  var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Bool: SQLArgument {
  /// 1 or 0: compound's tables hold flags as integers on both engines.
  var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

extension String: SQLArgument {
  var sqlValue: SQLValue { .text(self) }
}

extension Substring: SQLArgument {
  var sqlValue: SQLValue { .text(String(self)) }
}

extension Data: SQLArgument {
  var sqlValue: SQLValue { .blob(Array(self)) }
}

extension Array: SQLArgument where Element == UInt8 {
  var sqlValue: SQLValue { .blob(self) }
}

extension Optional: SQLArgument where Wrapped: SQLArgument {
  var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
}

/// A statement's arguments, in the order of its `?`s: any mix of the values above, `nil` for NULL.
typealias SQLArguments = [(any SQLArgument)?]

extension Array where Element == (any SQLArgument)? {
  /// The values as bound.
  var sqlValues: [SQLValue] { map { $0?.sqlValue ?? .null } }
}
