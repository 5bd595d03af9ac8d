import Formulation
import Foundation

/// What may happen to a lot's status: release, reject, hold, recall.
public enum LotAction: String, Sendable, Codable, CaseIterable {
  case release
  case reject
  case hold
  case recall

  /// The status the lot moves to.
  public var target: LotStatus {
    switch self {
    case .release: return .released
    case .reject: return .rejected
    case .hold: return .onHold
    case .recall: return .recalled
    }
  }

  /// Whether only a pharmacist may take this action.
  public var needsPharmacist: Bool { self != .hold }

  /// Whether a reason must be recorded.
  public var needsReason: Bool { self != .release }

  /// The new status from `status`, or why the move is not allowed.
  ///
  /// quarantined -> released | rejected | on_hold; released -> on_hold; on_hold -> released | rejected;
  /// anything but rejected -> recalled. Rejected and recalled are final.
  public func apply(to status: LotStatus, lot: String) throws(QualityError) -> LotStatus {
    let allowed: Set<LotStatus>
    switch self {
    case .release: allowed = [.quarantined, .onHold]
    case .reject: allowed = [.quarantined, .onHold]
    case .hold: allowed = [.quarantined, .released]
    case .recall: allowed = [.quarantined, .released, .onHold, .expired]
    }
    guard allowed.contains(status) else {
      let final = status == .rejected || status == .recalled ? " (a final state)" : ""
      throw QualityError(
        "lot \(lot) is \(status.rawValue)\(final): it cannot be \(pastTense) from there")
    }
    return target
  }

  private var pastTense: String {
    switch self {
    case .release: return "released"
    case .reject: return "rejected"
    case .hold: return "put on hold"
    case .recall: return "recalled"
    }
  }
}
