import Foundation

/// The vocabulary filed by folded name, for resolving what a person typed.
public struct DrugIndex: Sendable {
  /// What a name stands for.
  struct Target: Sendable, Equatable {
    var ingredients: [String]
    var classes: [String]
  }

  public let vocabulary: DrugVocabulary
  private let terms: [String: Target]
  private let ignored: Set<String>
  private let longest: Int
  private let classesOf: [String: [String]]

  /// Files every name; refuses a name that would mean two different things.
  public init(_ vocabulary: DrugVocabulary) throws(DispensingError) {
    self.vocabulary = vocabulary
    var terms: [String: Target] = [:]
    var owners: [String: String] = [:]
    func file(_ name: String, _ target: Target, owner: String) throws(DispensingError) {
      let key = DrugText.key(name)
      guard !key.isEmpty else { throw DispensingError("vocabulary: \(owner) has an empty name") }
      if let existing = terms[key], existing != target {
        throw DispensingError(
          "vocabulary: the name '\(name)' stands for both \(owners[key] ?? "?") and \(owner): give it to one")
      }
      terms[key] = target
      owners[key] = owner
    }
    for drugClass in vocabulary.classes {
      for name in drugClass.names {
        try file(name, Target(ingredients: [], classes: [drugClass.id]), owner: "class \(drugClass.id)")
      }
    }
    for ingredient in vocabulary.ingredients {
      for name in [ingredient.id, ingredient.name] + ingredient.names {
        try file(name, Target(ingredients: [ingredient.id], classes: []), owner: "ingredient \(ingredient.id)")
      }
    }
    for product in vocabulary.products {
      for name in product.names {
        try file(
          name, Target(ingredients: product.ingredients, classes: []),
          owner: "product \(product.names.first ?? name)")
      }
    }
    self.terms = terms
    ignored = Set(vocabulary.ignore.flatMap(DrugText.words))
    longest = terms.keys.map { $0.split(separator: " ").count }.max() ?? 1
    classesOf = Dictionary(vocabulary.ingredients.map { ($0.id, $0.classes) }, uniquingKeysWith: { a, _ in a })
  }

  /// What `text` names: its ingredients and classes, and the words nobody knows.
  public func resolve(_ text: String) -> DrugResolution {
    let words = DrugText.words(text)
    var ingredients: [String] = []
    var classes: [String] = []
    var unknown: [String] = []
    var index = 0
    while index < words.count {
      var matched = false
      for length in stride(from: min(longest, words.count - index), through: 1, by: -1) {
        let key = words[index..<index + length].joined(separator: " ")
        if let target = terms[key] {
          for id in target.ingredients where !ingredients.contains(id) { ingredients.append(id) }
          for id in target.classes where !classes.contains(id) { classes.append(id) }
          index += length
          matched = true
          break
        }
      }
      if matched { continue }
      let word = words[index]
      if !DrugText.isNumber(word) && !ignored.contains(word) { unknown.append(word) }
      index += 1
    }
    let named = classes
    for id in ingredients {
      for drugClass in classesOf[id] ?? [] where !classes.contains(drugClass) { classes.append(drugClass) }
    }
    return DrugResolution(
      text: text, ingredients: ingredients, classes: classes, namedClasses: named, unknown: unknown,
      suggestions: unknown.compactMap { word in suggestion(for: word).map { "\(word) -> \($0)" } })
  }

  /// The classes of `ingredient`.
  public func classes(of ingredient: String) -> [String] {
    classesOf[ingredient] ?? []
  }

  /// A known one-word name within two edits of `word`, for a "did you mean" hint; nil when none or several.
  func suggestion(for word: String) -> String? {
    guard word.count >= 5 else { return nil }
    let near = terms.keys.filter {
      !$0.contains(" ") && abs($0.count - word.count) <= 2 && Self.distance($0, word) <= 2
    }
    return near.count == 1 ? near.first : nil
  }

  /// The Levenshtein distance between two words.
  static func distance(_ a: String, _ b: String) -> Int {
    let left = Array(a)
    let right = Array(b)
    var previous = Array(0...right.count)
    for (i, x) in left.enumerated() {
      var current = [i + 1]
      for (j, y) in right.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
      }
      previous = current
    }
    return previous[right.count]
  }
}

/// What one typed entry names.
public struct DrugResolution: Sendable, Hashable, Codable {
  public var text: String
  /// Vocabulary ingredient ids, in the order they were named.
  public var ingredients: [String]
  /// Classes named directly, then the classes of the ingredients.
  public var classes: [String]
  /// Only the classes named directly ("opioids", "milk"): what an allergy to a whole class means.
  public var namedClasses: [String]
  /// Words the vocabulary does not know (neither a name nor an ignored word).
  public var unknown: [String]
  /// "word -> known name" hints for the unknown words.
  public var suggestions: [String]

  /// Whether every word was understood and something was named.
  public var isResolved: Bool { unknown.isEmpty && !(ingredients.isEmpty && classes.isEmpty) }
}
