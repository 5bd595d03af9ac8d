import Formulation
import Foundation
import Quantities

/// A formula's definition (`formula.definition`), as stored.
///
/// Format 1: the first releases' keys, masses as JSON numbers of milligrams. Format 2: every number as exact
/// text, and `format`.
struct FormulaRecord: StoredFormat {
  static let kind = "formula"

  /// The formula's quality checks.
  struct Checks: Codable {
    var capsuleWeight: StoredRange
    var assay: StoredRange
    var procedure: String
    var uniformityTarget: StoredNumber?
  }

  var format: Int?
  var code: String
  var name: String
  var dosageForm: String
  var api: String
  var strength: StoredNumber
  var strengthBasis: String
  var capsuleSize: String
  var filler: String
  var packStat: StoredNumber
  var shell: String?
  var extraPercent: StoredNumber
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
  var qualityControl: Checks
  var labelText: String?
  var labourMinutes: Int?

  init(_ value: Formula) {
    format = Self.current
    code = value.code
    name = value.name
    dosageForm = value.dosageForm
    api = value.api
    strength = StoredNumber(milligrams: value.strength)
    strengthBasis = value.strengthBasis.rawValue
    capsuleSize = value.capsuleSize
    filler = value.filler
    packStat = StoredNumber(milligrams: value.packStat)
    shell = value.shell
    extraPercent = StoredNumber(value.extraPercent)
    budCategory = value.budCategory
    stabilityReference = value.stabilityReference
    stabilityDays = value.stabilityDays
    storage = value.storage
    container = value.container
    description = value.description
    instructions = value.instructions
    equipment = value.equipment
    directions = value.directions
    warnings = value.warnings
    labeling = value.labeling
    qualityControl = Checks(
      capsuleWeight: StoredRange(value.qualityControl.capsuleWeight), assay: StoredRange(value.qualityControl.assay),
      procedure: value.qualityControl.procedure,
      uniformityTarget: value.qualityControl.uniformityTarget.map(StoredNumber.init))
    labelText = value.labelText
    labourMinutes = value.labourMinutes
  }

  func value() throws -> Formula {
    Formula(
      code: code, name: name, dosageForm: dosageForm, api: api, strength: strength.mass,
      strengthBasis: try StoredValue.known(StrengthBasis.self, strengthBasis, in: Self.kind),
      capsuleSize: capsuleSize, filler: filler, packStat: packStat.mass, shell: shell,
      extraPercent: extraPercent.exact, budCategory: budCategory, stabilityReference: stabilityReference,
      stabilityDays: stabilityDays, storage: storage, container: container, description: description,
      instructions: instructions, equipment: equipment, directions: directions, warnings: warnings,
      labeling: labeling,
      qualityControl: QualityControl(
        capsuleWeight: qualityControl.capsuleWeight.value, assay: qualityControl.assay.value,
        procedure: qualityControl.procedure, uniformityTarget: qualityControl.uniformityTarget?.exact),
      labelName: labelText, labourMinutes: labourMinutes)
  }
}
