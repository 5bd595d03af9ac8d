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
}

extension StoreConnection {
  /// The statement's first row, or nil when it returned none.
  func row(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> SQLRow? {
    try rows(sql, arguments).first
  }
}
