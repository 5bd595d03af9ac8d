import FileOutput
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

extension ExportError {
  /// Runs `work`, turning an output error into an export error with the same text.
  static func wrap<T>(_ work: () throws(OutputError) -> T) throws(ExportError) -> T {
    do {
      return try work()
    } catch {
      throw ExportError(error.message)
    }
  }
}
