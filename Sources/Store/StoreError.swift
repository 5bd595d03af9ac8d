import Foundation

/// A storage problem or a refused change; the text is what the pharmacist reads.
///
/// The code is stable across versions and wordings, for scripts and tests; the cause, when there is one, is
/// the error the store was given (a domain rule's, SQLite's), kept rather than flattened.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of refusal or failure this is.
  public enum Code: String, Sendable, Equatable, CaseIterable {
    /// A refusal by a rule or a check: the input or the records' state does not allow it.
    case refused
    /// A record named by the command does not exist.
    case notFound = "not-found"
    /// A signature failed: a wrong PIN, a locked user, a reset PIN not yet changed.
    case signature
    /// Another command holds the database.
    case busy
    /// The computer's clock reads earlier than the newest record.
    case clock
    /// A stored record or value this version cannot read: changed outside compound.
    case corrupt
    /// A record written by a newer compound.
    case newerFormat = "newer-format"
    /// The database itself refused the change (a trigger or constraint).
    case database
  }

  /// The stable code.
  public let code: Code
  /// The one-line message naming what is wrong and how to fix it.
  public let message: String
  /// The error that caused this one, if the store was given one.
  public let cause: (any Error)?

  public init(_ message: String, code: Code = .refused, cause: (any Error)? = nil) {
    self.message = message
    self.code = code
    self.cause = cause
  }

  public var description: String { message }

  public static func == (lhs: StoreError, rhs: StoreError) -> Bool {
    lhs.code == rhs.code && lhs.message == rhs.message
  }
}
