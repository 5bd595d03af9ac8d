import Formulation
import Foundation
import Quantities
import Settings
import Store

/// Stock reports as a person reads them.
enum InventoryText {
  /// The first instant of `day` in `zone`.
  static func startOfDay(_ day: CalendarDate, zone: TimeZone) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date()
  }

  /// The last instant of `day` in `zone`.
  static func endOfDay(_ day: CalendarDate, zone: TimeZone) -> Date {
    startOfDay(day.adding(days: 1), zone: zone).addingTimeInterval(-1)
  }

  static func show(
    _ lines: [InventoryLine], title: String, today: CalendarDate, display: QuantityDisplay = .standard
  ) -> String {
    var totals: [String: (StockUnit, Int64)] = [:]
    for line in lines { totals[line.item, default: (line.unit, 0)].1 += line.onHand }
    return [
      title,
      Output.table(
        ["LOT", "KIND", "ITEM", "EXPIRES/BUD", "STATUS", "ON HAND"],
        lines.map {
          [
            $0.lotNumber, $0.kind, $0.item, "\($0.expires)\($0.expires < today ? " (past)" : "")", $0.status.rawValue,
            $0.unit.format($0.onHand, display: display),
          ]
        }),
      "Per item:",
      Output.table(
        ["ITEM", "ON HAND"],
        totals.keys.sorted().map { [$0, totals[$0].map { $0.0.format($0.1, display: display) } ?? ""] }),
    ].joined(separator: "\n")
  }

  /// Stock lines as the domain's stock rules read them.
  static func stock(_ lines: [InventoryLine]) -> [StockLine] {
    lines.map {
      StockLine(
        item: $0.item, lotNumber: $0.lotNumber, unit: $0.unit, status: $0.status, expires: $0.expires, onHand: $0.onHand
      )
    }
  }

  /// The items under their reorder level (`inventory.reorder`), in the order the settings list them.
  static func shortages(
    _ points: [Settings.Inventory.ReorderPoint], lines: [InventoryLine], today: CalendarDate
  ) throws -> [ReorderLevel.Shortage] {
    let stock = stock(lines)
    return try points.compactMap { try ReorderLevel(item: $0.item, below: $0.below).shortage(in: stock, today: today) }
  }
}
