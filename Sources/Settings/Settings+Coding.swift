import Foundation

/// How settings are written to and read from TOML, with the two shortcuts `SettingsLoader` takes.
///
/// A settings file names a few tables; the loader encodes the defaults of just those (`encodedKeys`), merges
/// the file over them, and reads the rest as their defaults (`missingKeepsDefault`). Encoding every
/// default on every command took longer than the rest of the settings.
extension Settings {
  /// An encoder's `userInfo` key: the only top-level keys to write (a `Set<String>`); all when absent.
  public static let encodedKeys = CodingUserInfoKey(rawValue: "compound.settings.encodedKeys")
  /// A decoder's `userInfo` key: `true` lets a missing top-level key keep its default; otherwise it is an error.
  public static let missingKeepsDefault = CodingUserInfoKey(rawValue: "compound.settings.missingKeepsDefault")

  /// Writes every key, or only those named under `encodedKeys`.
  public func encode(to encoder: any Encoder) throws {
    let only = Self.encodedKeys.flatMap { encoder.userInfo[$0] as? Set<String> }
    var container = encoder.container(keyedBy: CodingKeys.self)
    func put<Value: Encodable>(_ value: Value, _ key: CodingKeys) throws {
      if only?.contains(key.stringValue) ?? true { try container.encode(value, forKey: key) }
    }
    try put(version, .version)
    try put(database, .database)
    try put(pharmacy, .pharmacy)
    try put(capsules, .capsules)
    try put(excipients, .excipients)
    try put(bud, .bud)
    try put(lots, .lots)
    try put(weighing, .weighing)
    try put(formulation, .formulation)
    try put(certificates, .certificates)
    try put(quality, .quality)
    try put(dispensing, .dispensing)
    try put(labels, .labels)
    try put(pricingFile, .pricingFile)
    try put(pricing, .pricing)
    try put(inventory, .inventory)
    try put(signing, .signing)
    try put(display, .display)
    try put(balances, .balances)
    try put(bench, .bench)
  }

  /// Reads every key; under `missingKeepsDefault`, a key that is not there keeps its default.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let keepsDefault = Self.missingKeepsDefault.flatMap { decoder.userInfo[$0] as? Bool } ?? false
    let defaults = keepsDefault ? Settings.defaults : nil
    func value<Value: Decodable>(_ key: CodingKeys, _ path: KeyPath<Settings, Value>) throws -> Value {
      if let defaults, !container.contains(key) { return defaults[keyPath: path] }
      return try container.decode(Value.self, forKey: key)
    }
    self.init(
      version: try value(.version, \.version), database: try value(.database, \.database),
      pharmacy: try value(.pharmacy, \.pharmacy), capsules: try value(.capsules, \.capsules),
      excipients: try value(.excipients, \.excipients), bud: try value(.bud, \.bud), lots: try value(.lots, \.lots),
      weighing: try value(.weighing, \.weighing), formulation: try value(.formulation, \.formulation),
      certificates: try value(.certificates, \.certificates), quality: try value(.quality, \.quality),
      dispensing: try value(.dispensing, \.dispensing), labels: try value(.labels, \.labels),
      pricingFile: try value(.pricingFile, \.pricingFile), pricing: try value(.pricing, \.pricing),
      inventory: try value(.inventory, \.inventory), signing: try value(.signing, \.signing),
      display: try value(.display, \.display), balances: try value(.balances, \.balances),
      bench: try value(.bench, \.bench))
  }
}
