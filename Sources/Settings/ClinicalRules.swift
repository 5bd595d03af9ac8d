import Dispensing
import Formulation
import Foundation

/// The rules fills and batches are checked against, as a pharmacist imported them into the database.
///
/// Read from `Config/rules.toml` (limits, excipients, BUDs, certificates, the refill window) and
/// `Config/vocabulary.toml` (the drug vocabulary and its interactions), stored whole as canonical JSON and
/// versioned by its SHA-256, so that each fill and batch can say which rules it met.
public struct ClinicalRules: Sendable, Equatable, Codable {
  /// The stored format of this record.
  public var format: Int
  public var capsules: [CapsuleSize]
  public var excipients: Settings.Excipients
  public var bud: Settings.Bud
  public var weighing: Settings.Weighing
  public var formulation: Settings.Limits
  public var certificates: [Settings.Certificate]
  public var quality: Settings.Quality
  public var refillTooSoonPercent: Int
  /// The balances and their measured repeatability, which set each one's minimum weight.
  public var balances: [Settings.BalanceEntry]
  public var vocabulary: DrugVocabulary

  /// The clinical parts of `settings` with `vocabulary`.
  public init(_ settings: Settings, vocabulary: DrugVocabulary) {
    format = 1
    capsules = settings.capsules
    excipients = settings.excipients
    bud = settings.bud
    weighing = settings.weighing
    formulation = settings.formulation
    certificates = settings.certificates
    quality = settings.quality
    refillTooSoonPercent = settings.dispensing.refillTooSoonPercent
    balances = settings.balances
    self.vocabulary = vocabulary
  }

  enum CodingKeys: String, CodingKey {
    case format, capsules, excipients, bud, weighing, formulation, certificates, quality, refillTooSoonPercent
    case balances, vocabulary
  }

  /// Reads stored rules: their parts (`ClinicalParts`), then the vocabulary.
  public init(from decoder: any Decoder) throws {
    let parts = try ClinicalParts(from: decoder)
    format = parts.format
    capsules = parts.capsules
    excipients = parts.excipients
    bud = parts.bud
    weighing = parts.weighing
    formulation = parts.formulation
    certificates = parts.certificates
    quality = parts.quality
    refillTooSoonPercent = parts.refillTooSoonPercent
    balances = parts.balances
    vocabulary = try decoder.container(keyedBy: CodingKeys.self).decode(DrugVocabulary.self, forKey: .vocabulary)
  }

  /// `settings` with these rules in place of its clinical parts.
  public func applied(to settings: Settings) -> Settings {
    ClinicalParts(self).applied(to: settings)
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
    try read(json: json, format: \.format)
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
