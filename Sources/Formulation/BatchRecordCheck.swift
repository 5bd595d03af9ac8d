import Foundation
import Quantities

/// Checks what the technician weighed and filled against the plan before the record is written.
public struct BatchRecordCheck: Sendable, Hashable, Codable {
  public var components: [MeasuredComponent]
  public var actualYield: Int
  /// Actual yield as a percent of the capsules the powder was made for, two decimals.
  public var yieldPercent: Decimal
  /// What fell outside its range; each must be covered by the recorded deviation.
  public var outOfRange: [String]

  /// Makes the value from every stored property.
  public init(
    components: [MeasuredComponent], actualYield: Int, yieldPercent: Decimal, outOfRange: [String]
  ) {
    self.components = components
    self.actualYield = actualYield
    self.yieldPercent = yieldPercent
    self.outOfRange = outOfRange
  }

  /// Compares `weighed` (keyed by ingredient code or role, any case) and the yield with `plan`.
  ///
  /// Refuses: a missing or unknown ingredient, a mass below `balance`'s minimum weight, a mass above the lot's
  /// stock, a yield above the capsules the powder was made for, fewer shells used than capsules filled, and
  /// anything out of range unless a deviation is given. `sources` says, by ingredient code, where each mass
  /// came from (a balance and its serial, or typed).
  public static func check(
    plan: WeighingPlan, weighed: [String: Mass], actualYield: Int, deviation: String?,
    onHand: [String: Int64], rules: FormulationRules, shellsUsed: Int? = nil, balance: Balance? = nil,
    sources: [String: String] = [:]
  ) throws(FormulationError) -> BatchRecordCheck {
    var remaining = Dictionary(weighed.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    var measured: [MeasuredComponent] = []
    var outOfRange: [String] = []
    guard actualYield > 0 else {
      throw FormulationError("yield must be a positive whole number of capsules, not \(actualYield)")
    }
    guard actualYield <= plan.capsules else {
      throw FormulationError(
        "yield \(actualYield) is more than the \(plan.capsules) capsules the powder was made for: count again")
    }
    if let shellsUsed, shellsUsed < actualYield {
      throw FormulationError(
        "--shells \(shellsUsed) is fewer than the \(actualYield) capsules filled: count the shells used, broken ones too"
      )
    }
    var fixes: [String] = []
    for planned in plan.components {
      let quantity: Int64
      if planned.unit == .mass {
        let byCode = remaining.removeValue(forKey: planned.ingredientCode.uppercased())
        let byRole = remaining.removeValue(forKey: planned.role.rawValue.uppercased())
        guard let mass = byCode ?? byRole else {
          throw FormulationError(
            "the weighed mass of \(planned.ingredientCode) is missing: add --weighed \(planned.ingredientCode)=\(Mass(micrograms: planned.quantity).milligrams.trimmed(maximum: 3))mg (the mass you weighed)"
          )
        }
        quantity = mass.micrograms
        guard quantity > 0 else { throw FormulationError("the weighed mass of \(planned.ingredientCode) is zero") }
        if let balance, let refusal = balance.refusal(weighing: mass, what: "\(planned.ingredientCode) weighed") {
          throw FormulationError(
            "\(refusal): it cannot be weighed directly; weigh a trituration ('compound batch plan' names one) and use its lot"
          )
        }
      } else {
        quantity = shellsUsed.map(Int64.init) ?? planned.consumed(atYield: actualYield)
      }
      let available = onHand[planned.lotNumber] ?? 0
      guard quantity <= available else {
        throw FormulationError(
          "lot \(planned.lotNumber) of \(planned.ingredientCode) has only \(planned.unit.format(available)) on hand, less than the \(planned.unit.format(quantity)) used"
        )
      }
      let within = planned.unit == .count || (planned.minimum...planned.maximum).contains(quantity)
      let percent = (Decimal(quantity) * 100 / Decimal(max(planned.quantity, 1))).rounded(scale: 2)
      if !within {
        outOfRange.append(
          "\(planned.ingredientCode) weighed \(planned.unit.format(quantity)) (\(percent.fixed(2)) % of plan), outside \(planned.unit.format(planned.minimum)) to \(planned.unit.format(planned.maximum))"
        )
        fixes.append("weigh again")
      }
      var component = MeasuredComponent(
        planned: planned, measured: quantity, percentOfPlan: percent, withinTolerance: within)
      if planned.unit == .mass {
        component.source = sources[planned.ingredientCode.uppercased()] ?? "typed"
      }
      measured.append(component)
    }
    if let unknown = remaining.keys.sorted().first {
      throw FormulationError(
        "--weighed names \(unknown), which is not weighed in this formula: use \(plan.components.filter { $0.unit == .mass }.map(\.ingredientCode).joined(separator: " and "))"
      )
    }
    let yieldPercent = (Decimal(actualYield) * 100 / Decimal(plan.capsules)).rounded(scale: 2)
    if !rules.yieldRange.contains(yieldPercent) {
      outOfRange.append(
        "\(actualYield) capsules filled of the \(plan.capsules) the powder was made for is \(rules.yieldRange.reported(yieldPercent)) %, outside \(rules.yieldRange)"
      )
      fixes.append("count the capsules again")
    }
    let explained = deviation.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
    if let first = outOfRange.first, !explained {
      throw FormulationError(
        "\(first): \(fixes.first ?? "check it"), or record why with --deviation \"reason\"")
    }
    return BatchRecordCheck(
      components: measured, actualYield: actualYield, yieldPercent: yieldPercent, outOfRange: outOfRange)
  }
}
