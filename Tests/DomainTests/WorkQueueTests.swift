import Dispensing
import Formulation
import Foundation
import Quantities
import Testing

@Suite("The day's work queue, most urgent first")
struct WorkQueueTests {
  static let today = Fixtures.date("2026-11-22")

  func line(_ lot: String, _ item: String, _ status: LotStatus, _ expires: String, _ onHand: Int64) -> StockLine {
    StockLine(
      item: item, lotNumber: lot, unit: item.hasPrefix("LDN") || item.hasPrefix("CAPS") ? .count : .mass,
      status: status, expires: Fixtures.date(expires), onHand: onHand)
  }

  @Test("patients first, then the bench, deliveries, dates and stock; each batch gets its next step")
  func order() throws {
    let batches = [
      WorkQueue.Batch(lotNumber: "B-W", status: .quarantined, verified: false, weightCheckPassed: nil, assayed: false),
      WorkQueue.Batch(lotNumber: "B-V", status: .quarantined, verified: false, weightCheckPassed: true, assayed: false),
      WorkQueue.Batch(lotNumber: "B-A", status: .quarantined, verified: true, weightCheckPassed: true, assayed: false),
      WorkQueue.Batch(lotNumber: "B-R", status: .quarantined, verified: true, weightCheckPassed: true, assayed: true),
      WorkQueue.Batch(
        lotNumber: "B-F", status: .quarantined, verified: false, weightCheckPassed: false, assayed: false),
      WorkQueue.Batch(lotNumber: "B-OK", status: .released, verified: true, weightCheckPassed: true, assayed: true),
    ]
    let stock = [
      line("R-Q", "AVICEL", .quarantined, "2028-01-01", 500_000_000),
      line("R-E", "NALTREXONE", .released, "2026-12-10", 1_000_000),
      line("R-LATE", "NALTREXONE", .released, "2027-06-01", 1_000_000),
      line("B-OK", "LDN45", .released, "2026-11-25", 30),
    ]
    let shortage = try #require(
      try ReorderLevel(item: "NALTREXONE", below: "5g").shortage(in: stock, today: Self.today))
    #expect(shortage.stock == 2_000_000 && shortage.level == 5_000_000)
    let items = WorkQueue.items(
      fills: [
        WorkQueue.Fill(id: 7, rxNumber: "600001", fillNumber: 2, labelsPrinted: 1),
        WorkQueue.Fill(id: 8, rxNumber: "600002", fillNumber: 1, labelsPrinted: 0),
      ],
      batches: batches, stock: stock, ingredientLots: ["R-Q", "R-E", "R-LATE"], shortages: [shortage],
      requireAssay: true, expiringDays: 30, today: Self.today)
    #expect(
      items.map(\.urgency) == [
        .patient, .patient, .bench, .bench, .bench, .bench, .bench, .receiving, .dates, .dates, .stock,
      ])
    #expect(items[0].what == "awaiting the final check" && items[0].command == "compound rx check 7 --by PHARMACIST")
    #expect(items[1].command == "compound label print --fill 8 --by USER")
    #expect(
      items[2...6].map(\.what) == [
        "awaiting its capsule weight check", "awaiting a pharmacist's verification", "awaiting its assay",
        "ready for release", "failed its weight check: weigh again or reject it",
      ])
    #expect(items[7].subject == "lot R-Q (AVICEL)")
    #expect(items[8].what == "BUD 2026-11-25 ends this week with 30 pcs left")
    #expect(items[9].subject == "lot R-E (NALTREXONE)")
    // A balance not checked today, or whose check failed, waits at the bench; a passed one does not.
    let bench = WorkQueue.items(
      fills: [], batches: [], stock: [], ingredientLots: [], shortages: [], requireAssay: true, expiringDays: 30,
      today: Self.today, balanceChecks: [("B1", true), ("B2", nil), ("B3", false)])
    #expect(bench.map(\.subject) == ["balance B2", "balance B3"])
    #expect(bench[0].what.hasPrefix("not checked today"))
    #expect(bench[1].command == "compound balance check B3 --test-weight 100g --reading MASS --by USER")
    // Without the assay requirement, a verified batch is ready for release.
    let relaxed = WorkQueue.items(
      fills: [], batches: [batches[2]], stock: [], ingredientLots: [], shortages: [], requireAssay: false,
      expiringDays: 30, today: Self.today)
    #expect(relaxed.map(\.what) == ["ready for release"])
  }
}
