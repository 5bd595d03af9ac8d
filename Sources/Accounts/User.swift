import Foundation

/// A person who signs records, identified by a short id such as `jlee`.
public struct User: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var role: Role

  public init(id: String, name: String, role: Role) {
    self.id = id
    self.name = name
    self.role = role
  }
}

extension User {
  /// Whether this user may sign as a pharmacist.
  public var isPharmacist: Bool { role == .pharmacist }
}
