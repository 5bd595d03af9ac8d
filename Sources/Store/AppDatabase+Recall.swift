import Accounts
import Formulation
import Foundation
import Quality
import Quantities

extension AppDatabase {
  /// Traces a lot both ways; with `hold`, puts every affected lot still on hand on hold in the same
  /// transaction.
  public func recall(
    _ lotNumber: String, hold: (user: User, reason: String)?, now: Date
  ) throws(StoreError) -> RecallReport {
    if let hold, hold.reason.trimmingCharacters(in: .whitespaces).isEmpty {
      throw StoreError("--hold needs --reason")
    }
    return try write(stamp(hold?.user.id ?? Self.systemActor, now)) { db in
      var report: RecallReport
      if let lot = try db.row(
        sql:
          "SELECT lot.*, stock.on_hand, ingredient.code FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id JOIN stock ON stock.lot_id = lot.id WHERE lot_number = ?",
        arguments: [lotNumber])
      {
        // Every receipt of the same supplier lot, at every store: the supplier's recall names its lot, and
        // each container received (here or at another store of the chain) is traced and held alike.
        let receipts = try db.rows(
          sql: """
            SELECT lot.*, stock.on_hand, ingredient.code, ingredient.kind FROM lot
            JOIN ingredient ON ingredient.id = lot.ingredient_id JOIN stock ON stock.lot_id = lot.id
            WHERE lot.ingredient_id = ? AND lot.supplier = ? AND lot.supplier_lot = ? ORDER BY lot.id
            """,
          arguments: [lot["ingredient_id"] as Int64, lot["supplier"] as String, lot["supplier_lot"] as String])
        var allBatches: [SQLRow] = []
        var seen: Set<Int64> = []
        var triturations: [RecallReport.TriturationLot] = []
        for receipt in receipts {
          let receiptID: Int64 = try receipt["id"]
          let direct = try db.rows(
            sql: """
              SELECT batch.*, stock.on_hand, formula.code, batch_component.measured FROM batch_component
              JOIN batch ON batch.id = batch_component.batch_id JOIN formula ON formula.id = batch.formula_id
              JOIN stock ON stock.batch_id = batch.id
              WHERE batch_component.lot_id = ? ORDER BY batch.id
              """, arguments: [receiptID])
          // Through triturations: each one made from this receipt, and the batches that used it.
          let made = try db.rows(
            sql: """
              SELECT lot.id, lot.lot_number, stock.on_hand, lot.status, trituration.api_lot_id,
                trituration.api_weighed_ug, trituration.diluent_weighed_ug
              FROM trituration JOIN lot ON lot.id = trituration.lot_id JOIN stock ON stock.lot_id = lot.id
              WHERE trituration.api_lot_id = ? OR trituration.diluent_lot_id = ? ORDER BY trituration.id
              """, arguments: [receiptID, receiptID])
          var throughTrituration: [SQLRow] = []
          for trituration in made {
            throughTrituration += try db.rows(
              sql: """
                SELECT batch.*, stock.on_hand, formula.code, batch_component.measured FROM batch_component
                JOIN batch ON batch.id = batch_component.batch_id JOIN formula ON formula.id = batch.formula_id
                JOIN stock ON stock.batch_id = batch.id
                WHERE batch_component.lot_id = ? ORDER BY batch.id
                """, arguments: [trituration["id"] as Int64])
            let isAPI = (try trituration["api_lot_id"] as Int64) == receiptID
            triturations.append(
              RecallReport.TriturationLot(
                lotNumber: try trituration["lot_number"], madeFrom: try receipt["lot_number"],
                used: isAPI ? try trituration["api_weighed_ug"] : try trituration["diluent_weighed_ug"],
                onHand: try trituration["on_hand"], status: try trituration["status"]))
          }
          for batch in direct + throughTrituration where seen.insert(try batch["id"]).inserted {
            allBatches.append(batch)
          }
        }
        report = RecallReport(
          kind: "ingredient", lotNumber: try lot["lot_number"], item: try lot["code"],
          components: try Self.madeFrom(db, lotID: lot["id"]),
          batches: try allBatches.map { try Self.recallBatch($0, used: $0["measured"]) },
          fills: try fills(db, batchIDs: try allBatches.map { try $0["id"] }), onHand: [:], onHandUnits: [:], held: [])
        report.triturations = triturations
        report.receipts = try receipts.map { try $0["lot_number"] }
        for trituration in report.triturations where trituration.onHand > 0 {
          report.onHand[trituration.lotNumber] = trituration.onHand
          report.onHandUnits[trituration.lotNumber] = .mass
        }
        for receipt in receipts where (try receipt["on_hand"] as Int64) > 0 {
          report.onHand[try receipt["lot_number"]] = try receipt["on_hand"]
          report.onHandUnits[try receipt["lot_number"]] = try RowDecoding.known(IngredientKind.self, receipt, "kind")
            .stockUnit
        }
      } else {
        let batch = try batchRow(db, lotNumber)
        var components: [RecallReport.Component] = []
        for row in try db.rows(
          sql: """
            SELECT lot.id, lot.lot_number, lot.supplier, lot.supplier_lot, ingredient.code, ingredient.kind,
              batch_component.measured
            FROM batch_component JOIN lot ON lot.id = batch_component.lot_id
            JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE batch_component.batch_id = ? ORDER BY batch_component.id
            """, arguments: [batch["id"] as Int64])
        {
          components.append(
            RecallReport.Component(
              lotNumber: try row["lot_number"], ingredient: try row["code"], supplier: try row["supplier"],
              supplierLot: try row["supplier_lot"],
              unit: try RowDecoding.known(IngredientKind.self, row, "kind").stockUnit,
              used: try row["measured"]))
          // A trituration lot's own sources, so that the trace reaches the supplier's lots.
          components += try Self.madeFrom(db, lotID: row["id"])
        }
        let formula =
          try db.value(
            String.self, sql: "SELECT code FROM formula WHERE id = ?", arguments: [batch["formula_id"] as Int64]) ?? ""
        var row = batch
        row =
          try db.row(
            sql:
              "SELECT batch.*, stock.on_hand, ? AS code FROM batch JOIN stock ON stock.batch_id = batch.id WHERE batch.id = ?",
            arguments: [formula, batch["id"] as Int64])
          ?? batch
        report = RecallReport(
          kind: "batch", lotNumber: try batch["lot_number"], item: formula, components: components,
          batches: [try Self.recallBatch(row, used: nil)], fills: try fills(db, batchIDs: [batch["id"]]), onHand: [:],
          onHandUnits: [:], held: [])
      }
      for batch in report.batches where batch.onHand > 0 {
        report.onHand[batch.lotNumber] = batch.onHand
        report.onHandUnits[batch.lotNumber] = .count
      }
      if let hold {
        for (number, _) in report.onHand.sorted(by: { $0.key < $1.key }) {
          if let batch = try db.row(sql: "SELECT id, status FROM batch WHERE lot_number = ?", arguments: [number]) {
            let status = try RowDecoding.known(LotStatus.self, batch, "status")
            guard (try? LotAction.hold.apply(to: status, lot: number)) != nil else { continue }
            try setStatus(
              db, batch: batch["id"], from: status, to: .onHold, by: hold.user, reason: "recall: \(hold.reason)",
              now: now)
            report.held.append(number)
          } else if let lot = try db.row(sql: "SELECT id, status FROM lot WHERE lot_number = ?", arguments: [number]) {
            let status = try RowDecoding.known(LotStatus.self, lot, "status")
            guard (try? LotAction.hold.apply(to: status, lot: number)) != nil else { continue }
            try db.execute(sql: "UPDATE lot SET status = 'on_hold' WHERE id = ?", arguments: [lot["id"] as Int64])
            try db.execute(
              sql:
                "INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, ?, 'on_hold', ?, ?, ?)",
              arguments: [
                lot["id"] as Int64, status.rawValue, Timestamp.string(now), hold.user.id, "recall: \(hold.reason)",
              ])
            report.held.append(number)
          }
        }
      }
      // The statuses as this command leaves them: what it held is on hold now, in the report as in the database.
      for number in report.onHand.keys {
        let status =
          try db.value(String.self, sql: "SELECT status FROM batch WHERE lot_number = ?", arguments: [number])
          ?? db.value(String.self, sql: "SELECT status FROM lot WHERE lot_number = ?", arguments: [number])
        report.onHandStatus[number] = status
      }
      for index in report.batches.indices {
        if let status = report.onHandStatus[report.batches[index].lotNumber] { report.batches[index].status = status }
      }
      // In a chain, which store holds each lot and batch named: the recall spans them all.
      if try db.value(Int64.self, sql: "SELECT count(*) FROM store") ?? 0 > 0 {
        let numbers = Set(
          report.receipts + report.batches.map(\.lotNumber) + report.triturations.map(\.lotNumber)
            + report.components.map(\.lotNumber) + Array(report.onHand.keys) + [report.lotNumber])
        for number in numbers {
          let code =
            try db.value(
              String.self, sql: "SELECT \(StoreScope.code("batch", "batch.id")) FROM batch WHERE lot_number = ?",
              arguments: [number])
            ?? db.value(
              String.self, sql: "SELECT \(StoreScope.code("lot", "lot.id")) FROM lot WHERE lot_number = ?",
              arguments: [number])
          report.stores[number] = code
        }
      }
      return report
    }
  }

