import Foundation
import Quantities

/// One medication or allergy on a patient's record, as typed, with its dates and a pharmacist's review.
///
/// Entries are never erased: a stopped medication or a removed allergy keeps its entry with the date, who
/// and why. Each entry is resolved against the drug vocabulary when a fill is checked; one the vocabulary
/// cannot resolve waits for a pharmacist's classification (`review`), which is kept.
public struct PatientEntry: Sendable, Hashable, Codable {
  /// A medication the patient takes, or an allergy.
  public enum Kind: String, Sendable, Hashable, Codable {
    case medication, allergy
  }

  public var id: Int64
  public var kind: Kind
  public var text: String
  /// When the patient started the medication, when known.
  public var startedOn: CalendarDate?
  public var addedAt: String
  public var addedBy: String
  /// The day a medication was stopped or an allergy removed; nil while it applies.
  public var endedOn: CalendarDate?
  public var endedBy: String?
  public var endReason: String?
  public var review: EntryReview?

  public init(
    id: Int64, kind: Kind, text: String, startedOn: CalendarDate? = nil, addedAt: String, addedBy: String,
    endedOn: CalendarDate? = nil, endedBy: String? = nil, endReason: String? = nil, review: EntryReview? = nil
  ) {
    self.id = id
    self.kind = kind
    self.text = text
    self.startedOn = startedOn
    self.addedAt = addedAt
    self.addedBy = addedBy
    self.endedOn = endedOn
    self.endedBy = endedBy
    self.endReason = endReason
    self.review = review
  }

  /// Whether the entry applies on `day`: not yet stopped or removed by then.
  public func applies(on day: CalendarDate) -> Bool {
    endedOn.map { day < $0 } ?? true
  }
}

/// A pharmacist's classification of an entry the vocabulary could not resolve.
public struct EntryReview: Sendable, Hashable, Codable {
  /// Vocabulary ingredient or class ids the entry means; empty when it names nothing a check concerns.
  public var terms: [String]
  public var by: String
  public var at: String
  public var reason: String

  public init(terms: [String], by: String, at: String, reason: String) {
    self.terms = terms
    self.by = by
    self.at = at
    self.reason = reason
  }
}
