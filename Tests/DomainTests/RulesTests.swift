import Accounts
import Formulation
import Foundation
import Quality
import Quantities
import Settings
import Testing

/// The rules that once lived in the store: release, who signs what, stock changes, money rounding.
@Suite("Rules decided in the domain")
struct RulesTests {
  static let policy = Settings.defaults.qualityPolicy
  static let released = ReleaseFacts.Consumed(lotNumber: "R1", ingredient: "AVICEL-PH102", status: .released)

  func facts(
    verified: Bool = true, weights: Bool? = true, bud: String = "2027-05-21",
    consumed: [ReleaseFacts.Consumed] = [released]
  ) -> ReleaseFacts {
    ReleaseFacts(
      lotNumber: "LDN45-261122-01", verified: verified, weightCheckPassed: weights,
      beyondUseDate: Fixtures.date(bud), latestAssay: nil, consumed: consumed)
  }

  @Test("release needs a verified record, a passing weight check, a BUD not past, and every ingredient lot usable")
  func release() {
    var policy = Self.policy
    policy.requireAssayBeforeRelease = false
    let today = Fixtures.today
    #expect(BatchRelease.refusal(facts(), policy: policy, today: today) == nil)
    #expect(
      BatchRelease.refusal(facts(verified: false), policy: policy, today: today)?.contains("not verified") == true)
    #expect(BatchRelease.refusal(facts(weights: nil), policy: policy, today: today)?.contains("is missing") == true)
    #expect(BatchRelease.refusal(facts(weights: false), policy: policy, today: today)?.contains("failed") == true)
    // Usable through the BUD itself, not a day after.
    #expect(BatchRelease.refusal(facts(bud: "2026-11-22"), policy: policy, today: today) == nil)
    #expect(
      BatchRelease.refusal(facts(bud: "2026-11-21"), policy: policy, today: today)?.contains("past its beyond-use")
        == true)
    for status in [LotStatus.onHold, .recalled, .rejected] {
      let held = ReleaseFacts.Consumed(lotNumber: "R2", ingredient: "NALTREXONE-HCL", status: status)
      let refusal = BatchRelease.refusal(facts(consumed: [Self.released, held]), policy: policy, today: today)
      #expect(refusal?.contains("it used NALTREXONE-HCL lot R2") == true, "\(status)")
    }
    let expired = ReleaseFacts.Consumed(lotNumber: "R3", ingredient: "CAPS-1", status: .expired)
    #expect(BatchRelease.refusal(facts(consumed: [expired]), policy: policy, today: today) == nil)
    policy.requireAssayBeforeRelease = true
    #expect(BatchRelease.refusal(facts(), policy: policy, today: today)?.contains("no assay is on record") == true)
  }

  @Test("only a pharmacist signs a pharmacist's duty; nobody checks their own work by another name or a known PIN")
  func signing() {
    let chen = User(id: "dchen", name: "David Chen, PharmD", role: .pharmacist)
    let torres = User(id: "mtorres", name: "Maria Torres, CPhT", role: .technician)
    #expect(SigningRules.refusal(chen, for: .verifyBatch) == nil)
    #expect(
      SigningRules.refusal(torres, for: .verifyBatch)
        == "mtorres is a technician: only a pharmacist verifies a compounding record")
    #expect(SigningRules.sameSigner(checker: chen, first: Signer(login: "DChen", name: "x", pinKnownTo: nil)) != nil)
    #expect(
      SigningRules.sameSigner(checker: chen, first: Signer(login: "dc2", name: "david  CHEN", pinKnownTo: nil))
        == "dchen and dc2 are the same person (david  CHEN)")
    #expect(
      SigningRules.sameSigner(checker: chen, first: Signer(login: "mtorres", name: "Maria", pinKnownTo: "DCHEN"))
        != nil)
    #expect(
      SigningRules.sameSigner(checker: chen, first: Signer(login: "mtorres", name: "Maria", pinKnownTo: nil)) == nil)
    #expect(SigningRules.pinRefusal(signer: torres, target: torres) == nil)
    #expect(SigningRules.pinRefusal(signer: torres, target: chen) != nil)
    #expect(SigningRules.firstUserRefusal(torres) != nil && SigningRules.firstUserRefusal(chen) == nil)
  }

  @Test("five wrong PINs lock for fifteen minutes from the last, and not a second longer")
  func lockout() {
    let policy = SigningPolicy(attempts: 5, minutes: 15)
    let last = Date(timeIntervalSince1970: 1_000_000)
    #expect(policy.lockedUntil(failures: 4, lastFailure: last, now: last) == nil)
    #expect(policy.lockedUntil(failures: 5, lastFailure: last, now: last.addingTimeInterval(899)) != nil)
    #expect(policy.lockedUntil(failures: 5, lastFailure: last, now: last.addingTimeInterval(900)) == nil)
    #expect(policy.attemptsLeft(afterFailures: 3) == 1)
  }

  @Test("a stock change: never zero, never below zero, a waste is unsigned and witnessed, a reason always")
  func stockChange() throws {
    #expect(
      try StockChange.delta(kind: .adjusted, amount: 5, negative: true, onHand: 10, unit: .count, lotNumber: "L")
        == -5)
    #expect(
      try StockChange.delta(kind: .wasted, amount: 5, negative: false, onHand: 10, unit: .count, lotNumber: "L")
        == -5)
    #expect(throws: FormulationError.self) {
      try StockChange.delta(kind: .wasted, amount: 5, negative: true, onHand: 10, unit: .count, lotNumber: "L")
    }
    #expect(throws: FormulationError.self) {
      try StockChange.delta(kind: .adjusted, amount: 11, negative: true, onHand: 10, unit: .count, lotNumber: "L")
    }
    #expect(throws: FormulationError.self) {
      try StockChange.delta(kind: .received, amount: 1, negative: false, onHand: 10, unit: .count, lotNumber: "L")
    }
    #expect(StockChange.refusal(kind: .wasted, reason: "dropped", hasWitness: false)?.contains("witness") == true)
    #expect(StockChange.refusal(kind: .adjusted, reason: "  ", hasWitness: false)?.contains("--reason") == true)
    #expect(StockChange.refusal(kind: .wasted, reason: "dropped", hasWitness: true) == nil)
  }

  @Test("money rounds once, half up, to the cent; a share of a lot's cost is cost x part / whole")
  func money() {
    #expect(Money.rounding(cents: Fixtures.decimal("728.5")).cents == 729)
    #expect(Money.rounding(cents: Fixtures.decimal("728.49999")).cents == 728)
    // 185.00 for 5 g; 1.5 g left is worth 55.50; a third of a cent is not lost by dividing first.
    #expect(Money.share(of: Money(cents: 18_500), part: 1_500_000, whole: 5_000_000).cents == 5550)
    #expect(Money.share(of: Money(cents: 100), part: 1, whole: 3).cents == 33)
    #expect(Money.share(of: Money(cents: 100), part: 2, whole: 3).cents == 67)
  }

  @Test("counted ingredients are stocked in pieces, weighed ones in micrograms")
  func stockUnits() {
    #expect(IngredientKind.allCases.map(\.stockUnit) == [.mass, .mass, .count, .count])
  }
}
