import Formulation
import Foundation
import Quantities
import Testing

@Suite("Master formulas: what is refused and why")
struct FormulaValidatorTests {
  func refusal(_ formula: Formula) -> String? {
    do {
      _ = try FormulaValidator.validate(
        formula, ingredients: Dictionary(uniqueKeysWithValues: Fixtures.catalog.map { ($0.code, $0) }),
        rules: Fixtures.rules)
      return nil
    } catch {
      return error.message
    }
  }

  @Test("the LDN 4.5 mg formula with Avicel passes")
  func accepted() {
    #expect(refusal(Fixtures.formula()) == nil)
  }

  @Test("calcium carbonate is refused with the absorption reason")
  func calciumCarbonate() {
    #expect(refusal(Fixtures.formula(filler: "CACO3"))?.contains("reduce naltrexone absorption") == true)
  }

  @Test("a slow-release excipient is refused with the immediate-release reason")
  func slowRelease() {
    #expect(refusal(Fixtures.formula(filler: "HPMC-K100"))?.contains("immediate-release peak") == true)
  }

  @Test("a short pattern like SR matches only a whole word")
  func shortPatterns() {
    #expect(NameMatcher.matches(name: "Avicel SR blend", code: "X", patterns: ["sr"]))
    #expect(!NameMatcher.matches(name: "Sucrose NF", code: "SUCROSE", patterns: ["sr"]))
    #expect(
      NameMatcher.matches(name: "Microcrystalline cellulose (Avicel PH-102)", code: "A", patterns: ["avicel ph102"]))
  }

  @Test("lactose passes with the lactose-intolerance warning")
  func lactoseWarns() throws {
    let warnings = try FormulaValidator.validate(
      Fixtures.formula(filler: "LACTOSE", packStat: "300"),
      ingredients: Dictionary(uniqueKeysWithValues: Fixtures.catalog.map { ($0.code, $0) }), rules: Fixtures.rules)
    #expect(warnings.contains { $0.contains("lactose-intolerant") })
  }

  @Test("a strength outside 0.1-50 mg is refused", arguments: ["0.05", "50.001", "75"])
  func strengthBounds(strength: String) {
    #expect(refusal(Fixtures.formula(strength: strength))?.contains("outside the allowed") == true)
  }

  @Test("a pack stat implausible for the capsule volume is refused", arguments: ["20", "900"])
  func implausiblePackStat(packStat: String) {
    #expect(refusal(Fixtures.formula(packStat: packStat))?.contains("implausible") == true)
  }

  @Test("an API that leaves no room for filler is refused, naming a size that fits")
  func noRoom() {
    // Size 5 (0.13 mL) of Avicel: pack stat 40 mg; 45 mg of API cannot fit. Size 4 holds 40 x 0.21 / 0.13
    // = 64.6 mg, more than 45 mg with a quarter to spare.
    let message = refusal(Fixtures.formula(strength: "45", size: "5", packStat: "40", shell: nil))
    #expect(message?.contains("leaves no room for filler") == true)
    #expect(message?.contains("name size 4") == true)
  }

  @Test("shells of another size, an unknown filler or BUD category are refused")
  func mismatches() {
    #expect(refusal(Fixtures.formula(size: "0", packStat: "320"))?.contains("size 1, the formula is size 0") == true)
    #expect(refusal(Fixtures.formula(filler: "NOPE"))?.contains("not in the catalog") == true)
    var formula = Fixtures.formula()
    formula.budCategory = "forever"
    #expect(refusal(formula)?.contains("unknown") == true)
    formula = Fixtures.formula()
    formula.stabilityDays = 360
    #expect(refusal(formula)?.contains("go together") == true)
  }
}
