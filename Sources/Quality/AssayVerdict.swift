import Foundation

/// The verdict on an assay result against its limits.
public enum AssayVerdict: String, Sendable, Codable, CaseIterable {
  case pass
  /// Inside the limits, outside the warning band.
  case passWithWarning = "pass_with_warning"
  case fail

  /// Whether the result meets the limits.
  public var isPassing: Bool { self != .fail }

  /// How the verdict reads on a record.
  public var text: String {
    switch self {
    case .pass: return "PASS"
    case .passWithWarning: return "PASS WITH WARNING"
    case .fail: return "FAIL"
    }
  }
}
