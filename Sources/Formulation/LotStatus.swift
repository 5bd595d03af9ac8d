import Foundation

/// The release state of an ingredient lot or a compounded batch.
public enum LotStatus: String, Sendable, Codable, CaseIterable {
  case quarantined
  case released
  case rejected
  case onHold = "on_hold"
  case recalled
  case expired
}
