import Dispensing
import Foundation
import Settings
import Store

/// The clinical rules a command checks against: the newest version imported into the database.
final class RulesInForce {
  let record: RulesRecord
  /// The local settings with these rules in place of their clinical parts.
  let settings: Settings
  private var whole: ClinicalRules?
  private var builtIndex: DrugIndex?

  /// Reads the rules in force from `database`; a database without any is refused, never run on defaults.
  ///
  /// Only their parts are read here: the drug vocabulary, three quarters of the record, is read with
  /// `rules()` when a command checks medications or allergies.
  init(database: AppDatabase, local: Settings) throws {
    guard let record = try database.activeRules() else { throw CLIError(RulesRecord.missing) }
    self.record = record
    settings = try ClinicalParts.decode(json: record.json).applied(to: local)
  }

  /// The whole rules in force, with the drug vocabulary (read once).
  func rules() throws -> ClinicalRules {
    if let whole { return whole }
    let rules = try ClinicalRules.decode(json: record.json)
    whole = rules
    return rules
  }

  /// The drug vocabulary's index, built once, when a command first needs it (a label print does not).
  func drugIndex() throws -> DrugIndex {
    if let builtIndex { return builtIndex }
    let index = try DrugIndex(try rules().vocabulary)
    builtIndex = index
    return index
  }

  /// "version 2 (3f9a1c0b2e4d)": how a person refers to it.
  var label: String { "version \(record.version) (\(record.sha256.prefix(12)))" }

  /// Reads the shipped (or named) rules and vocabulary files into rules ready to import.
  static func read(rulesFile: String?, vocabularyFile: String?) throws -> (rules: ClinicalRules, source: String) {
    let folder = ProjectFolder.find("Config", containing: "rules.toml")
    guard let rulesPath = rulesFile ?? folder.map({ $0 + "/rules.toml" }),
      let vocabularyPath = vocabularyFile ?? folder.map({ $0 + "/vocabulary.toml" })
    else {
      throw CLIError(
        "cannot find Config/rules.toml and Config/vocabulary.toml: name them with --file RULES --vocabulary VOCABULARY")
    }
    let rules = try ClinicalRules.parse(
      rules: try SettingsLoader.readText(rulesPath, what: "rules file"), rulesFile: rulesPath,
      vocabulary: try SettingsLoader.readText(vocabularyPath, what: "vocabulary file"), vocabularyFile: vocabularyPath)
    let source =
      "\(URL(fileURLWithPath: rulesPath).standardizedFileURL.path) + \(URL(fileURLWithPath: vocabularyPath).standardizedFileURL.path)"
    return (rules, source)
  }
}
