import Foundation

/// A label that cannot be made or printed; the text is what the pharmacist reads.
public struct LabelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The one-line message naming what is wrong and how to fix it.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
