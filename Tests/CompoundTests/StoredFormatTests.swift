import Dispensing
import Formulation
import Foundation
import Pricing
import Quality
import Quantities
import Testing

@testable import Store

/// Records written by earlier releases, frozen in `Fixtures/`, read by this one.
@Suite("Stored records stay readable: every format and every earlier database")
struct StoredFormatTests {
  static let fixtures = Pharmacy.repository.appendingPathComponent("Tests/CompoundTests/Fixtures")

  static func fixture(_ format: Int, _ name: String) throws -> String {
    try String(
      contentsOf: fixtures.appendingPathComponent("records/format\(format)/\(name).json"), encoding: .utf8
    ).trimmingCharacters(in: .newlines)
  }

  /// Reads the fixture `name` in formats 1 and 2 with `R`: both give the same value, and writing it again
  /// gives format 2's fixture byte for byte.
  func check<R: StoredFormat>(_ type: R.Type, _ name: String) throws -> R.Value where R.Value: Equatable {
    let first = try R.read(try Self.fixture(1, name))
    let second = try R.read(try Self.fixture(2, name))
    #expect(first == second, "\(name): format 1 and format 2 of the same record read differently")
    #expect(try R.text(second) == (try Self.fixture(2, name)), "\(name): format 2 is no longer written as frozen")
    return second
  }

  @Test("each stored kind reads in format 1 (the first releases) and format 2, and format 2 is written as frozen")
  func everyKindEveryFormat() throws {
    let plan = try check(PlanRecord.self, "plan")
    #expect(plan.component(.api)?.quantity == 449_546)
    #expect(plan.beyondUseDate.date.description == "2027-06-01")
    let recordCheck = try check(RecordCheckRecord.self, "record-check")
    #expect(recordCheck.components.map(\.measured) == [450_700, 23_287_100, 90])
    let weights = try check(WeightCheckRecord.self, "weight-check")
    #expect(weights.meanNet.micrograms == 240_050 && weights.capsules.count == 10)
    let assay = try check(AssayRecord.self, "assay")
    #expect(assay.percent == Decimal(string: "99.2") && assay.uniformity?.avRounded == Decimal(string: "2.8"))
    let decision = try check(FillDecisionRecord.self, "fill-decision")
    #expect(decision.overridden.count == 2 && decision.lastDayOfSupply.description == "2027-01-01")
    let price = try check(PriceRecord.self, "price")
    #expect(price.total.cents == 2799 && price.lines.count == 4)
    let steps = try check(StepsRecord.self, "steps")
    #expect(steps.map(\.quantity) == [30])
    let formula = try check(FormulaRecord.self, "formula")
    #expect(formula.strength.micrograms == 4500 && formula.labelName == "Naltrexone HCl 4.5 mg capsule")
  }

  @Test("format 1 numbers keep every digit: a 38-digit uniformity figure and money as text")
  func formatOneDigits() throws {
    let assay = try AssayRecord.read(try Self.fixture(1, "assay"))
    #expect(assay.uniformity?.av.description == "2.84253408071037909939418589752561653602")
    let price = try PriceRecord.read(try Self.fixture(1, "price"))
    #expect(price.lines.first?.cents?.description == "728.63166666666666666666666666666666665")
  }

  @Test("a record from a newer compound, a corrupt record and an unknown value are refused by name, never guessed")
  func refusals() throws {
    let plan = try Self.fixture(2, "plan")
    let newer = plan.replacingOccurrences(of: "\"format\":2", with: "\"format\":3")
    #expect(throws: StoreError.self) { try PlanRecord.read(newer) }
    do {
      _ = try PlanRecord.read(newer)
    } catch {
      #expect(error.code == .newerFormat && error.message.contains("format 3"))
    }
    let missing = plan.replacingOccurrences(of: "\"capsules\":99,", with: "")
    do {
      _ = try PlanRecord.read(missing)
      Issue.record("a plan without its capsule count was read")
    } catch {
      #expect(error.code == .corrupt && error.message.contains("no 'capsules'"))
    }
    let unknownRole = plan.replacingOccurrences(of: "\"role\":\"api\"", with: "\"role\":\"catalyst\"")
    do {
      _ = try PlanRecord.read(unknownRole)
      Issue.record("a plan with an unknown component role was read")
    } catch {
      #expect(error.code == .corrupt && error.message.contains("'catalyst'"))
    }
    let badNumber = plan.replacingOccurrences(of: "\"quantity\":\"449546\"", with: "\"quantity\":\"449546x\"")
    #expect(badNumber != plan)
    #expect(throws: StoreError.self) { try PlanRecord.read(badNumber) }
  }

  @Test(
    "the database the 2026-12-03 release made opens, verifies, shows its records and takes new ones", Pharmacy.fileOnly)
  func frozenDatabase() throws {
    var pharmacy = try Pharmacy()
    pharmacy.now = "2026-12-04T10:00:00-06:00"
    let frozen = Self.fixtures.appendingPathComponent("databases/format1-schema10")
    try FileManager.default.removeItem(atPath: pharmacy.settings)
    try FileManager.default.copyItem(atPath: frozen.path + ".toml", toPath: pharmacy.settings)
    try FileManager.default.copyItem(atPath: frozen.path + ".sqlite", toPath: pharmacy.database)
    let anchor = frozen.path + "-anchor.json"
    #expect(try pharmacy.ok(["doctor"]).stdout.contains("all checks passed"))
    #expect(try pharmacy.ok(["audit", "verify", "--anchor", anchor]).stdout.contains("the anchor's entry is there"))
    let record = try pharmacy.ok(["batch", "show", "LDN45-261203-01"]).stdout
    for fact in ["449.546 mg", "450.7 mg", "Eagle Analytical Services", "2027-06-01", "240.05"] {
      #expect(record.contains(fact), "the frozen batch record no longer shows \(fact)")
    }
    let fill = try pharmacy.ok(["rx", "show", "600002"]).stdout
    #expect(fill.contains("opioids stopped 14 days ago"))
    #expect(try pharmacy.ok(["rx", "show", "600001"]).stdout.contains("27.99"))
    let workbook = pharmacy.folder.appendingPathComponent("december.xlsx").path
    try pharmacy.ok(["inventory", "export", "--month", "2026-12", "--out", workbook])
    // The old records and new ones side by side: a refill today, then the chain still verifies.
    try pharmacy.ok(["rx", "fill", "600001", "--override", "refill requested early for travel", "--by", "dchen"])
    #expect(try pharmacy.ok(["rx", "show", "600001"]).stdout.contains("27.99"))
    #expect(try pharmacy.ok(["audit", "verify", "--anchor", anchor]).stdout.contains("audit trail intact"))
    #expect(try pharmacy.ok(["doctor"]).stdout.contains("all checks passed"))
  }
}
