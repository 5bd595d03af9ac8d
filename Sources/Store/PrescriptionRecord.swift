import Dispensing
import Foundation

/// A prescription with its patient, prescriber and fills so far.
public struct PrescriptionRecord: Sendable, Codable {
  public var prescription: Prescription
  public var patient: Patient
  public var prescriber: Prescriber
  public var fills: [FillRecord]
}
