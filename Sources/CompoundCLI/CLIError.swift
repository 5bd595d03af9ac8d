import Formulation
import Foundation
import Quantities
import Settings
import Store

/// A refused command line; the text is what the pharmacist reads.
public struct CLIError: Error, Sendable, CustomStringConvertible {
  /// The one-line message naming what is wrong and how to fix it.
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
