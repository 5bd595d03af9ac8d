import Foundation
import Quantities

/// The worksheet of one trituration lot: what to weigh of the API and the diluent, from which lots, and its BUD.
public struct TriturationPlan: Sendable, Hashable, Codable {
  public var code: String
  public var version: Int
  public var name: String
  public var parts: Int
  /// The mass of trituration to make.
  public var mass: Mass
  /// The API (role api) and the diluent (role filler).
  public var components: [PlannedComponent]
  public var compoundingDate: CalendarDate
  public var beyondUseDate: BeyondUseDate
  public var storage: String
  public var balance: String?
  public var minimumWeight: Mass?
  public var calculations: [String]
  public var warnings: [String]

  /// Makes the value from every stored property.
  public init(
    code: String, version: Int, name: String, parts: Int, mass: Mass, components: [PlannedComponent],
    compoundingDate: CalendarDate, beyondUseDate: BeyondUseDate, storage: String, balance: String?,
    minimumWeight: Mass?, calculations: [String], warnings: [String]
  ) {
    self.code = code
    self.version = version
    self.name = name
    self.parts = parts
    self.mass = mass
    self.components = components
    self.compoundingDate = compoundingDate
    self.beyondUseDate = beyondUseDate
    self.storage = storage
    self.balance = balance
    self.minimumWeight = minimumWeight
    self.calculations = calculations
    self.warnings = warnings
  }

  /// Plans `mass` of `definition`: 1 part of API in `parts`, each mass at or above `balance`'s minimum weight.
  public static func plan(
    _ definition: Trituration, version: Int, mass: Mass, ingredients: [Ingredient], lots: [IngredientLot],
    lotChoices: [String: String], balance: Balance, rules: FormulationRules, today: CalendarDate,
    shortDatedReason: String? = nil
  ) throws(FormulationError) -> TriturationPlan {
    let byCode = Dictionary(ingredients.map { ($0.code.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
    let api = byCode[definition.api.uppercased()]
    let diluent = byCode[definition.diluent.uppercased()]
    if let refusal = definition.refusal(api: api, diluent: diluent, rules: rules) { throw FormulationError(refusal) }
    guard let api, let diluent, let category = rules.budCategory(definition.budCategory) else {
      throw FormulationError("trituration \(definition.code) refers to ingredients that are not in the catalog")
    }
    guard mass.micrograms > 0, mass.micrograms <= 10_000_000_000 else {
      throw FormulationError("--mass \(mass) is not a trituration to make: give 1 g to 10 kg, for example --mass 5g")
    }
    let apiMass = Mass(micrograms: (mass.micrograms + Int64(definition.parts) / 2) / Int64(definition.parts))
    let diluentMass = Mass(micrograms: mass.micrograms - apiMass.micrograms)
    for (what, part) in [(api.code, apiMass), (diluent.code, diluentMass)] {
      if let refusal = balance.refusal(weighing: part, what: "\(what) \(part) of \(mass)") {
        let least = Mass(micrograms: balance.minimumWeight.micrograms * Int64(definition.parts))
        throw FormulationError("\(refusal): make at least \(least) of \(definition.code)")
      }
    }
    // Lots: a pure API (never another trituration) and the diluent, first-expiry-first-out.
    let pool = LotPool(
      lots: lots.filter { $0.triturationParts == nil }, lotChoices: lotChoices, today: today, balance: balance,
      shortDatedReason: shortDatedReason)
    let apiLot = try WeighingPlanner.choose(
      api, pool: pool, role: .api, rules: rules, need: { _ in apiMass.micrograms })
    guard let potency = apiLot.potency, potency > 0 else {
      throw FormulationError("lot \(apiLot.lotNumber) of \(api.code) has no certificate assay: it cannot be diluted")
    }
    let diluentLot = try WeighingPlanner.choose(
      diluent, pool: pool, role: .filler, rules: rules, need: { _ in diluentMass.micrograms })
    let calculations = [
      "\(definition.code): 1 part \(api.code) in \(definition.parts) parts, \(mass) in all",
      "\(api.code): \(mass) / \(definition.parts) = \(apiMass) (lot \(apiLot.lotNumber), potency \((potency * 100).trimmed(maximum: 4)) %)",
      "\(diluent.code): \(mass) - \(apiMass) = \(diluentMass) (lot \(diluentLot.lotNumber))",
      balance.minimumWeightExplanation,
    ]
    let components = [
      WeighingPlanner.component(
        .api, api, apiLot, quantity: apiMass.micrograms, tolerance: rules.apiTolerancePercent, perCapsule: nil,
        calculation: calculations[1]),
      WeighingPlanner.component(
        .filler, diluent, diluentLot, quantity: diluentMass.micrograms, tolerance: rules.excipientTolerancePercent,
        perCapsule: nil, calculation: calculations[2]),
    ]
    let byRule = rules.dayConvention.lastDay(from: today, days: category.days)
    var bud = BeyondUseDate(
      date: byRule,
      basis: "USP <795> \(category.name): \(category.days) days from \(today), \(rules.dayConvention.explanation)")
    if let earliest = components.min(by: { $0.expiry < $1.expiry }), earliest.expiry < byRule {
      bud = BeyondUseDate(
        date: earliest.expiry,
        basis:
          "earliest component expiry: \(earliest.ingredientCode) lot \(earliest.lotNumber) expires \(earliest.expiry)")
    }
    var warnings: [String] = []
    if let shortDatedReason, components.contains(where: { today.days(to: $0.expiry) < rules.minimumBudDays }) {
      warnings.append("short-dated lot chosen: \(shortDatedReason)")
    }
    return TriturationPlan(
      code: definition.code, version: version, name: definition.name, parts: definition.parts, mass: mass,
      components: components, compoundingDate: today, beyondUseDate: bud, storage: definition.storage,
      balance: balance.id, minimumWeight: balance.minimumWeight,
      calculations: calculations + ["BUD \(bud.date): \(bud.basis)"],
      warnings: warnings)
  }
}
