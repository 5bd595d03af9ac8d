import Formulation
import Foundation
import Quantities
import Testing

@Suite("What was weighed and filled, against the plan")
struct BatchRecordCheckTests {
  let plan: WeighingPlan
  let onHand: [String: Int64] = ["R-API": 5_000_000_000, "R-AVI": 5_000_000_000, "R-CAP": 1000]

  init() throws {
    plan = try Fixtures.plan(lots: Fixtures.standardLots)
  }

  func check(api: String = "149.8", filler: String = "7770.2", yield: Int = 30, deviation: String? = nil)
    throws -> BatchRecordCheck
  {
    try BatchRecordCheck.check(
      plan: plan, weighed: ["naltrexone-hcl": Fixtures.mg(api), "filler": Fixtures.mg(filler)], actualYield: yield,
      deviation: deviation, onHand: onHand, rules: Fixtures.rules)
  }

  @Test("masses within 5 % and a yield of 30 are accepted; shells used equal the yield")
  func accepted() throws {
    let result = try check()
    #expect(result.outOfRange.isEmpty)
    #expect(result.components.first { $0.planned.role == .shell }?.measured == 30)
    // 30 filled of the 33 the powder was made for.
    #expect(result.yieldPercent == Fixtures.decimal("90.91"))
    #expect(try check(yield: 33).yieldPercent == 100)
  }

  @Test("a mass outside tolerance is refused without a deviation and kept with one")
  func tolerance() throws {
    #expect(throws: FormulationError.self) { try check(api: "158.0") }
    let result = try check(api: "158.0", deviation: "spilled and re-weighed")
    #expect(result.outOfRange.count == 1)
    #expect(result.outOfRange[0].contains("NALTREXONE-HCL weighed 158.0 mg"))
    // The edges of the range are inside it: 142.357 and 157.341 mg.
    #expect(try check(api: "142.357").outOfRange.isEmpty)
    #expect(throws: FormulationError.self) { try check(api: "142.356") }
    #expect(try check(api: "157.341").outOfRange.isEmpty)
  }

  @Test("a yield outside 90-100 % of the powder's 33 capsules needs a deviation; more than it allows is refused")
  func yields() throws {
    #expect(throws: FormulationError.self) { try check(yield: 29) }
    #expect(try check(yield: 29, deviation: "four capsules crushed").outOfRange.count == 1)
    #expect(try check(yield: 30).outOfRange.isEmpty)
    #expect(try check(yield: 33).outOfRange.isEmpty)
    #expect(throws: FormulationError.self) { try check(yield: 34, deviation: "x") }
    #expect(throws: FormulationError.self) { try check(yield: 0) }
  }

  @Test("a missing or unknown weighed ingredient is refused, naming the fix")
  func missingAndUnknown() {
    #expect {
      try BatchRecordCheck.check(
        plan: plan, weighed: ["filler": Fixtures.mg("7770")], actualYield: 30, deviation: nil, onHand: onHand,
        rules: Fixtures.rules)
    } throws: { ($0 as? FormulationError)?.message.contains("--weighed NALTREXONE-HCL=149.849mg") == true }
    #expect {
      try BatchRecordCheck.check(
        plan: plan, weighed: ["api": Fixtures.mg("149.8"), "filler": Fixtures.mg("7770"), "SUGAR": Fixtures.mg("1")],
        actualYield: 30, deviation: nil, onHand: onHand, rules: Fixtures.rules)
    } throws: { ($0 as? FormulationError)?.message.contains("SUGAR") == true }
  }

  @Test("a mass above the lot's stock is refused")
  func shortLot() {
    #expect(throws: FormulationError.self) {
      try BatchRecordCheck.check(
        plan: plan, weighed: ["api": Fixtures.mg("149.8"), "filler": Fixtures.mg("7770")], actualYield: 30,
        deviation: nil, onHand: ["R-API": 100_000, "R-AVI": 5_000_000_000, "R-CAP": 1000], rules: Fixtures.rules)
    }
  }
}
