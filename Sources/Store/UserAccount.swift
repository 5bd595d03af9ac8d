import Accounts
import Formulation
import Foundation

/// A person who may sign records, as the database keeps them: never deleted, only disabled.
public struct UserAccount: Sendable, Codable, Equatable {
  public var user: User
  public var active: Bool
  public var createdAt: String
  public var createdBy: String
  public var disabledAt: String?
  public var disabledBy: String?
  public var disabledReason: String?
}
