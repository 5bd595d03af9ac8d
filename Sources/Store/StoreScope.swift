/// Which store of a chain a command works at: whose stock it may take, and how its new numbers begin.
///
/// A pharmacy without stores is one store, and nothing is filtered. Once it has stores, every stock choice is
/// the station's store's own (the lots offered at the balance, the batch a fill takes, an adjustment), so that
/// nobody is told to weigh from a lot on another store's shelf. A lot, batch or prescription written before the
/// pharmacy had stores belongs to its first store; a fill and a label belong to their batch's store.
public struct StoreScope: Sendable, Equatable {
  /// A store of the chain, as `compound store add` recorded it.
  public struct Store: Sendable, Equatable, Codable {
    public var id: Int64
    public var code: String
    public var name: String
  }

  /// The station's store; nil in a pharmacy with no stores.
  public let current: Store?
  /// The first store added: it holds what was written before the pharmacy had stores.
  let firstID: Int64?

  /// Nothing filtered: a pharmacy with no stores, or a chain's every store (`--all-stores`, a recall).
  static let whole = StoreScope(current: nil, firstID: nil)

  /// The SQL condition that the `kind` row (`lot`, `batch` or `prescription`) whose id is `id` is this store's.
  func holds(_ kind: String, _ id: String) -> String {
    guard let current, let firstID else { return "1 = 1" }
    return
      "COALESCE((SELECT store_id FROM store_record WHERE store_record.\(kind)_id = \(id)), \(firstID)) = \(current.id)"
  }

  /// The SQL condition that the movement `alias` moved this store's stock (a lot's or a batch's).
  func holdsMovement(_ alias: String) -> String {
    guard current != nil else { return "1 = 1" }
    return "((\(alias).lot_id IS NOT NULL AND \(holds("lot", "\(alias).lot_id")))"
      + " OR (\(alias).batch_id IS NOT NULL AND \(holds("batch", "\(alias).batch_id"))))"
  }

  /// The SQL expression for the code of the store the `kind` row whose id is `id` belongs to; NULL with no stores.
  static func code(_ kind: String, _ id: String) -> String {
    "COALESCE((SELECT store.code FROM store_record JOIN store ON store.id = store_record.store_id"
      + " WHERE store_record.\(kind)_id = \(id)), (SELECT first.code FROM store AS first ORDER BY first.id LIMIT 1))"
  }

  /// What begins this store's new lot and Rx numbers: its code and a hyphen; nothing with no stores.
  public var prefix: String { current.map { $0.code + "-" } ?? "" }
}
