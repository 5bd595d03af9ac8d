import Foundation
import Quantities

/// Assay results lot after lot for one formula, with a drift warning.
public struct AssayTrend: Sendable, Hashable, Codable {
  /// One lot's result in the series.
  public struct Point: Sendable, Hashable, Codable {
    public var lotNumber: String
    public var tested: CalendarDate
    public var percent: Decimal
    public var verdict: AssayVerdict

    public init(lotNumber: String, tested: CalendarDate, percent: Decimal, verdict: AssayVerdict) {
      self.lotNumber = lotNumber
      self.tested = tested
      self.percent = percent
      self.verdict = verdict
    }
  }

  public var points: [Point]
  public var mean: Decimal?
  public var sd: Decimal?
  public var range: InclusiveRange
  /// Set when the last three results move the same way and the last lies within 2 % of a limit.
  public var drift: String?

  /// The trend of `points` (oldest first) against `range`.
  public static func analyse(_ points: [Point], range: InclusiveRange) -> AssayTrend {
    let values = points.map(\.percent)
    let mean = Statistics.mean(values)
    let sd = Statistics.sampleStandardDeviation(values)
    var drift: String?
    if values.count >= 3 {
      let (a, b, c) = (values[values.count - 3], values[values.count - 2], values[values.count - 1])
      let rising = a < b && b < c
      let falling = a > b && b > c
      if rising, range.maximum.value - c <= 2 {
        drift =
          "the last three lots rise (\(a.fixed(1)), \(b.fixed(1)), \(c.fixed(1)) %) to within 2 % of the upper limit \(range.maximum) %"
      } else if falling, c - range.minimum.value <= 2 {
        drift =
          "the last three lots fall (\(a.fixed(1)), \(b.fixed(1)), \(c.fixed(1)) %) to within 2 % of the lower limit \(range.minimum) %"
      }
    }
    return AssayTrend(points: points, mean: mean, sd: sd, range: range, drift: drift)
  }
}
