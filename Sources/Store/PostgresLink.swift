import Foundation
import Logging
import PostgresNIO
import Settings

/// One connection to a PostgreSQL server, used synchronously: each statement waits for its result.
///
/// A command is one short process doing one transaction, like the SQLite engine's, so the calling thread
/// blocks on PostgresNIO's futures; the connection's I/O runs on NIO's shared event loop threads. The values it
/// binds and reads are `SQLValue`s: integers, text, bytes and NULL, the types the pharmacy's tables hold.
final class PostgresLink: Sendable {
  /// The address the link was opened with (no secret in it).
  let address: PostgresAddress
  private let connection: PostgresConnection
  private let logger: Logger

  private init(address: PostgresAddress, connection: PostgresConnection, logger: Logger) {
    self.address = address
    self.connection = connection
    self.logger = logger
  }

  /// Connects to `address` with `password`, using TLS as its `sslmode` says.
  static func connect(_ address: PostgresAddress, password: String?) throws(StoreError) -> PostgresLink {
    let logger = Logger(label: "compound.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    var configuration = PostgresConnection.Configuration(
      host: address.host, port: address.port, username: address.user, password: password,
      database: address.database, tls: try tls(address))
    configuration.options.connectTimeout = .seconds(10)
    do {
      let connection = try PostgresConnection.connect(
        on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
      ).wait()
      return PostgresLink(address: address, connection: connection, logger: logger)
    } catch {
      throw connectionError(error, address)
    }
  }

  /// The TLS configuration for the address's `sslmode`: libpq's meaning of each mode.
  ///
  /// `allow` and `prefer` try TLS and go on without it if the server has none; `require` insists but, as
  /// libpq's, checks no certificate; `verify-ca` checks the chain; `verify-full` the chain and the host name.
  private static func tls(_ address: PostgresAddress) throws(StoreError) -> PostgresConnection.Configuration.TLS {
    var configuration = TLSConfiguration.makeClientConfiguration()
    switch address.tlsMode {
    case .disable: return .disable
    case .allow, .prefer, .require: configuration.certificateVerification = .none
    case .verifyCA: configuration.certificateVerification = .noHostnameVerification
    case .verifyFull: configuration.certificateVerification = .fullVerification
    }
    if let file = address.rootCertificate { configuration.trustRoots = .file(file) }
    do {
      let context = try NIOSSLContext(configuration: configuration)
      return address.tlsMode == .allow || address.tlsMode == .prefer ? .prefer(context) : .require(context)
    } catch {
      throw StoreError(
        "cannot set up TLS for \(address) (sslrootcert \(address.rootCertificate ?? "none")): \(error)",
        code: .database, cause: error)
    }
  }

