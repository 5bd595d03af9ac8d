import Foundation
import Quantities

/// The filled-capsule weight check: each capsule's net fill against the theoretical fill.
public struct WeightCheck: Sendable, Hashable, Codable {
  /// One weighed capsule.
  public struct Capsule: Sendable, Hashable, Codable {
    public var gross: Mass
    public var net: Mass
    /// Net fill as a percent of the theoretical fill, two decimals.
    public var percent: Decimal
    public var within: Bool

    /// Makes the value from every stored property.
    public init(
      gross: Mass, net: Mass, percent: Decimal, within: Bool
    ) {
      self.gross = gross
      self.net = net
      self.percent = percent
      self.within = within
    }
  }

  public var capsules: [Capsule]
  /// Mass of one empty shell subtracted from each gross weight.
  public var shell: Mass
  public var shellSource: String
  public var theoreticalFill: Mass
  public var range: InclusiveRange
  public var meanNet: Mass
  /// Sample standard deviation (n - 1) of the net fills, in mg.
  public var standardDeviationMg: Decimal
  /// Relative standard deviation in percent, two decimals.
  public var rsdPercent: Decimal
  public var passed: Bool

  /// Makes the value from every stored property.
  public init(
    capsules: [Capsule], shell: Mass, shellSource: String, theoreticalFill: Mass, range: InclusiveRange, meanNet: Mass,
    standardDeviationMg: Decimal, rsdPercent: Decimal, passed: Bool
  ) {
    self.capsules = capsules
    self.shell = shell
    self.shellSource = shellSource
    self.theoreticalFill = theoreticalFill
    self.range = range
    self.meanNet = meanNet
    self.standardDeviationMg = standardDeviationMg
    self.rsdPercent = rsdPercent
    self.passed = passed
  }

  /// Evaluates gross capsule weights; every capsule must lie within `range` of the theoretical fill.
  public static func evaluate(
    gross: [Mass], shell: Mass, shellSource: String, theoreticalFill: Mass, range: InclusiveRange,
    minimumCount: Int
  ) throws(FormulationError) -> WeightCheck {
    guard gross.count >= minimumCount else {
      throw FormulationError(
        "weigh at least \(minimumCount) filled capsules (\(gross.count) given): list them as --mg 231.2,229.8,...")
    }
    guard gross.count <= 1000 else { throw FormulationError("at most 1000 capsule weights at a time") }
    guard theoreticalFill.micrograms > 0 else { throw FormulationError("the batch has no theoretical fill") }
    var capsules: [Capsule] = []
    for weight in gross {
      guard weight > shell else {
        throw FormulationError(
          "capsule weight \(weight) is not more than the empty shell (\(shell)): weigh filled capsules, in mg")
      }
      let net = weight - shell
      let percent = Decimal(net.micrograms) * 100 / Decimal(theoreticalFill.micrograms)
      capsules.append(
        Capsule(gross: weight, net: net, percent: percent.rounded(scale: 2), within: range.contains(percent)))
    }
    let nets = capsules.map(\.net.milligrams)
    let mean = Statistics.mean(nets) ?? 0
    let sd = Statistics.sampleStandardDeviation(nets) ?? 0
    return WeightCheck(
      capsules: capsules, shell: shell, shellSource: shellSource, theoreticalFill: theoreticalFill, range: range,
      meanNet: Mass.milligrams(mean), standardDeviationMg: sd.rounded(scale: 3),
      rsdPercent: mean > 0 ? (sd * 100 / mean).rounded(scale: 2) : 0,
      passed: capsules.allSatisfy(\.within))
  }
}
