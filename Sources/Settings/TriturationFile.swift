import Formulation
import Foundation
import TOMLKit

/// A trituration's master formula as written in a `.toml` file with `kind = "trituration"` (see
/// `Config/formulas/NTX-T10.toml`).
public struct TriturationFile: Sendable, Decodable {
  var kind: String
  var code: String
  var name: String
  var api: String
  var diluent: String
  var parts: Int
  var budCategory: String
  var storage: String
  var instructions: String

  enum CodingKeys: String, CodingKey {
    case kind, code, name, api, diluent, parts, storage, instructions
    case budCategory = "bud_category"
  }

  /// Whether the formula file `text` says `kind = "trituration"` (a capsule formula says nothing or "capsule").
  public static func isTrituration(_ text: String) -> Bool {
    guard let table = try? TOMLTable(string: text) else { return false }
    return table["kind"]?.string == "trituration"
  }

  /// Parses a trituration file; throws naming the file and the key at fault.
  public static func parse(_ text: String, file: String) throws(SettingsError) -> Trituration {
    let parsed = try StrictTOML.decode(TriturationFile.self, from: text, file: file)
    guard (2...1000).contains(parsed.parts) else {
      throw SettingsError("\(file): 'parts' must be 2 to 1000 (1 part of API in that many), not \(parsed.parts)")
    }
    return Trituration(
      code: parsed.code.uppercased(), name: parsed.name, api: parsed.api.uppercased(),
      diluent: parsed.diluent.uppercased(), parts: parsed.parts, budCategory: parsed.budCategory,
      storage: parsed.storage, instructions: parsed.instructions)
  }
}
