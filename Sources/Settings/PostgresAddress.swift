import Foundation

/// A PostgreSQL server's address as the database setting gives it: `postgresql://USER@HOST:PORT/NAME`.
///
/// Read as libpq reads a connection URI, with three deliberate differences, each refused with its reason rather
/// than guessed: the role and the database name must be given (libpq would take the operating-system account for
/// both, and a station would write to a database nobody else reads); a password in the address is refused (it
/// shows in `ps`, in shell history and in a settings file copied to every station: it comes from `PGPASSWORD` or
/// `~/.pgpass`); and of the query parameters only `sslmode` and `sslrootcert` are read.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
  /// How the connection uses TLS, as libpq's `sslmode` (the default is `prefer`, as libpq's).
  public enum TLSMode: String, Sendable, CaseIterable {
    case disable
    case allow
    case prefer
    case require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"
  }

  /// The role the station connects as.
  public let user: String
  /// The server's host name or IP address.
  public let host: String
  /// The server's TCP port (5432 unless given).
  public let port: Int
  /// The database's name.
  public let database: String
  /// The TLS mode (`sslmode`).
  public let tlsMode: TLSMode
  /// The certificate authorities that `verify-ca` and `verify-full` trust (`sslrootcert`; else the system's).
  public let rootCertificate: String?

  /// The address without any secret, as messages and the audit trail name it.
  public var description: String {
    let shownHost = host.contains(":") ? "[\(host)]" : host
    return "postgresql://\(user)@\(shownHost):\(port)/\(database)"
  }

  /// The address as libpq's tools (`pg_dump`, `psql`) take it, with its TLS settings and no secret.
  public var connectionString: String {
    var text = description + "?sslmode=\(tlsMode.rawValue)"
    if let rootCertificate {
      text += "&sslrootcert=" + (rootCertificate.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
    return text
  }

  /// Whether `value` is meant as a PostgreSQL address: it starts `postgres:` or `postgresql:`, in any case.
  public static func isAddress(_ value: String) -> Bool {
    guard let colon = value.firstIndex(of: ":") else { return false }
    let scheme = value[..<colon].lowercased()
    return scheme == "postgres" || scheme == "postgresql"
  }

  /// Reads `value`, a `postgresql://` or `postgres://` address; the message of a refusal names `source`.
  public init(_ value: String, from source: SettingSource) throws(SettingsError) {
    let example = "for example postgresql://compound@db.example:5432/pharmacy"
    func refuse(_ what: String) -> SettingsError {
      SettingsError("the database from \(source) is not a PostgreSQL address compound can use: \(what) (\(example))")
    }
    guard let colon = value.firstIndex(of: ":"), value[value.index(after: colon)...].hasPrefix("//"),
      let parts = URLComponents(string: value)
    else {
      throw refuse("write it as postgresql://USER@HOST:PORT/NAME")
    }
    if parts.password != nil {
      throw SettingsError(
        "the database from \(source) holds a password, which anyone can read there: remove it from the address and"
          + " put it in PGPASSWORD or ~/.pgpass (mode 0600)")
    }
    guard let user = parts.user, !user.isEmpty else {
      throw refuse("name the role the station connects as before the host, as compound@")
    }
    guard let host = parts.host, !host.isEmpty else { throw refuse("name the server's host") }
    let port = parts.port ?? 5432
    guard (1...65_535).contains(port) else { throw refuse("the port \(port) is not between 1 and 65535") }
    let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
    guard !path.isEmpty else { throw refuse("name the database after the port, as /pharmacy") }
    guard !path.contains("/") else { throw refuse("the database name '\(path)' holds a /") }
    var tlsMode = TLSMode.prefer
    var rootCertificate: String?
    for item in parts.queryItems ?? [] {
      switch item.name {
      case "sslmode":
        guard let mode = TLSMode(rawValue: item.value ?? "") else {
          throw refuse(
            "sslmode '\(item.value ?? "")' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        tlsMode = mode
      case "sslrootcert":
        guard let file = item.value, !file.isEmpty else { throw refuse("sslrootcert names no file") }
        rootCertificate = file
      default:
        throw refuse("compound reads only sslmode and sslrootcert after the ?, not '\(item.name)'")
      }
    }
    self.user = user
    self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    self.port = port
    self.database = path
    self.tlsMode = tlsMode
    self.rootCertificate = rootCertificate
  }

  /// The same server and role, another database (tests and `init` make and name databases this way).
  public func with(database name: String) -> PostgresAddress {
    PostgresAddress(
      user: user, host: host, port: port, database: name, tlsMode: tlsMode, rootCertificate: rootCertificate)
  }

  /// The same server and database, another role.
  public func with(user name: String) -> PostgresAddress {
    PostgresAddress(
      user: name, host: host, port: port, database: database, tlsMode: tlsMode, rootCertificate: rootCertificate)
  }

  private init(user: String, host: String, port: Int, database: String, tlsMode: TLSMode, rootCertificate: String?) {
    self.user = user
    self.host = host
    self.port = port
    self.database = database
    self.tlsMode = tlsMode
    self.rootCertificate = rootCertificate
  }

  /// The password for this address, as libpq finds it: `PGPASSWORD`, else the first matching line of the
  /// password file (`PGPASSFILE`, else `~/.pgpass`); nil when neither has one.
  ///
  /// A password file that its group or others may read is refused, as libpq ignores it: the message says to
  /// `chmod 0600` it, instead of a login failure that names no cause.
  public func password(environment: [String: String], home: String) throws(SettingsError) -> String? {
    if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
    let file = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.pgpass"
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else { return nil }
    let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
    guard attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
    if mode & 0o077 != 0 {
      throw SettingsError(
        "the password file \(file) may be read by others (mode \(String(mode, radix: 8))): run chmod 0600 \(file)")
    }
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      throw SettingsError("cannot read the password file \(file): check that it is yours and readable")
    }
    for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
      let fields = Self.passwordFields(line)
      guard fields.count == 5 else { continue }
      let wanted = [host, String(port), database, user]
      if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
    }
    return nil
  }

  /// A password file line's five fields, split at unescaped colons, with `\:` and `\\` read as `:` and `\`.
  static func passwordFields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var field = ""
    var escaped = false
    for character in line {
      if escaped {
        field.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == ":" && fields.count < 4 {
        fields.append(field)
        field = ""
      } else {
        field.append(character)
      }
    }
    fields.append(field)
    return fields
  }
}
