import Foundation
import TOMLKit

/// Turns TOML parse and decode errors into one line that names the file, the key and the fix.
enum TOMLErrorText {
  /// The line for `error` decoding `file`; `table`, when given, tells a key of the wrong type from a missing one
  /// (the TOML decoder reports both as missing).
  static func describe(_ error: any Error, file: String, table: TOMLTable? = nil) -> String {
    switch error {
    case let parse as TOMLParseError:
      return "\(file) line \(parse.source.begin.line): \(parse.description)"
    case let unexpected as UnexpectedKeysError:
      let keys = unexpected.keys.map { key, path in
        (path.dropLast().map(\.stringValue).filter { !$0.hasPrefix("Index") } + [key]).joined(separator: ".")
      }
      if keys.contains(where: { $0 == "users" || $0.hasPrefix("users.") }) {
        return
          "\(file): users are no longer settings: remove [[users]] and add each person with 'compound user add' (they need a PIN)"
      }
      return "\(file): unknown key \(keys.sorted().joined(separator: ", ")): check its spelling against Config/"
    case DecodingError.keyNotFound(let key, let context):
      let repeated = context.codingPath.last?.stringValue == key.stringValue
      let keys = repeated ? context.codingPath : context.codingPath + [key]
      if let table, let given = value(at: keys.map(\.stringValue), in: table) {
        return
          "\(file): '\(path(keys))' is \(given.debugDescription), which is not the kind of value it takes: write it as Config/compound.toml shows"
      }
      return "\(file): '\(path(keys))' is missing"
    case DecodingError.typeMismatch(let type, let context):
      return "\(file): '\(path(context.codingPath))' has the wrong type: it must be \(describe(type))"
    case DecodingError.valueNotFound(let type, let context):
      return "\(file): '\(path(context.codingPath))' must be \(describe(type))"
    case DecodingError.dataCorrupted(let context):
      let key = path(context.codingPath)
      let reason = context.debugDescription
      if reason.contains("Cannot initialize") || reason.contains("cannot initialize") {
        return "\(file): '\(key)' has a value that is not allowed"
      }
      return "\(file): '\(key)': \(reason)"
    default:
      return "\(file): \(error)"
    }
  }

  /// The value the file gives at `keys`, if any.
  private static func value(at keys: [String], in table: TOMLTable) -> (any TOMLValueConvertible)? {
    var current = table
    for (index, key) in keys.enumerated() {
      guard let value = current[key] else { return nil }
      if index == keys.count - 1 { return value }
      guard let next = value.table else { return nil }
      current = next
    }
    return nil
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      .filter { !$0.hasPrefix("Index") }
      .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "text in quotes"
    case is Int.Type: return "a whole number"
    case is Double.Type: return "a number"
    case is Bool.Type: return "true or false"
    default: return "a \(type)".replacingOccurrences(of: "Array<", with: "list of ")
    }
  }
}
