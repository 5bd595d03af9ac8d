import Digest
import Foundation
import Quantities
import Testing

@Suite("Masses, money, dates and USP rounding")
struct QuantitiesTests {
  @Test(
    "a mass parses exactly with its unit",
    arguments: [
      ("49.5mg", 49_500), ("9.4 g", 9_400_000), ("500 mcg", 500), ("500ug", 500), ("500 µg", 500),
      ("0.001mg", 1), ("1kg", 1_000_000_000), (" 12 MG ", 12_000),
    ] as [(String, Int64)])
  func massParses(text: String, micrograms: Int64) throws {
    #expect(try Mass.parse(text).micrograms == micrograms)
  }

  @Test(
    "a mass without a unit, with a bad unit, negative or finer than a microgram is refused",
    arguments: ["49.5", "", "mg", "12 lbs", "-3mg", "0.0001mg", "1e3mg", "12abc", "4,5mg", "1.2.3mg"])
  func massRefused(text: String) {
    #expect(throws: QuantityError.self) { try Mass.parse(text) }
  }

  @Test("the unit is named in the refusal of a bare number")
  func bareNumberMessage() {
    #expect(throws: QuantityError("mass '150.4' has no unit: write it as 150.4mg or 150.4g")) {
      try Mass.parse("150.4")
    }
  }

  @Test("masses print in mg with up to three decimals")
  func massDescription() {
    #expect(Mass(micrograms: 149_849).description == "149.849 mg")
    #expect(Mass(micrograms: 240_000).description == "240.0 mg")
    #expect(QuantityDisplay.standard.mass(Mass(micrograms: 7_770_151)) == "7.770151 g")
  }

  @Test("money is whole cents")
  func money() throws {
    #expect(try Money.parse("$185").cents == 18_500)
    #expect(try Money.parse("24.5").cents == 2450)
    #expect(throws: QuantityError.self) { try Money.parse("1.234") }
    #expect(throws: QuantityError.self) { try Money.parse("-5") }
  }

  @Test("dates: impossible ones are refused, month-only means the month's last day")
  func dates() throws {
    #expect(throws: QuantityError.self) { try CalendarDate.parse("2026-02-30") }
    #expect(throws: QuantityError.self) { try CalendarDate.parse("2026-13-01") }
    #expect(throws: QuantityError.self) { try CalendarDate.parse("22/11/2026") }
    #expect(try CalendarDate.parse("2028-02").description == "2028-02-29")
    #expect(try CalendarDate.parse("2027-02").description == "2027-02-28")
    #expect(try CalendarDate.parse("2026-11-22").adding(days: 180).description == "2027-05-21")
    #expect(try CalendarDate.parse("2024-12-31").adding(days: 1).description == "2025-01-01")
    #expect(try CalendarDate.parse("2000-03-01").adding(days: -1).description == "2000-02-29")
  }

  @Test("day numbers round-trip across four centuries")
  func dayNumbers() {
    for day in stride(from: -50_000, through: 100_000, by: 37) {
      #expect(CalendarDate(dayNumber: day).dayNumber == day)
    }
  }

  @Test("today depends on the pharmacy's time zone")
  func todayInZone() throws {
    let instant = try #require(ISO8601DateFormatter().date(from: "2026-11-22T04:30:00Z"))
    let chicago = try #require(TimeZone(identifier: "America/Chicago"))
    let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
    #expect(CalendarDate.today(in: chicago, now: instant).description == "2026-11-21")
    #expect(CalendarDate.today(in: berlin, now: instant).description == "2026-11-22")
  }

  @Test("USP rounding: round once to the limit's decimals, half up, inclusive ends")
  func uspRounding() throws {
    let api = InclusiveRange(minimum: try #require(ExactNumber("98.0")), maximum: try #require(ExactNumber("101.5")))
    #expect(api.contains(Fixtures.decimal("97.95")))
    #expect(!api.contains(Fixtures.decimal("97.94")))
    #expect(api.contains(Fixtures.decimal("101.54")))
    #expect(!api.contains(Fixtures.decimal("101.55")))
    #expect(api.contains(98))
  }

  @Test("decimal text keeps its decimals and refuses what is not a plain number")
  func exactNumbers() {
    #expect(ExactNumber("98.0")?.decimals == 1)
    #expect(ExactNumber("98")?.decimals == 0)
    #expect(ExactNumber("0.33")?.description == "0.33")
    #expect(ExactNumber("12abc") == nil)
    #expect(ExactNumber("1e5") == nil)
    #expect(Fixtures.decimal("2.345").fixed(2) == "2.35")
    #expect(Fixtures.decimal("-2.345").fixed(2) == "-2.35")
    #expect(Decimal(2).squareRoot().fixed(10) == "1.4142135624")
  }

  @Test("SHA-256 matches the FIPS 180-4 examples")
  func sha256() throws {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    // A file is hashed in pieces, to the same digest as its bytes at once.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("compound-sha-\(UUID().uuidString)")
    let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(try SHA256.hex(fileAt: file.path) == SHA256.hex(bytes))
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}

@Suite("One display rule for quantities")
struct QuantityDisplayTests {
  @Test("mg below 1 g and g from 1 g, to the microgram, always with the unit; counts in pieces")
  func standard() {
    let display = QuantityDisplay.standard
    #expect(display.quantity(449_546, .mass) == "449.546 mg")
    #expect(display.quantity(999_999, .mass) == "999.999 mg")
    #expect(display.quantity(1_000_000, .mass) == "1.0 g")
    #expect(display.quantity(23_310_454, .mass) == "23.310454 g")
    #expect(display.quantity(390_916_200, .mass) == "390.9162 g")
    #expect(display.quantity(910, .count) == "910 pcs")
    #expect(StockUnit.mass.format(5_000_000) == "5.0 g")
  }

  @Test("the threshold is a setting: grams from 10 g shows 5 g as 5000 mg")
  func threshold() throws {
    let display = QuantityDisplay(gramsFrom: try Mass.parse("10g"))
    #expect(display.quantity(5_000_000, .mass) == "5000.0 mg")
    #expect(display.quantity(10_000_000, .mass) == "10.0 g")
  }
}
