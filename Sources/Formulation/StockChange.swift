import Foundation
import Quantities

/// A counted correction or a witnessed waste of stock, decided before anything is written.
public enum StockChange {
  /// The change to stock for an `adjusted` or `wasted` movement of `amount` (typed with a minus sign when
  /// `negative`) on a lot holding `onHand`; refuses zero, a signed waste, and stock below zero.
  public static func delta(
    kind: MovementKind, amount: Int64, negative: Bool, onHand: Int64, unit: StockUnit, lotNumber: String
  ) throws(FormulationError) -> Int64 {
    guard kind == .adjusted || kind == .wasted else {
      throw FormulationError("stock is corrected only by an adjustment or a waste, not '\(kind.rawValue)'")
    }
    guard amount > 0 else { throw FormulationError("--quantity must not be zero") }
    if kind == .wasted, negative {
      throw FormulationError("give the wasted quantity without a sign: it is taken out of stock")
    }
    let delta = kind == .wasted || negative ? -amount : amount
    guard onHand + delta >= 0 else {
      throw FormulationError("lot \(lotNumber) has \(unit.format(onHand)) on hand: it cannot go below zero")
    }
    return delta
  }

  /// Why the change cannot be recorded as given: a missing reason, or a waste without a witness.
  public static func refusal(kind: MovementKind, reason: String, hasWitness: Bool) -> String? {
    if reason.trimmingCharacters(in: .whitespaces).isEmpty {
      return "a stock \(kind == .wasted ? "waste" : "adjustment") needs --reason"
    }
    if kind == .wasted, !hasWitness { return "wasting stock needs a witness: add --witness USER" }
    return nil
  }
}
