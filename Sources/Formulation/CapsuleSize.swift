import Foundation
import Quantities

/// A hard-capsule size with its nominal volume and the usual mass of an empty shell.
public struct CapsuleSize: Sendable, Hashable, Codable {
  /// The size name: 000, 00, 0, 1 to 5.
  public var size: String
  /// Nominal fill volume in mL (makers vary: the formula's measured pack stat is what counts).
  public var volumeMl: ExactNumber
  /// Typical mass of one empty shell in mg, subtracted from filled-capsule weights.
  public var emptyShellMg: ExactNumber

  public init(size: String, volumeMl: ExactNumber, emptyShellMg: ExactNumber) {
    self.size = size
    self.volumeMl = volumeMl
    self.emptyShellMg = emptyShellMg
  }

  enum CodingKeys: String, CodingKey {
    case size
    case volumeMl = "volume_ml"
    case emptyShellMg = "empty_shell_mg"
  }
}
