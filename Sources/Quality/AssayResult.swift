import Foundation
import Quantities

/// One laboratory result for a compounded lot, with its verdicts.
public struct AssayResult: Sendable, Hashable, Codable {
  public var lab: String
  public var method: String
  public var tested: CalendarDate
  /// The assay in % of label claim.
  public var percent: Decimal
  /// The mg per unit the lab reported, when it reported mg.
  public var reportedMg: Decimal?
  public var verdict: AssayVerdict
  public var limits: AssayLimits
  public var uniformity: UniformityResult?
  public var certificatePath: String?
  public var certificateSha256: String?

  public init(
    lab: String, method: String, tested: CalendarDate, percent: Decimal, reportedMg: Decimal?, verdict: AssayVerdict,
    limits: AssayLimits, uniformity: UniformityResult?, certificatePath: String?, certificateSha256: String?
  ) {
    self.lab = lab
    self.method = method
    self.tested = tested
    self.percent = percent
    self.reportedMg = reportedMg
    self.verdict = verdict
    self.limits = limits
    self.uniformity = uniformity
    self.certificatePath = certificatePath
    self.certificateSha256 = certificateSha256
  }

  /// Whether this result fails the lot: a failed assay, or a failed stage-2 uniformity.
  public var fails: Bool { verdict == .fail || uniformity?.verdict == "fail" }

  /// Whether this result lets the lot be released: a passing assay and no unfinished uniformity.
  public var allowsRelease: Bool { verdict.isPassing && (uniformity.map { $0.passed } ?? true) }

  /// Evaluates a result: converts mg to % of `strength`, applies `limits` and, with unit results,
  /// USP <905>.
  public static func evaluate(
    lab: String, method: String, tested: CalendarDate, percent: Decimal?, mg: Decimal?, strength: Mass,
    units: [Decimal]?, limits: AssayLimits, target: Decimal, l1: Decimal, l2: Decimal, certificatePath: String?,
    certificateSha256: String?
  ) throws(QualityError) -> AssayResult {
    for (label, text) in [("--lab", lab), ("--method", method)] where text.trimmingCharacters(in: .whitespaces).isEmpty
    {
      throw QualityError("\(label) is empty: name it as on the laboratory's report")
    }
    let value: Decimal
    switch (percent, mg) {
    case (let given?, nil): value = given
    case (nil, let given?):
      guard strength.micrograms > 0 else { throw QualityError("the lot has no strength to convert mg") }
      value = given * 100 / strength.milligrams
    default: throw QualityError("give the result once: either --percent P or --mg M")
    }
    guard ContentUniformity.plausible.contains(value) else {
      throw QualityError(
        "an assay of \(value.trimmed(maximum: 3)) % of label claim is not plausible (0 to 200 %): check the report")
    }
    var uniformity: UniformityResult?
    if let units { uniformity = try ContentUniformity.evaluate(units: units, target: target, l1: l1, l2: l2) }
    return AssayResult(
      lab: lab, method: method, tested: tested, percent: value, reportedMg: mg, verdict: limits.verdict(value),
      limits: limits, uniformity: uniformity, certificatePath: certificatePath, certificateSha256: certificateSha256)
  }
}
