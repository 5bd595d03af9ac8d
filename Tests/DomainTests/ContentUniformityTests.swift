import Formulation
import Foundation
import Quality
import Quantities
import Testing

@Suite("USP <905> content uniformity")
struct ContentUniformityTests {
  func values(_ text: String) -> [Decimal] { text.split(separator: ",").map { Fixtures.decimal(String($0)) } }

  @Test("USP's FAQ: n = 10, X = 105.9, s = 5.0 gives M = 101.5, AV = 16.4, stage 1 not met")
  func uspFAQ() {
    let result = ContentUniformity.acceptance(mean: Fixtures.decimal("105.9"), sd: 5, n: 10)
    #expect(result.m == Fixtures.decimal("101.5"))
    #expect(result.avRounded == Fixtures.decimal("16.4"))
    #expect(!result.passed)
    #expect(result.nextStep == "test 20 more units")
  }

  @Test("USP's FAQ: the per-unit range at M = 101.5 is 76.125 to 126.875")
  func uspRange() throws {
    // 30 units with a mean above 101.5, so that M = 101.5.
    let units =
      Array(repeating: Fixtures.decimal("102"), count: 15) + Array(repeating: Fixtures.decimal("104"), count: 15)
    let result = try ContentUniformity.evaluate(units: units)
    #expect(result.m == Fixtures.decimal("101.5"))
    #expect(result.lowerUnitLimit == Fixtures.decimal("76.125"))
    #expect(result.upperUnitLimit == Fixtures.decimal("126.875"))
  }

  @Test("the ten-unit example: X = 100.0, s = 1.8257, AV = 4.4, stage 1 passes")
  func tenUnits() throws {
    let result = try ContentUniformity.evaluate(units: values("98,99,100,101,102,97,103,99,100,101"))
    #expect(result.mean == 100)
    #expect(result.sd.fixed(4) == "1.8257")
    #expect(result.m == 100)
    #expect(result.k == Fixtures.decimal("2.4"))
    #expect(result.avRounded == Fixtures.decimal("4.4"))
    #expect(result.passed)
    #expect(result.stage == 1)
    #expect(result.nextStep == nil)
  }

  @Test("X = 97.0, s = 2.0: M = 98.5 (below the band), AV = 6.3")
  func belowBand() {
    let result = ContentUniformity.acceptance(mean: 97, sd: 2, n: 10)
    #expect(result.m == Fixtures.decimal("98.5"))
    #expect(result.avRounded == Fixtures.decimal("6.3"))
  }

  @Test(
    "M with a target above 101.5: X within 98.5-T is kept, above T is T, below 98.5 is 98.5",
    arguments: [("102.5", "102.5"), ("104", "103"), ("97", "98.5"), ("100", "100")])
  func highTarget(mean: String, m: String) {
    let result = ContentUniformity.acceptance(mean: Fixtures.decimal(mean), sd: 1, n: 10, target: 103)
    #expect(result.m == Fixtures.decimal(m))
  }

  @Test("M with T = 100: within 98.5-101.5 it is X")
  func withinBand() {
    #expect(ContentUniformity.acceptance(mean: Fixtures.decimal("101.5"), sd: 1, n: 10).m == Fixtures.decimal("101.5"))
    #expect(ContentUniformity.acceptance(mean: Fixtures.decimal("98.5"), sd: 1, n: 10).m == Fixtures.decimal("98.5"))
    #expect(ContentUniformity.acceptance(mean: Fixtures.decimal("101.6"), sd: 1, n: 10).m == Fixtures.decimal("101.5"))
  }

  @Test("AV is rounded once to one decimal: 15.04 passes, 15.05 fails")
  func roundingEdges() {
    // n = 30: k = 2, so AV = 2 s at X = 100.
    let passes = ContentUniformity.acceptance(mean: 100, sd: Fixtures.decimal("7.52"), n: 30)
    #expect(passes.av == Fixtures.decimal("15.04"))
    #expect(passes.avRounded == 15)
    #expect(passes.passed)
    let fails = ContentUniformity.acceptance(mean: 100, sd: Fixtures.decimal("7.525"), n: 30)
    #expect(fails.av == Fixtures.decimal("15.05"))
    #expect(fails.avRounded == Fixtures.decimal("15.1"))
    #expect(!fails.passed)
  }

  @Test("stage 2 passes with 30 units close to label claim")
  func stageTwoPass() throws {
    let units = (0..<30).map { Decimal(97) + Decimal($0 % 7) }
    let result = try ContentUniformity.evaluate(units: units)
    #expect(result.stage == 2)
    #expect(result.k == 2)
    #expect(result.passed)
    #expect(result.unitsOutsideRange.isEmpty)
  }

  @Test("stage 2 fails on one unit below 0.75 M even though the AV passes")
  func stageTwoSingleUnit() throws {
    let units = Array(repeating: Decimal(100), count: 29) + [Decimal(74)]
    let result = try ContentUniformity.evaluate(units: units)
    // X = 99.1333, s = 4.7470, M = X, AV = 2 s = 9.49 -> 9.5 <= 15.0; 0.75 M = 74.35 > 74.
    #expect(result.avRounded == Fixtures.decimal("9.5"))
    #expect(result.unitsOutsideRange == [74])
    #expect(!result.passed)
    #expect(result.verdict == "fail")
    #expect(result.nextStep == nil)
  }

