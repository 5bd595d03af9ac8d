import Foundation

/// A balance that cannot be read; the text is what the technician reads.
public struct BalanceError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The one-line message naming what is wrong and what to do.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
