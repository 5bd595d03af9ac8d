import Foundation

/// A USP <795> beyond-use-date category: how many days a preparation of that kind may be kept.
public struct BudCategory: Sendable, Hashable, Codable {
  /// `other-nonaqueous`, `aqueous-preserved`, ...
  public var id: String
  public var name: String
  public var days: Int
  public var storage: String

  public init(id: String, name: String, days: Int, storage: String) {
    self.id = id
    self.name = name
    self.days = days
    self.storage = storage
  }
}
