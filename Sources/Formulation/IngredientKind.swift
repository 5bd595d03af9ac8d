import Foundation
import Quantities

/// What an ingredient is used for in a preparation.
public enum IngredientKind: String, Sendable, Codable, CaseIterable {
  /// An active pharmaceutical ingredient, weighed and corrected for potency.
  case api
  /// A filler or other excipient, weighed.
  case excipient
  /// Empty hard capsule shells, counted.
  case shell
  /// Vials, bottles and closures, counted.
  case container
}

extension IngredientKind {
  /// How the pharmacy stocks the ingredient: shells and containers counted in pieces, everything else weighed.
  public var stockUnit: StockUnit { self == .shell || self == .container ? .count : .mass }
}
