import Foundation
import Quantities

/// A patient as the pharmacy knows them.
public struct Patient: Sendable, Hashable, Codable {
  public var id: Int64
  public var name: String
  public var dateOfBirth: CalendarDate
  public var address: String
  public var phone: String
  public var allergies: [String]
  /// Current medications, by name, as the patient or prescriber reports them.
  public var medications: [String]

  public init(
    id: Int64, name: String, dateOfBirth: CalendarDate, address: String, phone: String, allergies: [String],
    medications: [String]
  ) {
    self.id = id
    self.name = name
    self.dateOfBirth = dateOfBirth
    self.address = address
    self.phone = phone
    self.allergies = allergies
    self.medications = medications
  }
}
