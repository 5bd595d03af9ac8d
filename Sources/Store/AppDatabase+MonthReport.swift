import Formulation
import Foundation
import Pricing
import Quality
import Quantities

extension AppDatabase {
  /// The month's figures from the ledger as of the month's end: exporting a past month again gives the
  /// same numbers whatever happened since.
  ///
  /// One read transaction, one snapshot: the sink gets the month's movements in order, as value rows, while
  /// the same pass adds up each lot's flows; what moved after the month comes from a small query; closing = on
  /// hand now - after; opening = closing - net. So the work grows with the month, not with the years before it.
  ///
  /// The station's store's month, or with `allStores` the whole chain's.
  public func monthReport<Sink: MovementSink>(
    year: Int, month: Int, zone: TimeZone, expiringDays: Int, allStores: Bool = false, into sink: inout Sink
  ) throws(StoreError) -> MonthReport {
    guard let first = CalendarDate(year: year, month: month, day: 1) else {
      throw StoreError("--month \(year)-\(month) is not a month: write it as YYYY-MM")
    }
    let next = first.adding(days: CalendarDate.daysIn(month: month, year: year))
    let start = Timestamp.string(Self.midnight(first, zone: zone))
    let end = Timestamp.string(Self.midnight(next, zone: zone))
    let monthEnd = next.adding(days: -1)
    return try read { db in
      let scope = allStores ? StoreScope.whole : try scope(db)
      let batches = try db.rows(
        sql: """
          SELECT batch.*, formula.code, formula.version,
            (SELECT verdict FROM assay WHERE batch_id = batch.id AND recorded_at < ? ORDER BY id DESC LIMIT 1) AS assay,
            (SELECT uniformity_verdict FROM assay WHERE batch_id = batch.id AND recorded_at < ? ORDER BY id DESC LIMIT 1)
              AS uniformity,
            (SELECT to_status FROM status_change WHERE batch_id = batch.id AND changed_at < ? ORDER BY id DESC LIMIT 1)
              AS status_then
          FROM batch JOIN formula ON formula.id = batch.formula_id
          WHERE batch.compounded_at >= ? AND batch.compounded_at < ? AND \(scope.holds("batch", "batch.id"))
          ORDER BY batch.compounded_at, batch.id
          """, arguments: [end, end, end, start, end]
      ).map { row in
        MonthReport.BatchRow(
          lotNumber: try row["lot_number"], formula: "\(try row["code"] as String) v\(try row["version"] as Int)",
          compounded: try CalendarDate.parse(row["compounding_date"]), quantity: try row["quantity"],
          yield: try row["actual_yield"],
          beyondUseDate: try CalendarDate.parse(row["bud"]), assay: try row["assay"] ?? "none",
          uniformity: try row["uniformity"] ?? "none",
          status: (try row["status_then"] ?? row["status"]), compoundedBy: try row["compounded_by"],
          verifiedBy: (try row["verified_at"] as String?).map { $0 < end } == true ? try row["verified_by"] ?? "" : "")
      }
      let dispensed = try db.rows(
        sql: """
          SELECT fill.filled_on, fill.quantity, fill.price, prescription.rx_number, patient.name, batch.lot_number
          FROM fill JOIN prescription ON prescription.id = fill.prescription_id
          JOIN patient ON patient.id = prescription.patient_id JOIN batch ON batch.id = fill.batch_id
          WHERE fill.filled_at >= ? AND fill.filled_at < ? AND \(scope.holds("batch", "batch.id"))
          ORDER BY fill.filled_at, fill.id
          """, arguments: [start, end]
      ).map { row in
        MonthReport.DispensedRow(
          filled: try CalendarDate.parse(row["filled_on"]), rxNumber: try row["rx_number"], patient: try row["name"],
          lotNumber: try row["lot_number"], quantity: try row["quantity"],
          price: try (row["price"] as String?).map { try PriceRecord.read($0).total })
      }
      let count =
        try db.value(
          Int.self,
          sql:
            "SELECT count(*) FROM movement WHERE moved_at >= ? AND moved_at < ? AND \(scope.holdsMovement("movement"))",
          arguments: [start, end])
        ?? 0
      sink.start(count: count)
      var flows: [Int64: MonthFlow] = [:]
      try db.each(
        """
        SELECT movement.moved_at, COALESCE(lot.lot_number, batch.lot_number) AS lot_number,
          COALESCE(ingredient.code, formula.code) AS item, movement.kind, movement.moved_by,
          COALESCE(movement.reason, '') AS reason, movement.quantity, ingredient.kind AS ingredient_kind,
          movement.lot_id, movement.batch_id
        FROM \(db.dialect.table("movement", indexedBy: "movement_by_time")) LEFT JOIN lot ON lot.id = movement.lot_id
        LEFT JOIN ingredient ON ingredient.id = lot.ingredient_id
        LEFT JOIN batch ON batch.id = movement.batch_id LEFT JOIN formula ON formula.id = batch.formula_id
        WHERE movement.moved_at >= ? AND movement.moved_at < ? AND \(scope.holdsMovement("movement"))
        ORDER BY movement.moved_at, movement.id
        """, [.text(start), .text(end)]
      ) { row throws(StoreError) in
        let kind = try RowDecoding.known(MovementKind.self, row, "kind")
        let quantity: Int64 = try row["quantity"]
        let lotID: Int64? = try row["lot_id"]
        // A batch's movements are capsules; a lot's are in its ingredient's stock unit.
        let unit = lotID == nil ? .count : try RowDecoding.known(IngredientKind.self, row, "ingredient_kind").stockUnit
        let batchKey: Int64 = lotID == nil ? -(try row["batch_id"] as Int64) : 0
        flows[lotID ?? batchKey, default: MonthFlow()].add(kind: kind, quantity: quantity)
        let movement = try MonthReport.MovementRow(
          at: row["moved_at"], lotNumber: row["lot_number"], item: row["item"], kind: kind, unit: unit,
          quantity: quantity, by: row["moved_by"], reason: row["reason"])
        do { try sink.add(movement) } catch { throw StoreError.from(error) }
        return true
      }
      for row in try db.rows(
        sql: """
          SELECT lot_id, batch_id, SUM(quantity) AS after FROM \(db.dialect.table("movement", indexedBy: "movement_by_time"))
          WHERE moved_at >= ? AND \(scope.holdsMovement("movement")) GROUP BY lot_id, batch_id
          """, arguments: [end])
      {
        let key = try (row["lot_id"] as Int64?) ?? -((row["batch_id"] as Int64?) ?? 0)
        flows[key, default: MonthFlow()].after += try row["after"] as Int64
      }
      let totals = try self.totals(
        db, flows: flows, end: end, monthEnd: monthEnd, expiringDays: expiringDays, scope: scope)
      var report = MonthReport(
        year: year, month: month, monthEnd: monthEnd, batches: batches, dispensed: dispensed, movementCount: count,
        totals: totals)
      let stores = try Self.storeRows(db)
      if let current = scope.current {
        report.stores = "\(current.code) (\(current.name))"
      } else if !stores.isEmpty {
        report.stores = "all stores: " + stores.map(\.code).joined(separator: ", ")
      }
      report.auditEntries = try db.value(Int64.self, sql: "SELECT max(id) FROM audit") ?? 0
      report.auditHead = try AuditTrail.head(db)
      return report
    }
  }

