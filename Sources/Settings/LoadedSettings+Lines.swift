import Foundation
import TOMLKit

extension LoadedSettings {
  /// Every effective local setting as `(dotted key, TOML value text, source)`, in key order; the clinical
  /// rules are not settings (`compound rules show` prints them).
  public func lines() -> [(key: String, value: String, source: SettingSource)] {
    guard let table: TOMLTable = try? SettingsLoader.encoder.encode(settings) else { return [] }
    return Self.flatten(table, prefix: "").filter { line in
      let top = String(line.0.prefix { $0 != "." && $0 != "[" })
      let dispensing =
        line.0.hasPrefix("dispensing.") && KeyScope.clinicalDispensingKeys.contains(String(line.0.dropFirst(11)))
      return !KeyScope.clinicalTables.contains(top) && !dispensing
    }.map { ($0.0, $0.1, source(of: $0.0)) }
  }

  private static func flatten(_ table: TOMLTable, prefix: String) -> [(String, String)] {
    var lines: [(String, String)] = []
    for key in table.keys.sorted() {
      guard let value = table[key] else { continue }
      let path = prefix.isEmpty ? key : prefix + "." + key
      if let inner = value.table {
        lines += flatten(inner, prefix: path)
      } else if let array = value.array, array.count > 0, array[0].table != nil {
        for index in 0..<array.count {
          if let inner = array[index].table { lines += flatten(inner, prefix: "\(path)[\(index)]") }
        }
      } else if let double = value.double, value.type == .double {
        lines.append((path, "\(double)"))
      } else {
        let holder = TOMLTable()
        holder["v"] = value
        let text = holder.convert(to: .toml, options: [.allowUnicodeStrings])
        lines.append(
          (path, String(text.drop { $0 != "=" }.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)))
      }
    }
    return lines
  }
}
