/// Where the two engines' SQL differs, in one place: the store's statements are written once, for both.
enum SQLDialect: Sendable {
  case sqlite
  case postgres

  /// A query of one row whose `found` is 1 when the table named by the parameter exists, else 0.
  var tableExists: String {
    switch self {
    case .sqlite: "SELECT count(*) AS found FROM main.sqlite_master WHERE type = 'table' AND name = ?"
    case .postgres: "SELECT (to_regclass(?) IS NOT NULL)::int AS found"
    }
  }

  /// A query of the columns (`name`) of the table named by the parameter, in the table's order.
  var columns: String {
    switch self {
    case .sqlite: "SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid"
    case .postgres:
      "SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = current_schema()"
        + " AND table_name = ? ORDER BY ordinal_position"
    }
  }

  /// `table` read through `index`: SQLite's planner is told (`INDEXED BY`, which fails loudly if the index is
  /// gone); PostgreSQL's chooses for itself from its statistics.
  func table(_ table: String, indexedBy index: String) -> String {
    switch self {
    case .sqlite: "\(table) INDEXED BY \(index)"
    case .postgres: table
    }
  }

  /// A join that keeps the tables in the order written: SQLite's planner starts from the left of a `CROSS JOIN`
  /// (an inner join all the same); PostgreSQL's plans an inner join for itself (its `CROSS JOIN` takes no `ON`).
  var orderedJoin: String {
    switch self {
    case .sqlite: "CROSS JOIN"
    case .postgres: "JOIN"
    }
  }

  /// The function that gives the greatest of its arguments (SQLite's `max` of two or more; `greatest`).
  var greatest: String {
    switch self {
    case .sqlite: "max"
    case .postgres: "greatest"
    }
  }

  /// A condition that `column` is a whole number written in digits, with no leading zero.
  func wholeNumber(_ column: String) -> String {
    switch self {
    case .sqlite: "(\(column) GLOB '[1-9]*' AND \(column) NOT GLOB '*[^0-9]*')"
    case .postgres: "\(column) ~ '^[1-9][0-9]*$'"
    }
  }

  /// A condition that `column` equals the next parameter in any letter case (as a lot number is typed).
  func equalsIgnoringCase(_ column: String) -> String {
    switch self {
    case .sqlite: "\(column) = ? COLLATE NOCASE"
    case .postgres: "lower(\(column)) = lower(?)"
    }
  }

  /// `sql`, written with `?` placeholders, in this engine's form: PostgreSQL numbers them `$1`, `$2`, ...
  ///
  /// A `?` inside a quoted string, a quoted name or a comment is text, not a placeholder.
  func statement(_ sql: String) -> String {
    guard self == .postgres, sql.contains("?") else { return sql }
    var result = ""
    var number = 0
    var quote: Character?
    var comment = false
    for character in sql {
      if comment {
        if character == "\n" { comment = false }
      } else if let open = quote {
        if character == open { quote = nil }
      } else if character == "'" || character == "\"" {
        quote = character
      } else if character == "-", result.last == "-" {
        comment = true
      } else if character == "?" {
        number += 1
        result += "$\(number)"
        continue
      }
      result.append(character)
    }
    return result
  }
}
