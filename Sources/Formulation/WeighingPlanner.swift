import Foundation
import Quantities

/// Turns a formula and the stock on hand into a weighing plan (shared/domain.md section 5).
///
/// - API to weigh = strength x capsules x salt factor / potency, where potency is the certificate's
///   assay (times (100 - water %) / 100 when the assay is on the anhydrous basis).
/// - Filler per capsule = pack stat - API per capsule x (filler density / API density).
/// - Lots are chosen first-expiry-first-out among released, unexpired lots with enough stock.
public enum WeighingPlanner {
  /// Largest batch the planner accepts, in capsules.
  public static let maximumQuantity = 100_000

  /// Plans a batch of `request.quantity` capsules; throws naming the first problem.
  public static func plan(_ request: PlanRequest, rules: FormulationRules) throws(FormulationError) -> WeighingPlan {
    let formula = request.formula
    guard request.quantity > 0, request.quantity <= maximumQuantity else {
      throw FormulationError(
        "quantity must be a whole number of capsules from 1 to \(maximumQuantity), not \(request.quantity)")
    }
    var warnings = try FormulaValidator.validate(formula, ingredients: request.ingredients, rules: rules)
    guard let api = request.ingredients[formula.api.uppercased()],
      let filler = request.ingredients[formula.filler.uppercased()],
      let fillerRule = rules.filler(for: filler),
      let category = rules.budCategory(formula.budCategory)
    else { throw FormulationError("formula \(formula.code) refers to ingredients that are not in the catalog") }
    let salt = try SaltFactor(basis: formula.strengthBasis, api: api)
    let extra = formula.extraCapsules(for: request.quantity)
    let capsules = request.quantity + extra
    var calculations = [
      "capsules: \(request.quantity) ordered + \(extra) extra for loss (\(formula.extraPercent) %, rounded up) = \(capsules)",
      "salt factor: \(salt.explanation)",
    ]

    // API: choose the lot first, since the mass depends on that lot's certificate.
    let pureAPI = formula.strength.milligrams * salt.value * Decimal(capsules)
    let apiNeed: (IngredientLot) -> Int64? = { lot in
      guard let potency = lot.potency, potency > 0 else { return nil }
      return Mass.milligrams(pureAPI / potency).micrograms
    }
    // A trituration brings its diluent into the capsules: only one in the formula's own filler may be used, so
    // that the record, the label and the allergy checks name every excipient the patient takes.
    var pool = request.pool
    if let chosen = pool.lots.first(where: { lot in
      lot.triturationDiluent.map { $0.uppercased() != formula.filler.uppercased() } == true
        && [api.code.uppercased(), ComponentRole.api.rawValue.uppercased()].contains {
          pool.lotChoices[$0]?.uppercased() == lot.lotNumber.uppercased()
        }
    }) {
      throw FormulationError(
        "trituration lot \(chosen.lotNumber) is diluted in \(chosen.triturationDiluent ?? "?"), not in \(formula.code)'s filler \(formula.filler): use a trituration in \(formula.filler)"
      )
    }
    pool.lots.removeAll {
      $0.triturationDiluent.map { $0.uppercased() != formula.filler.uppercased() } == true
    }
    let apiLot = try choose(api, pool: pool, role: .api, rules: rules, need: apiNeed)
    guard let potency = apiLot.potency, potency > 0 else {
      throw FormulationError("lot \(apiLot.lotNumber) of \(api.code) has no certificate assay: it cannot be dosed")
    }
    let apiTotal = Mass.milligrams(pureAPI / potency)
    let apiPerCapsule = apiTotal.milligrams / Decimal(capsules)
    var potencyText = "assay \(apiLot.assayPercent?.description ?? "?") % \(apiLot.assayBasis?.rawValue ?? "as-is")"
    if apiLot.assayBasis == .anhydrous, let water = apiLot.waterPercent {
      potencyText += ", water \(water) %"
    }
    if let parts = apiLot.triturationParts {
      potencyText =
        "trituration lot \(apiLot.lotNumber), 1 in \(parts): potency \(apiLot.assayPercent?.description ?? "?") %"
    }
    calculations.append(
      "API: \(formula.strength) x \(salt.value.trimmed(maximum: 6)) x \(capsules) capsules / \(potency.trimmed(maximum: 6)) (\(potencyText)) = \(apiTotal)"
    )

    // Filler: what is left of the pack stat once the API's volume is taken.
    // A trituration's diluent takes its own volume, as filler: only its API part has the API's density.
    let apiRatio = FormulaValidator.densityRatio(filler: filler, rule: fillerRule, api: api)
    let ratio = apiLot.apiFraction.map { $0 * apiRatio + (1 - $0) } ?? apiRatio
    let fillerPerCapsule = formula.packStat.milligrams - apiPerCapsule * ratio
    guard fillerPerCapsule > 0 else {
      throw FormulationError("the API fills the whole capsule: choose a larger capsule size")
    }
    // The total from the figures the record prints, rounded once at the end: the line adds up as printed.
    let fillerTotal = Mass.milligrams(formula.packStat.milligrams * Decimal(capsules) - apiTotal.milligrams * ratio)
    let densityText =
      api.density == nil
      ? "API density unknown: equal densities assumed" : "filler/API density ratio \(ratio.trimmed(maximum: 4))"
    calculations.append(
      "filler per capsule: pack stat \(formula.packStat) - API \(apiPerCapsule.trimmed(maximum: 3)) mg x \(ratio.trimmed(maximum: 4)) (\(densityText)) = \(fillerPerCapsule.trimmed(maximum: 3)) mg"
    )
    calculations.append(
      "filler: pack stat \(formula.packStat) x \(capsules) capsules - API \(apiTotal) x \(ratio.trimmed(maximum: 6)) = \(fillerTotal)"
    )
    let fillerLot = try choose(
      filler, pool: request.pool, role: .filler, rules: rules, need: { _ in fillerTotal.micrograms })

    var components = [
      component(
        .api, api, apiLot, quantity: apiTotal.micrograms, tolerance: rules.apiTolerancePercent,
        perCapsule: Mass.milligrams(apiPerCapsule), calculation: calculations[2]),
      component(
        .filler, filler, fillerLot, quantity: fillerTotal.micrograms, tolerance: rules.excipientTolerancePercent,
        perCapsule: Mass.milligrams(fillerPerCapsule), calculation: calculations[4]),
    ]
    if let shellCode = formula.shell, let shell = request.ingredients[shellCode.uppercased()] {
      let shellLot = try choose(shell, pool: request.pool, role: .shell, rules: rules, need: { _ in Int64(capsules) })
      components.append(
        component(
          .shell, shell, shellLot, quantity: Int64(capsules), tolerance: ExactNumber(0, decimals: 0),
          perCapsule: nil, calculation: "shells: \(capsules), one a capsule"))
    }

    let fill = Mass.milligrams(apiPerCapsule + fillerPerCapsule)
    let range = formula.qualityControl.capsuleWeight
    let fillMinimum = Mass.milligrams(fill.milligrams * range.minimum.value / 100)
    let fillMaximum = Mass.milligrams(fill.milligrams * range.maximum.value / 100)
    calculations.append(
      "theoretical fill: API \(apiPerCapsule.trimmed(maximum: 3)) mg + filler \(fillerPerCapsule.trimmed(maximum: 3)) mg = \(fill); accepted \(range): \(fillMinimum) to \(fillMaximum)"
    )
    let bud = BeyondUseDate.compute(
      start: request.today, formula: formula, category: category, convention: rules.dayConvention,
      components: components)
    calculations.append("BUD \(bud.date): \(bud.basis)")
    if let reason = request.shortDatedReason,
      components.contains(where: { isShortDated($0.expiry, request.pool, rules) })
    {
      warnings.append(
        "short-dated lot chosen: the BUD \(bud.date) is under \(rules.minimumBudDays) days, because \(reason)")
    }
    var belowMinimum: [String] = []
    if let balance = request.balance {
      for component in components where component.unit == .mass {
        let mass = Mass(micrograms: component.quantity)
        guard let refusal = balance.refusal(weighing: mass, what: "\(component.ingredientCode)") else { continue }
        var line = refusal
        if component.role == .api,
          let parts = Trituration.proposedParts(for: mass, minimumWeight: balance.minimumWeight)
        {
          let defined = request.triturations.filter {
            $0.parts >= parts && $0.diluent.uppercased() == formula.filler.uppercased()
          }.min { $0.parts < $1.parts }
          let weighed = Mass(micrograms: mass.micrograms * Int64(defined?.parts ?? parts))
          let batchMass = Mass(micrograms: balance.minimumWeight.micrograms * Int64(defined?.parts ?? parts))
          if let defined {
            line +=
              ": weigh it as \(defined.code), a 1 in \(defined.parts) trituration in \(defined.diluent) (\(weighed) of trituration): make at least \(batchMass) with 'compound trituration make --formula \(defined.code) --mass MASS'; once it is released, the plan weighs it instead"
          } else {
            line +=
              ": weigh it as a 1 in \(parts) trituration of \(component.ingredientCode) in \(formula.filler) (\(weighed) of trituration): add one with 'compound formula add --file TRITURATION.toml' (kind = \"trituration\", parts = \(parts)) and make at least \(batchMass)"
          }
        }
        belowMinimum.append(line)
      }
      calculations.append(balance.minimumWeightExplanation)
    }
    return WeighingPlan(
      formulaCode: formula.code, formulaVersion: request.formulaVersion, formulaName: formula.name,
      strength: formula.strength, strengthBasis: formula.strengthBasis, capsuleSize: formula.capsuleSize,
      quantity: request.quantity, extraCapsules: extra, capsules: capsules, saltFactor: salt.value,
      components: components, theoreticalFill: fill, fillMinimum: fillMinimum, fillMaximum: fillMaximum,
      fillRange: range, compoundingDate: request.today, beyondUseDate: bud, storage: formula.storage,
      calculations: calculations, warnings: warnings, balance: request.balance?.id,
      minimumWeight: request.balance?.minimumWeight, belowMinimum: belowMinimum)
  }

