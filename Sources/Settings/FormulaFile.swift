import Formulation
import Foundation
import Quantities
import TOMLKit

/// A master formulation record as written in a `.toml` file (see `Config/formulas/`).
public struct FormulaFile: Sendable, Decodable {
  var code: String
  var name: String
  var dosageForm: String?
  var api: String
  var strengthMg: ExactNumber
  var strengthBasis: StrengthBasis
  var capsuleSize: String
  var filler: String
  var packStatMg: ExactNumber
  var shell: String?
  var extraPercent: ExactNumber?
  var budCategory: String
  var stabilityReference: String?
  var stabilityDays: Int?
  var storage: String
  var container: String
  var description: String
  var instructions: String
  var equipment: String
  var directions: String
  var warnings: [String]
  var labeling: String
  var labelName: String?
  var labourMinutes: Int?
  var qc: QC?

  struct QC: Sendable, Decodable {
    var capsuleWeightMinPercent: ExactNumber?
    var capsuleWeightMaxPercent: ExactNumber?
    var assayMinPercent: ExactNumber?
    var assayMaxPercent: ExactNumber?
    var procedure: String?
    var uniformityTargetPercent: ExactNumber?

    enum CodingKeys: String, CodingKey {
      case procedure
      case uniformityTargetPercent = "uniformity_target_percent"
      case capsuleWeightMinPercent = "capsule_weight_min_percent"
      case capsuleWeightMaxPercent = "capsule_weight_max_percent"
      case assayMinPercent = "assay_min_percent"
      case assayMaxPercent = "assay_max_percent"
    }
  }

  enum CodingKeys: String, CodingKey {
    case code, name, api, filler, shell, storage, container, description, instructions, equipment, directions
    case warnings, labeling, qc
    case labelName = "label_name"
    case labourMinutes = "labour_minutes"
    case dosageForm = "dosage_form"
    case strengthMg = "strength_mg"
    case strengthBasis = "strength_basis"
    case capsuleSize = "capsule_size"
    case packStatMg = "pack_stat_mg"
    case extraPercent = "extra_percent"
    case budCategory = "bud_category"
    case stabilityReference = "stability_reference"
    case stabilityDays = "stability_days"
  }

  /// Parses a formula file; throws naming the file and the key at fault.
  public static func parse(_ text: String, file: String) throws(SettingsError) -> Formula {
    let parsed = try StrictTOML.decode(FormulaFile.self, from: text, file: file)
    return try parsed.formula(file: file)
  }

  private func formula(file: String) throws(SettingsError) -> Formula {
    func number(_ value: ExactNumber?, _ fallback: String) -> ExactNumber {
      value ?? ExactNumber(fallback) ?? ExactNumber(0, decimals: 0)
    }
    for (key, value) in [("strength_mg", strengthMg), ("pack_stat_mg", packStatMg)] {
      guard value.value > 0, value.value <= 100_000 else {
        throw SettingsError("\(file): '\(key)' must be a positive number of mg, not \(value)")
      }
      guard value.value * 1000 == (value.value * 1000).rounded(scale: 0) else {
        throw SettingsError("\(file): '\(key)' is finer than one microgram")
      }
    }
    if let labourMinutes, !(0...600).contains(labourMinutes) {
      throw SettingsError("\(file): 'labour_minutes' must be 0 to 600, not \(labourMinutes)")
    }
    let qc = self.qc
    return Formula(
      code: code.uppercased(), name: name, dosageForm: dosageForm ?? "capsule", api: api.uppercased(),
      strength: Mass.milligrams(strengthMg.value), strengthBasis: strengthBasis, capsuleSize: capsuleSize,
      filler: filler.uppercased(), packStat: Mass.milligrams(packStatMg.value), shell: shell?.uppercased(),
      extraPercent: number(extraPercent, "10"), budCategory: budCategory, stabilityReference: stabilityReference,
      stabilityDays: stabilityDays, storage: storage, container: container, description: description,
      instructions: instructions, equipment: equipment, directions: directions, warnings: warnings,
      labeling: labeling,
      qualityControl: QualityControl(
        capsuleWeight: InclusiveRange(
          minimum: number(qc?.capsuleWeightMinPercent, "90.0"), maximum: number(qc?.capsuleWeightMaxPercent, "110.0")),
        assay: InclusiveRange(
          minimum: number(qc?.assayMinPercent, "90.0"), maximum: number(qc?.assayMaxPercent, "110.0")),
        procedure: qc?.procedure
          ?? "Weigh at least 10 filled capsules; each within the capsule weight limits. Assay by a contract laboratory.",
        uniformityTarget: qc?.uniformityTargetPercent), labelName: labelName, labourMinutes: labourMinutes)
  }
}
