import Foundation
import TOMLKit

/// Decodes a TOML file strictly: an unknown key is an error, and every error names the file and the key.
enum StrictTOML {
  static func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws(SettingsError) -> T {
    do {
      var decoder = TOMLDecoder()
      decoder.strictDecoding = true
      try TOMLText.refuseBrokenHeaders(text)
      let table = try TOMLTable(string: text)
      try TOMLText.refuseControlCharacters(table)
      return try decoder.decode(type, from: table)
    } catch let error as SettingsError {
      throw SettingsError("\(file): \(error.message)")
    } catch {
      throw SettingsError(TOMLErrorText.describe(error, file: file))
    }
  }
}
