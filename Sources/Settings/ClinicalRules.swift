import Dispensing
import Formulation
import Foundation

/// The rules fills and batches are checked against, as a pharmacist imported them into the database.
///
/// Read from `Config/rules.toml` (limits, excipients, BUDs, certificates, the refill window) and
/// `Config/vocabulary.toml` (the drug vocabulary and its interactions), stored whole as canonical JSON and
/// versioned by its SHA-256, so that each fill and batch can say which rules it met.
public struct ClinicalRules: Sendable, Equatable, Codable {
  /// Everything but the drug vocabulary: limits, excipients, BUDs, certificates, quality, refills, balances.
  public var parts: ClinicalParts
  public var vocabulary: DrugVocabulary

  /// The clinical parts of `settings` with `vocabulary`.
  public init(_ settings: Settings, vocabulary: DrugVocabulary) {
    parts = ClinicalParts(settings)
    self.vocabulary = vocabulary
  }

  enum CodingKeys: String, CodingKey {
    case vocabulary
  }

  /// Reads stored rules: their parts, then the vocabulary, from the one JSON object.
  public init(from decoder: any Decoder) throws {
    parts = try ClinicalParts(from: decoder)
    vocabulary = try decoder.container(keyedBy: CodingKeys.self).decode(DrugVocabulary.self, forKey: .vocabulary)
  }

  /// Writes the parts and the vocabulary side by side in one JSON object, as they are stored.
  public func encode(to encoder: any Encoder) throws {
    try parts.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(vocabulary, forKey: .vocabulary)
  }

  /// `settings` with these rules in place of its clinical parts.
  public func applied(to settings: Settings) -> Settings {
    parts.applied(to: settings)
  }

  /// Reads a rules file (keys it does not name keep the built-in defaults) and a vocabulary file.
  public static func parse(
    rules: String, rulesFile: String, vocabulary: String, vocabularyFile: String
  ) throws(SettingsError) -> ClinicalRules {
    let (settings, _) = try SettingsLoader.parse(rules, file: rulesFile, scope: .clinical)
    let words = try StrictTOML.decode(DrugVocabulary.self, from: vocabulary, file: vocabularyFile)
    do {
      try words.validate()
    } catch {
      throw SettingsError("\(vocabularyFile): \(error.message)")
    }
    return ClinicalRules(settings, vocabulary: words)
  }

  /// The canonical JSON that is stored and hashed: sorted keys, exact numbers as text.
  public func canonicalJSON() throws(SettingsError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(self), as: UTF8.self)
    } catch {
      throw SettingsError("the clinical rules could not be written: \(error)")
    }
  }

  /// Reads stored rules back; a record this version cannot read is an error, never a default.
  public static func decode(json: String) throws(SettingsError) -> ClinicalRules {
    try read(json: json, format: \.parts.format)
  }

  /// Reads a stored record (or its parts: `Value`), refused unless its `format` is one this version reads.
  static func read<Value: Decodable>(json: String, format: KeyPath<Value, Int>) throws(SettingsError) -> Value {
    do {
      let value = try JSONDecoder().decode(Value.self, from: Data(json.utf8))
      guard value[keyPath: format] == 1 else {
        throw SettingsError(
          "the stored clinical rules have format \(value[keyPath: format]), which this compound cannot read")
      }
      return value
    } catch let error as SettingsError {
      throw error
    } catch {
      throw SettingsError("the stored clinical rules cannot be read: \(error)")
    }
  }
}
