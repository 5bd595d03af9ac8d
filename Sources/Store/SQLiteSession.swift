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

  func rows(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
    do {
      return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments)).map { row in
        SQLRow(
          columns: Array(row.columnNames),
          values: try row.databaseValues.map { value throws(StoreError) in try Self.value(value) })
      }
    } catch {
      throw StoreError.from(error)
    }
  }

  func each(
    _ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws(StoreError) -> Void
  ) throws(StoreError) {
    do {
      let statement = try db.cachedStatement(sql: sql)
      let columns = statement.columnNames
      let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
      while let row = try cursor.next() {
        try body(
          SQLRow(
            columns: columns, values: try row.databaseValues.map { value throws(StoreError) in try Self.value(value) }))
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
