import Foundation

/// What the database setting may name: the path of a SQLite file, or a PostgreSQL server's address; never a URL
/// taken for a folder's name.
///
/// Given `postgresql://USER@HOST:PORT/NAME`, a path-only reading would create a folder named `postgresql:` and a
/// fresh, empty pharmacy inside it, and the station would go on writing records nobody else sees. So a
/// PostgreSQL address is read as one (and refused for what is wrong with it), and any other value that looks
/// like an address (a scheme followed by `://`) is refused, saying where it came from, before anything is
/// opened or created.
public enum DatabaseAddress {
  /// The server `value` names, nil for a path; throws when it is another kind of address, naming `source` and
  /// what to give instead.
  public static func check(_ value: String, from source: SettingSource) throws(SettingsError) -> PostgresAddress? {
    guard let colon = value.firstIndex(of: ":") else { return nil }
    let scheme = value[..<colon].lowercased()
    let schemeLike =
      scheme.first?.isLetter == true
      && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    guard schemeLike else { return nil }
    if PostgresAddress.isAddress(value) {
      return try PostgresAddress(value, from: source)
    }
    if value[colon...].hasPrefix("://") {
      throw SettingsError(
        "the database from \(source) is a \(scheme):// address, which compound does not read: give the path of"
          + " the pharmacy's SQLite file (for example /var/lib/compound/pharmacy.sqlite) or a PostgreSQL server as"
          + " postgresql://ROLE@HOST:PORT/DATABASE")
    }
    return nil
  }
}
