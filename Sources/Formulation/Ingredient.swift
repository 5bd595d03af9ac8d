import Foundation
import Quantities

/// A catalog entry: an API, an excipient, a capsule shell or a container.
public struct Ingredient: Sendable, Hashable, Codable {
  /// The pharmacy's short code, for example `NALTREXONE-HCL`.
  public var code: String
  /// The full name, for example `Naltrexone hydrochloride USP`.
  public var name: String
  public var kind: IngredientKind
  /// The salt form the powder is stocked as (`HCl`); nil when it is the free base or not an API.
  public var saltForm: String?
  /// Molecular weight of the salt (g/mol), for strength conversions.
  public var molecularWeightSalt: ExactNumber?
  /// Molecular weight of the free base (g/mol).
  public var molecularWeightBase: ExactNumber?
  /// Bulk density in g/mL, when measured.
  public var density: ExactNumber?
  /// The capsule size, for shells.
  public var capsuleSize: String?

  public init(
    code: String, name: String, kind: IngredientKind, saltForm: String? = nil,
    molecularWeightSalt: ExactNumber? = nil, molecularWeightBase: ExactNumber? = nil,
    density: ExactNumber? = nil, capsuleSize: String? = nil
  ) {
    self.code = code
    self.name = name
    self.kind = kind
    self.saltForm = saltForm
    self.molecularWeightSalt = molecularWeightSalt
    self.molecularWeightBase = molecularWeightBase
    self.density = density
    self.capsuleSize = capsuleSize
  }

  /// How this ingredient's stock is counted.
  public var unit: StockUnit { kind.stockUnit }

  /// Checks the entry is complete for its kind; throws with what is missing.
  public func validate() throws(FormulationError) {
    guard Ingredient.isValidCode(code) else {
      throw FormulationError(
        "ingredient code '\(code)' must be 1-40 letters, digits, '-', '_' or '.', starting with a letter or digit, for example NALTREXONE-HCL"
      )
    }
    guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw FormulationError("ingredient \(code) needs a name: add --name \"...\"")
    }
    for (label, value) in [
      ("--mw-salt", molecularWeightSalt), ("--mw-base", molecularWeightBase), ("--density", density),
    ] {
      if let value, value.value <= 0 {
        throw FormulationError("\(label) for \(code) must be greater than zero, not \(value)")
      }
    }
    if kind == .api, saltForm != nil, molecularWeightSalt == nil || molecularWeightBase == nil {
      throw FormulationError(
        "API \(code) is stocked as a salt (\(saltForm ?? "")): give --mw-salt and --mw-base so strengths convert exactly"
      )
    }
    if let salt = molecularWeightSalt, let base = molecularWeightBase, salt.value < base.value {
      throw FormulationError("the salt's molecular weight (\(salt)) cannot be below the base's (\(base)) for \(code)")
    }
    if kind == .shell, capsuleSize == nil {
      throw FormulationError("capsule shells \(code) need their size: add --capsule-size 1 (000 to 5)")
    }
  }

  /// Whether `code` is a usable ingredient or formula code.
  public static func isValidCode(_ code: String) -> Bool {
    !code.isEmpty && code.count <= 40 && code.first.map { $0.isLetter || $0.isNumber } == true
      && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
  }
}
