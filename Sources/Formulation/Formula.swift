import Foundation
import Quantities

/// A master formulation record (USP <795>) for a capsule preparation: one version of it.
///
/// A version that a batch used never changes; a changed formula is a new version.
public struct Formula: Sendable, Hashable, Codable {
  public var code: String
  public var name: String
  public var dosageForm: String
  /// The API's ingredient code.
  public var api: String
  /// Strength per capsule, on `strengthBasis`.
  public var strength: Mass
  public var strengthBasis: StrengthBasis
  public var capsuleSize: String
  /// The filler's ingredient code.
  public var filler: String
  /// Measured mass of this filler that fills one capsule of this size.
  public var packStat: Mass
  /// Capsule shells' ingredient code, when the shells are tracked as stock.
  public var shell: String?
  /// Extra capsules made for loss, as a percent of the quantity, rounded up to whole capsules.
  public var extraPercent: ExactNumber
  public var budCategory: String
  /// A cited stability study that justifies `stabilityDays` instead of the category's days.
  public var stabilityReference: String?
  public var stabilityDays: Int?
  public var storage: String
  public var container: String
  public var description: String
  public var instructions: String
  public var equipment: String
  public var directions: String
  public var warnings: [String]
  public var labeling: String
  public var qualityControl: QualityControl
  /// The drug as the patient label names it, when the formula says so.
  ///
  /// For example "Naltrexone HCl 4.5 mg capsule". Optional so that older stored versions read back.
  public var labelText: String?
  /// Minutes of work to compound a batch, for its labour cost; nil means the price model's default.
  public var labourMinutes: Int?

  /// The drug as the patient label names it, with salt and strength; the formula's name when unset.
  public var labelName: String { labelText ?? name }

  public init(
    code: String, name: String, dosageForm: String = "capsule", api: String, strength: Mass,
    strengthBasis: StrengthBasis, capsuleSize: String, filler: String, packStat: Mass, shell: String?,
    extraPercent: ExactNumber, budCategory: String, stabilityReference: String? = nil,
    stabilityDays: Int? = nil, storage: String, container: String, description: String,
    instructions: String, equipment: String, directions: String, warnings: [String], labeling: String,
    qualityControl: QualityControl, labelName: String? = nil, labourMinutes: Int? = nil
  ) {
    self.code = code
    self.name = name
    self.dosageForm = dosageForm
    self.api = api
    self.strength = strength
    self.strengthBasis = strengthBasis
    self.capsuleSize = capsuleSize
    self.filler = filler
    self.packStat = packStat
    self.shell = shell
    self.extraPercent = extraPercent
    self.budCategory = budCategory
    self.stabilityReference = stabilityReference
    self.stabilityDays = stabilityDays
    self.storage = storage
    self.container = container
    self.description = description
    self.instructions = instructions
    self.equipment = equipment
    self.directions = directions
    self.warnings = warnings
    self.labeling = labeling
    self.qualityControl = qualityControl
    self.labelText = labelName
    self.labourMinutes = labourMinutes
  }

  /// Extra capsules for `quantity`: the percent, rounded up to a whole capsule.
  public func extraCapsules(for quantity: Int) -> Int {
    let exact = Decimal(quantity) * extraPercent.value / 100
    return Int(truncating: exact.roundedUp(scale: 0) as NSDecimalNumber)
  }
}
