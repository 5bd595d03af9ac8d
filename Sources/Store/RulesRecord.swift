import Foundation

/// One imported version of the clinical rules, as stored.
public struct RulesRecord: Sendable, Codable, Equatable {
  public var version: Int
  /// SHA-256 of `json`, the rules' canonical form.
  public var sha256: String
  public var json: String
  /// The files it was read from.
  public var source: String
  public var reason: String
  public var importedAt: String
  public var importedBy: String
}