  /// Runs one statement with `arguments` bound to `$1`, `$2`, ...; returns its rows and how many it changed.
  @discardableResult
  func run(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> PostgresRows {
    var bindings = PostgresBindings(capacity: arguments.count)
    for argument in arguments {
      switch argument {
      case .null: bindings.appendNull()
      case .integer(let value): bindings.append(value)
      case .text(let value): bindings.append(UntypedText(text: value))
      case .blob(let value): bindings.append(ByteBuffer(bytes: value))
      }
    }
    do {
      let result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait()
      return PostgresRows(
        rows: try result.rows.map { row in try row.map { cell in try Self.decoded(cell) } },
        columns: result.rows.first.map { row in row.map(\.columnName) } ?? [],
        changed: result.metadata.rows ?? 0)
    } catch let error as StoreError {
      throw error
    } catch {
      throw Self.statementError(error)
    }
  }

  /// Runs a script's statements one after another, with no arguments (a migration's script).
  ///
  /// PostgresNIO speaks only the extended protocol, one statement a message, so the script is cut at its
  /// semicolons (those outside quotes, dollar quotes and comments) by `statements`.
  func script(_ sql: String) throws(StoreError) {
    for statement in Self.statements(sql) { try run(statement) }
  }

  /// The statements of a script, cut at each semicolon outside a '...' or "..." quote, a $tag$...$tag$
  /// body and a -- comment; comments and blank statements are left out.
  static func statements(_ script: String) -> [String] {
    var statements: [String] = []
    var current = ""
    var characters = Substring(script)
    func flush() {
      let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
      if !statement.isEmpty { statements.append(statement) }
      current = ""
    }
    while let character = characters.first {
      if character == "-", characters.hasPrefix("--") {
        characters = characters.drop { $0 != "\n" }
        continue
      }
      if character == "'" || character == "\"" {
        let closing = characters.dropFirst().firstIndex(of: character) ?? characters.endIndex
        let end = closing == characters.endIndex ? closing : characters.index(after: closing)
        current += characters[..<end]
        characters = characters[end...]
        continue
      }
      if character == "$", let tagEnd = characters.dropFirst().firstIndex(of: "$"),
        characters[characters.index(after: characters.startIndex)..<tagEnd].allSatisfy({
          $0.isLetter || $0.isNumber || $0 == "_"
        }),
        characters.dropFirst().first?.isNumber != true
      {
        let tag = characters[...tagEnd]
        let body = characters[characters.index(after: tagEnd)...]
        let close = body.range(of: tag)?.upperBound ?? characters.endIndex
        current += characters[..<close]
        characters = characters[close...]
        continue
      }
      characters = characters.dropFirst()
      if character == ";" { flush() } else { current.append(character) }
    }
    flush()
    return statements
  }

  /// Closes the connection (again a no-op once closed).
  func close() {
    try? connection.close().wait()
  }

  // PostgresNIO stops the process if a connection is released open.
  deinit {
    close()
  }

  /// A cell as the value it holds: integers of any width as `Int64`, `bytea` as bytes, `numeric` as its
  /// digits, text as text (and `citext`, an extension's type whose binary form is its text).
  ///
  /// Any other built-in type (a time, a float) is refused rather than read as text: its binary form is not.
  /// A function that returns nothing (`pg_advisory_xact_lock`) returns NULL.
  private static func decoded(_ cell: PostgresCell) throws(StoreError) -> SQLValue {
    do {
      return try value(cell)
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(
        "the column \(cell.columnName) (PostgreSQL type \(cell.dataType), \(cell.format)) could not be read: \(String(reflecting: error))",
        code: .database, cause: error)
    }
  }

  private static func value(_ cell: PostgresCell) throws -> SQLValue {
    guard cell.bytes != nil else { return .null }
    switch cell.dataType {
    case .void: return .null
    case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
    case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
    case .bytea:
      var buffer = try cell.decode(ByteBuffer.self)
      return .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
    // A sum of integers is `numeric`: an integer, as SQLite's sum is, when it is whole and fits; else its exact
    // digits, as SQLite's decimal text columns hold them.
    case .numeric:
      let digits = "\(try cell.decode(Decimal.self))"
      return Int64(digits).map { .integer($0) } ?? .text(digits)
    case .text, .varchar, .bpchar, .name, .json: return .text(try cell.decode(String.self))
    // Extensions' types (citext) have the first free object ids, past the built-in ones.
    case let type where type.rawValue >= 16_384: return .text(try cell.decode(String.self))
    default:
      throw StoreError(
        "the column \(cell.columnName) is of PostgreSQL type \(cell.dataType), which compound does not read",
        code: .database)
    }
  }

  /// The server's SQLSTATE of `error`, when the server sent one.
  static func state(of error: any Error) -> String? {
    ((error as? StoreError)?.cause as? PSQLError ?? error as? PSQLError)?.serverInfo?[.sqlState]
  }

  /// A failed statement as the pharmacist reads it: the server's own message, classed by its SQLSTATE.
  private static func statementError(_ error: any Error) -> StoreError {
    guard let psql = error as? PSQLError, let message = psql.serverInfo?[.message] else {
      return StoreError("the PostgreSQL server did not answer: \(error)", code: .database, cause: error)
    }
    let state = psql.serverInfo?[.sqlState] ?? ""
    switch state {
    case "40001", "40P01":
      return StoreError(
        "another station changed the same records at the same moment: try again", code: .busy, cause: psql)
    case "53100":
      return StoreError(
        "the PostgreSQL server's disk is full: nothing was written; ask whoever runs the server to free space",
        code: .database, cause: psql)
    case "P0001":
      return StoreError(message, code: .database, cause: psql)
    case "42P01" where message.contains("audit_pending"):
      return StoreError(
        "this connection does not record its changes in the audit trail: records are written through compound"
          + " only; nothing was written", code: .database, cause: psql)
    case "42501":
      return StoreError(
        "the database refused the change: \(message) (the station's role may not do this)", code: .database,
        cause: psql)
    default:
      return StoreError("the database refused the change: \(message)", code: .database, cause: psql)
    }
  }

  /// A failed connection as the pharmacist reads it: which server, and what to check.
  private static func connectionError(_ error: any Error, _ address: PostgresAddress) -> StoreError {
    let psql = error as? PSQLError
    if let message = psql?.serverInfo?[.message] {
      let state = psql?.serverInfo?[.sqlState] ?? ""
      if state == "28P01" || state == "28000" {
        return StoreError(
          "the PostgreSQL server at \(address) refused the login: \(message); check the password in PGPASSWORD or"
            + " ~/.pgpass", code: .database, cause: error)
      }
      if state == "3D000" {
        return StoreError(
          "\(address): \(message); check the name in the address, or have the database's owner create it",
          code: .database, cause: error)
      }
      return StoreError("cannot open \(address): \(message)", code: .database, cause: error)
    }
    if psql?.code == .authMechanismRequiresPassword {
      return StoreError(
        "the PostgreSQL server at \(address) asks for a password: put it in PGPASSWORD or ~/.pgpass (mode 0600)",
        code: .database, cause: error)
    }
    if psql?.code == .sslUnsupported {
      return StoreError(
        "the PostgreSQL server at \(address) has no TLS, which sslmode=\(address.tlsMode.rawValue) requires",
        code: .database, cause: error)
    }
    if let underlying = psql?.underlying as? NIOSSLExtraError, underlying == .failedToValidateHostname {
      return StoreError(
        "the certificate of the PostgreSQL server at \(address.host):\(address.port) does not name \(address.host),"
          + " which sslmode=verify-full requires: give the host as its certificate names it", code: .database,
        cause: error)
    }
    if let underlying = psql?.underlying, case NIOSSLError.handshakeFailed = underlying {
      return StoreError(
        "the PostgreSQL server at \(address.host):\(address.port) presented a certificate that"
          + " sslmode=\(address.tlsMode.rawValue) does not accept: it is not signed by an authority in"
          + " \(address.rootCertificate ?? "the system's store"); check sslrootcert", code: .database, cause: error)
    }
    let reason = psql?.underlying.map(Self.reason) ?? "\(error)"
    return StoreError(
      "cannot reach the PostgreSQL server at \(address.host):\(address.port): \(reason); check that it runs and"
        + " that this station may connect", code: .database, cause: error)
  }
}

extension PostgresLink {
  /// Why a connection failed, in words: the system's reason for a refused or unreachable port, a host name
  /// that does not resolve, a server that did not answer in time.
  static func reason(_ error: any Error) -> String {
    if let connection = error as? NIOConnectionError {
      if connection.dnsAError != nil, connection.dnsAAAAError != nil, connection.connectionErrors.isEmpty {
        return "the host name \(connection.host) does not resolve"
      }
      if let first = connection.connectionErrors.first { return reason(first.error) }
    }
    if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
    if case ChannelError.connectTimeout = error { return "it did not answer within 10 seconds" }
    return "\(error)"
  }
}

/// Text bound with no type, as libpq binds a parameter: the server gives it the type of the place it fills.
///
/// PostgresNIO binds a `String` as `text`, and `citext = text` compares as text, in letter case: a lot number
/// typed in lower case would find nothing on PostgreSQL where SQLite's `COLLATE NOCASE` finds it. Untyped, the
/// parameter compared with a `citext` column is `citext`, and the text is read as that type's input.
struct UntypedText: PostgresNonThrowingEncodable {
  let text: String

  static var psqlType: PostgresDataType { .null }
  static var psqlFormat: PostgresFormat { .text }

  func encode<JSONEncoder: PostgresJSONEncoder>(
    into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
  ) {
    byteBuffer.writeString(text)
  }
}

/// The rows a PostgreSQL statement returned, with their column names, and how many rows it changed.
struct PostgresRows: Sendable {
  /// Each row's values, in column order.
  let rows: [[SQLValue]]
  /// The columns' names (empty when no row came back).
  let columns: [String]
  /// How many rows the statement inserted, updated or deleted.
  let changed: Int
}
