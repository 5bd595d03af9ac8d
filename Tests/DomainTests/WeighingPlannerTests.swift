import Formulation
import Foundation
import Quantities
import Testing

@Suite("The weighing plan: capsules, salt and potency corrections, filler, fill window, lots, BUD")
struct WeighingPlannerTests {
  @Test("LDN 4.5 mg x 30 with 10 % extra, as-is assay 99.1 %: hand-checked masses")
  func standardPlan() throws {
    let plan = try Fixtures.plan(lots: Fixtures.standardLots)
    #expect(plan.extraCapsules == 3)
    #expect(plan.capsules == 33)
    // 4.5 mg x 33 / 0.991 = 149.8486... mg
    #expect(plan.component(.api)?.quantity == 149_849)
    // per capsule 149.849 / 33 = 4.540879 mg; filler 240 - 4.540879 = 235.459121 mg; x 33 = 7770.151 mg
    #expect(plan.component(.filler)?.quantity == 7_770_151)
    #expect(plan.component(.shell)?.quantity == 33)
    #expect(plan.theoreticalFill == Fixtures.mg("240"))
    #expect(plan.fillMinimum == Fixtures.mg("216"))
    #expect(plan.fillMaximum == Fixtures.mg("264"))
    // 5 % tolerance: 142.35655 -> 142.357 (rounded up) to 157.34145 -> 157.341 (rounded down)
    #expect(plan.component(.api)?.minimum == 142_357)
    #expect(plan.component(.api)?.maximum == 157_341)
  }

  @Test("a strength written as base is converted with 377.86 / 341.4 and the plan says so")
  func baseStrength() throws {
    let plan = try Fixtures.plan(
      Fixtures.formula(basis: .base),
      lots: [Fixtures.lot("R-API", Fixtures.naltrexone)] + Fixtures.standardLots.dropFirst())
    // 4.5 x 1.1067955... x 33 / 1.000 = 164.3591 mg
    #expect(plan.component(.api)?.quantity == 164_359)
    #expect(plan.calculations.contains { $0.contains("377.86 / 341.4") })
  }

  @Test("an anhydrous assay is corrected for water: 99.6 % anhydrous with 0.4 % water")
  func anhydrousAssay() throws {
    let lots =
      [Fixtures.lot("R-API", Fixtures.naltrexone, assay: "99.6", basis: .anhydrous, water: "0.4")]
      + Fixtures.standardLots.dropFirst()
    let plan = try Fixtures.plan(lots: lots)
    // potency 0.996 x 0.996 = 0.992016; 148.5 / 0.992016 = 149.6952 mg
    #expect(plan.component(.api)?.quantity == 149_695)
  }

  @Test(
    "extra capsules are the percent rounded up to a whole capsule",
    arguments: [(30, 3), (25, 3), (10, 1), (1, 1), (100, 10), (101, 11)])
  func extraCapsules(quantity: Int, extra: Int) {
    #expect(Fixtures.formula().extraCapsules(for: quantity) == extra)
  }

  @Test("a known API density displaces filler by the density ratio")
  func densityRatio() throws {
    var api = Fixtures.naltrexone
    api.density = Fixtures.number("0.5")
    var avicel = Fixtures.avicel
    avicel.density = Fixtures.number("0.3")
    let plan = try Fixtures.plan(
      Fixtures.formula(strength: "1.5"), lots: [Fixtures.lot("R-API", api)] + Fixtures.standardLots.dropFirst(),
      catalog: [api, avicel, Fixtures.shells])
    // API 1.5 x 33 = 49.5 mg (1.5 mg a capsule); filler 240 - 1.5 x 0.3 / 0.5 = 239.1 mg a capsule
    #expect(plan.component(.api)?.quantity == 49_500)
    #expect(plan.component(.filler)?.quantity == 7_890_300)
    #expect(plan.theoreticalFill == Fixtures.mg("240.6"))
    #expect(plan.calculations.contains("filler: pack stat 240.0 mg x 33 capsules - API 49.5 mg x 0.6 = 7890.3 mg"))
  }

  @Test("the filler line adds up as printed, whatever the capsule count (the record's arithmetic is checkable)")
  func fillerLineAddsUp() throws {
    for quantity in [30, 90, 700, 900] {
      let plan = try Fixtures.plan(Fixtures.formula(strength: "4.5"), quantity: quantity, lots: Fixtures.standardLots)
      let line = try #require(plan.calculations.first { $0.hasPrefix("filler: pack stat") })
      // "filler: pack stat P mg x N capsules - API A mg x R = F mg"
      let numbers = line.split(separator: " ").compactMap { Decimal.exact(String($0)) }
      try #require(numbers.count == 5, "\(line)")
      #expect(numbers[0] * numbers[1] - numbers[2] * numbers[3] == numbers[4], "\(line)")
    }
  }

  @Test("lots are chosen first-expiry-first-out among released, unexpired lots with enough stock")
  func firstExpiryFirstOut() throws {
    let lots = [
      Fixtures.lot("LATE", Fixtures.naltrexone, expiry: "2028-12-31"),
      Fixtures.lot("QUARANTINED", Fixtures.naltrexone, expiry: "2027-01-31", status: .quarantined),
      Fixtures.lot("EXPIRED", Fixtures.naltrexone, expiry: "2026-11-21"),
      Fixtures.lot("SHORT", Fixtures.naltrexone, expiry: "2027-02-28", onHand: 100_000),
      Fixtures.lot("ON-HOLD", Fixtures.naltrexone, expiry: "2027-03-31", status: .onHold),
      Fixtures.lot("SOONEST", Fixtures.naltrexone, expiry: "2027-06-30"),
    ]
    let plan = try Fixtures.plan(lots: lots + Fixtures.standardLots.dropFirst())
    #expect(plan.component(.api)?.lotNumber == "SOONEST")
  }

