import Foundation

/// The pharmacy's drug vocabulary: ingredients with their classes, brand and combination products, the words
/// that carry no identity, and the interactions a fill is checked for.
///
/// It is data (`Config/vocabulary.toml`), reviewed like a formulary and imported into the database by a
/// pharmacist with the other clinical rules. Every name is matched as folded words (see `DrugText`), never as
/// a substring: `apomorphine` is not `morphine`.
public struct DrugVocabulary: Sendable, Hashable, Codable {
  public var classes: [DrugClass]
  public var ingredients: [DrugIngredient]
  public var products: [DrugProduct]
  /// Words that say nothing of what a drug is.
  ///
  /// Units, dose forms, routes, release forms (ER, XR, SR, CR), salts, frequencies and joining words. Digits
  /// are always ignored unless a product name holds them.
  public var ignore: [String]
  public var interactions: [InteractionRule]

  public init(
    classes: [DrugClass], ingredients: [DrugIngredient], products: [DrugProduct], ignore: [String],
    interactions: [InteractionRule]
  ) {
    self.classes = classes
    self.ingredients = ingredients
    self.products = products
    self.ignore = ignore
    self.interactions = interactions
  }

  /// An empty vocabulary: it resolves nothing, so every entry waits for a pharmacist.
  public static let empty = DrugVocabulary(classes: [], ingredients: [], products: [], ignore: [], interactions: [])

  /// The ingredient with `id`.
  public func ingredient(_ id: String) -> DrugIngredient? {
    ingredients.first { $0.id == id }
  }

  /// The class with `id`.
  public func drugClass(_ id: String) -> DrugClass? {
    classes.first { $0.id == id }
  }

  /// Checks the vocabulary is whole: unique ids, every reference known, and no name meaning two things.
  public func validate() throws(DispensingError) {
    var ids = Set<String>()
    for id in classes.map(\.id) + ingredients.map(\.id) {
      guard !id.isEmpty, ids.insert(id).inserted else {
        throw DispensingError(
          "vocabulary: the id '\(id)' is empty or used twice; every class and ingredient needs its own")
      }
    }
    let classIDs = Set(classes.map(\.id))
    let ingredientIDs = Set(ingredients.map(\.id))
    for ingredient in ingredients {
      for id in ingredient.classes where !classIDs.contains(id) {
        throw DispensingError("vocabulary: ingredient \(ingredient.id) names the class '\(id)', which is not defined")
      }
    }
    for product in products {
      guard !product.ingredients.isEmpty else {
        throw DispensingError("vocabulary: product \(product.names.first ?? "?") names no ingredient")
      }
      for id in product.ingredients where !ingredientIDs.contains(id) {
        throw DispensingError(
          "vocabulary: product \(product.names.first ?? "?") names the ingredient '\(id)', which is not defined")
      }
    }
    for rule in interactions {
      for id in [rule.preparation, rule.patient] where !classIDs.contains(id) && !ingredientIDs.contains(id) {
        throw DispensingError("vocabulary: an interaction names '\(id)', which is neither a class nor an ingredient")
      }
      guard !rule.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw DispensingError("vocabulary: the interaction \(rule.preparation) with \(rule.patient) needs a reason")
      }
    }
    _ = try DrugIndex(self)
  }
}

/// A class of drugs or substances: `opioid`, `cyp3a4-substrate`, `milk-derived`.
public struct DrugClass: Sendable, Hashable, Codable {
  public var id: String
  /// How a person reads it: "opioid agonist".
  public var name: String
  /// Words that mean the whole class on a list ("opioids", "sulfa drugs"): an allergy to one matches every
  /// ingredient of the class.
  public var names: [String]

  public init(id: String, name: String, names: [String] = []) {
    self.id = id
    self.name = name
    self.names = names
  }

  enum CodingKeys: String, CodingKey {
    case id, name, names
  }

  /// Reads a class; `names` may be left out.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    name = try container.decode(String.self, forKey: .name)
    names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
  }
}

/// An ingredient: its names (generic, abbreviations, salts spelled out) and its classes.
public struct DrugIngredient: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var names: [String]
  public var classes: [String]

  public init(id: String, name: String, names: [String], classes: [String]) {
    self.id = id
    self.name = name
    self.names = names
    self.classes = classes
  }

  enum CodingKeys: String, CodingKey {
    case id, name, names, classes
  }

  /// Reads an ingredient; `names` may be left out.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    name = try container.decode(String.self, forKey: .name)
    names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
    classes = try container.decode([String].self, forKey: .classes)
  }
}

/// A brand or combination product, mapped to its ingredients: `Percocet` is oxycodone and acetaminophen.
public struct DrugProduct: Sendable, Hashable, Codable {
  public var names: [String]
  public var ingredients: [String]

  public init(names: [String], ingredients: [String]) {
    self.names = names
    self.ingredients = ingredients
  }
}

/// What a preparation's ingredient or class means for a patient who takes another.
public struct InteractionRule: Sendable, Hashable, Codable {
  /// Whether the finding refuses the fill (a pharmacist may override with a reason) or is recorded as a warning.
  public enum Effect: String, Sendable, Hashable, Codable {
    case refuse, warn
  }

  /// A class or ingredient in the preparation.
  public var preparation: String
  /// A class or ingredient the patient takes.
  public var patient: String
  public var effect: Effect
  /// Why, as the pharmacist reads it.
  public var reason: String

  public init(preparation: String, patient: String, effect: Effect, reason: String) {
    self.preparation = preparation
    self.patient = patient
    self.effect = effect
    self.reason = reason
  }
}
