import Foundation
import Quantities

/// A trituration's master formula: one part of an API in `parts` parts of a diluent, made by geometric dilution.
///
/// A trituration is its own compounded lot (record, BUD, release) of the API at a known potency, so that a
/// mass below a balance's minimum weight is weighed as a larger mass of the dilution (shared/domain.md 14).
public struct Trituration: Sendable, Hashable, Codable {
  public var code: String
  public var name: String
  /// The API's ingredient code.
  public var api: String
  /// The diluent's ingredient code: an accepted filler.
  public var diluent: String
  /// One part of API in this many parts of trituration: 10 is a 1 in 10 (10 %) dilution.
  public var parts: Int
  public var budCategory: String
  public var storage: String
  public var instructions: String

  /// Makes the value from every stored property.
  public init(
    code: String, name: String, api: String, diluent: String, parts: Int, budCategory: String, storage: String,
    instructions: String
  ) {
    self.code = code
    self.name = name
    self.api = api
    self.diluent = diluent
    self.parts = parts
    self.budCategory = budCategory
    self.storage = storage
    self.instructions = instructions
  }

  /// Dilutions a pharmacy commonly keeps, smallest first.
  public static let commonParts = [10, 20, 25, 50, 100]

  /// The smallest common dilution that brings `mass` of API to at least `minimumWeight` of trituration.
  public static func proposedParts(for mass: Mass, minimumWeight: Mass) -> Int? {
    guard mass.micrograms > 0 else { return nil }
    return commonParts.first { mass.micrograms * Int64($0) >= minimumWeight.micrograms }
  }

  /// Why this definition cannot be used with `api` and `diluent` from the catalog, or nil.
  public func refusal(api: Ingredient?, diluent: Ingredient?, rules: FormulationRules) -> String? {
    guard (2...1000).contains(parts) else {
      return "parts = \(parts): a trituration is 1 part of API in 2 to 1000 parts, for example parts = 10"
    }
    guard let api, api.kind == .api else {
      return "api '\(self.api)' is not an API in the catalog: add it with 'compound ingredient add'"
    }
    guard let diluent else {
      return "diluent '\(self.diluent)' is not in the catalog: add it with 'compound ingredient add'"
    }
    if let rejection = rules.rejection(of: diluent) {
      return "the diluent \(diluent.code) is refused: \(rejection.reason)"
    }
    guard rules.filler(for: diluent) != nil else {
      return
        "the diluent \(diluent.code) (\(diluent.name)) is not an accepted filler: use one of \(rules.fillers.map(\.name).joined(separator: ", "))"
    }
    guard rules.budCategory(budCategory) != nil else {
      return
        "BUD category '\(budCategory)' is not in the rules: use one of \(rules.budCategories.map(\.id).joined(separator: ", "))"
    }
    return nil
  }
}
