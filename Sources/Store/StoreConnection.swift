/// The statements of one transaction, whichever engine runs them: the one interface the store's queries use.
///
/// Statements are written once, with `?` placeholders, in the SQL both engines read; `SQLDialect` turns them
/// into each engine's form. Values go in and come out as `SQLValue`s.
protocol StoreConnection {
  /// Which engine runs the statements.
  var dialect: SQLDialect { get }

  /// Runs a statement; returns how many rows it inserted, updated or deleted.
  @discardableResult
  func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> Int

  /// Runs a statement and returns its rows.
  func rows(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow]

  /// Runs a statement and hands `body` its rows one at a time, until `body` returns false (SQLite reads them as
  /// they are walked, for a ten-year trail that would not fit in memory at once).
  func each(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws(StoreError) -> Bool) throws(StoreError)
}

extension StoreConnection {
  /// The statement's first row, or nil when it returned none.
  func row(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> SQLRow? {
    try rows(sql, arguments).first
  }

  /// Runs a statement with `arguments` in the order of its `?`s; returns how many rows it changed.
  @discardableResult
  func execute(sql: String, arguments: SQLArguments = []) throws(StoreError) -> Int {
    try execute(sql, arguments.sqlValues)
  }

  /// Runs an `INSERT` and returns the new row's `id` (the statement gains `RETURNING id`, which both engines read).
  func insert(sql: String, arguments: SQLArguments = []) throws(StoreError) -> Int64 {
    guard let row = try row(sql + " RETURNING id", arguments.sqlValues) else {
      throw StoreError("the database added no row for: \(sql)", code: .database)
    }
    return try row.integer("id")
  }

  /// The statement's rows.
  func rows(sql: String, arguments: SQLArguments = []) throws(StoreError) -> [SQLRow] {
    try rows(sql, arguments.sqlValues)
  }

  /// The statement's first row, or nil when it returned none.
  func row(sql: String, arguments: SQLArguments = []) throws(StoreError) -> SQLRow? {
    try rows(sql, arguments.sqlValues).first
  }

  /// The first column of the statement's first row as `T`; nil when it returned no row or NULL there.
  func value<T: SQLColumnValue>(_ type: T.Type, sql: String, arguments: SQLArguments = []) throws(StoreError) -> T? {
    guard let row = try row(sql: sql, arguments: arguments), let column = row.columns.first else { return nil }
    let value: T? = try row[column]
    return value
  }

  /// The first column of every row as `T` (rows holding NULL there are left out).
  func values<T: SQLColumnValue>(_ type: T.Type, sql: String, arguments: SQLArguments = []) throws(StoreError) -> [T] {
    var values: [T] = []
    for row in try rows(sql: sql, arguments: arguments) {
      guard let column = row.columns.first else { continue }
      let value: T? = try row[column]
      if let value { values.append(value) }
    }
    return values
  }

  /// Whether the database has the table `name`.
  func tableExists(_ name: String) throws(StoreError) -> Bool {
    try row(dialect.tableExists, [.text(name)])?.integer("found") == 1
  }

  /// The columns of `table`, in the table's order (none when there is no such table).
  func columns(of table: String) throws(StoreError) -> [String] {
    try rows(dialect.columns, [.text(table)]).map { row throws(StoreError) in try row.text("name") }
  }

  /// The canonical JSON of the rows of `table` named `alias` in a query, every column in the table's order: the
  /// text whose SHA-256 the audit trail keeps.
  func rowJSON(table: String, alias: String) throws(StoreError) -> String {
    switch dialect {
    case .sqlite: AuditTrail.rowJSON(columns: try columns(of: table), row: alias)
    case .postgres: "row_to_json(\(alias))::text"
    }
  }
}