  /// Each item's month and each lot's stock at the month's end, from the flows of one pass.
  func totals(
    _ db: any StoreConnection, flows: [Int64: MonthFlow], end: String, monthEnd: CalendarDate, expiringDays: Int,
    scope: StoreScope
  ) throws -> MonthReport.Totals {
    // Only what holds stock now (the stock index's rows) or moved in or after the month: a lot or batch with
    // neither had nothing at the month's end and did nothing in it.
    let lotColumns = """
      SELECT lot.id, lot.lot_number, lot.supplier, lot.expiry, lot.cost_cents, lot.received_quantity, lot.status,
        stock.on_hand, ingredient.code, ingredient.kind,
        (SELECT to_status FROM status_change WHERE lot_id = lot.id AND changed_at < ? ORDER BY id DESC LIMIT 1) AS status_then
      """
    let batchColumns = """
      SELECT batch.id, batch.lot_number, batch.bud, batch.actual_yield, batch.status, stock.on_hand, formula.code,
        (SELECT to_status FROM status_change WHERE batch_id = batch.id AND changed_at < ? ORDER BY id DESC LIMIT 1) AS status_then
      """
    let ingredientJoin = " JOIN ingredient ON ingredient.id = lot.ingredient_id"
    let formulaJoin = " JOIN formula ON formula.id = batch.formula_id"
    var lotInfo: [Int64: SQLRow] = [:]
    var batchInfo: [Int64: SQLRow] = [:]
    for row in try db.rows(
      sql: lotColumns + " FROM \(RowDecoding.lotsHeld(db))" + ingredientJoin
        + " WHERE stock.lot_id IS NOT NULL AND stock.on_hand > 0 AND \(scope.holds("lot", "lot.id"))",
      arguments: [end])
    {
      lotInfo[try row["id"]] = row
    }
    for row in try db.rows(
      sql: batchColumns + " FROM \(RowDecoding.batchesHeld(db))" + formulaJoin
        + " WHERE stock.batch_id IS NOT NULL AND stock.on_hand > 0 AND \(scope.holds("batch", "batch.id"))",
      arguments: [end])
    {
      batchInfo[try row["id"]] = row
    }
    let lotByID =
      (lotColumns + " FROM stock JOIN lot ON lot.id = stock.lot_id" + ingredientJoin + " WHERE stock.lot_id = ?")
    let batchByID =
      (batchColumns + " FROM stock JOIN batch ON batch.id = stock.batch_id" + formulaJoin
        + " WHERE stock.batch_id = ?")
    for key in flows.keys.sorted() {
      if key > 0, lotInfo[key] == nil {
        lotInfo[key] = try db.row(sql: lotByID, arguments: [end, key])
      } else if key < 0, batchInfo[-key] == nil {
        batchInfo[-key] = try db.row(sql: batchByID, arguments: [end, -key])
      }
    }
    var summary: [String: MonthReport.SummaryRow] = [:]
    var lots: [MonthReport.LotRow] = []
    var missingValue = Set<String>()
    func flow(_ key: Int64) -> MonthFlow { flows[key] ?? MonthFlow() }
    // Lots are keyed by their id, batches by minus theirs.
    let keys = lotInfo.keys.sorted().map { ($0, $0, true) } + batchInfo.keys.sorted().map { (-$0, $0, false) }
    for (key, id, isLot) in keys {
      let moved = flow(key)
      var item = ""
      var kind = "ingredient"
      var unit = StockUnit.count
      var row: MonthReport.LotRow?
      let info = isLot ? lotInfo[id] : batchInfo[id]
      guard let info else { continue }
      let closing: Int64 = (try info["on_hand"] as Int64) - moved.after
      let opening = closing - moved.net
      if closing == 0, opening == 0, moved.moves == 0 { continue }
      if isLot {
        item = try info["code"]
        unit = try RowDecoding.known(IngredientKind.self, info, "kind").stockUnit
        let unitCost = try (try info["cost_cents"] as Int64?).map {
          Decimal($0) / Decimal(max(try info["received_quantity"] as Int64, 1))
        }
        row = MonthReport.LotRow(
          lotNumber: try info["lot_number"], item: item, kind: kind, supplier: try info["supplier"],
          expires: try CalendarDate.parse(info["expiry"]), status: (try info["status_then"] ?? info["status"]),
          unit: unit,
          quantity: closing, unitCost: unitCost,
          value: try (try info["cost_cents"] as Int64?).map {
            Money.share(of: Money(cents: $0), part: closing, whole: try info["received_quantity"])
          })
      } else {
        item = try info["code"]
        kind = "batch"
        // Finished capsules are valued at the ingredient cost they consumed; a batch emptied by the month's end
        // (most of those the month moved) has nothing to value, so its components are not read.
        let lines = closing == 0 ? [] : try costLines(db, batchID: id)
        let known = lines.allSatisfy { $0.cents != nil }
        let perCapsule = lines.compactMap(\.cents).reduce(0, +) / Decimal(max(try info["actual_yield"] as Int, 1))
        row = MonthReport.LotRow(
          lotNumber: try info["lot_number"], item: item, kind: kind, supplier: "compounded",
          expires: try CalendarDate.parse(info["bud"]), status: (try info["status_then"] ?? info["status"]),
          unit: .count,
          quantity: closing, unitCost: known ? perCapsule : nil,
          value: known ? Money.rounding(cents: perCapsule * Decimal(closing)) : nil)
      }
      guard let row else { continue }
      if closing != 0 { lots.append(row) }
      if row.value == nil, closing != 0 { missingValue.insert(item) }
      var line =
        summary[item]
        ?? MonthReport.SummaryRow(
          item: item, kind: kind, unit: unit, opening: 0, received: 0, produced: 0, consumed: 0, dispensed: 0,
          other: 0,
          closing: 0, closingValue: Money(cents: 0))
      line.opening += opening
      line.received += moved.received
      line.produced += moved.produced
      line.consumed += moved.consumed
      line.dispensed += moved.dispensed
      line.other += moved.other
      line.closing += closing
      line.closingValue = Money(cents: (line.closingValue?.cents ?? 0) + (row.value?.cents ?? 0))
      summary[item] = line
    }
    for item in missingValue { summary[item]?.closingValue = nil }
    let horizon = monthEnd.adding(days: expiringDays)
    return MonthReport.Totals(
      summary: summary.values.sorted { ($0.kind, $0.item) < ($1.kind, $1.item) },
      lots: lots.sorted { ($0.kind, $0.item, $0.lotNumber) < ($1.kind, $1.item, $1.lotNumber) },
      expiring: lots.filter { $0.quantity > 0 && $0.expires <= horizon }.sorted { $0.expires < $1.expires })
  }

  static func midnight(_ day: CalendarDate, zone: TimeZone) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date()
  }
}
