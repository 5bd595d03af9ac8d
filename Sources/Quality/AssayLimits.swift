import Foundation
import Quantities

/// Assay limits with an optional warning band inside them (SENAITE-style).
public struct AssayLimits: Sendable, Hashable, Codable {
  public var range: InclusiveRange
  /// A result inside `range` but outside this band passes with a warning.
  public var warning: InclusiveRange?
  /// Where the limits come from, for the record: "formula LDN45 v1", "settings quality.preparation".
  public var source: String

  public init(range: InclusiveRange, warning: InclusiveRange?, source: String) {
    self.range = range
    self.warning = warning
    self.source = source
  }

  /// The verdict on `percent`, compared the USP way (rounded to each limit's decimals, inclusive).
  public func verdict(_ percent: Decimal) -> AssayVerdict {
    guard range.contains(percent) else { return .fail }
    if let warning, !warning.contains(percent) { return .passWithWarning }
    return .pass
  }

  /// `90.0-110.0 % (warning outside 95.0-105.0 %) from formula LDN45 v1`.
  public var description: String {
    range.description + (warning.map { " (warning outside \($0))" } ?? "") + " from \(source)"
  }
}
