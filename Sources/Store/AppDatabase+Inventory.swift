import Accounts
import Formulation
import Foundation
import Quantities

extension AppDatabase {
  /// Records an adjustment or a waste of a lot's or a batch's stock through the ledger.
  ///
  /// An adjustment is signed; a waste is taken out and needs a witness other than the user. Returns the
  /// stock left.
  public func moveStock(
    _ lotNumber: String, kind: MovementKind, quantity text: String, reason: String, witness: User?, by user: User,
    now: Date
  ) throws(StoreError) -> (unit: StockUnit, onHand: Int64) {
    if let refusal = StockChange.refusal(kind: kind, reason: reason, hasWitness: witness != nil) {
      throw StoreError(refusal)
    }
    return try write(stamp(user.id, now)) { db in
      try Self.moveStock(
        db, lotNumber, kind: kind, quantity: text, reason: reason, witness: witness, by: user,
        scope: try scope(db), now: now)
    }
  }

  /// The adjustment or waste of `moveStock`, inside a write transaction of either engine; only of `scope`'s stock.
  static func moveStock(
    _ connection: any StoreConnection, _ lotNumber: String, kind: MovementKind, quantity text: String, reason: String,
    witness: User?, by user: User, scope: StoreScope, now: Date
  ) throws(StoreError) -> (unit: StockUnit, onHand: Int64) {
    if let witness, let same = try sameSigner(connection, witness, first: user.id, firstName: user.name) {
      throw StoreError("the witness must be someone other than \(user.id): \(same)")
    }
    let lot = try connection.row(
      "SELECT lot.id, stock.on_hand, ingredient.kind FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id JOIN stock ON stock.lot_id = lot.id WHERE lot_number = ?",
      [.text(lotNumber)])
    let batch =
      lot == nil
      ? try connection.row(
        "SELECT batch.id, stock.on_hand FROM batch JOIN stock ON stock.batch_id = batch.id WHERE lot_number = ?",
        [.text(lotNumber)]) : nil
    guard let row = lot ?? batch else {
      throw StoreError(
        "lot '\(lotNumber)' does not exist: 'compound inventory show' lists the stock", code: .notFound)
    }
    if let other = try otherStore(connection, scope, lot == nil ? "batch" : "lot", try row.integer("id")),
      let here = scope.current
    {
      throw StoreError(
        "\(lotNumber) is store \(other)'s stock, not \(here.code)'s: adjust it at \(other), where it is on the shelf")
    }
    var unit = StockUnit.count
    if let lot { unit = try RowDecoding.known(IngredientKind.self, lot, "kind").stockUnit }
    var body = text.trimmingCharacters(in: .whitespaces)
    let negative = body.hasPrefix("-")
    if negative || body.hasPrefix("+") { body.removeFirst() }
    let onHand = try row.integer("on_hand")
    let amount: Int64
    do {
      amount = try unit.parse(body, what: "--quantity")
    } catch {
      // Name the quantity as typed, sign and all.
      let typed = text.trimmingCharacters(in: .whitespaces)
      throw StoreError(error.message.replacingOccurrences(of: body, with: typed), cause: error)
    }
    let delta: Int64
    do {
      delta = try StockChange.delta(
        kind: kind, amount: amount, negative: negative, onHand: onHand, unit: unit, lotNumber: lotNumber)
    } catch {
      throw StoreError.from(error)
    }
    let fullReason = witness.map { "\(reason) (witness \($0.id))" } ?? reason
    if lot != nil {
      try Ledger.move(
        connection, lot: try row.integer("id"), kind: kind, quantity: delta, by: user, now: now, reason: fullReason)
    } else {
      try Ledger.moveBatch(
        connection, batch: try row.integer("id"), kind: kind, quantity: delta, by: user, now: now, reason: fullReason)
    }
    return (unit, onHand + delta)
  }

