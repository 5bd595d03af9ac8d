import CSQLiteControl
import Foundation
import GRDB

/// The statements of one SQLite transaction, through GRDB.
struct SQLiteSession: StoreConnection {
  /// The GRDB connection, inside the transaction the engine opened.
  let db: Database

  var dialect: SQLDialect { .sqlite }

  @discardableResult
  func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> Int {
    do {
      try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
      return db.changesCount
    } catch {
      throw StoreError.from(error)
    }
  }

  /// The rows of a cached statement: read to the end before any other statement runs, so reusing it is safe.
  func rows(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
    var rows: [SQLRow] = []
    try walk(sql, arguments, cached: true) { row throws(StoreError) in
      rows.append(row)
      return true
    }
    return rows
  }

  /// A walk's statement is its own, not the cache's: its body may run statements, the same one included, while
  /// it is half read (a cached statement run again inside would restart under the outer walk's feet).
  func each(
    _ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws(StoreError) -> Bool
  ) throws(StoreError) {
    try walk(sql, arguments, cached: false, body)
  }

  private func walk(
    _ sql: String, _ arguments: [SQLValue], cached: Bool, _ body: (SQLRow) throws(StoreError) -> Bool
  ) throws(StoreError) {
    do {
      let statement = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
      let columns = statement.columnNames
      let positions = SQLRow.positions(of: columns)
      let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
      // Each row's values straight from SQLite's columns: a ten-year walk reads six million rows.
      let handle = statement.sqliteStatement
      while try cursor.next() != nil {
        var values: [SQLValue] = []
        values.reserveCapacity(columns.count)
        for index in 0..<Int32(columns.count) { values.append(try Self.column(handle, index)) }
        guard try body(SQLRow(columns: columns, values: values, positions: positions)) else { return }
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError.from(error)
    }
  }

  private static func arguments(_ values: [SQLValue]) -> StatementArguments {
    StatementArguments(
      values.map { value -> DatabaseValue in
        switch value {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        case .blob(let bytes): return Data(bytes).databaseValue
        }
      })
  }

  /// The `index`-th column of the row `statement` is on.
  private static func column(_ statement: OpaquePointer, _ index: Int32) throws(StoreError) -> SQLValue {
    switch sqlite3_column_type(statement, index) {
    case SQLITE_NULL: return .null
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
    case SQLITE_TEXT:
      let count = Int(sqlite3_column_bytes(statement, index))
      guard let text = sqlite3_column_text(statement, index) else { return .text("") }
      return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
    case SQLITE_BLOB:
      let count = Int(sqlite3_column_bytes(statement, index))
      guard let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
      return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
    default:
      return try value(DatabaseValue(sqliteStatement: statement, index: index))
    }
  }

  /// A stored value; a floating-point one, which no compound column holds, is refused rather than rounded.
  private static func value(_ value: DatabaseValue) throws(StoreError) -> SQLValue {
    switch value.storage {
    case .null: return .null
    case .int64(let number): return .integer(number)
    case .string(let text): return .text(text)
    case .blob(let data): return .blob(Array(data))
    case .double(let number):
      throw StoreError(
        "a stored value is the floating-point number \(number), which compound never writes: it was changed outside"
          + " compound; run 'compound doctor'", code: .corrupt)
    }
  }
}