  /// The lots a trituration lot was made from, as components named "CODE (in trituration LOT)"; none for a
  /// received lot.
  static func madeFrom(_ db: any StoreConnection, lotID: Int64) throws -> [RecallReport.Component] {
    guard
      let trituration = try db.row(
        sql:
          "SELECT trituration.*, lot.lot_number FROM trituration JOIN lot ON lot.id = trituration.lot_id WHERE lot_id = ?",
        arguments: [lotID])
    else { return [] }
    let sources: [(String, Int64)] = [
      ("api_lot_id", try trituration["api_weighed_ug"]), ("diluent_lot_id", try trituration["diluent_weighed_ug"]),
    ]
    return try sources.compactMap { column, used in
      guard
        let row = try db.row(
          sql:
            "SELECT lot.lot_number, lot.supplier, lot.supplier_lot, ingredient.code FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE lot.id = ?",
          arguments: [trituration[column] as Int64])
      else { return nil }
      return RecallReport.Component(
        lotNumber: try row["lot_number"],
        ingredient: "\(try row["code"] as String) (in trituration \(try trituration["lot_number"] as String))",
        supplier: try row["supplier"], supplierLot: try row["supplier_lot"], unit: .mass, used: used)
    }
  }

  static func recallBatch(_ row: SQLRow, used: Int64?) throws -> RecallReport.Batch {
    RecallReport.Batch(
      lotNumber: try row["lot_number"], formulaCode: try row["code"],
      compounded: try CalendarDate.parse(row["compounding_date"]),
      status: try row["status"], onHand: try row["on_hand"], used: used)
  }

