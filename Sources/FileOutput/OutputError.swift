import Foundation

/// A refused or failed output file; the text is what the person reads.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
