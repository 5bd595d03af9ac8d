import Formulation
import Foundation
import Quantities

/// The one rule for whether a compounded lot may be labeled, filled or dispensed.
public enum BatchGate {
  /// Why lot `lotNumber` may not be used on `today`, or nil when it may: it must be released and not
  /// past its beyond-use date (usable through the BUD itself).
  public static func refusal(
    lotNumber: String, status: LotStatus, beyondUseDate: CalendarDate, today: CalendarDate
  ) -> String? {
    if isPast(beyondUseDate, today: today) || status == .expired {
      return
        "batch \(lotNumber) is past its beyond-use date \(beyondUseDate): it cannot be labeled, filled or dispensed"
    }
    guard status == .released else {
      return "batch \(lotNumber) is \(status.rawValue), not released: it cannot be labeled, filled or dispensed"
    }
    return nil
  }

  /// The status a person should see: `expired` once the BUD has passed, whatever is stored.
  public static func effectiveStatus(_ status: LotStatus, beyondUseDate: CalendarDate, today: CalendarDate) -> LotStatus
  {
    isPast(beyondUseDate, today: today) && status != .rejected && status != .recalled ? .expired : status
  }

  /// Whether a beyond-use date has passed on `today`: a lot is usable through its BUD itself.
  public static func isPast(_ beyondUseDate: CalendarDate, today: CalendarDate) -> Bool { beyondUseDate < today }
}
