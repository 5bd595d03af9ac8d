import Foundation

/// One component of a preparation, as the catalog names it: the API, the filler, the capsule shells.
public struct PreparationComponent: Sendable, Hashable, Codable {
  /// What it is in the preparation: "API", "filler", "capsule shells".
  public var role: String
  public var code: String
  public var name: String

  /// "contain" for shells, "contains" for the API or the filler: how a message reads of it.
  public var contains: String { role.hasSuffix("s") ? "contain" : "contains" }

  public init(role: String, code: String, name: String) {
    self.role = role
    self.code = code
    self.name = name
  }
}
