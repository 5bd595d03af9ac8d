import Foundation
import Quantities

/// One lot's or batch's stock as the reorder and expiry rules see it.
public struct StockLine: Sendable, Hashable {
  /// Ingredient code or formula code.
  public var item: String
  public var lotNumber: String
  public var unit: StockUnit
  public var status: LotStatus
  /// Expiry of an ingredient lot, BUD of a batch.
  public var expires: CalendarDate
  /// Micrograms or pieces.
  public var onHand: Int64

  public init(
    item: String, lotNumber: String, unit: StockUnit, status: LotStatus, expires: CalendarDate, onHand: Int64
  ) {
    self.item = item
    self.lotNumber = lotNumber
    self.unit = unit
    self.status = status
    self.expires = expires
    self.onHand = onHand
  }

  /// Whether this stock may be used on `today`: released and not past its date.
  public func isUsable(on today: CalendarDate) -> Bool { status == .released && expires >= today }
}
