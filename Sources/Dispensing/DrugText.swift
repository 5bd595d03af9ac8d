import Foundation

/// Folds what a person typed about a drug into plain lower-case words, so that meaning, not spelling, is matched.
///
/// Unicode NFKC (full-width letters, ligatures, mathematical letters), letters from other scripts that look
/// like Latin ones (Cyrillic `О`, Greek `ο`), accents, case and invisible characters (zero-width space, soft
/// hyphen) are all folded. A word is a run of letters or a run of digits, so `20mg` is `20` and `mg`, and
/// `5/325` is `5` and `325`. A letter that has no Latin look-alike stays as it is, so such a word never
/// matches a vocabulary term by accident.
public enum DrugText {
  /// The words of `text`, folded.
  public static func words(_ text: String) -> [String] {
    var folded = ""
    for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
      if scalar.properties.generalCategory == .format { continue }
      if let latin = lookAlikes[scalar] {
        folded.append(latin)
      } else {
        folded.unicodeScalars.append(scalar)
      }
    }
    folded = folded.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
    var result: [String] = []
    var current = ""
    var currentIsDigit = false
    for character in folded {
      let isDigit = character.isNumber
      let isLetter = character.isLetter
      if !(isDigit || isLetter) || (!current.isEmpty && isDigit != currentIsDigit) {
        if !current.isEmpty { result.append(current) }
        current = ""
      }
      if isDigit || isLetter {
        current.append(character)
        currentIsDigit = isDigit
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  /// The folded words joined by single spaces: the key a vocabulary term is filed under.
  public static func key(_ text: String) -> String {
    words(text).joined(separator: " ")
  }

  /// Whether `word` is only digits.
  static func isNumber(_ word: String) -> Bool {
    word.allSatisfy(\.isNumber)
  }

  /// Letters of Cyrillic, Greek and other scripts that a reader takes for Latin letters (after Unicode's
  /// confusables list, the letters that matter in drug names).
  static let lookAlikes: [Unicode.Scalar: Character] = {
    let pairs: [(String, Character)] = [
      // Cyrillic capitals and small letters.
      ("А", "a"), ("а", "a"), ("В", "b"), ("Е", "e"), ("е", "e"), ("Ё", "e"), ("ё", "e"), ("К", "k"),
      ("к", "k"), ("М", "m"), ("Н", "h"), ("һ", "h"), ("О", "o"), ("о", "o"), ("Р", "p"), ("р", "p"), ("С", "c"),
      ("с", "c"), ("Т", "t"), ("У", "y"), ("у", "y"), ("Х", "x"), ("х", "x"), ("Ѕ", "s"), ("ѕ", "s"), ("І", "i"),
      ("і", "i"), ("Ї", "i"), ("ї", "i"), ("Ј", "j"), ("ј", "j"), ("Ԁ", "d"), ("ԁ", "d"), ("Ԛ", "q"), ("ԛ", "q"),
      ("Ԝ", "w"), ("ԝ", "w"), ("Ӏ", "l"), ("ӏ", "l"), ("Ь", "b"), ("Ү", "y"), ("ү", "y"), ("Ԍ", "g"), ("ԍ", "g"),
      // Greek capitals and small letters.
      ("Α", "a"), ("α", "a"), ("Β", "b"), ("β", "b"), ("Ε", "e"), ("ε", "e"), ("Ζ", "z"), ("Η", "h"), ("Ι", "i"),
      ("ι", "i"), ("Κ", "k"), ("κ", "k"), ("Μ", "m"), ("Ν", "n"), ("ν", "v"), ("Ο", "o"), ("ο", "o"), ("Ρ", "p"),
      ("ρ", "p"), ("Τ", "t"), ("τ", "t"), ("Υ", "y"), ("υ", "u"), ("Χ", "x"), ("χ", "x"), ("ϲ", "c"), ("Ϲ", "c"),
      ("ϳ", "j"),
      // Latin letters that read as others.
      ("ı", "i"), ("ȷ", "j"), ("ɡ", "g"), ("ɑ", "a"), ("ɩ", "i"), ("ʏ", "y"), ("ꓳ", "o"), ("ℓ", "l"),
      // Armenian and Cherokee letters that are drawn as Latin ones.
      ("օ", "o"), ("ս", "u"), ("ց", "g"), ("հ", "h"), ("ո", "n"), ("Ꭺ", "a"), ("Ꭼ", "e"), ("Ꮃ", "w"), ("Ꮇ", "m"),
      ("Ꮋ", "h"), ("Ꮯ", "c"), ("Ꭲ", "t"), ("Ꮪ", "s"), ("Ꮲ", "p"), ("Ꮶ", "k"),
    ]
    var table: [Unicode.Scalar: Character] = [:]
    for (text, latin) in pairs {
      if let scalar = text.unicodeScalars.first { table[scalar] = latin }
    }
    return table
  }()
}