  static func component(
    _ role: ComponentRole, _ ingredient: Ingredient, _ lot: IngredientLot, quantity: Int64,
    tolerance: ExactNumber, perCapsule: Mass?, calculation: String
  ) -> PlannedComponent {
    let span = Decimal(quantity) * tolerance.value / 100
    let low = Decimal(quantity) - span
    let high = Decimal(quantity) + span
    return PlannedComponent(
      role: role, ingredientCode: ingredient.code, ingredientName: ingredient.name, lotNumber: lot.lotNumber,
      supplier: lot.supplier, supplierLot: lot.supplierLot, expiry: lot.expiry, unit: ingredient.unit,
      quantity: quantity, minimum: Int64(truncating: low.roundedUp(scale: 0) as NSDecimalNumber),
      maximum: Int64(truncating: (-(-high).roundedUp(scale: 0)) as NSDecimalNumber),
      perCapsule: perCapsule, calculation: calculation)
  }

  /// Whether a lot expiring on `expiry` would bring a batch made today under the rules' minimum BUD.
  static func isShortDated(_ expiry: CalendarDate, _ pool: LotPool, _ rules: FormulationRules) -> Bool {
    pool.today.days(to: expiry) < rules.minimumBudDays
  }

  /// The lot to use: the one named with `--lot`, checked, or else first-expiry-first-out.
  ///
  /// First-expiry-first-out skips a lot that would bring the BUD under the rules' minimum (a named lot needs a
  /// reason then), prefers a mass the balance can weigh, and a pure API to a trituration.
  static func choose(
    _ ingredient: Ingredient, pool request: LotPool, role: ComponentRole, rules: FormulationRules,
    need: (IngredientLot) -> Int64?
  ) throws(FormulationError) -> IngredientLot {
    let unit = ingredient.unit
    let chosen = request.lotChoices[ingredient.code.uppercased()] ?? request.lotChoices[role.rawValue.uppercased()]
    if let chosen {
      guard let lot = request.lots.first(where: { $0.lotNumber.uppercased() == chosen.uppercased() }) else {
        throw FormulationError("lot '\(chosen)' does not exist: 'compound lot list' shows the lots")
      }
      guard lot.ingredientCode.uppercased() == ingredient.code.uppercased() else {
        throw FormulationError("lot \(lot.lotNumber) is \(lot.ingredientCode), not \(ingredient.code)")
      }
      if let refusal = lot.refusal(on: request.today) { throw FormulationError(refusal) }
      if isShortDated(lot.expiry, request, rules), request.shortDatedReason == nil {
        throw FormulationError(
          "lot \(lot.lotNumber) of \(ingredient.code) expires \(lot.expiry), \(request.today.days(to: lot.expiry)) days away: the batch's BUD would be under \(rules.minimumBudDays) days; give the reason with --short-dated-reason \"...\" or use a fresher lot"
        )
      }
      guard let needed = need(lot) else {
        throw FormulationError(
          "lot \(lot.lotNumber) of \(ingredient.code) has no certificate assay: it cannot be dosed")
      }
      guard lot.onHand >= needed else {
        throw FormulationError(
          "lot \(lot.lotNumber) of \(ingredient.code) has \(unit.format(lot.onHand)) on hand, the batch needs \(unit.format(needed))"
        )
      }
      return lot
    }
    let ofIngredient = request.lots.filter { $0.ingredientCode.uppercased() == ingredient.code.uppercased() }
    let unexpired = ofIngredient.filter { $0.refusal(on: request.today) == nil }
    let usable = unexpired.filter { !isShortDated($0.expiry, request, rules) }
      .sorted { a, b in
        let weighableA = weighable(a, request: request, need: need)
        let weighableB = weighable(b, request: request, need: need)
        if weighableA != weighableB { return weighableA }
        if (a.triturationParts == nil) != (b.triturationParts == nil) { return a.triturationParts == nil }
        return (a.expiry, a.receivedAt, a.lotNumber) < (b.expiry, b.receivedAt, b.lotNumber)
      }
    for lot in usable {
      if let needed = need(lot), lot.onHand >= needed { return lot }
    }
    if usable.isEmpty, let soon = unexpired.min(by: { $0.expiry < $1.expiry }) {
      throw FormulationError(
        "every usable lot of \(ingredient.code) expires within \(rules.minimumBudDays) days (\(soon.lotNumber) on \(soon.expiry)): receive a fresher lot, or name one with --lot \(ingredient.code)=\(soon.lotNumber) --short-dated-reason \"...\""
      )
    }
    if usable.isEmpty {
      let waiting = ofIngredient.filter { $0.status == .quarantined && !$0.isExpired(on: request.today) }
      let hint =
        waiting.isEmpty
        ? "receive one with 'compound lot receive'"
        : "lot \(waiting.map(\.lotNumber).joined(separator: ", ")) is quarantined until a pharmacist releases it"
      throw FormulationError("no released, unexpired lot of \(ingredient.code) (\(ingredient.name)): \(hint)")
    }
    let largest = usable.max { $0.onHand < $1.onHand }
    let neededText = largest.flatMap(need).map { unit.format($0) } ?? "more"
    throw FormulationError(
      "no released lot of \(ingredient.code) has enough stock: the batch needs \(neededText), the largest is \(largest?.lotNumber ?? "-") with \(unit.format(largest?.onHand ?? 0))"
    )
  }

  /// Whether the balance of `request` can weigh what `lot` needs (true with no balance, or for a count).
  private static func weighable(_ lot: IngredientLot, request: LotPool, need: (IngredientLot) -> Int64?) -> Bool {
    guard let balance = request.balance, let needed = need(lot) else { return true }
    return needed >= balance.minimumWeight.micrograms
  }
}