  @Test("fewer than 10 values, a count other than 10 or 30, or a negative value is refused")
  func refusals() {
    #expect(throws: QualityError.self) { try ContentUniformity.evaluate(units: Array(repeating: 100, count: 9)) }
    #expect(throws: QualityError.self) { try ContentUniformity.evaluate(units: Array(repeating: 100, count: 12)) }
    #expect(throws: QualityError.self) {
      try ContentUniformity.evaluate(units: Array(repeating: 100, count: 9) + [-1])
    }
  }
}

@Suite("Assay verdicts, lot states, the usability gate and trends")
struct QualityRulesTests {
  let limits = AssayLimits(
    range: InclusiveRange(minimum: Fixtures.number("90.0"), maximum: Fixtures.number("110.0")),
    warning: InclusiveRange(minimum: Fixtures.number("95.0"), maximum: Fixtures.number("105.0")), source: "test")

  @Test(
    "an assay passes, passes with a warning outside the band, or fails outside the limits (USP rounding)",
    arguments: [
      ("99.2", AssayVerdict.pass), ("94.9", .passWithWarning), ("89.95", .passWithWarning), ("89.94", .fail),
      ("110.04", .passWithWarning), ("110.05", .fail), ("94.95", .pass),
    ])
  func verdicts(percent: String, verdict: AssayVerdict) {
    #expect(limits.verdict(Fixtures.decimal(percent)) == verdict)
  }

  @Test("a result in mg is converted with the lot's strength: 4.41 mg of 4.5 mg is 98 %")
  func milligrams() throws {
    let result = try AssayResult.evaluate(
      lab: "Lab", method: "HPLC", tested: Fixtures.today, percent: nil, mg: Fixtures.decimal("4.41"),
      strength: Fixtures.mg("4.5"), units: nil, limits: limits, target: 100, l1: 15, l2: 25, certificatePath: nil,
      certificateSha256: nil)
    #expect(result.percent == 98)
    #expect(result.verdict == .pass)
  }

  @Test("lot states: what each action allows")
  func transitions() throws {
    #expect(try LotAction.release.apply(to: .quarantined, lot: "L") == .released)
    #expect(try LotAction.release.apply(to: .onHold, lot: "L") == .released)
    #expect(try LotAction.hold.apply(to: .released, lot: "L") == .onHold)
    #expect(try LotAction.recall.apply(to: .released, lot: "L") == .recalled)
    #expect(try LotAction.reject.apply(to: .quarantined, lot: "L") == .rejected)
    #expect(throws: QualityError.self) { try LotAction.release.apply(to: .rejected, lot: "L") }
    #expect(throws: QualityError.self) { try LotAction.reject.apply(to: .released, lot: "L") }
    #expect(throws: QualityError.self) { try LotAction.hold.apply(to: .onHold, lot: "L") }
    #expect(throws: QualityError.self) { try LotAction.recall.apply(to: .rejected, lot: "L") }
    #expect(LotAction.hold.needsPharmacist == false)
    #expect(LotAction.reject.needsReason)
  }

  @Test("the gate: only a released lot within its BUD may be labeled, filled or dispensed")
  func gate() {
    let bud = Fixtures.date("2026-11-22")
    #expect(BatchGate.refusal(lotNumber: "B", status: .released, beyondUseDate: bud, today: bud) == nil)
    #expect(BatchGate.refusal(lotNumber: "B", status: .released, beyondUseDate: bud, today: bud.adding(days: 1)) != nil)
    for status in [LotStatus.quarantined, .onHold, .rejected, .recalled, .expired] {
      #expect(BatchGate.refusal(lotNumber: "B", status: status, beyondUseDate: bud, today: bud) != nil)
    }
    #expect(BatchGate.effectiveStatus(.released, beyondUseDate: bud, today: bud.adding(days: 1)) == .expired)
  }

  @Test("a trend flags three lots falling to within 2 % of a limit, and nothing else")
  func trends() {
    func points(_ values: [String]) -> [AssayTrend.Point] {
      values.enumerated().map {
        AssayTrend.Point(
          lotNumber: "L\($0.offset)", tested: Fixtures.today.adding(days: $0.offset),
          percent: Fixtures.decimal($0.element),
          verdict: .pass)
      }
    }
    let range = limits.range
    #expect(AssayTrend.analyse(points(["99", "95", "93", "91.5"]), range: range).drift?.contains("fall") == true)
    #expect(AssayTrend.analyse(points(["104", "106", "108.5"]), range: range).drift?.contains("upper") == true)
    #expect(AssayTrend.analyse(points(["99", "95", "96", "91.5"]), range: range).drift == nil)
    #expect(AssayTrend.analyse(points(["99", "97", "95"]), range: range).drift == nil)
    let trend = AssayTrend.analyse(points(["98", "100", "102"]), range: range)
    #expect(trend.mean == 100)
    #expect(trend.sd == 2)
  }
}
