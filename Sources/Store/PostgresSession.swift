import Synchronization

/// The statements of one PostgreSQL transaction, through a `PostgresLink`.
struct PostgresSession: StoreConnection {
  /// Numbers the cursors of walks, which may nest (a walk's body may walk another statement).
  private static let walks = Mutex(0)
  /// How many rows a walk fetches at a time.
  static let fetchSize = 2_000

  /// The connection, inside the transaction the engine opened.
  let link: PostgresLink

  var dialect: SQLDialect { .postgres }

  @discardableResult
  func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> Int {
    try link.run(dialect.statement(sql), arguments).changed
  }

  /// The rows through a cursor, a few thousand at a time: a ten-year trail or a month of a million movements
  /// is walked in the memory of one batch, as SQLite walks its rows.
  func each(
    _ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws(StoreError) -> Bool
  ) throws(StoreError) {
    let cursor = "compound_walk_\(Self.walks.withLock { number in number += 1; return number })"
    try link.run("DECLARE \(cursor) NO SCROLL CURSOR FOR " + dialect.statement(sql), arguments)
    defer { _ = try? link.run("CLOSE \(cursor)") }
    while true {
      let batch = try link.run("FETCH FORWARD \(Self.fetchSize) FROM \(cursor)")
      let positions = SQLRow.positions(of: batch.columns)
      for values in batch.rows {
        guard try body(SQLRow(columns: batch.columns, values: values, positions: positions)) else { return }
      }
      if batch.rows.count < Self.fetchSize { return }
    }
  }

  func rows(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
    let result = try link.run(dialect.statement(sql), arguments)
    let positions = SQLRow.positions(of: result.columns)
    return result.rows.map { SQLRow(columns: result.columns, values: $0, positions: positions) }
  }
}
