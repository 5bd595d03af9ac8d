/// A value a statement binds or a row holds, in either engine: the types the pharmacy's tables use.
enum SQLValue: Sendable, Equatable, Hashable {
  case null
  case integer(Int64)
  case text(String)
  case blob([UInt8])
}

extension SQLValue: CustomStringConvertible {
  /// The value as a message names it: `NULL`, `42`, `'text'`, `3 bytes`.
  var description: String {
    switch self {
    case .null: "NULL"
    case .integer(let number): "\(number)"
    case .text(let text): "'\(text)'"
    case .blob(let bytes): "\(bytes.count) bytes"
    }
  }
}
