/// The statements of one PostgreSQL transaction, through a `PostgresLink`.
struct PostgresSession: StoreConnection {
  /// The connection, inside the transaction the engine opened.
  let link: PostgresLink

  var dialect: SQLDialect { .postgres }

  @discardableResult
  func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> Int {
    try link.run(dialect.statement(sql), arguments).changed
  }

  func rows(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
    let result = try link.run(dialect.statement(sql), arguments)
    return result.rows.map { SQLRow(columns: result.columns, values: $0) }
  }
}
