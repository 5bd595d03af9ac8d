import Formulation
import Foundation
import Quantities
import Testing

@Suite("The filled-capsule weight check")
struct WeightCheckTests {
  let range = InclusiveRange(minimum: Fixtures.number("90.0"), maximum: Fixtures.number("110.0"))

  func evaluate(_ gross: [String], shell: String = "76") throws -> WeightCheck {
    try WeightCheck.evaluate(
      gross: gross.map(Fixtures.mg), shell: Fixtures.mg(shell), shellSource: "test",
      theoreticalFill: Fixtures.mg("240"),
      range: range, minimumCount: 10)
  }

  @Test("the demo's ten capsules: mean 240.05 mg, SD 1.125 mg, RSD 0.47 %, pass")
  func handChecked() throws {
    let check = try evaluate([
      "317.2", "315.2", "316.4", "314.5", "318.1", "315.7", "316.9", "314.9", "316.2", "315.4",
    ])
    #expect(check.meanNet == Fixtures.mg("240.05"))
    #expect(check.standardDeviationMg == Fixtures.decimal("1.125"))
    #expect(check.rsdPercent == Fixtures.decimal("0.47"))
    #expect(check.passed)
  }

  @Test("one capsule below 90 % fails the check; 89.95 % rounds to 90.0 and passes")
  func edges() throws {
    let good = Array(repeating: "316", count: 9)
    // net 215.87 mg = 89.946 %: rounds to 89.9, fails
    let failing = try evaluate(good + ["291.87"])
    #expect(!failing.passed)
    #expect(failing.capsules.last?.within == false)
    // net 215.88 mg = 89.95 %: rounds half up to 90.0, passes
    #expect(try evaluate(good + ["291.88"]).passed)
    // net 264.12 mg = 110.05 %: rounds to 110.1, fails
    #expect(try !evaluate(good + ["340.12"]).passed)
  }

  @Test("fewer capsules than the minimum, or a weight not above the empty shell, is refused")
  func refusals() {
    #expect(throws: FormulationError.self) { try evaluate(["316", "317"]) }
    #expect(throws: FormulationError.self) { try evaluate(Array(repeating: "316", count: 9) + ["70"]) }
  }
}
