import Formulation
import Foundation
import Quantities

/// A filled-capsule weight check (`weight_check.result`), as stored.
///
/// Format 1: the first releases' keys, masses as JSON numbers of milligrams. Format 2: numbers as exact text,
/// and `format`.
struct WeightCheckRecord: StoredFormat {
  static let kind = "weight check"

  /// One weighed capsule.
  struct Capsule: Codable {
    var gross: StoredNumber
    var net: StoredNumber
    var percent: StoredNumber
    var within: Bool
  }

  var format: Int?
  var capsules: [Capsule]
  var shell: StoredNumber
  var shellSource: String
  var theoreticalFill: StoredNumber
  var range: StoredRange
  var meanNet: StoredNumber
  var standardDeviationMg: StoredNumber
  var rsdPercent: StoredNumber
  var passed: Bool

  init(_ value: WeightCheck) {
    format = Self.current
    capsules = value.capsules.map {
      Capsule(
        gross: StoredNumber(milligrams: $0.gross), net: StoredNumber(milligrams: $0.net),
        percent: StoredNumber($0.percent), within: $0.within)
    }
    shell = StoredNumber(milligrams: value.shell)
    shellSource = value.shellSource
    theoreticalFill = StoredNumber(milligrams: value.theoreticalFill)
    range = StoredRange(value.range)
    meanNet = StoredNumber(milligrams: value.meanNet)
    standardDeviationMg = StoredNumber(value.standardDeviationMg)
    rsdPercent = StoredNumber(value.rsdPercent)
    passed = value.passed
  }

  func value() throws -> WeightCheck {
    WeightCheck(
      capsules: capsules.map {
        WeightCheck.Capsule(gross: $0.gross.mass, net: $0.net.mass, percent: $0.percent.decimal, within: $0.within)
      }, shell: shell.mass, shellSource: shellSource, theoreticalFill: theoreticalFill.mass, range: range.value,
      meanNet: meanNet.mass, standardDeviationMg: standardDeviationMg.decimal, rsdPercent: rsdPercent.decimal,
      passed: passed)
  }
}
