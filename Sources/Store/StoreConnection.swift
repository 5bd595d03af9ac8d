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
