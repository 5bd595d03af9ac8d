import Foundation

/// Exact descriptive statistics over decimals.
public enum Statistics {
  /// The arithmetic mean; nil for no values.
  public static func mean(_ values: [Decimal]) -> Decimal? {
    values.isEmpty ? nil : values.reduce(0, +) / Decimal(values.count)
  }

  /// The sample standard deviation (n - 1 in the denominator); nil for fewer than two values.
  public static func sampleStandardDeviation(_ values: [Decimal]) -> Decimal? {
    guard values.count > 1, let mean = mean(values) else { return nil }
    let squares = values.reduce(Decimal(0)) { $0 + ($1 - mean) * ($1 - mean) }
    return (squares / Decimal(values.count - 1)).squareRoot()
  }
}
