import Foundation

/// Why stock moved: every change to a lot's or a batch's stock is one movement of one kind.
public enum MovementKind: String, Sendable, Codable, CaseIterable {
  /// An ingredient lot came in.
  case received
  /// An ingredient lot went into a batch.
  case consumed
  /// A batch was made.
  case produced
  /// A batch's capsules went to a patient.
  case dispensed
  /// A counted correction, signed.
  case adjusted
  /// Stock thrown away, witnessed.
  case wasted
  /// Stock past its date taken out.
  case expired
  /// A voided fill's capsules came back.
  case returned

  /// The kinds as the schema's CHECK lists them: `'received','consumed',...`.
  public static var sqlList: String { allCases.map { "'\($0.rawValue)'" }.joined(separator: ",") }
}
