import Formulation
import Foundation

/// What the patient's medication list and allergies mean for a naltrexone fill.
public struct InteractionCheck: Sendable, Hashable, Codable {
  /// Findings that refuse the fill unless a pharmacist overrides them with a reason.
  public var refusals: [String]
  /// Findings recorded on the fill as warnings.
  public var warnings: [String]

  /// Checks `patient` against the opioid and CYP450 lists and the formula's ingredients.
  public static func check(
    patient: Patient, opioids: [String], cyp450Substrates: [String], ingredientNames: [String]
  ) -> InteractionCheck {
    var refusals: [String] = []
    var warnings: [String] = []
    for medication in patient.medications {
      if let opioid = opioids.first(where: { NameMatcher.matches(name: medication, code: "", patterns: [$0]) }) {
        refusals.append(
          "\(patient.name) takes \(medication) (\(opioid), an opioid): naltrexone blocks opioids, and overcoming the blockade can cause a fatal overdose"
        )
      } else if let substrate = cyp450Substrates.first(where: {
        NameMatcher.matches(name: medication, code: "", patterns: [$0])
      }) {
        warnings.append("\(patient.name) takes \(medication) (\(substrate)): a CYP450 interaction is reported; monitor")
      }
    }
    for allergy in patient.allergies {
      let words = NameMatcher.words(allergy).filter { $0.count >= 4 }
      if let ingredient = ingredientNames.first(where: { name in
        words.contains { NameMatcher.words(name).contains($0) }
      }) {
        refusals.append("\(patient.name) is allergic to \(allergy), and the capsules contain \(ingredient)")
      }
    }
    return InteractionCheck(refusals: refusals, warnings: warnings)
  }
}
