import Foundation
import Quantities

/// Corrections and news for a patient's record: each change is audited with who and why.
public struct PatientUpdate: Sendable {
  public var name: String?
  public var address: String?
  public var phone: String?
  public var addMedications: [NewEntry]
  /// Medication entries stopped, by entry id.
  public var stopMedications: [Int64]
  public var addAllergies: [NewEntry]
  /// Allergy entries removed, by entry id.
  public var removeAllergies: [Int64]
  /// The day a stop or removal takes effect.
  public var endedOn: CalendarDate
  public var reason: String

  public init(
    name: String? = nil, address: String? = nil, phone: String? = nil, addMedications: [NewEntry] = [],
    stopMedications: [Int64] = [], addAllergies: [NewEntry] = [], removeAllergies: [Int64] = [],
    endedOn: CalendarDate, reason: String
  ) {
    self.name = name
    self.address = address
    self.phone = phone
    self.addMedications = addMedications
    self.stopMedications = stopMedications
    self.addAllergies = addAllergies
    self.removeAllergies = removeAllergies
    self.endedOn = endedOn
    self.reason = reason
  }

  /// Whether it changes anything at all.
  public var isEmpty: Bool {
    name == nil && address == nil && phone == nil && addMedications.isEmpty && stopMedications.isEmpty
      && addAllergies.isEmpty && removeAllergies.isEmpty
  }
}

/// A medication or allergy as typed, with the day a medication was started when known.
public struct NewEntry: Sendable {
  public var text: String
  public var startedOn: CalendarDate?

  public init(_ text: String, startedOn: CalendarDate? = nil) {
    self.text = text
    self.startedOn = startedOn
  }
}
