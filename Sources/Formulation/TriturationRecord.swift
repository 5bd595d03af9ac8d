import Foundation
import Quantities

/// A made trituration lot: its worksheet, what was weighed, and the potency that follows from the weighings.
public struct TriturationRecord: Sendable, Hashable, Codable {
  public var plan: TriturationPlan
  /// The API (role api) and the diluent (role filler) as weighed.
  public var components: [MeasuredComponent]
  /// Pure API per 100 parts of trituration: the API lot's potency x API weighed / all weighed, four decimals.
  public var potencyPercent: Decimal
  /// The API powder's share of the trituration's mass, six decimals.
  public var apiFraction: Decimal
  public var outOfRange: [String]
  public var deviation: String?

  /// Makes the value from every stored property.
  public init(
    plan: TriturationPlan, components: [MeasuredComponent], potencyPercent: Decimal, apiFraction: Decimal,
    outOfRange: [String], deviation: String?
  ) {
    self.plan = plan
    self.components = components
    self.potencyPercent = potencyPercent
    self.apiFraction = apiFraction
    self.outOfRange = outOfRange
    self.deviation = deviation
  }

  /// The mass of trituration made: everything weighed.
  public var mass: Mass { Mass(micrograms: components.reduce(0) { $0 + $1.measured }) }

  /// Checks the weighed masses against `plan` on `balance` and works out the potency from `apiPotency` (the API
  /// lot's fraction of pure API).
  ///
  /// Refuses a missing or unknown mass, one below the balance's minimum weight, one above the lot's stock, and
  /// a mass outside its tolerance without a deviation.
  public static func make(
    plan: TriturationPlan, weighed: [String: Mass], apiPotency: Decimal, balance: Balance,
    sources: [String: String], onHand: [String: Int64], deviation: String?
  ) throws(FormulationError) -> TriturationRecord {
    var remaining = Dictionary(weighed.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    var measured: [MeasuredComponent] = []
    var outOfRange: [String] = []
    for planned in plan.components {
      let byCode = remaining.removeValue(forKey: planned.ingredientCode.uppercased())
      let byRole = remaining.removeValue(forKey: planned.role == .api ? "API" : "DILUENT")
      guard let mass = byCode ?? byRole else {
        throw FormulationError(
          "the weighed mass of \(planned.ingredientCode) is missing: add --weighed \(planned.ingredientCode)=\(Mass(micrograms: planned.quantity))"
        )
      }
      if let refusal = balance.refusal(weighing: mass, what: "\(planned.ingredientCode) weighed") {
        throw FormulationError("\(refusal): weigh more, and make more trituration")
      }
      guard mass.micrograms <= onHand[planned.lotNumber] ?? 0 else {
        throw FormulationError(
          "lot \(planned.lotNumber) of \(planned.ingredientCode) has only \(Mass(micrograms: onHand[planned.lotNumber] ?? 0)) on hand, less than the \(mass) weighed"
        )
      }
      let within = (planned.minimum...planned.maximum).contains(mass.micrograms)
      let percent = (Decimal(mass.micrograms) * 100 / Decimal(max(planned.quantity, 1))).rounded(scale: 2)
      if !within {
        outOfRange.append(
          "\(planned.ingredientCode) weighed \(mass) (\(percent.fixed(2)) % of plan), outside \(Mass(micrograms: planned.minimum)) to \(Mass(micrograms: planned.maximum))"
        )
      }
      measured.append(
        MeasuredComponent(
          planned: planned, measured: mass.micrograms, percentOfPlan: percent, withinTolerance: within,
          source: sources[planned.ingredientCode.uppercased()] ?? "typed"))
    }
    if let unknown = remaining.keys.sorted().first {
      throw FormulationError(
        "--weighed names \(unknown), which this trituration does not weigh: use \(plan.components.map(\.ingredientCode).joined(separator: " and "))"
      )
    }
    let reason = deviation.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    if let first = outOfRange.first, reason == nil {
      throw FormulationError("\(first): weigh again, or record why with --deviation \"reason\"")
    }
    let api = Decimal(measured[0].measured)
    let total = Decimal(measured.reduce(0) { $0 + $1.measured })
    return TriturationRecord(
      plan: plan, components: measured, potencyPercent: (apiPotency * api * 100 / total).rounded(scale: 4),
      apiFraction: (api / total).rounded(scale: 6), outOfRange: outOfRange, deviation: reason)
  }
}
