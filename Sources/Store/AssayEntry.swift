import Foundation
import Quality

/// A stored assay result of a compounded lot.
public struct AssayEntry: Sendable, Codable {
  public var lotNumber: String
  public var formulaCode: String
  public var recordedAt: String
  public var recordedBy: String
  public var result: AssayResult
  /// Set when recording this result put the lot on hold.
  public var heldLot: Bool
}
