import Formulation
import Foundation
import Quality
import Quantities

/// A lot's assay result with its limits and content uniformity (`assay.result`), as stored.
///
/// Format 1: the first releases' keys, numbers as JSON numbers (limits as text). Format 2: every number as
/// exact text, and `format`.
struct AssayRecord: StoredFormat {
  static let kind = "assay result"

  /// The limits the result was judged against.
  struct Limits: Codable {
    var range: StoredRange
    var warning: StoredRange?
    var source: String
  }

  /// A USP <905> content-uniformity result.
  struct Uniformity: Codable {
    var n: Int
    var mean: StoredNumber
    var sd: StoredNumber
    var m: StoredNumber
    var k: StoredNumber
    var av: StoredNumber
    var avRounded: StoredNumber
    var stage: Int
    var passed: Bool
    var lowerUnitLimit: StoredNumber?
    var upperUnitLimit: StoredNumber?
    var unitsOutsideRange: [StoredNumber]
    var nextStep: String?
    var target: StoredNumber
    var l1: StoredNumber
    var l2: StoredNumber

    init(_ value: UniformityResult) {
      n = value.n
      mean = StoredNumber(value.mean)
      sd = StoredNumber(value.sd)
      m = StoredNumber(value.m)
      k = StoredNumber(value.k)
      av = StoredNumber(value.av)
      avRounded = StoredNumber(value.avRounded)
      stage = value.stage
      passed = value.passed
      lowerUnitLimit = value.lowerUnitLimit.map(StoredNumber.init)
      upperUnitLimit = value.upperUnitLimit.map(StoredNumber.init)
      unitsOutsideRange = value.unitsOutsideRange.map(StoredNumber.init)
      nextStep = value.nextStep
      target = StoredNumber(value.target)
      l1 = StoredNumber(value.l1)
      l2 = StoredNumber(value.l2)
    }

    var value: UniformityResult {
      UniformityResult(
        n: n, mean: mean.decimal, sd: sd.decimal, m: m.decimal, k: k.decimal, av: av.decimal,
        avRounded: avRounded.decimal, stage: stage, passed: passed, lowerUnitLimit: lowerUnitLimit?.decimal,
        upperUnitLimit: upperUnitLimit?.decimal, unitsOutsideRange: unitsOutsideRange.map(\.decimal),
        nextStep: nextStep, target: target.decimal, l1: l1.decimal, l2: l2.decimal)
    }
  }

  var format: Int?
  var lab: String
  var method: String
  var tested: String
  var percent: StoredNumber
  var reportedMg: StoredNumber?
  var verdict: String
  var limits: Limits
  var uniformity: Uniformity?
  var certificatePath: String?
  var certificateSha256: String?

  init(_ value: AssayResult) {
    format = Self.current
    lab = value.lab
    method = value.method
    tested = value.tested.description
    percent = StoredNumber(value.percent)
    reportedMg = value.reportedMg.map(StoredNumber.init)
    verdict = value.verdict.rawValue
    limits = Limits(
      range: StoredRange(value.limits.range), warning: value.limits.warning.map(StoredRange.init),
      source: value.limits.source)
    uniformity = value.uniformity.map(Uniformity.init)
    certificatePath = value.certificatePath
    certificateSha256 = value.certificateSha256
  }

  func value() throws -> AssayResult {
    AssayResult(
      lab: lab, method: method, tested: try StoredValue.date(tested, in: Self.kind), percent: percent.decimal,
      reportedMg: reportedMg?.decimal, verdict: try StoredValue.known(AssayVerdict.self, verdict, in: Self.kind),
      limits: AssayLimits(range: limits.range.value, warning: limits.warning?.value, source: limits.source),
      uniformity: uniformity?.value, certificatePath: certificatePath, certificateSha256: certificateSha256)
  }
}
