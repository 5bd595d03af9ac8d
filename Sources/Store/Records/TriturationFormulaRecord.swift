import Formulation
import Foundation

/// A trituration's master formula (`trituration_formula.definition`) in its stored format.
struct TriturationFormulaRecord: StoredFormat {
  static let kind = "trituration formula"

  var format: Int?
  var code: String
  var name: String
  var api: String
  var diluent: String
  var parts: Int
  var budCategory: String
  var storage: String
  var instructions: String

  init(_ value: Trituration) {
    format = Self.current
    code = value.code
    name = value.name
    api = value.api
    diluent = value.diluent
    parts = value.parts
    budCategory = value.budCategory
    storage = value.storage
    instructions = value.instructions
  }

  func value() throws -> Trituration {
    Trituration(
      code: code, name: name, api: api, diluent: diluent, parts: parts, budCategory: budCategory, storage: storage,
      instructions: instructions)
  }
}
