import Foundation

/// An excipient that may never fill these capsules, with the reason printed when it is refused.
public struct RejectedExcipient: Sendable, Hashable, Codable {
  public var name: String
  /// Name patterns that identify it (see `NameMatcher`).
  public var match: [String]
  public var reason: String

  public init(name: String, match: [String], reason: String) {
    self.name = name
    self.match = match
    self.reason = reason
  }
}
