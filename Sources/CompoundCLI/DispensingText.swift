import Dispensing
import Foundation
import Store

/// Prescriptions and fills as a person reads them.
enum DispensingText {
  static func summary(_ record: PrescriptionRecord) -> String {
    let prescription = record.prescription
    let steps = prescription.steps.map { "\($0.formulaCode) x \($0.quantity)" }.joined(separator: " then ")
    return
      "\(steps); \(prescription.refills) refills; \(prescription.fillsDone) of \(prescription.fillsAllowed) fills done"
  }

  static func prescription(_ record: PrescriptionRecord) -> String {
    var lines = [
      "Rx \(record.prescription.rxNumber), written \(record.prescription.written)",
      "Patient: \(record.patient.name) (id \(record.patient.id), born \(record.patient.dateOfBirth))",
      "Prescriber: \(record.prescriber.name), NPI \(record.prescriber.npi)",
    ]
    for (index, step) in record.prescription.steps.enumerated() {
      lines.append(
        "Step \(index + 1): \(step.formulaCode) x \(step.quantity), \(step.daysSupply) days: \(step.directions)")
    }
    lines.append("Refills: \(record.prescription.refills); \(summary(record))")
    for fill in record.fills {
      lines.append(
        "Fill \(fill.fillNumber) (id \(fill.id)) \(fill.filledOn) by \(fill.filledBy): \(fill.quantity) from batch \(fill.lotNumber), BUD \(fill.beyondUseDate)"
      )
      lines += fill.decision.warnings.map { "  warning: \($0)" }
      lines += fill.decision.overridden.map { "  overridden (\(fill.decision.overrideReason ?? "")): \($0)" }
      if let skipped = fill.decision.suggestedLot {
        lines.append("  skipped suggested batch \(skipped): \(fill.decision.skipReason ?? "")")
      }
    }
    return lines.joined(separator: "\n")
  }
}
