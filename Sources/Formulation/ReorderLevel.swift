import Foundation
import Quantities

/// A level below which an item's usable stock is reordered: the one rule `inventory reorder` and `today` share.
public struct ReorderLevel: Sendable, Hashable {
  public var item: String
  /// The level as the settings write it: `5g`, `500count`, `120` (capsules).
  public var below: String

  public init(item: String, below: String) {
    self.item = item
    self.below = below
  }

  /// An item under its level: usable stock and the level, in the item's unit.
  public struct Shortage: Sendable, Hashable, Codable {
    public var item: String
    public var unit: StockUnit
    public var stock: Int64
    public var level: Int64
  }

  /// The item's shortage on `today` given every stock line, or nil when its usable stock (released, not past its
  /// date) is at or above the level.
  public func shortage(in lines: [StockLine], today: CalendarDate) throws(QuantityError) -> Shortage? {
    let usable = lines.filter { $0.item.uppercased() == item.uppercased() && $0.isUsable(on: today) }
    let unit = usable.first?.unit ?? (below.allSatisfy(\.isNumber) ? .count : .mass)
    let level = try unit.parse(below, what: "inventory.reorder \(item)")
    let stock = usable.reduce(Int64(0)) { $0 + $1.onHand }
    return stock < level ? Shortage(item: item, unit: unit, stock: stock, level: level) : nil
  }
}
