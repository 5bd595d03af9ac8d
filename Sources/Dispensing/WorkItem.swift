import Foundation

/// One thing that needs someone now, with the command that does it.
public struct WorkItem: Sendable, Hashable, Codable {
  /// How soon it matters; the lower, the sooner.
  public enum Urgency: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// A patient is waiting: a fill needs its label or its final check.
    case patient
    /// A compounded batch waits for its next step.
    case bench
    /// Received stock waits for a pharmacist's release.
    case receiving
    /// A date is close: a BUD this week, an expiry within the window.
    case dates
    /// Stock below its reorder level.
    case stock

    /// Declaration order is urgency order.
    public static func < (lhs: Urgency, rhs: Urgency) -> Bool {
      (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The heading a person reads.
    public var heading: String {
      switch self {
      case .patient: return "Patients waiting"
      case .bench: return "Batches on the bench"
      case .receiving: return "Deliveries to release"
      case .dates: return "Dates coming up"
      case .stock: return "Stock to reorder"
      }
    }
  }

  public var urgency: Urgency
  /// The lot, batch or fill it concerns.
  public var subject: String
  /// What is waiting, in a few words.
  public var what: String
  /// The command that does it.
  public var command: String

  public init(urgency: Urgency, subject: String, what: String, command: String) {
    self.urgency = urgency
    self.subject = subject
    self.what = what
    self.command = command
  }
}
