import Foundation

/// Who signed the first step of a two-person record, as the second signer is checked against.
public struct Signer: Sendable, Hashable {
  /// The first signer's login.
  public var login: String
  /// The person's name on the first signer's account.
  public var name: String
  /// The pharmacist who reset the first signer's PIN, while that PIN may still be the one they set.
  public var pinKnownTo: String?

  public init(login: String, name: String, pinKnownTo: String?) {
    self.login = login
    self.name = name
    self.pinKnownTo = pinKnownTo
  }
}
