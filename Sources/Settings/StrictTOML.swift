import Foundation
import TOMLKit

/// Decodes a TOML file strictly: an unknown key is an error, and every error names the file and the key.
enum StrictTOML {
  static func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws(SettingsError) -> T {
    var table: TOMLTable?
    do {
      var decoder = TOMLDecoder()
      decoder.strictDecoding = true
      try TOMLText.refuseBrokenHeaders(text)
      table = try TOMLTable(string: text)
      try TOMLText.refuseControlCharacters(table ?? TOMLTable())
      return try decoder.decode(type, from: table ?? TOMLTable())
    } catch let error as SettingsError {
      throw SettingsError("\(file): \(error.message)")
    } catch {
      throw SettingsError(TOMLErrorText.describe(error, file: file, table: table))
    }
  }
}
