/// A value a statement binds or a row holds, in either engine: the types the pharmacy's tables use.
enum SQLValue: Sendable, Equatable, Hashable {
  case null
  case integer(Int64)
  case text(String)
  case blob([UInt8])
}
