import Formulation
import Foundation
import Quantities
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

  static func show(_ lines: [InventoryLine], title: String, today: CalendarDate) -> String {
    var totals: [String: (StockUnit, Int64)] = [:]
    for line in lines { totals[line.item, default: (line.unit, 0)].1 += line.onHand }
    return [
      title,
      Output.table(
        ["LOT", "KIND", "ITEM", "EXPIRES/BUD", "STATUS", "ON HAND"],
        lines.map {
          [
            $0.lotNumber, $0.kind, $0.item, "\($0.expires)\($0.expires < today ? " (past)" : "")", $0.status.rawValue,
            $0.unit.formatExact($0.onHand),
          ]
        }),
      "Per item:",
      Output.table(
        ["ITEM", "ON HAND"], totals.keys.sorted().map { [$0, totals[$0].map { $0.0.formatExact($0.1) } ?? ""] }),
    ].joined(separator: "\n")
  }
}
