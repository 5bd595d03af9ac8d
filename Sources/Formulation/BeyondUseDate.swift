import Foundation
import Quantities

/// A batch's beyond-use date with the rule that set it.
public struct BeyondUseDate: Sendable, Hashable, Codable {
  public var date: CalendarDate
  /// Which rule or which component lot set the date, in words.
  public var basis: String

  public init(date: CalendarDate, basis: String) {
    self.date = date
    self.basis = basis
  }

  /// BUD = min(start + the category's (or the cited study's) days, the earliest component expiry).
  public static func compute(
    start: CalendarDate, formula: Formula, category: BudCategory, convention: DayConvention,
    components: [PlannedComponent]
  ) -> BeyondUseDate {
    let days = formula.stabilityDays ?? category.days
    let byRule = convention.lastDay(from: start, days: days)
    let ruleText =
      formula.stabilityReference.map { "cited stability study (\($0)): \(days) days" }
      ?? "USP <795> \(category.name): \(days) days"
    let earliest = components.min { $0.expiry < $1.expiry }
    if let earliest, earliest.expiry < byRule {
      return BeyondUseDate(
        date: earliest.expiry,
        basis:
          "earliest component expiry: \(earliest.ingredientCode) lot \(earliest.lotNumber) (\(earliest.supplier) \(earliest.supplierLot)) expires \(earliest.expiry), before \(byRule) by \(ruleText)"
      )
    }
    return BeyondUseDate(
      date: byRule, basis: "\(ruleText) from \(start), \(convention.explanation)")
  }
}
