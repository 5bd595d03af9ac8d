import Foundation
import Quantities

/// A prescription a pharmacist stopped: who, when and why.
public struct Discontinuation: Sendable, Hashable, Codable {
  public var on: CalendarDate
  public var by: String
  public var reason: String

  public init(on: CalendarDate, by: String, reason: String) {
    self.on = on
    self.by = by
    self.reason = reason
  }
}
