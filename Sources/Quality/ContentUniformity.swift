import Foundation
import Quantities

/// Content uniformity by USP <905> (shared/domain.md section 7).
///
/// X is the mean and s the sample standard deviation of the units in % of label claim; k = 2.4 for 10
/// units and 2.0 for 30. With T <= 101.5: M = X within 98.5-101.5, else the nearer bound. With
/// T > 101.5: M = X within 98.5-T, else the nearer bound. AV = |M - X| + k s, rounded once to one
/// decimal, half up. Stage 1 (10 units) passes when AV <= L1; otherwise 20 more units are tested.
/// Stage 2 (30 units) passes when AV <= L1 and every unit lies within (1 - 0.01 L2) M to (1 + 0.01 L2) M.
public enum ContentUniformity {
  /// Results, in % of label claim, that a laboratory can report: an assay or a unit outside is a typing error.
  public static let plausible: ClosedRange<Decimal> = 0...200

  /// Targets T, in % of label claim, that USP <905> allows here.
  public static let targets: ClosedRange<Decimal> = 90...110

  /// Evaluates unit results; refuses a count other than 10 or 30, an implausible unit, or a target outside `targets`.
  public static func evaluate(
    units: [Decimal], target: Decimal = 100, l1: Decimal = 15, l2: Decimal = 25
  ) throws(QualityError) -> UniformityResult {
    guard units.count >= 10 else {
      throw QualityError(
        "content uniformity needs 10 unit results (stage 1) or 30 (stage 2), not \(units.count)")
    }
    guard units.count == 10 || units.count == 30 else {
      throw QualityError(
        "content uniformity takes exactly 10 unit results (stage 1) or 30 (stage 2), not \(units.count)")
    }
    if let unit = units.first(where: { !plausible.contains($0) }) {
      throw QualityError(
        "a unit result of \(unit.trimmed(maximum: 3)) % of label claim is not plausible (0 to 200 %): give each unit's content as the report does"
      )
    }
    guard targets.contains(target) else {
      throw QualityError(
        "the target T of \(target.trimmed(maximum: 3)) % is outside \(targets.lowerBound) to \(targets.upperBound) % of label claim: USP <905> takes T = 100 unless the monograph says otherwise"
      )
    }
    let mean = Statistics.mean(units) ?? 0
    let sd = Statistics.sampleStandardDeviation(units) ?? 0
    var result = acceptance(mean: mean, sd: sd, n: units.count, target: target, l1: l1)
    result.l2 = l2
    if units.count == 30 {
      let lower = (1 - l2 / 100) * result.m
      let upper = (1 + l2 / 100) * result.m
      let outside = units.filter { $0 < lower || $0 > upper }
      result.lowerUnitLimit = lower
      result.upperUnitLimit = upper
      result.unitsOutsideRange = outside
      result.passed = result.avRounded <= l1 && outside.isEmpty
      result.nextStep = nil
    }
    return result
  }

  /// The acceptance value from a mean and standard deviation, as a lab report gives them (stage 1 for
  /// n = 10, the AV part of stage 2 for n = 30).
  public static func acceptance(
    mean: Decimal, sd: Decimal, n: Int, target: Decimal = 100, l1: Decimal = 15
  ) -> UniformityResult {
    let k: Decimal = n >= 30 ? 2 : Decimal(24) / 10
    let low = Decimal(985) / 10
    let high = target <= Decimal(1015) / 10 ? Decimal(1015) / 10 : target
    let m = mean < low ? low : (mean > high ? high : mean)
    let difference = m - mean
    let av = (difference < 0 ? -difference : difference) + k * sd
    let rounded = av.rounded(scale: 1)
    let passed = rounded <= l1
    return UniformityResult(
      n: n, mean: mean, sd: sd, m: m, k: k, av: av, avRounded: rounded, stage: n >= 30 ? 2 : 1, passed: passed,
      lowerUnitLimit: nil, upperUnitLimit: nil, unitsOutsideRange: [],
      nextStep: passed || n >= 30 ? nil : "test 20 more units", target: target, l1: l1, l2: 25)
  }
}
