import Foundation
import Quantities

/// A patient as the pharmacy knows them.
public struct Patient: Sendable, Hashable, Codable {
  public var id: Int64
  public var name: String
  public var dateOfBirth: CalendarDate
  public var address: String
  public var phone: String
  /// Every medication and allergy ever recorded, stopped and removed ones included.
  public var entries: [PatientEntry]

  public init(
    id: Int64, name: String, dateOfBirth: CalendarDate, address: String, phone: String, entries: [PatientEntry] = []
  ) {
    self.id = id
    self.name = name
    self.dateOfBirth = dateOfBirth
    self.address = address
    self.phone = phone
    self.entries = entries
  }

  /// The medications that apply on `day`.
  public func medications(on day: CalendarDate) -> [PatientEntry] {
    entries.filter { $0.kind == .medication && $0.applies(on: day) }
  }

  /// The allergies that apply on `day`.
  public func allergies(on day: CalendarDate) -> [PatientEntry] {
    entries.filter { $0.kind == .allergy && $0.applies(on: day) }
  }

  /// The name folded for comparing two records of one person: case, accents, spaces and punctuation ignored.
  public static func nameKey(_ name: String) -> String {
    DrugText.words(name).joined()
  }
}
