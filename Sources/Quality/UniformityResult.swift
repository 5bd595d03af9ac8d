import Foundation
import Quantities

/// A USP <905> content-uniformity verdict with every figure that led to it.
public struct UniformityResult: Sendable, Hashable, Codable {
  /// Number of units tested: 10 (stage 1) or 30 (stage 2).
  public var n: Int
  /// Mean of the units, % of label claim.
  public var mean: Decimal
  /// Sample standard deviation (n - 1).
  public var sd: Decimal
  /// The reference value M.
  public var m: Decimal
  /// Acceptability constant: 2.4 for 10 units, 2.0 for 30.
  public var k: Decimal
  /// Acceptance value |M - X| + k s, unrounded.
  public var av: Decimal
  /// The acceptance value rounded once to one decimal, half up: the figure compared with L1.
  public var avRounded: Decimal
  /// 1 or 2.
  public var stage: Int
  public var passed: Bool
  /// Stage 2's bounds for every unit: (1 - 0.01 L2) M and (1 + 0.01 L2) M.
  public var lowerUnitLimit: Decimal?
  public var upperUnitLimit: Decimal?
  /// Units outside those bounds (stage 2).
  public var unitsOutsideRange: [Decimal]
  /// What to do next, for example "test 20 more units"; nil when the result is final.
  public var nextStep: String?
  public var target: Decimal
  public var l1: Decimal
  public var l2: Decimal

  /// Makes the value from every stored property.
  public init(
    n: Int, mean: Decimal, sd: Decimal, m: Decimal, k: Decimal, av: Decimal, avRounded: Decimal, stage: Int,
    passed: Bool, lowerUnitLimit: Decimal?, upperUnitLimit: Decimal?, unitsOutsideRange: [Decimal], nextStep: String?,
    target: Decimal, l1: Decimal, l2: Decimal
  ) {
    self.n = n
    self.mean = mean
    self.sd = sd
    self.m = m
    self.k = k
    self.av = av
    self.avRounded = avRounded
    self.stage = stage
    self.passed = passed
    self.lowerUnitLimit = lowerUnitLimit
    self.upperUnitLimit = upperUnitLimit
    self.unitsOutsideRange = unitsOutsideRange
    self.nextStep = nextStep
    self.target = target
    self.l1 = l1
    self.l2 = l2
  }

  /// "pass", "fail" or "incomplete" (stage 1 not met: test 20 more units).
  public var verdict: String {
    passed ? "pass" : (nextStep == nil ? "fail" : "incomplete")
  }
}
