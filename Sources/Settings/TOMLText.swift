import Foundation
import TOMLKit

/// Checks on TOML text before and after it is parsed.
enum TOMLText {
  /// Throws naming the first table header that is not `[key]` or `[[key]]` (keys bare, quoted or dotted).
  ///
  /// The TOML parser underneath aborts the process on some broken headers (`[[}a]]`, `[+[a]]`) instead
  /// of reporting them, so they are caught here first. Lines inside multi-line strings and arrays are skipped.
  static func refuseBrokenHeaders(_ text: String) throws(SettingsError) {
    var inBasic = false
    var inLiteral = false
    var depth = 0
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let scalars = Array(line.unicodeScalars)
      var index = 0
      if !inBasic && !inLiteral && depth == 0 {
        let start = scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.count
        if start < scalars.count, scalars[start] == "[" {
          guard isHeader(scalars, from: start) else {
            throw SettingsError("line \(number + 1): a table header must look like [name] or [[name]]")
          }
          continue
        }
      }
      while index < scalars.count {
        let rest = scalars[index...]
        if inBasic {
          if scalars[index] == "\\" {
            index += 2
            continue
          }
          if rest.starts(with: ["\"", "\"", "\""]) {
            inBasic = false
            index += 3
            continue
          }
          index += 1
        } else if inLiteral {
          if rest.starts(with: ["'", "'", "'"]) {
            inLiteral = false
            index += 3
            continue
          }
          index += 1
        } else {
          switch scalars[index] {
          case "#": index = scalars.count
          case "\"" where rest.starts(with: ["\"", "\"", "\""]):
            inBasic = true
            index += 3
          case "'" where rest.starts(with: ["'", "'", "'"]):
            inLiteral = true
            index += 3
          case "\"", "'":
            index = endOfString(scalars, from: index)
          case "[", "{":
            depth += 1
            index += 1
          case "]", "}":
            depth = max(0, depth - 1)
            index += 1
          default: index += 1
          }
        }
      }
    }
  }

  /// The index after the single-line string opening at `start` (or the line's end).
  private static func endOfString(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
    let quote = scalars[start]
    var index = start + 1
    while index < scalars.count {
      if quote == "\"" && scalars[index] == "\\" {
        index += 2
        continue
      }
      if scalars[index] == quote { return index + 1 }
      index += 1
    }
    return index
  }

  /// Whether the line from `start` is `[key]` or `[[key]]`, then only spaces or a comment.
  private static func isHeader(_ scalars: [Unicode.Scalar], from start: Int) -> Bool {
    var index = start + 1
    let double = index < scalars.count && scalars[index] == "["
    if double { index += 1 }
    func skipSpaces() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
    while true {
      skipSpaces()
      guard index < scalars.count else { return false }
      let first = scalars[index]
      if first == "\"" || first == "'" {
        let end = endOfString(scalars, from: index)
        guard end <= scalars.count, end > index + 1, scalars[end - 1] == first else { return false }
        index = end
      } else {
        let begin = index
        while index < scalars.count, isBare(scalars[index]) { index += 1 }
        guard index > begin else { return false }
      }
      skipSpaces()
      guard index < scalars.count else { return false }
      if scalars[index] == "." {
        index += 1
        continue
      }
      break
    }
    guard index < scalars.count, scalars[index] == "]" else { return false }
    index += 1
    if double {
      guard index < scalars.count, scalars[index] == "]" else { return false }
      index += 1
    }
    skipSpaces()
    return index == scalars.count || scalars[index] == "#" || scalars[index] == "\r"
  }

  private static func isBare(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
      || scalar == "-"
  }

  /// Throws naming the first string that holds a control character other than a newline or a tab: such a
  /// character never belongs in a setting, a formula or a label, and some printers act on them.
  static func refuseControlCharacters(_ table: TOMLTable, path: String = "") throws(SettingsError) {
    for key in table.keys {
      guard let value = table[key] else { continue }
      try check(value, path: path.isEmpty ? key : path + "." + key)
    }
  }

  private static func check(_ value: any TOMLValueConvertible, path: String) throws(SettingsError) {
    if let text = value.string {
      if let control = text.unicodeScalars.first(where: {
        $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t"
      }) {
        throw SettingsError(
          "\(path) contains the control character U+\(String(format: "%04X", control.value)): remove it")
      }
    } else if let table = value.table {
      try refuseControlCharacters(table, path: path)
    } else if let array = value.array {
      for (index, element) in array.enumerated() { try check(element, path: "\(path)[\(index + 1)]") }
    }
  }
}
