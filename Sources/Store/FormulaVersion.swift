import Formulation
import Foundation

/// One stored version of a master formulation record.
public struct FormulaVersion: Sendable, Codable {
  public var formula: Formula
  public var version: Int
  /// SHA-256 of the formula's canonical JSON: the same content always has the same digest.
  public var sha256: String
  public var createdAt: String
  public var approvedBy: String?
  /// How many batches were compounded from this version.
  public var batches: Int
}
