import Foundation

/// A Swift type a stored value is read as, from either engine; a value of another kind is refused, not coerced.
protocol SQLColumnValue {
  /// The stored value as this type, or nil when it is of another kind.
  static func from(_ value: SQLValue) -> Self?
  /// What the type is, as a refusal names it ("an integer").
  static var kind: String { get }
}

extension SQLValue: SQLColumnValue {
  static func from(_ value: SQLValue) -> SQLValue? { value }
  static var kind: String { "a value" }
}

extension Int64: SQLColumnValue {
  static func from(_ value: SQLValue) -> Int64? {
    if case .integer(let number) = value { return number }
    return nil
  }
  static var kind: String { "an integer" }
}

extension Int: SQLColumnValue {
  static func from(_ value: SQLValue) -> Int? { Int64.from(value).flatMap { Int(exactly: $0) } }
  static var kind: String { "an integer" }
}

extension Int32: SQLColumnValue {
  static func from(_ value: SQLValue) -> Int32? { Int64.from(value).flatMap { Int32(exactly: $0) } }
  static var kind: String { "an integer" }
}

extension Bool: SQLColumnValue {
  /// A flag: 0 or 1 (PostgreSQL's booleans arrive as those too).
  static func from(_ value: SQLValue) -> Bool? {
    switch Int64.from(value) {
    case 0: false
    case 1: true
    default: nil
    }
  }
  static var kind: String { "a flag (0 or 1)" }
}

extension String: SQLColumnValue {
  static func from(_ value: SQLValue) -> String? {
    if case .text(let text) = value { return text }
    return nil
  }
  static var kind: String { "text" }
}

extension Data: SQLColumnValue {
  static func from(_ value: SQLValue) -> Data? {
    if case .blob(let bytes) = value { return Data(bytes) }
    return nil
  }
  static var kind: String { "bytes" }
}

extension Optional: SQLColumnValue where Wrapped: SQLColumnValue {
  /// NULL as nil; any other value as `Wrapped` reads it.
  static func from(_ value: SQLValue) -> Wrapped?? {
    if value == .null { return .some(nil) }
    return Wrapped.from(value).map { .some($0) }
  }
  static var kind: String { "\(Wrapped.kind) or NULL" }
}
