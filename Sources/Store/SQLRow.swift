/// A row a statement returned, its values by column name, whichever engine it came from.
struct SQLRow: Sendable, Equatable {
  /// The columns' names, in the statement's order.
  let columns: [String]
  /// The values, in the same order.
  let values: [SQLValue]
  /// Each column's position by name, made once for a statement and shared by its rows (a month's export reads
  /// a million rows by name); nil looks the name up in order.
  private let positions: [String: Int]?

  init(columns: [String], values: [SQLValue], positions: [String: Int]? = nil) {
    self.columns = columns
    self.values = values
    self.positions = positions
  }

  /// The positions `SQLRow` shares between the rows of a statement returning `columns` (the first of a name).
  static func positions(of columns: [String]) -> [String: Int] {
    Dictionary(columns.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
  }

  static func == (lhs: SQLRow, rhs: SQLRow) -> Bool {
    lhs.columns == rhs.columns && lhs.values == rhs.values
  }

  /// The value of `column`; a column the statement did not return is a programming error, named.
  func value(_ column: String) -> SQLValue {
    guard let index = positions?[column] ?? columns.firstIndex(of: column) else {
      preconditionFailure("the statement returned no column \(column) (it returned \(columns))")
    }
    return values[index]
  }

  /// `column` read as `T` (an optional type reads NULL as nil); a value of another kind is refused as a record
  /// changed outside compound.
  subscript<T: SQLColumnValue>(_ column: String) -> T {
    get throws(StoreError) {
      guard let found = T.from(self.value(column)) else { throw mismatch(column, T.kind) }
      return found
    }
  }

  /// Whether the statement returned `column`.
  func hasColumn(_ column: String) -> Bool { columns.contains(column) }

  /// `column` as an integer; anything else is a stored value this version cannot read.
  func integer(_ column: String) throws(StoreError) -> Int64 {
    guard case .integer(let value) = self.value(column) else { throw mismatch(column, "an integer") }
    return value
  }

  /// The value in the `index`-th column, for a walk over millions of rows that names none of them.
  func integer(at index: Int) throws(StoreError) -> Int64 {
    guard case .integer(let value) = values[index] else { throw mismatch(columns[index], "an integer") }
    return value
  }

  /// The text in the `index`-th column.
  func text(at index: Int) throws(StoreError) -> String {
    guard case .text(let value) = values[index] else { throw mismatch(columns[index], "text") }
    return value
  }

  /// The text in the `index`-th column, or nil when it holds NULL.
  func optionalText(at index: Int) throws(StoreError) -> String? {
    values[index] == .null ? nil : try text(at: index)
  }

  /// `column` as text; anything else is a stored value this version cannot read.
  func text(_ column: String) throws(StoreError) -> String {
    guard case .text(let value) = self.value(column) else { throw mismatch(column, "text") }
    return value
  }

  /// `column` as an integer, or nil when it holds NULL.
  func optionalInteger(_ column: String) throws(StoreError) -> Int64? {
    value(column) == .null ? nil : try integer(column)
  }

  /// `column` as text, or nil when it holds NULL.
  func optionalText(_ column: String) throws(StoreError) -> String? {
    value(column) == .null ? nil : try text(column)
  }

  private func mismatch(_ column: String, _ wanted: String) -> StoreError {
    StoreError(
      "the stored \(column) holds \(value(column)), not \(wanted): it was changed outside compound; run 'compound doctor'",
      code: .corrupt)
  }
}
