/// Where the two engines' SQL differs, in one place: the store's statements are written once, for both.
enum SQLDialect: Sendable {
  case sqlite
  case postgres

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
