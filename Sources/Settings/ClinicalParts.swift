import Formulation
import Foundation

/// The clinical rules in force without their drug vocabulary: the limits, excipients, BUDs, certificates,
/// quality and refill rules that most commands check against.
///
/// The vocabulary is three quarters of a stored record and only the checks of medications and allergies
/// read it, so the other commands read these parts alone (`decode(json:)`); `ClinicalRules` is these and
/// the vocabulary.
public struct ClinicalParts: Sendable, Equatable, Codable {
  /// The stored format of the record.
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

  enum CodingKeys: String, CodingKey {
    case format, capsules, excipients, bud, weighing, formulation, certificates, quality, refillTooSoonPercent
    case balances
  }

  /// The clinical parts of `settings`.
  public init(_ settings: Settings) {
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
  }

  /// Reads stored rules' parts; rules stored before balances were rules have the shipped one, B1.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decode(Int.self, forKey: .format)
    capsules = try container.decode([CapsuleSize].self, forKey: .capsules)
    excipients = try container.decode(Settings.Excipients.self, forKey: .excipients)
    bud = try container.decode(Settings.Bud.self, forKey: .bud)
    weighing = try container.decode(Settings.Weighing.self, forKey: .weighing)
    formulation = try container.decode(Settings.Limits.self, forKey: .formulation)
    certificates = try container.decode([Settings.Certificate].self, forKey: .certificates)
    quality = try container.decode(Settings.Quality.self, forKey: .quality)
    refillTooSoonPercent = try container.decode(Int.self, forKey: .refillTooSoonPercent)
    balances =
      try container.decodeIfPresent([Settings.BalanceEntry].self, forKey: .balances)
      ?? Settings.defaults.balances
  }

  /// `settings` with these rules in place of its clinical parts.
  public func applied(to settings: Settings) -> Settings {
    var result = settings
    result.capsules = capsules
    result.excipients = excipients
    result.bud = bud
    result.weighing = weighing
    result.formulation = formulation
    result.certificates = certificates
    result.quality = quality
    result.dispensing.refillTooSoonPercent = refillTooSoonPercent
    result.balances = balances
    return result
  }

  /// Reads the parts of a stored record; a record this version cannot read is an error, never a default.
  public static func decode(json: String) throws(SettingsError) -> ClinicalParts {
    try ClinicalRules.read(json: json, format: \.format)
  }
}
