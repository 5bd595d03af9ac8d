import Formulation
import Foundation
import Quantities
import Testing

/// The GS1 separator a scanner sends between a variable-length field and the next.
private let gs = "\u{1D}"

/// GS1 element strings as scanners send them (shared/domain.md 15).
@Suite("GS1 scans")
struct GS1ScanTests {
  static let today = Fixtures.date("2026-11-22")

  @Test("GTIN, expiry, lot and serial, with and without the symbology prefix and the separator")
  func fullScan() throws {
    for text in [
      "]d2010030045678901717281231" + "10NX-2406-118" + gs + "21S0041",
      "010030045678901717281231" + "10NX-2406-118" + gs + "21S0041",
      "]C1010030045678901717281231" + "21S0041" + gs + "10NX-2406-118",
      "]Q3" + gs + "0100300456789017" + "17281231" + "10NX-2406-118" + gs + "21S0041" + gs,
    ] {
      let scan = try GS1Scan.parse(text, today: Self.today)
      #expect(scan.gtin == "00300456789017")
      #expect(scan.expiry == Fixtures.date("2028-12-31"))
      #expect(scan.lot == "NX-2406-118")
      #expect(scan.serial == "S0041")
    }
  }

  @Test("a lot at the end of the data needs no separator")
  func lotLast() throws {
    let scan = try GS1Scan.parse("0100300456789017" + "10ABC123", today: Self.today)
    #expect(scan.lot == "ABC123")
    #expect(scan.expiry == nil)
  }

  @Test("expiry day 00 is the month's last day, February of a leap year included")
  func dayZero() throws {
    #expect(try GS1Scan.parse("17280200" + "10L1", today: Self.today).expiry == Fixtures.date("2028-02-29"))
    #expect(try GS1Scan.parse("17270200" + "10L1", today: Self.today).expiry == Fixtures.date("2027-02-28"))
    #expect(try GS1Scan.parse("17261100" + "10L1", today: Self.today).expiry == Fixtures.date("2026-11-30"))
  }

  @Test("two-digit years are read within 49 years back and 50 ahead")
  func century() throws {
    #expect(try GS1Scan.parse("17760101", today: Self.today).expiry == Fixtures.date("2076-01-01"))
    #expect(try GS1Scan.parse("17770101", today: Self.today).expiry == Fixtures.date("1977-01-01"))
  }

  @Test(
    "a bad check digit, a truncated AI, an unknown AI, a bad date and an empty scan are refused",
    arguments: [
      ("0100300456789018" + "10L1", "check digit"),
      ("01003004567890", "cut short"),
      ("0100300456789017" + "1728123", "cut short"),
      ("0100300456789017" + "99XYZ", "application identifier"),
      ("17281331", "not a calendar date"),
      ("]d2", "empty"),
      ("10" + String(repeating: "A", count: 21), "1 to 20"),
      ("10NX" + gs + "10NY", "twice"),
    ])
  func refused(text: String, reason: String) {
    do {
      _ = try GS1Scan.parse(text, today: Self.today)
      Issue.record("\(text.debugDescription) was read")
    } catch let error as FormulationError {
      #expect(error.message.contains(reason), "\(error.message)")
    }
  }

  @Test("a scanned container is checked against the planned lot: lot, GTIN and expiry")
  func containerCheck() throws {
    let component = PlannedComponent(
      role: .api, ingredientCode: "NALTREXONE-HCL", ingredientName: "Naltrexone HCl", lotNumber: "R1",
      supplier: "Medisca", supplierLot: "NX-2406-118", expiry: Fixtures.date("2028-12-31"), unit: .mass,
      quantity: 150_000, minimum: 142_500, maximum: 157_500, perCapsule: nil, calculation: "")
    let right = try GS1Scan.parse("]d2010030045678901717281231" + "10NX-2406-118", today: Self.today)
    #expect(right.refusal(for: component, gtin: "00300456789017") == nil)
    #expect(right.refusal(for: component, gtin: nil) == nil)
    let wrongLot = try GS1Scan.parse("010030045678901717281231" + "10C203117", today: Self.today)
    #expect(wrongLot.refusal(for: component, gtin: nil)?.contains("is lot C203117") == true)
    #expect(right.refusal(for: component, gtin: "10300456789014")?.contains("another product") == true)
    let wrongExpiry = try GS1Scan.parse("010030045678901717290131" + "10NX-2406-118", today: Self.today)
    #expect(wrongExpiry.refusal(for: component, gtin: nil)?.contains("expires 2029-01-31") == true)
    let noLot = try GS1Scan.parse("0100300456789017", today: Self.today)
    #expect(noLot.refusal(for: component, gtin: nil)?.contains("no lot") == true)
  }
}
