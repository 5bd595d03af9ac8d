import Formulation
import Foundation
import Quantities
import Settings
import Testing

/// Balances (USP <41>), triturations, yield against the powder's capsules, lots with a future, certificates.
@Suite("The bench")
struct BenchTests {
  static func balance(_ d: String, sd: String? = nil) -> Balance {
    Balance(
      id: "B", model: "test", readability: Fixtures.mg(d), capacity: Fixtures.mg("220000"),
      repeatabilitySdMg: sd.map(Fixtures.decimal), device: nil)
  }

  @Test(
    "minimum weight is max(2000 s, 820 d)",
    arguments: [
      ("0.1", nil, "82"), ("0.01", nil, "8.2"), ("1", nil, "820"), ("0.1", "0.03", "82"), ("0.1", "0.05", "100"),
      ("0.01", "0.0041", "8.2"), ("0.01", "0.006", "12"), ("0.001", "0.0004", "0.82"),
    ] as [(String, String?, String)])
  func minimumWeight(d: String, sd: String?, expected: String) {
    #expect(Self.balance(d, sd: sd).minimumWeight == Fixtures.mg(expected))
  }

  @Test("the shipped balance B1 reads 0.1 mg and has a minimum weight of 82 mg")
  func shippedBalance() throws {
    let b1 = try Settings.defaults.balance(nil)
    #expect(b1.id == "B1")
    #expect(b1.readability == Fixtures.mg("0.1"))
    #expect(b1.minimumWeight == Fixtures.mg("82"))
    #expect(
      b1.refusal(weighing: Fixtures.mg("8.3"), what: "NALTREXONE-HCL 8.3 mg")?.contains("minimum weight 82.0 mg")
        == true)
    #expect(b1.refusal(weighing: Fixtures.mg("82"), what: "x") == nil)
  }

  @Test("a balance check passes within the tolerance and fails outside it; the weight must suit the capacity")
  func balanceCheck() throws {
    let b1 = try Settings.defaults.balance("b1")
    let tolerance = Fixtures.decimal("0.10")
    let good = try BalanceCheck.evaluate(
      balance: b1, testWeight: Fixtures.mg("100000"), reading: Fixtures.mg("100099.9"), tolerancePercent: tolerance)
    #expect(good.passed)
    let bad = try BalanceCheck.evaluate(
      balance: b1, testWeight: Fixtures.mg("100000"), reading: Fixtures.mg("100100.1"), tolerancePercent: tolerance)
    #expect(!bad.passed)
    #expect(bad.summary().hasSuffix("FAIL"))
    #expect(throws: FormulationError.self) {
      try BalanceCheck.evaluate(
        balance: b1, testWeight: Fixtures.mg("10000"), reading: Fixtures.mg("10000"), tolerancePercent: tolerance)
    }
  }

  static let balanceB1 = balance("0.1", sd: "0.03")

  @Test("0.25 mg x 30 is flagged below the minimum weight, with the 1 in 10 trituration that fixes it")
  func belowMinimumFlagged() throws {
    let formula = Fixtures.formula(code: "LDN025", strength: "0.25")
    let plan = try WeighingPlanner.plan(
      PlanRequest(
        formula: formula, formulaVersion: 1, quantity: 30, today: Fixtures.today, ingredients: Fixtures.catalog,
        lots: [
          Fixtures.lot("NX", Fixtures.naltrexone, assay: "100.0"), Fixtures.lot("AV", Fixtures.avicel),
          Fixtures.lot("CP", Fixtures.shells, onHand: 1000),
        ], balance: Self.balanceB1),
      rules: Fixtures.rules)
    #expect(plan.component(.api)?.quantity == 8250)
    let line = try #require(plan.belowMinimum.first)
    #expect(line.contains("8.25 mg is below the minimum weight 82.0 mg of balance B"))
    #expect(line.contains("1 in 10 trituration"))
    #expect(line.contains("82.5 mg of trituration"))
    #expect(Trituration.proposedParts(for: Fixtures.mg("8.25"), minimumWeight: Fixtures.mg("82")) == 10)
    #expect(Trituration.proposedParts(for: Fixtures.mg("4"), minimumWeight: Fixtures.mg("82")) == 25)
    #expect(Trituration.proposedParts(for: Fixtures.mg("150"), minimumWeight: Fixtures.mg("82")) == 10)
  }

  static let ntxT10 = Trituration(
    code: "NTX-T10", name: "Naltrexone HCl 1 in 10", api: "NALTREXONE-HCL", diluent: "AVICEL-PH102", parts: 10,
    budCategory: "other-nonaqueous", storage: "Room temperature", instructions: "Geometric dilution")

  @Test("a trituration brings the weighed mass above the minimum weight, at the potency its weighings give")
  func triturationFixesSmallMass() throws {
    let lots = [
      Fixtures.lot("NX", Fixtures.naltrexone, assay: "99.6", basis: .anhydrous, water: "0.4"),
      Fixtures.lot("AV", Fixtures.avicel, expiry: "2027-03-31"),
    ]
    let plan = try TriturationPlan.plan(
      Self.ntxT10, version: 1, mass: Fixtures.mg("2000"), ingredients: Fixtures.catalog, lots: lots, lotChoices: [:],
      balance: Self.balanceB1, rules: Fixtures.rules, today: Fixtures.today)
    #expect(plan.components.map(\.quantity) == [200_000, 1_800_000])
    // The BUD is capped by the diluent's expiry, before 180 days.
    #expect(plan.beyondUseDate.date == Fixtures.date("2027-03-31"))
    let record = try TriturationRecord.make(
      plan: plan, weighed: ["api": Fixtures.mg("200.3"), "DILUENT": Fixtures.mg("1800.4")],
      apiPotency: try #require(lots[0].potency), balance: Self.balanceB1, sources: [:],
      onHand: ["NX": 5_000_000_000, "AV": 5_000_000_000], deviation: nil)
    // 0.996 x 0.996 x 200.3 / 2000.7 x 100 = 9.93155... %
    #expect(record.potencyPercent == Fixtures.decimal("9.9316"))
    #expect(record.apiFraction == Fixtures.decimal("0.100115"))
    // Too little trituration would put its API under the minimum weight.
    #expect(throws: FormulationError.self) {
      try TriturationPlan.plan(
        Self.ntxT10, version: 1, mass: Fixtures.mg("500"), ingredients: Fixtures.catalog, lots: lots,
        lotChoices: [:], balance: Self.balanceB1, rules: Fixtures.rules, today: Fixtures.today)
    }
    // The capsule plan weighs the trituration lot instead of the API, above the minimum weight.
    var trituration = Fixtures.lot("T1", Fixtures.naltrexone, expiry: "2027-03-31", assay: "9.9316")
    trituration.triturationParts = 10
    trituration.apiFraction = record.apiFraction
    trituration.triturationDiluent = "AVICEL-PH102"
    let capsules = try WeighingPlanner.plan(
      PlanRequest(
        formula: Fixtures.formula(code: "LDN025", strength: "0.25"), formulaVersion: 1, quantity: 30,
        today: Fixtures.today, ingredients: Fixtures.catalog,
        lots: lots + [trituration, Fixtures.lot("CP", Fixtures.shells, onHand: 1000)], balance: Self.balanceB1),
      rules: Fixtures.rules)
    let api = try #require(capsules.component(.api))
    #expect(api.lotNumber == "T1")
    #expect(api.quantity == 83_068)  // 8.25 mg / 0.099316
    #expect(capsules.belowMinimum.isEmpty)
    // A 4.5 mg batch still weighs the pure API, not the trituration.
    let standard = try WeighingPlanner.plan(
      PlanRequest(
        formula: Fixtures.formula(), formulaVersion: 1, quantity: 30, today: Fixtures.today,
        ingredients: Fixtures.catalog, lots: lots + [trituration, Fixtures.lot("CP", Fixtures.shells, onHand: 1000)],
        balance: Self.balanceB1),
      rules: Fixtures.rules)
    #expect(standard.component(.api)?.lotNumber == "NX")
    // A trituration in another diluent (lactose here) would put an excipient the formula does not name into the
    // capsules: first-expiry-first-out passes it over, and naming it is refused.
    var inLactose = trituration
    inLactose.lotNumber = "T-LACTOSE"
    inLactose.triturationDiluent = "LACTOSE"
    let small = PlanRequest(
      formula: Fixtures.formula(code: "LDN025", strength: "0.25"), formulaVersion: 1, quantity: 30,
      today: Fixtures.today, ingredients: Fixtures.catalog,
      lots: lots + [inLactose, Fixtures.lot("CP", Fixtures.shells, onHand: 1000)], balance: Self.balanceB1)
    let passedOver = try WeighingPlanner.plan(small, rules: Fixtures.rules)
    #expect(passedOver.component(.api)?.lotNumber == "NX")
    #expect(!passedOver.belowMinimum.isEmpty)
    let named = PlanRequest(
      formula: Fixtures.formula(code: "LDN025", strength: "0.25"), formulaVersion: 1, quantity: 30,
      today: Fixtures.today, ingredients: Fixtures.catalog, lots: small.lots, lotChoices: ["api": "T-LACTOSE"],
      balance: Self.balanceB1)
    #expect {
      try WeighingPlanner.plan(named, rules: Fixtures.rules)
    } throws: {
      ($0 as? FormulationError)?.message.contains("is diluted in LACTOSE, not in LDN025's filler AVICEL-PH102") == true
    }
  }

  @Test("a mass below the minimum weight weighed directly is refused by the record check")
  func recordRefusesSmallMass() throws {
    let plan = try Fixtures.plan(
      Fixtures.formula(code: "LDN025", strength: "0.25"),
      lots: [
        Fixtures.lot("NX", Fixtures.naltrexone), Fixtures.lot("AV", Fixtures.avicel),
        Fixtures.lot("CP", Fixtures.shells, onHand: 1000),
      ])
    let onHand: [String: Int64] = ["NX": 5_000_000_000, "AV": 5_000_000_000, "CP": 1000]
    let masses = ["api": Fixtures.mg("8.25"), "filler": Fixtures.mg("7911.75")]
    #expect(throws: FormulationError.self) {
      try BatchRecordCheck.check(
        plan: plan, weighed: masses, actualYield: 33, deviation: nil, onHand: onHand, rules: Fixtures.rules,
        balance: Self.balanceB1)
    }
    // The same masses on a balance reading 0.001 mg (minimum 0.82 mg) pass.
    let micro = Self.balance("0.001")
    let check = try BatchRecordCheck.check(
      plan: plan, weighed: masses, actualYield: 33, deviation: nil, onHand: onHand, rules: Fixtures.rules,
      balance: micro, sources: ["NALTREXONE-HCL": "balance B (serial 1)"])
    #expect(check.components.map(\.source) == ["balance B (serial 1)", "typed", nil])
  }

  @Test("yield is judged against the capsules the powder was made for; shells are consumed as used")
  func yieldAgainstPowder() throws {
    let plan = try Fixtures.plan(
      quantity: 90,
      lots: [
        Fixtures.lot("NX", Fixtures.naltrexone), Fixtures.lot("AV", Fixtures.avicel),
        Fixtures.lot("CP", Fixtures.shells, onHand: 1000),
      ])
    #expect(plan.capsules == 99)
    let onHand: [String: Int64] = ["NX": 5_000_000_000, "AV": 5_000_000_000, "CP": 1000]
    let masses = [
      "api": Mass(micrograms: try #require(plan.component(.api)).quantity),
      "filler": Mass(micrograms: try #require(plan.component(.filler)).quantity),
    ]
    func check(_ filled: Int, shells: Int? = nil, deviation: String? = nil) throws -> BatchRecordCheck {
      try BatchRecordCheck.check(
        plan: plan, weighed: masses, actualYield: filled, deviation: deviation, onHand: onHand, rules: Fixtures.rules,
        shellsUsed: shells)
    }
    // 99 of 99 and 90 of 99 pass without a deviation; 85 of 99 does not.
    #expect(try check(99).yieldPercent == Fixtures.decimal("100"))
    #expect(try check(90).outOfRange.isEmpty)
    do {
      _ = try check(85)
      Issue.record("85 of 99 passed")
    } catch let error as FormulationError {
      #expect(error.message.contains("85 capsules filled of the 99 the powder was made for"))
      #expect(error.message.contains("count the capsules again"))
    }
    #expect(try check(85, deviation: "spilled").outOfRange.count == 1)
    // Shells: as used, never fewer than filled.
    #expect(try check(99, shells: 102).components.last?.measured == 102)
    #expect(try check(99).components.last?.measured == 99)
    #expect(throws: FormulationError.self) { try check(99, shells: 98) }
  }

  @Test("first-expiry-first-out skips a lot expiring within the minimum BUD; naming it needs a reason")
  func lotsWithAFuture() throws {
    let lots = [
      Fixtures.lot("AV-TODAY", Fixtures.avicel, expiry: "2026-11-22"),
      Fixtures.lot("AV-SOON", Fixtures.avicel, expiry: "2026-12-15"),
      Fixtures.lot("AV-LATER", Fixtures.avicel, expiry: "2027-12-31"),
      Fixtures.lot("NX", Fixtures.naltrexone), Fixtures.lot("CP", Fixtures.shells, onHand: 1000),
    ]
    let plan = try Fixtures.plan(lots: lots)
    #expect(plan.component(.filler)?.lotNumber == "AV-LATER")
    #expect(plan.beyondUseDate.date > Fixtures.today.adding(days: 30))
    #expect(throws: FormulationError.self) { try Fixtures.plan(lots: lots, choices: ["filler": "AV-TODAY"]) }
    let chosen = try WeighingPlanner.plan(
      PlanRequest(
        formula: Fixtures.formula(), formulaVersion: 1, quantity: 30, today: Fixtures.today,
        ingredients: Fixtures.catalog, lots: lots, lotChoices: ["filler": "AV-SOON"],
        shortDatedReason: "a 14-day trial supply"),
      rules: Fixtures.rules)
    #expect(chosen.beyondUseDate.date == Fixtures.date("2026-12-15"))
    #expect(chosen.warnings.contains { $0.contains("a 14-day trial supply") })
    // With only short-dated lots, the message names one and the way to use it.
    do {
      _ = try Fixtures.plan(lots: Array(lots[0..<2]) + Array(lots[3...]))
      Issue.record("a short-dated lot was chosen silently")
    } catch let error as FormulationError {
      #expect(error.message.contains("--short-dated-reason"))
    }
  }

  @Test("an as-is certificate with no water is refused against anhydrous limits, or held to as-is ones")
  func asIsCertificate() {
    let range = InclusiveRange(minimum: Fixtures.number("98.0"), maximum: Fixtures.number("102.0"))
    let anhydrous = CertificateLimit(name: "Naltrexone HCl USP", match: [], range: range, basis: .anhydrous)
    let asIs = Fixtures.lot("NX", Fixtures.naltrexone, assay: "97.5")
    #expect(anhydrous.refusal(of: asIs)?.contains("no water content") == true)
    var withWater = asIs
    withWater.waterPercent = Fixtures.number("0.8")
    #expect(anhydrous.refusal(of: withWater) == nil)  // 97.5 / 0.992 = 98.29 % anhydrous
    var limits = anhydrous
    limits.asIsRange = InclusiveRange(minimum: Fixtures.number("96.0"), maximum: Fixtures.number("102.0"))
    #expect(limits.refusal(of: asIs) == nil)
    #expect(limits.refusal(of: Fixtures.lot("NX", Fixtures.naltrexone, assay: "95.0"))?.contains("as-is") == true)
  }

  @Test("another container of a received supplier lot shares its certificate; a different expiry is refused")
  func secondContainer() throws {
    let first = Fixtures.lot("R1", Fixtures.naltrexone, assay: "99.6", basis: .anhydrous, water: "0.4")
    let receipt = LotReceipt(
      ingredientCode: "NALTREXONE-HCL", supplier: "Medisca", supplierLot: "S-R1", expiry: first.expiry,
      quantity: 5_000_000, assayPercent: nil, assayBasis: nil, waterPercent: nil, cost: nil)
    let shared = try receipt.sharingCertificate(of: first)
    #expect(shared.assayPercent == first.assayPercent)
    #expect(shared.waterPercent == first.waterPercent)
    #expect(shared.refusal(kind: .api, today: Fixtures.today) == nil)
    var later = receipt
    later.expiry = Fixtures.date("2029-01-31")
    #expect(throws: FormulationError.self) { try later.sharingCertificate(of: first) }
    var other = receipt
    other.assayPercent = Fixtures.number("98.0")
    #expect(throws: FormulationError.self) { try other.sharingCertificate(of: first) }
  }
}