  @Test("a lot that expires today is used only when named with a reason; one that expired yesterday never")
  func expiryDay() throws {
    let today = Fixtures.lot("TODAY", Fixtures.naltrexone, expiry: "2026-11-22")
    #expect(throws: FormulationError.self) { try Fixtures.plan(lots: [today] + Fixtures.standardLots.dropFirst()) }
    let plan = try WeighingPlanner.plan(
      PlanRequest(
        formula: Fixtures.formula(), formulaVersion: 1, quantity: 30, today: Fixtures.today,
        ingredients: Fixtures.catalog, lots: [today] + Fixtures.standardLots.dropFirst(),
        lotChoices: ["api": "TODAY"], shortDatedReason: "the last of this lot, for a 1-day supply"),
      rules: Fixtures.rules)
    #expect(plan.component(.api)?.lotNumber == "TODAY")
    #expect(plan.beyondUseDate.date == Fixtures.date("2026-11-22"))
    let yesterday = Fixtures.lot("YESTERDAY", Fixtures.naltrexone, expiry: "2026-11-21")
    #expect(throws: FormulationError.self) {
      try WeighingPlanner.plan(
        PlanRequest(
          formula: Fixtures.formula(), formulaVersion: 1, quantity: 30, today: Fixtures.today,
          ingredients: Fixtures.catalog, lots: [yesterday] + Fixtures.standardLots.dropFirst(),
          lotChoices: ["api": "YESTERDAY"], shortDatedReason: "none"),
        rules: Fixtures.rules)
    }
  }

  @Test("a named lot is checked: quarantined, expired, short, or another ingredient's lot is refused")
  func namedLots() {
    let lots =
      [
        Fixtures.lot("Q", Fixtures.naltrexone, status: .quarantined),
        Fixtures.lot("X", Fixtures.naltrexone, expiry: "2026-10-31"),
        Fixtures.lot("S", Fixtures.naltrexone, onHand: 1_000),
        Fixtures.lot("REJ", Fixtures.naltrexone, status: .rejected),
      ] + Fixtures.standardLots
    for (name, fragment) in [
      ("Q", "quarantined"), ("X", "expired"), ("S", "on hand"), ("REJ", "rejected"), ("R-AVI", "not NALTREXONE-HCL"),
      ("NOPE", "does not exist"),
    ] {
      #expect {
        try Fixtures.plan(lots: lots, choices: ["NALTREXONE-HCL": name])
      } throws: { error in
        (error as? FormulationError)?.message.contains(fragment) == true
      }
    }
  }

  @Test("no usable lot names the quarantined one waiting for release")
  func noUsableLot() {
    let lots = [Fixtures.lot("WAITING", Fixtures.naltrexone, status: .quarantined)] + Fixtures.standardLots.dropFirst()
    #expect {
      try Fixtures.plan(lots: Array(lots))
    } throws: { error in
      (error as? FormulationError)?.message.contains("WAITING is quarantined") == true
    }
  }

  @Test("BUD: 180 days from the compounding day (day 0), or 179 with day 1")
  func budCategoryDays() throws {
    let plan = try Fixtures.plan(lots: Fixtures.standardLots)
    #expect(plan.beyondUseDate.date == Fixtures.date("2027-05-21"))
    #expect(plan.beyondUseDate.basis.contains("180 days"))
    var rules = Fixtures.rules
    rules.dayConvention = .day1
    #expect(
      try Fixtures.plan(lots: Fixtures.standardLots, rules: rules).beyondUseDate.date == Fixtures.date("2027-05-20"))
  }

  @Test("BUD is capped by the earliest component expiry, and names that lot")
  func budCappedByExpiry() throws {
    let lots = [
      Fixtures.lot("R-API", Fixtures.naltrexone, assay: "99.1"),
      Fixtures.lot("R-AVI", Fixtures.avicel, expiry: "2027-01-31", assay: nil),
      Fixtures.lot("R-CAP", Fixtures.shells, onHand: 1000, assay: nil),
    ]
    let plan = try Fixtures.plan(lots: lots)
    #expect(plan.beyondUseDate.date == Fixtures.date("2027-01-31"))
    #expect(plan.beyondUseDate.basis.contains("AVICEL-PH102 lot R-AVI"))
  }

  @Test("a cited stability study sets the days instead of the category")
  func citedStability() throws {
    let formula = Fixtures.formula(stability: ("Cote et al. 2018", 360))
    let plan = try Fixtures.plan(formula, lots: Fixtures.standardLots)
    #expect(plan.beyondUseDate.date == Fixtures.date("2027-11-17"))
    #expect(plan.beyondUseDate.basis.contains("Cote et al. 2018"))
  }

  @Test("a quantity that is not a positive whole number of capsules is refused", arguments: [0, -1, 100_001])
  func badQuantity(quantity: Int) {
    #expect(throws: FormulationError.self) { try Fixtures.plan(quantity: quantity, lots: Fixtures.standardLots) }
  }
}
