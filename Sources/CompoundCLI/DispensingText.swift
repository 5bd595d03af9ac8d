import Dispensing
import Foundation
import Pricing
import Store

/// Prescriptions and fills as a person reads them.
enum DispensingText {
  static func summary(_ record: PrescriptionRecord) -> String {
    let prescription = record.prescription
    let steps = prescription.steps.map { "\($0.formulaCode) x \($0.quantity)" }.joined(separator: " then ")
    let ended = prescription.discontinued.map { "; discontinued \($0.on) by \($0.by): \($0.reason)" } ?? ""
    return
      "\(steps); \(prescription.refills) refill\(prescription.refills == 1 ? "" : "s"); \(prescription.fillsDone) of \(prescription.fillsAllowed) fills done\(ended)"
  }

  static func prescription(_ record: PrescriptionRecord, zone: TimeZone) -> String {
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
        "Fill \(fill.fillNumber) (id \(fill.id)) \(fill.filledOn) by \(fill.filledBy): \(fill.quantity) from batch \(fill.lotNumber), BUD \(fill.beyondUseDate); \(fill.status)"
      )
      if let note = fill.decision.stepNote { lines.append("  \(note)") }
      if let price = fill.price { lines.append("  price \(price.currency) \(price.total)") }
      if let check = fill.finalCheck {
        lines.append("  final check by \(check.by) at \(Timestamp.local(check.at, zone: zone))")
      }
      if let voided = fill.voided {
        lines.append("  voided by \(voided.by) at \(Timestamp.local(voided.at, zone: zone)): \(voided.reason)")
      }
      if let version = fill.rulesVersion { lines.append("  checked against clinical rules version \(version)") }
      lines += fill.decision.warnings.map { "  warning: \($0)" }
      lines += fill.decision.overridden.map { "  overridden (\(fill.decision.overrideReason ?? "")): \($0)" }
      if let skipped = fill.decision.suggestedLot {
        lines.append("  skipped suggested batch \(skipped): \(fill.decision.skipReason ?? "")")
      }
    }
    return lines.joined(separator: "\n")
  }
}
