import Foundation

/// What the database setting may name: the path of a SQLite file, never a URL taken for a folder's name.
///
/// Given `postgresql://USER@HOST:PORT/NAME`, a path-only compound would create a folder named `postgresql:` and a
/// fresh, empty pharmacy inside it, and the station would go on writing records nobody else sees. So a value that
/// looks like an address (a scheme followed by `://`, or any `postgres:` or `postgresql:` form) is refused, saying
/// where it came from, before anything is opened or created. A PostgreSQL address is read first, so that a
/// mistyped one is refused for what is wrong with it.
public enum DatabaseAddress {
  /// Throws when `value` is an address rather than a path, naming `source` and what to give instead.
  public static func check(_ value: String, from source: SettingSource) throws(SettingsError) {
    guard let colon = value.firstIndex(of: ":") else { return }
    let scheme = value[..<colon].lowercased()
    let schemeLike =
      scheme.first?.isLetter == true
      && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    guard schemeLike else { return }
    if PostgresAddress.isAddress(value) {
      _ = try PostgresAddress(value, from: source)
      throw SettingsError(
        "the database from \(source) is a PostgreSQL server (\(scheme)://...), which this compound cannot use yet:"
          + " give the path of the pharmacy's SQLite file instead, for example /var/lib/compound/pharmacy.sqlite")
    }
    if value[colon...].hasPrefix("://") {
      throw SettingsError(
        "the database from \(source) is a \(scheme):// address, not a file: give the path of the pharmacy's SQLite"
          + " file instead, for example /var/lib/compound/pharmacy.sqlite")
    }
  }
}
