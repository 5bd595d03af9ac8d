import Foundation
import Store

/// Audit entries as a person reads them.
enum AuditText {
  /// `: status quarantined -> released` for an update; empty otherwise.
  static func change(_ entry: AuditEntry) -> String {
    guard entry.operation == "update", let before = fields(entry.before), let after = fields(entry.after) else {
      return ""
    }
    let changed = after.keys.sorted().filter { before[$0] != after[$0] }.map {
      "\($0) \(before[$0] ?? "null") -> \(after[$0] ?? "null")"
    }
    return changed.isEmpty ? "" : ": " + changed.joined(separator: ", ")
  }

  private static func fields(_ json: String?) -> [String: String]? {
    guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
      return nil
    }
    return object.mapValues { value in
      if value is NSNull { return "null" }
      let text = "\(value)"
      return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
  }
}
