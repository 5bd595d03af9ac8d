import Foundation
import Quantities

/// The factor from a formula's strength basis to the form the API is stocked in.
///
/// Naltrexone HCl stocked, strength written as HCl: 1. Strength written as base, HCl stocked:
/// 377.86 / 341.4. Never applied silently: the plan prints it with its reason.
public struct SaltFactor: Sendable, Hashable {
  public let value: Decimal
  /// How the factor was found, for the record.
  public let explanation: String

  /// The factor for `basis` when the API is stocked as `api` describes.
  public init(basis: StrengthBasis, api: Ingredient) throws(FormulationError) {
    let stockedAsSalt = api.saltForm != nil
    switch (basis, stockedAsSalt) {
    case (.salt, true), (.base, false):
      value = 1
      explanation = "strength is written as the form stocked (\(api.saltForm ?? "base")): factor 1"
    case (.base, true):
      guard let salt = api.molecularWeightSalt, let base = api.molecularWeightBase else {
        throw FormulationError("\(api.code) needs both molecular weights to convert a base strength to its salt")
      }
      value = salt.value / base.value
      explanation = "strength as base, stocked as \(api.saltForm ?? "salt"): x \(salt) / \(base)"
    case (.salt, false):
      guard let salt = api.molecularWeightSalt, let base = api.molecularWeightBase else {
        throw FormulationError(
          "the formula gives a salt strength but \(api.code) is stocked as the base: record both molecular weights")
      }
      value = base.value / salt.value
      explanation = "strength as salt, stocked as base: x \(base) / \(salt)"
    }
  }
}
