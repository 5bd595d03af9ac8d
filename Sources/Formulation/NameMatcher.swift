import Foundation

/// Matches ingredient names against configured patterns, ignoring case, spaces and punctuation.
///
/// `Microcrystalline cellulose (Avicel PH-102)` matches the pattern `avicel ph102`. Patterns of
/// three letters or fewer (`SR`, `MC`) match only a whole word, so `SR` never matches `sucrose`.
public enum NameMatcher {
  /// Lower-case words of letters and digits.
  public static func words(_ text: String) -> [String] {
    text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
  }

  /// Whether any of `patterns` occurs in `name` or `code`.
  public static func matches(name: String, code: String, patterns: [String]) -> Bool {
    let nameWords = words(name) + words(code)
    let joined = words(name).joined() + " " + words(code).joined()
    for pattern in patterns {
      let patternWords = words(pattern)
      let compact = patternWords.joined()
      guard !compact.isEmpty else { continue }
      if compact.count <= 3 {
        if patternWords.count == 1, nameWords.contains(compact) { return true }
      } else if joined.contains(compact) {
        return true
      }
    }
    return false
  }
}
