import Dispensing
import Foundation
import Store

/// Patients as a person reads them: each entry with what the drug vocabulary makes of it.
enum PatientText {
  static func table(_ patients: [Patient]) -> String {
    Output.table(
      ["ID", "NAME", "BORN", "PHONE"], patients.map { ["\($0.id)", $0.name, "\($0.dateOfBirth)", $0.phone] })
  }

  static func patient(_ patient: Patient, context: Context) throws -> String {
    var lines = [
      "Patient \(patient.id): \(patient.name), born \(patient.dateOfBirth)",
      "Address: \(patient.address)",
      "Phone: \(patient.phone)",
    ]
    let index = try context.inForce().drugIndex()
    for kind in [PatientEntry.Kind.medication, .allergy] {
      let entries = patient.entries.filter { $0.kind == kind }
      lines.append(kind == .medication ? "Medications:" : "Allergies:")
      if entries.isEmpty { lines.append("  none recorded") }
      for entry in entries { lines.append("  " + line(entry, index: index)) }
    }
    return lines.joined(separator: "\n")
  }

  /// One entry: number, text, what it means, and whether it applies.
  static func line(_ entry: PatientEntry, index: DrugIndex) -> String {
    let meaning = InteractionCheck.meaning(of: entry, index: index)
    var text = "[\(entry.id)] \(entry.text)"
    if let started = entry.startedOn { text += " (since \(started))" }
    let names = meaning.ingredients.map { index.vocabulary.ingredient($0)?.name.lowercased() ?? $0 }
    if let review = entry.review {
      text +=
        " = \(review.terms.isEmpty ? "nothing the checks concern" : review.terms.joined(separator: " + ")) (classified by \(review.by): \(review.reason))"
    } else if meaning.isResolved {
      text += " = \(names.isEmpty ? meaning.classes.joined(separator: ", ") : names.joined(separator: " + "))"
    } else {
      text += " = UNRESOLVED, waits for a pharmacist (unknown: \(meaning.unknown.joined(separator: ", ")))"
    }
    if let ended = entry.endedOn {
      text +=
        "; \(entry.kind == .medication ? "stopped" : "removed") \(ended) by \(entry.endedBy ?? "?"): \(entry.endReason ?? "")"
    }
    return text
  }

  /// The warnings to print after a patient was written: never an error, since the record is already stored.
  static func warnings(_ patient: Patient, context: Context) -> [String] {
    do {
      return try unresolved(patient, context: context)
    } catch {
      return ["warning: the entries could not be read through the drug vocabulary: \(RulesRecord.missing)"]
    }
  }

  /// Warnings for entries that will stop a fill until a pharmacist classifies them.
  static func unresolved(_ patient: Patient, context: Context) throws -> [String] {
    let index = try context.inForce().drugIndex()
    return patient.entries.filter { $0.endedOn == nil && $0.review == nil }.compactMap { entry in
      let meaning = InteractionCheck.meaning(of: entry, index: index)
      guard !meaning.isResolved else { return nil }
      return
        "warning: \(entry.kind.rawValue) [\(entry.id)] \"\(entry.text)\" is not in the drug vocabulary: fills wait until a pharmacist runs 'compound patient review \(patient.id) \(entry.id) --as ... --reason ... --by PHARMACIST'"
    }
  }
}
