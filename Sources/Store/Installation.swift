import Foundation

/// Which pharmacy's database this is, and whether it is a training database (the clock may then be fixed).
public struct Installation: Sendable, Codable, Equatable {
  /// A random identity made when the database was: a backup of another pharmacy carries another.
  public var pharmacyID: String
  public var createdAt: String
  /// A training database (`init --training`, the demo) honours `COMPOUND_NOW`; a pharmacy's never does.
  public var training: Bool
}