  private func fills(_ db: any StoreConnection, batchIDs: [Int64]) throws -> [RecallReport.Fill] {
    guard !batchIDs.isEmpty else { return [] }
    let marks = batchIDs.map { _ in "?" }.joined(separator: ", ")
    return try db.rows(
      sql: """
        SELECT fill.fill_number, fill.quantity, fill.filled_on, batch.lot_number, prescription.rx_number,
          patient.name AS patient, patient.phone AS patient_phone, patient.address, prescriber.name AS prescriber,
          prescriber.phone AS prescriber_phone
        FROM fill JOIN batch ON batch.id = fill.batch_id JOIN prescription ON prescription.id = fill.prescription_id
        JOIN patient ON patient.id = prescription.patient_id JOIN prescriber ON prescriber.id = prescription.prescriber_id
        WHERE fill.batch_id IN (\(marks)) ORDER BY fill.filled_at, fill.id
        """, arguments: SQLArguments(batchIDs)
    ).map {
      RecallReport.Fill(
        rxNumber: try $0["rx_number"], fillNumber: try $0["fill_number"], lotNumber: try $0["lot_number"],
        quantity: try $0["quantity"],
        filled: try CalendarDate.parse($0["filled_on"]), patient: try $0["patient"],
        patientPhone: try $0["patient_phone"],
        patientAddress: try $0["address"], prescriber: try $0["prescriber"], prescriberPhone: try $0["prescriber_phone"]
      )
    }
  }
}
