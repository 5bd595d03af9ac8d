import Foundation
import Quantities

/// Checks a formula against the catalog and the pharmacy's rules before it may be used.
public enum FormulaValidator {
  /// Refuses a formula that breaks a rule, with the reason; returns warnings to print when it passes.
  public static func validate(
    _ formula: Formula, ingredients: [String: Ingredient], rules: FormulationRules
  ) throws(FormulationError) -> [String] {
    var warnings: [String] = []
    guard Ingredient.isValidCode(formula.code) else {
      throw FormulationError(
        "formula code '\(formula.code)' must be 1-40 letters, digits, '-', '_' or '.', starting with a letter or digit")
    }
    guard !formula.name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw FormulationError("formula \(formula.code) needs a name")
    }
    try formula.checkStatedStrengths()
    guard formula.dosageForm == "capsule" else {
      throw FormulationError("dosage form '\(formula.dosageForm)' is not supported yet: only capsule")
    }
    guard formula.strength >= rules.strengthMin, formula.strength <= rules.strengthMax else {
      throw FormulationError(
        "strength \(formula.strength) is outside the allowed \(rules.strengthMin) to \(rules.strengthMax) per capsule (formulation.strength_min_mg / strength_max_mg)"
      )
    }
    guard let api = ingredients[formula.api.uppercased()] else {
      throw FormulationError("API '\(formula.api)' is not in the catalog: add it with 'compound ingredient add'")
    }
    guard api.kind == .api else {
      throw FormulationError("'\(api.code)' is a \(api.kind.rawValue), not an API")
    }
    let saltFactor = try SaltFactor(basis: formula.strengthBasis, api: api)
    guard let size = rules.capsule(formula.capsuleSize) else {
      throw FormulationError(
        "capsule size '\(formula.capsuleSize)' is not configured: use one of \(rules.capsuleSizes.map(\.size).joined(separator: ", "))"
      )
    }
    guard let filler = ingredients[formula.filler.uppercased()] else {
      throw FormulationError("filler '\(formula.filler)' is not in the catalog: add it with 'compound ingredient add'")
    }
    if let rejection = rules.rejection(of: filler) {
      throw FormulationError("filler \(filler.name) is refused: \(rejection.reason)")
    }
    guard filler.kind == .excipient, let fillerRule = rules.filler(for: filler) else {
      throw FormulationError(
        "\(filler.name) is not an accepted filler: use one of \(rules.fillers.map(\.name).joined(separator: ", "))")
    }
    if !fillerRule.warning.isEmpty { warnings.append(fillerRule.warning) }

    let volume = size.volumeMl.value
    let lowest = volume * fillerRule.bulkDensityMin.value * 1000 * rules.packStatMinFactor.value
    let highest = volume * fillerRule.bulkDensityMax.value * 1000 * rules.packStatMaxFactor.value
    let packStat = formula.packStat.milligrams
    guard packStat >= lowest, packStat <= highest else {
      throw FormulationError(
        "pack stat \(formula.packStat) is implausible for a size \(size.size) capsule (\(size.volumeMl) mL) of \(fillerRule.name): expected \(lowest.fixed(0))-\(highest.fixed(0)) mg; weigh the filler that fills one capsule again"
      )
    }

    let apiPerCapsule = formula.strength.milligrams * saltFactor.value
    let displaced = apiPerCapsule * densityRatio(filler: filler, rule: fillerRule, api: api)
    if displaced >= packStat {
      let fits = rules.capsuleSizes
        .filter { $0.volumeMl.value > volume }
        .sorted { $0.volumeMl.value < $1.volumeMl.value }
        .first { packStat * $0.volumeMl.value / volume > displaced * Decimal(5) / 4 }
      let hint = fits.map { "name size \($0.size), which fits" } ?? "no configured capsule size holds it"
      throw FormulationError(
        "\(formula.strength) of \(api.code) leaves no room for filler in a size \(size.size) capsule (pack stat \(formula.packStat)): \(hint)"
      )
    }

    if let shellCode = formula.shell {
      guard let shell = ingredients[shellCode.uppercased()], shell.kind == .shell else {
        throw FormulationError("capsule shells '\(shellCode)' are not in the catalog as kind shell")
      }
      guard shell.capsuleSize == formula.capsuleSize else {
        throw FormulationError(
          "shells \(shell.code) are size \(shell.capsuleSize ?? "?"), the formula is size \(formula.capsuleSize)")
      }
    }
    guard formula.extraPercent.value >= 0, formula.extraPercent.value <= 100 else {
      throw FormulationError("extra_percent must be between 0 and 100, not \(formula.extraPercent)")
    }
    guard rules.budCategory(formula.budCategory) != nil else {
      throw FormulationError(
        "BUD category '\(formula.budCategory)' is unknown: use one of \(rules.budCategories.map(\.id).joined(separator: ", "))"
      )
    }
    switch (formula.stabilityDays, formula.stabilityReference) {
    case (nil, nil): break
    case (let days?, let reference?):
      guard days > 0, days <= 3650, !reference.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw FormulationError("stability_days must be 1-3650 with a cited stability_reference")
      }
    default:
      throw FormulationError("stability_days and stability_reference go together: a longer BUD needs its citation")
    }
    for (label, range) in [
      ("capsule weight", formula.qualityControl.capsuleWeight), ("assay", formula.qualityControl.assay),
    ]
    where range.minimum.value >= range.maximum.value || range.minimum.value <= 0 {
      throw FormulationError("the \(label) limits \(range) are not a range: the minimum must be below the maximum")
    }
    let assay = formula.qualityControl.assay
    let widest = rules.preparationAssay
    guard assay.minimum.value >= widest.minimum.value, assay.maximum.value <= widest.maximum.value else {
      throw FormulationError(
        "the formula's assay limits \(assay) are wider than the pharmacy's \(widest) (quality.preparation_assay_*): a formula may only tighten them"
      )
    }
    if let target = formula.qualityControl.uniformityTarget, target.value <= 0 || target.value > 200 {
      throw FormulationError("uniformity_target_percent must be above 0 and at most 200, not \(target)")
    }
    for (label, text) in [
      ("directions", formula.directions), ("storage", formula.storage), ("container", formula.container),
    ]
    where text.trimmingCharacters(in: .whitespaces).isEmpty {
      throw FormulationError("formula \(formula.code) needs \(label)")
    }
    return warnings
  }

  /// Filler density over API density; 1 (equal densities) when the API's density is not known.
  public static func densityRatio(filler: Ingredient, rule: FillerRule, api: Ingredient) -> Decimal {
    guard let apiDensity = api.density?.value, apiDensity > 0 else { return 1 }
    return (filler.density?.value ?? rule.typicalDensity) / apiDensity
  }
}
