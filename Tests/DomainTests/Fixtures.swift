import Formulation
import Foundation
import Quantities
import Settings

/// Catalog, lots and formulas the domain tests share: the demo pharmacy's LDN 4.5 mg.
enum Fixtures {
  static let rules = Settings.defaults.formulationRules
  static let today = date("2026-11-22")

  static let naltrexone = Ingredient(
    code: "NALTREXONE-HCL", name: "Naltrexone hydrochloride USP", kind: .api, saltForm: "HCl",
    molecularWeightSalt: number("377.86"), molecularWeightBase: number("341.4"))
  static let avicel = Ingredient(
    code: "AVICEL-PH102", name: "Microcrystalline cellulose NF (Avicel PH-102)", kind: .excipient)
  static let lactose = Ingredient(code: "LACTOSE", name: "Lactose monohydrate NF", kind: .excipient)
  static let calciumCarbonate = Ingredient(code: "CACO3", name: "Calcium carbonate USP", kind: .excipient)
  static let hpmc = Ingredient(code: "HPMC-K100", name: "Hypromellose (Methocel K100M)", kind: .excipient)
  static let shells = Ingredient(
    code: "CAPS-1", name: "Hard gelatin capsules size 1", kind: .shell, capsuleSize: "1")
  static let catalog = [naltrexone, avicel, lactose, calciumCarbonate, hpmc, shells]

  static func number(_ text: String) -> ExactNumber {
    guard let value = ExactNumber(text) else { fatalError("bad test number \(text)") }
    return value
  }

  static func decimal(_ text: String) -> Decimal {
    guard let value = Decimal.exact(text) else { fatalError("bad test decimal \(text)") }
    return value
  }

  static func date(_ text: String) -> CalendarDate {
    guard let value = try? CalendarDate.parse(text) else { fatalError("bad test date \(text)") }
    return value
  }

  static func mg(_ text: String) -> Mass {
    guard let value = try? Mass.parse(text + "mg") else { fatalError("bad test mass \(text)") }
    return value
  }

  static func lot(
    _ number: String, _ ingredient: Ingredient, expiry: String = "2028-06-30", onHand: Int64 = 5_000_000_000,
    status: LotStatus = .released, assay: String? = "100.0", basis: AssayBasis = .asIs, water: String? = nil,
    receivedDay: Double = 0
  ) -> IngredientLot {
    IngredientLot(
      lotNumber: number, ingredientCode: ingredient.code, supplier: "Medisca", supplierLot: "S-\(number)",
      expiry: date(expiry), onHand: onHand, status: status, assayPercent: assay.map(Fixtures.number),
      assayBasis: basis, waterPercent: water.map(Fixtures.number),
      receivedAt: Date(timeIntervalSince1970: 1_790_000_000 + receivedDay * 86_400))
  }

  static func formula(
    code: String = "LDN45", strength: String = "4.5", basis: StrengthBasis = .salt, size: String = "1",
    filler: String = "AVICEL-PH102", packStat: String = "240", shell: String? = "CAPS-1",
    stability: (String, Int)? = nil
  ) -> Formula {
    Formula(
      code: code, name: "Naltrexone HCl \(strength) mg capsules", api: "NALTREXONE-HCL", strength: mg(strength),
      strengthBasis: basis, capsuleSize: size, filler: filler, packStat: mg(packStat), shell: shell,
      extraPercent: number("10"), budCategory: "other-nonaqueous", stabilityReference: stability?.0,
      stabilityDays: stability?.1, storage: "Room temperature", container: "Amber vial",
      description: "White capsule", instructions: "Mix by geometric dilution", equipment: "Balance",
      directions: "Take 1 capsule by mouth at bedtime", warnings: ["No opioids"], labeling: "Patient label",
      qualityControl: QualityControl(
        capsuleWeight: InclusiveRange(minimum: number("90.0"), maximum: number("110.0")),
        assay: InclusiveRange(minimum: number("90.0"), maximum: number("110.0")), procedure: "Weigh 10"))
  }

  static func plan(
    _ formula: Formula = formula(), quantity: Int = 30, lots: [IngredientLot], choices: [String: String] = [:],
    catalog: [Ingredient] = catalog, rules: FormulationRules = rules, today: CalendarDate = today
  ) throws -> WeighingPlan {
    try WeighingPlanner.plan(
      PlanRequest(
        formula: formula, formulaVersion: 1, quantity: quantity, today: today, ingredients: catalog, lots: lots,
        lotChoices: choices),
      rules: rules)
  }

  static let standardLots = [
    lot("R-API", naltrexone, assay: "99.1"), lot("R-AVI", avicel, assay: nil),
    lot("R-CAP", shells, onHand: 1000, assay: nil),
  ]
}
