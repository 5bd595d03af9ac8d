import Foundation
import Quantities

/// A formula's quality-control expectations.
public struct QualityControl: Sendable, Hashable, Codable {
  /// Each filled capsule's net fill as a percent of the theoretical fill.
  public var capsuleWeight: InclusiveRange
  /// Assay of the finished capsules as a percent of label claim.
  public var assay: InclusiveRange
  /// The procedures and expected results, as the record prints them.
  public var procedure: String
  /// Content-uniformity target T in % of label claim; nil means the settings' (100.0).
  public var uniformityTarget: ExactNumber?

  public init(
    capsuleWeight: InclusiveRange, assay: InclusiveRange, procedure: String, uniformityTarget: ExactNumber? = nil
  ) {
    self.capsuleWeight = capsuleWeight
    self.assay = assay
    self.procedure = procedure
    self.uniformityTarget = uniformityTarget
  }
}
