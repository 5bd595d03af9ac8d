import Formulation
import Foundation
import Quantities

/// Reading domain values out of database rows.
enum RowDecoding {
  static func ingredient(_ row: SQLRow) throws -> Ingredient {
    Ingredient(
      code: try row["code"], name: try row["name"], kind: try known(IngredientKind.self, row, "kind"),
      saltForm: try row["salt_form"], molecularWeightSalt: number(try row["mw_salt"]),
      molecularWeightBase: number(try row["mw_base"]), density: number(try row["density"]),
      capsuleSize: try row["capsule_size"])
  }

  /// A lot row joined with its ingredient's code and its on-hand sum as `on_hand`.
  static func lot(_ row: SQLRow) throws -> IngredientLot {
    let expiryText: String = try row["expiry"]
    return try IngredientLot(
      lotNumber: row["lot_number"], ingredientCode: row["code"], supplier: row["supplier"],
      supplierLot: row["supplier_lot"],
      expiry: try CalendarDate.parse(expiryText), onHand: row["on_hand"] ?? 0,
      status: try known(LotStatus.self, row, "status"), assayPercent: number(row["assay_percent"]),
      assayBasis: (try row["assay_basis"] as String?).flatMap(AssayBasis.init(rawValue:)),
      waterPercent: number(row["water_percent"]),
      receivedAt: try instant(row, "received_at"), triturationParts: row["trituration_parts"],
      apiFraction: number(row["api_fraction"])?.value, triturationDiluent: row["trituration_diluent"], gtin: row["gtin"]
    )
  }

  /// A stored instant; one that is not a timestamp is an error naming the row, never the epoch.
  static func instant(_ row: SQLRow, _ column: String) throws(StoreError) -> Date {
    let text: String? = try row[column]
    guard let text, let date = Timestamp.date(text) else {
      let id: Int64? = row.hasColumn("id") ? try row["id"] : nil
      throw StoreError(
        "a stored record\(id.map { " (row \($0))" } ?? "") has \(column) '\(text ?? "null")', which is not a time: the database was changed outside compound; run 'compound doctor'",
        code: .corrupt)
    }
    return date
  }

  static func number(_ text: String?) -> ExactNumber? { text.flatMap(ExactNumber.init) }

  /// A stored enumeration's value; one this version does not know is an error naming the row, never a default
  /// (a corrupt status or role must not quietly become another).
  static func known<T: RawRepresentable>(_ type: T.Type, _ row: SQLRow, _ column: String) throws(StoreError) -> T
  where T.RawValue == String {
    let text = try row.optionalText(column)
    guard let text, let value = T(rawValue: text) else {
      let id = row.columns.contains("id") ? try row.optionalInteger("id") : nil
      throw StoreError(
        "a stored record\(id.map { " (row \($0))" } ?? "") has \(column) '\(text ?? "null")', which this compound does not know: the database was changed outside compound; run 'compound doctor'",
        code: .corrupt)
    }
    return value
  }

  /// Lots with their ingredient code and on-hand quantity (kept equal to the sum of the lot's
  /// movements by the movement trigger); append a WHERE clause.
  static let lotSelect = """
    SELECT lot.*, stock.on_hand, ingredient.code, ingredient.name AS ingredient_name, ingredient.kind
    FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id JOIN stock ON stock.lot_id = lot.id
    """

  /// The lots that hold stock, read from the stock index's few rows first.
  ///
  /// `INDEXED BY` and `CROSS JOIN` keep the planner from starting at the lot table (every lot ever received) and
  /// probing stock for each. The statement must say `stock.lot_id IS NOT NULL AND stock.on_hand > 0`, the index's condition (SQLite refuses it otherwise).
  static func lotsHeld(_ db: any StoreConnection) -> String {
    "\(db.dialect.table("stock", indexedBy: "stock_held_by_lot")) \(db.dialect.orderedJoin) lot ON lot.id = stock.lot_id"
  }

  /// The batches that hold stock, read from the stock index's few rows first, as `lotsHeld`; the statement must
  /// say `stock.batch_id IS NOT NULL AND stock.on_hand > 0`.
  static func batchesHeld(_ db: any StoreConnection) -> String {
    "\(db.dialect.table("stock", indexedBy: "stock_held_by_batch")) \(db.dialect.orderedJoin) batch"
      + " ON batch.id = stock.batch_id"
  }

  /// The lots of `codes` with something on hand (years of emptied lots are neither read nor decoded), and each
  /// lot `named` (with --lot) whatever it holds and whoever's it is, so that a refusal can say why.
  ///
  /// Only `scope`'s store's lots: a lot named with --lot that is another store's is refused, saying whose.
  static func lotsOnHand(
    _ db: any StoreConnection, codes: [String], named: [String], scope: StoreScope
  ) throws -> [SQLRow] {
    var rows = try db.rows(
      sql: """
        SELECT lot.*, stock.on_hand, ingredient.code, ingredient.name AS ingredient_name, ingredient.kind
        FROM \(lotsHeld(db)) JOIN ingredient ON ingredient.id = lot.ingredient_id
        WHERE stock.lot_id IS NOT NULL AND stock.on_hand > 0
          AND ingredient.code IN (\(codes.map { _ in "?" }.joined(separator: ", "))) AND \(scope.holds("lot", "lot.id"))
        """,
      arguments: codes)
    for chosen in named
    where try !rows.contains(where: { (try $0["lot_number"] as String).uppercased() == chosen.uppercased() }) {
      let found = try db.rows(sql: lotSelect + " WHERE lot.lot_number = ?", arguments: [chosen])
      try AppDatabase.requireHere(
        db, scope, "lot", found, use: "weigh from this store's lots ('compound inventory' shows them)")
      rows += found
    }
    return rows
  }

  static func json<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(text.utf8))
  }
}
