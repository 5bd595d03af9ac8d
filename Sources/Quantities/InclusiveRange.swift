import Foundation

/// An inclusive range of limits compared the USP way (General Notices 7.20).
///
/// The result is rounded once, half up, to the decimals the limit is written with, then compared;
/// both ends are inclusive. So 97.95 meets "not less than 98.0" and 101.55 fails "not more than 101.5".
public struct InclusiveRange: Sendable, Hashable, Codable, CustomStringConvertible {
  public let minimum: ExactNumber
  public let maximum: ExactNumber

  public init(minimum: ExactNumber, maximum: ExactNumber) {
    self.minimum = minimum
    self.maximum = maximum
  }

  /// Whether `value` lies within the range after rounding to each limit's decimals.
  public func contains(_ value: Decimal) -> Bool {
    value.rounded(scale: minimum.decimals) >= minimum.value
      && value.rounded(scale: maximum.decimals) <= maximum.value
  }

  /// The value as it is compared: rounded to the larger number of decimals of the two limits.
  public func reported(_ value: Decimal) -> String {
    value.fixed(max(minimum.decimals, maximum.decimals))
  }

  /// `98.0-102.0 %`.
  public var description: String { "\(minimum)-\(maximum) %" }
}
