import Foundation
import Quantities

/// An accepted capsule filler, recognised by name, with its bulk density and any warning.
public struct FillerRule: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  /// Name patterns that identify this filler in the catalog (see `NameMatcher`).
  public var match: [String]
  /// Bulk density range in g/mL, for the first estimate of a pack stat.
  public var bulkDensityMin: ExactNumber
  public var bulkDensityMax: ExactNumber
  /// Printed wherever a formula uses this filler (lactose intolerance), empty for none.
  public var warning: String

  public init(
    id: String, name: String, match: [String], bulkDensityMin: ExactNumber, bulkDensityMax: ExactNumber,
    warning: String = ""
  ) {
    self.id = id
    self.name = name
    self.match = match
    self.bulkDensityMin = bulkDensityMin
    self.bulkDensityMax = bulkDensityMax
    self.warning = warning
  }

  /// What the patient label says about this filler ("Contains lactose monohydrate"), when it carries a warning.
  public var labelWarning: String? { warning.isEmpty ? nil : "Contains \(name.lowercased())" }

  /// The middle of the bulk density range, g/mL.
  public var typicalDensity: Decimal { (bulkDensityMin.value + bulkDensityMax.value) / 2 }

  enum CodingKeys: String, CodingKey {
    case id, name, match, warning
    case bulkDensityMin = "bulk_density_min"
    case bulkDensityMax = "bulk_density_max"
  }
}
