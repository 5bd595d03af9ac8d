import Accounts
import Foundation
import Settings
import Synchronization

extension AppDatabase {
  /// Every store of the chain, in the order they were added; none in a single store.
  public func stores() throws(StoreError) -> [StoreScope.Store] {
    try read { db in try Self.storeRows(db) }
  }

  /// The chain's stores in `db`, in the order they were added.
  static func storeRows(_ db: any StoreConnection) throws(StoreError) -> [StoreScope.Store] {
    var stores: [StoreScope.Store] = []
    for row in try db.rows(sql: "SELECT id, code, name FROM store ORDER BY id") {
      stores.append(StoreScope.Store(id: try row["id"], code: try row["code"], name: try row["name"]))
    }
    return stores
  }

  /// Adds a store to the chain, signed by a pharmacist; the first one added holds every record written before.
  public func addStore(code: String, name: String, by user: User, now: Date) throws(StoreError) -> StoreScope.Store {
    guard Settings.isStoreCode(code) else {
      throw StoreError("'\(code)' is not a store code: use 1 to 8 letters or digits, for example WEST")
    }
    let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (1...200).contains(name.count) else {
      throw StoreError("a store needs a name of 1 to 200 characters: --name \"West Side\"")
    }
    if let refusal = SigningRules.refusal(user, for: .addStore) { throw StoreError(refusal) }
    return try write(stamp(user.id, now)) { db in
      let stores = try Self.storeRows(db)
      if let same = stores.first(where: { $0.code.uppercased() == code.uppercased() }) {
        throw StoreError("store \(same.code) already exists (\(same.name)): 'compound store list' shows the stores")
      }
      let id = try db.insert(
        sql: "INSERT INTO store (code, name, added_at, added_by) VALUES (?, ?, ?, ?)",
        arguments: [code.uppercased(), name, Timestamp.string(now), user.id])
      return StoreScope.Store(id: id, code: code.uppercased(), name: name)
    }
  }

  /// Sets the store this station works at (`[pharmacy] store`); nil or empty in a single store.
  public func setStore(_ code: String?) {
    storeCode.withLock { $0 = code.flatMap { $0.isEmpty ? nil : $0.uppercased() } }
  }

  /// The store this command works at, checked against the chain's stores in `db`.
  ///
  /// Refused, saying what to set, when the station names a store the pharmacy does not have, or names none in a
  /// pharmacy that has stores: a stock choice made without knowing the store would take another store's stock.
  func scope(_ db: any StoreConnection) throws(StoreError) -> StoreScope {
    let stores = try Self.storeRows(db)
    let code = storeCode.withLock { $0 }
    guard let first = stores.first else {
      guard let code else { return .whole }
      throw StoreError(
        "this station's store \(code) ([pharmacy] store) is not one of this pharmacy's stores: it has none yet;"
          + " a pharmacist adds it with 'compound store add \(code) --name NAME --by PHARMACIST'", code: .notFound)
    }
    let codes = stores.map(\.code).joined(separator: ", ")
    guard let code else {
      throw StoreError(
        "this pharmacy has stores (\(codes)): name this station's in its settings, [pharmacy] store = CODE")
    }
    guard let current = stores.first(where: { $0.code.uppercased() == code }) else {
      throw StoreError(
        "this station's store \(code) ([pharmacy] store) is not one of this pharmacy's stores (\(codes)): correct"
          + " the setting, or a pharmacist adds it with 'compound store add \(code) --name NAME --by PHARMACIST'",
        code: .notFound)
    }
    return StoreScope(current: current, firstID: first.id)
  }

  /// Records that the `kind` row (`lot`, `batch` or `prescription`) `id`, just written, is the store's.
  static func recordStore(_ db: any StoreConnection, _ scope: StoreScope, _ kind: String, _ id: Int64)
    throws(StoreError)
  {
    guard let current = scope.current else { return }
    try db.execute(
      sql: "INSERT INTO store_record (store_id, \(kind)_id) VALUES (?, ?)", arguments: [current.id, id])
  }

  /// Refuses the `kind` rows `found` (each with its `id` and `lot_number`) when one is another store's than
  /// `scope`'s, naming whose it is and what to `use` instead.
  static func requireHere(
    _ db: any StoreConnection, _ scope: StoreScope, _ kind: String, _ found: [SQLRow], use: String
  ) throws(StoreError) {
    guard let here = scope.current else { return }
    for row in found {
      if let other = try otherStore(db, scope, kind, row["id"]) {
        throw StoreError(
          "\(kind) \(try row["lot_number"] as String) is at store \(other), not at \(here.code): \(use)")
      }
    }
  }

  /// The store the `kind` row `id` belongs to, when it is not `scope`'s: nil when it is, or with no stores.
  static func otherStore(_ db: any StoreConnection, _ scope: StoreScope, _ kind: String, _ id: Int64) throws(StoreError)
    -> String?
  {
    guard scope.current != nil else { return nil }
    let mine = try db.value(
      Int64.self, sql: "SELECT 1 FROM \(kind) WHERE id = ? AND \(scope.holds(kind, "\(kind).id"))", arguments: [id])
    if mine != nil { return nil }
    return try db.value(
      String.self, sql: "SELECT \(StoreScope.code(kind, "\(kind).id")) FROM \(kind) WHERE id = ?", arguments: [id])
  }
}
