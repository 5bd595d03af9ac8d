/// The statements of one PostgreSQL transaction, through a `PostgresLink`.
struct PostgresSession: StoreConnection {
  /// The connection, inside the transaction the engine opened.
  let link: PostgresLink

  var dialect: SQLDialect { .postgres }

  @discardableResult
  func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> Int {
    try link.run(dialect.statement(sql), arguments).changed
  }

  /// PostgreSQL's rows come whole (the trails on a server are young); each is handed on in turn.
  func each(
    _ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws(StoreError) -> Bool
  ) throws(StoreError) {
    for row in try rows(sql, arguments) where try !body(row) { return }
  }

  func rows(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
    let result = try link.run(dialect.statement(sql), arguments)
    return result.rows.map { SQLRow(columns: result.columns, values: $0) }
  }
}