  /// The lots and batches holding stock now, with their status; or, at a past `instant`, every lot's and
  /// batch's stock and status as they were then, from the ledger and the status history (a lot is quarantined
  /// from its receipt, a batch from its compounding, until a status change).
  public func inventory(asOf instant: Date? = nil) throws(StoreError) -> [InventoryLine] {
    guard let instant else { return try inventoryNow() }
    let limit = Timestamp.string(instant)
    return try read { db in
      let scope = try scope(db)
      let lots = try db.rows(
        sql: """
          SELECT lot.lot_number, lot.expiry, lot.cost_cents, lot.received_quantity, ingredient.code,
            ingredient.kind, (SELECT COALESCE(SUM(quantity), 0) FROM movement
              WHERE movement.lot_id = lot.id AND movement.moved_at <= ?) AS on_hand,
            COALESCE((SELECT to_status FROM status_change
              WHERE status_change.lot_id = lot.id AND changed_at <= ? ORDER BY id DESC LIMIT 1), 'quarantined')
              AS status
          FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE lot.received_at <= ?
            AND \(scope.holds("lot", "lot.id"))
          ORDER BY ingredient.code, lot.expiry, lot.lot_number
          """, arguments: [limit, limit, limit]
      ).map(Self.lotLine)
      let batches = try db.rows(
        sql: """
          SELECT batch.lot_number, batch.bud, formula.code, (SELECT COALESCE(SUM(quantity), 0) FROM movement
            WHERE movement.batch_id = batch.id AND movement.moved_at <= ?) AS on_hand,
            COALESCE((SELECT to_status FROM status_change
              WHERE status_change.batch_id = batch.id AND changed_at <= ? ORDER BY id DESC LIMIT 1), 'quarantined')
              AS status
          FROM batch JOIN formula ON formula.id = batch.formula_id WHERE batch.compounded_at <= ?
            AND \(scope.holds("batch", "batch.id"))
          ORDER BY formula.code, batch.bud, batch.lot_number
          """, arguments: [limit, limit, limit]
      ).map(Self.batchLine)
      return lots + batches
    }
  }

  /// The lots and batches holding stock now, read through the partial indexes on `stock`: however many years of
  /// emptied lots and batches lie behind them.
  private func inventoryNow() throws(StoreError) -> [InventoryLine] {
    try read { db in
      let scope = try scope(db)
      let lots = try db.rows(
        sql: """
          SELECT lot.lot_number, lot.expiry, lot.cost_cents, lot.received_quantity, lot.status, ingredient.code,
            ingredient.kind, stock.on_hand
          FROM \(RowDecoding.lotsHeld(db)) JOIN ingredient ON ingredient.id = lot.ingredient_id
          WHERE stock.lot_id IS NOT NULL AND stock.on_hand > 0 AND \(scope.holds("lot", "lot.id"))
          ORDER BY ingredient.code, lot.expiry, lot.lot_number
          """
      ).map(Self.lotLine)
      let batches = try db.rows(
        sql: """
          SELECT batch.lot_number, batch.bud, batch.status, formula.code, stock.on_hand
          FROM \(RowDecoding.batchesHeld(db)) JOIN formula ON formula.id = batch.formula_id
          WHERE stock.batch_id IS NOT NULL AND stock.on_hand > 0 AND \(scope.holds("batch", "batch.id"))
          ORDER BY formula.code, batch.bud, batch.lot_number
          """
      ).map(Self.batchLine)
      return lots + batches
    }
  }

  /// An ingredient lot's line from a row with its lot and ingredient columns, `status` and `on_hand`.
  private static func lotLine(_ row: SQLRow) throws -> InventoryLine {
    let kind = try RowDecoding.known(IngredientKind.self, row, "kind")
    return InventoryLine(
      kind: "ingredient", lotNumber: try row["lot_number"], item: try row["code"],
      unit: kind.stockUnit, expires: try CalendarDate.parse(row["expiry"]),
      status: try RowDecoding.known(LotStatus.self, row, "status"), onHand: try row["on_hand"],
      lotCost: (try row["cost_cents"] as Int64?).map(Money.init(cents:)), received: try row["received_quantity"])
  }

  /// A batch's line from a row with `lot_number`, `bud`, `code` (the formula), `status` and `on_hand`.
  private static func batchLine(_ row: SQLRow) throws -> InventoryLine {
    InventoryLine(
      kind: "batch", lotNumber: try row["lot_number"], item: try row["code"], unit: .count,
      expires: try CalendarDate.parse(row["bud"]), status: try RowDecoding.known(LotStatus.self, row, "status"),
      onHand: try row["on_hand"], lotCost: nil, received: 0)
  }
}
