import Foundation
import Quantities

/// The lots a plan chooses from: every lot of its ingredients, the lots named with `--lot`, and the day.
public struct LotPool: Sendable {
  public var lots: [IngredientLot]
  /// Lots named by the user, keyed by upper-cased ingredient code or role (`API`, `FILLER`, `SHELL`).
  public var lotChoices: [String: String]
  public var today: CalendarDate
  /// The balance that weighs, to prefer a lot whose mass it can weigh; nil for none.
  public var balance: Balance?
  /// Why a lot that brings the BUD under the rules' minimum was named with `--lot`.
  public var shortDatedReason: String?

  /// Makes the pool; choices are keyed in upper case and an empty reason is none.
  public init(
    lots: [IngredientLot], lotChoices: [String: String], today: CalendarDate, balance: Balance?,
    shortDatedReason: String?
  ) {
    self.lots = lots
    self.lotChoices = Dictionary(lotChoices.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    self.today = today
    self.balance = balance
    self.shortDatedReason = shortDatedReason.flatMap {
      $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0
    }
  }
}
