import Foundation
import Quantities

/// What a patient's medications and allergies mean for a fill of a preparation, checked fail-closed.
///
/// Every entry is resolved against the drug vocabulary by meaning (ingredients and classes). An entry that
/// cannot be resolved, and that no pharmacist has classified, blocks the fill: that block cannot be
/// overridden, only resolved by `compound patient review`. Interactions the vocabulary marks `refuse`, and
/// allergies to any component (shells and excipients included), refuse the fill unless a pharmacist overrides
/// with a reason; `warn` interactions are recorded on the fill.
public struct InteractionCheck: Sendable, Hashable, Codable {
  /// Entries waiting for a pharmacist's classification: the fill cannot go ahead.
  public var blocks: [String]
  /// Findings that refuse the fill unless a pharmacist overrides them with a reason.
  public var refusals: [String]
  /// Findings recorded on the fill as warnings.
  public var warnings: [String]

  public init(blocks: [String] = [], refusals: [String] = [], warnings: [String] = []) {
    self.blocks = blocks
    self.refusals = refusals
    self.warnings = warnings
  }

  /// Checks `patient`'s entries that apply on `today` against the preparation's `components`.
  public static func check(
    patient: Patient, components: [PreparationComponent], index: DrugIndex, today: CalendarDate
  ) -> InteractionCheck {
    var result = InteractionCheck()
    let contents = components.map { component in
      (component, index.resolve(component.name + " " + component.code))
    }
    var inPreparation = Set<String>()
    for (_, resolution) in contents {
      inPreparation.formUnion(resolution.ingredients)
      inPreparation.formUnion(resolution.classes)
    }
    let rules = index.vocabulary.interactions.filter { inPreparation.contains($0.preparation) }
    for (component, resolution) in contents where component.role == "API" && resolution.ingredients.isEmpty {
      result.blocks.append(
        "the drug vocabulary does not know the API \(component.code) (\(component.name)), so its interactions cannot be checked: add it to the vocabulary and import the rules ('compound rules import')"
      )
    }

    for entry in patient.medications(on: today) {
      let meaning = meaning(of: entry, index: index)
      if let block = block(entry, meaning: meaning, patient: patient) { result.blocks.append(block) }
      for rule in rules {
        guard let named = match(rule.patient, in: meaning, index: index) else { continue }
        let finding = "\(patient.name) takes \(entry.text) (\(named)): \(rule.reason)"
        switch rule.effect {
        case .refuse: result.refusals.append(finding)
        case .warn: result.warnings.append(finding)
        }
      }
    }

    var unknownComponents: [String] = []
    for entry in patient.allergies(on: today) {
      let meaning = meaning(of: entry, index: index)
      if let block = block(entry, meaning: meaning, patient: patient) { result.blocks.append(block) }
      // An allergy to an ingredient is to that ingredient; to a class ("opioids", "milk") to all of it. The
      // classes an ingredient belongs to are not allergens themselves: gelatin is an excipient, and so is Avicel.
      let allergens = Set(meaning.ingredients + meaning.namedClasses)
      guard !allergens.isEmpty, !(meaning.ingredients.isEmpty && meaning.namedClasses == [Self.noKnownAllergies]) else {
        continue
      }
      for (component, resolution) in contents {
        if resolution.ingredients.isEmpty {
          if !unknownComponents.contains(component.code) { unknownComponents.append(component.code) }
          continue
        }
        let present = resolution.ingredients.filter {
          allergens.contains($0) || !allergens.isDisjoint(with: index.classes(of: $0))
        }
        if let first = present.first {
          let what = index.vocabulary.ingredient(first)?.name.lowercased() ?? first
          result.refusals.append(
            "\(patient.name) is allergic to \(entry.text), and the \(component.role) \(component.code) (\(component.name)) \(component.contains) \(what)"
          )
        }
      }
    }
    for code in unknownComponents {
      guard let component = components.first(where: { $0.code == code }) else { continue }
      result.refusals.append(
        "\(patient.name) has allergies on record, and the drug vocabulary cannot tell what the \(component.role) \(component.code) (\(component.name)) \(component.role.hasSuffix("s") ? "are" : "is") made of: name the material in the catalog entry"
      )
    }
    return result
  }

  /// The class that stands for "no known allergies": an allergy entry that clashes with nothing.
  public static let noKnownAllergies = "no-known-allergies"

  /// The entry's ingredients and classes: what the vocabulary resolves, with the pharmacist's review added.
  public static func meaning(of entry: PatientEntry, index: DrugIndex) -> DrugResolution {
    var resolution = index.resolve(entry.text)
    for term in entry.review?.terms ?? [] {
      if index.vocabulary.ingredient(term) != nil {
        if !resolution.ingredients.contains(term) { resolution.ingredients.append(term) }
        for drugClass in index.classes(of: term) where !resolution.classes.contains(drugClass) {
          resolution.classes.append(drugClass)
        }
      } else if !resolution.classes.contains(term) {
        resolution.classes.append(term)
        resolution.namedClasses.append(term)
      }
    }
    return resolution
  }

  /// The block for an entry nobody could resolve, or nil.
  private static func block(_ entry: PatientEntry, meaning: DrugResolution, patient: Patient) -> String? {
    guard entry.review == nil, !meaning.isResolved else { return nil }
    let unknown = meaning.unknown.isEmpty ? "it names no drug" : "unknown: \(meaning.unknown.joined(separator: ", "))"
    let hint = meaning.suggestions.isEmpty ? "" : "; did you mean \(meaning.suggestions.joined(separator: ", "))?"
    return
      "\(patient.name)'s \(entry.kind.rawValue) \"\(entry.text)\" (entry \(entry.id)) is not in the drug vocabulary (\(unknown)\(hint)): a pharmacist classifies it with 'compound patient review \(patient.id) \(entry.id) --as INGREDIENT-OR-CLASS --reason TEXT --by PHARMACIST'"
  }

  /// How `target` (a class or ingredient id) appears in `meaning`, as "oxycodone, opioid agonist"; nil if not.
  private static func match(_ target: String, in meaning: DrugResolution, index: DrugIndex) -> String? {
    for id in meaning.ingredients {
      let classes = index.classes(of: id)
      guard id == target || classes.contains(target) else { continue }
      let name = index.vocabulary.ingredient(id)?.name.lowercased() ?? id
      let drugClass = classes.first.flatMap { index.vocabulary.drugClass($0)?.name } ?? target
      return "\(name), \(drugClass)"
    }
    if meaning.classes.contains(target) {
      return index.vocabulary.drugClass(target)?.name ?? target
    }
    return nil
  }
}
