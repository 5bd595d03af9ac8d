import Foundation

/// A workbook that could not be written; the text is what the pharmacist reads.
public struct ExportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The one-line message naming what is wrong and how to fix it.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
