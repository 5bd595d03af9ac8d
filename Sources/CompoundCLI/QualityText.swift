import Foundation
import Quality
import Quantities
import Store

/// Assay, uniformity and trend results as a person reads them.
enum QualityText {
  static func assay(_ entry: AssayEntry, zone: TimeZone) -> String {
    let result = entry.result
    var lines = [
      "Assay of \(entry.lotNumber) (\(entry.formulaCode)): \(result.lab), \(result.method), tested \(result.tested)",
      "Result: \(result.limits.range.reported(result.percent)) % of label claim"
        + (result.reportedMg.map { " (\($0.trimmed(maximum: 4)) mg per capsule)" } ?? "")
        + " -> \(result.verdict.text); limits \(result.limits.description)",
    ]
    if let uniformity = result.uniformity {
      lines += uniformityLines(uniformity).map { "  " + $0 }
    }
    if let path = result.certificatePath {
      lines.append("Certificate: \(path) (sha256 \(result.certificateSha256 ?? "?"))")
    }
    lines.append("Recorded \(Timestamp.local(entry.recordedAt, zone: zone)) by \(entry.recordedBy)")
    return lines.joined(separator: "\n")
  }

  static func uniformity(_ result: UniformityResult) -> String {
    uniformityLines(result).joined(separator: "\n")
  }

  private static func uniformityLines(_ result: UniformityResult) -> [String] {
    var lines = [
      "Content uniformity (USP <905>) stage \(result.stage), n = \(result.n), T = \(result.target.trimmed(minimum: 1, maximum: 2)):",
      "  mean X = \(result.mean.fixed(2)), s = \(result.sd.fixed(4)), M = \(result.m.fixed(2)), k = \(result.k.trimmed(maximum: 1))",
      "  AV = |M - X| + k s = \(result.av.fixed(3)) -> \(result.avRounded.fixed(1)) (limit L1 = \(result.l1.trimmed(minimum: 1, maximum: 2)))",
    ]
    if let low = result.lowerUnitLimit, let high = result.upperUnitLimit {
      lines.append(
        "  every unit within \(low.trimmed(maximum: 3))-\(high.trimmed(maximum: 3)) (0.75 M to 1.25 M at L2 = \(result.l2.trimmed(maximum: 1))): "
          + (result.unitsOutsideRange.isEmpty
            ? "yes" : "NO, outside: \(result.unitsOutsideRange.map { $0.trimmed(maximum: 3) }.joined(separator: ", "))")
      )
    }
    let verdict = result.passed ? "PASS" : (result.nextStep.map { "NOT MET: \($0)" } ?? "FAIL")
    lines.append("  Uniformity: \(verdict)")
    return lines
  }

  static func trend(_ trend: AssayTrend, formula: String) -> String {
    guard !trend.points.isEmpty else { return "no assays recorded for \(formula) yet" }
    var lines = [
      "Assay trend for \(formula) (limits \(trend.range))",
      Output.table(
        ["TESTED", "LOT", "ASSAY %", "VERDICT"],
        trend.points.map {
          [$0.tested.description, $0.lotNumber, trend.range.reported($0.percent), $0.verdict.text]
        }),
      "mean \(trend.mean?.fixed(2) ?? "-") %, SD \(trend.sd?.fixed(2) ?? "-") over \(trend.points.count) results",
    ]
    lines.append(trend.drift.map { "WARNING: drift: \($0)" } ?? "no drift toward a limit")
    return lines.joined(separator: "\n")
  }
}
