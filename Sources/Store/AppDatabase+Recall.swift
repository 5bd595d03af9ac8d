import Accounts
import Formulation
import Foundation
import GRDB
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
      if let lot = try Row.fetchOne(
        db,
        sql:
          "SELECT lot.*, stock.on_hand, ingredient.code FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id JOIN stock ON stock.lot_id = lot.id WHERE lot_number = ?",
        arguments: [lotNumber])
      {
        let batches = try Row.fetchAll(
          db,
          sql: """
            SELECT batch.*, stock.on_hand, formula.code, batch_component.measured FROM batch_component
            JOIN batch ON batch.id = batch_component.batch_id JOIN formula ON formula.id = batch.formula_id
            JOIN stock ON stock.batch_id = batch.id
            WHERE batch_component.lot_id = ? ORDER BY batch.id
            """, arguments: [lot["id"] as Int64])
        // Through triturations: each one made from this lot, and the batches that used it.
        let triturations = try Row.fetchAll(
          db,
          sql: """
            SELECT lot.id, lot.lot_number, stock.on_hand, lot.status, trituration.api_lot_id,
              trituration.api_weighed_ug, trituration.diluent_weighed_ug
            FROM trituration JOIN lot ON lot.id = trituration.lot_id JOIN stock ON stock.lot_id = lot.id
            WHERE trituration.api_lot_id = :lot OR trituration.diluent_lot_id = :lot ORDER BY trituration.id
            """, arguments: ["lot": lot["id"] as Int64])
        var throughTrituration: [Row] = []
        for trituration in triturations {
          throughTrituration += try Row.fetchAll(
            db,
            sql: """
              SELECT batch.*, stock.on_hand, formula.code, batch_component.measured FROM batch_component
              JOIN batch ON batch.id = batch_component.batch_id JOIN formula ON formula.id = batch.formula_id
              JOIN stock ON stock.batch_id = batch.id
              WHERE batch_component.lot_id = ? ORDER BY batch.id
              """, arguments: [trituration["id"] as Int64])
        }
        let allBatches = batches + throughTrituration
        report = RecallReport(
          kind: "ingredient", lotNumber: lot["lot_number"], item: lot["code"],
          components: try Self.madeFrom(db, lotID: lot["id"]),
          batches: try allBatches.map { try Self.recallBatch($0, used: $0["measured"]) },
          fills: try fills(db, batchIDs: allBatches.map { $0["id"] }), onHand: [:], onHandUnits: [:], held: [])
        report.triturations = triturations.map { row in
          let isAPI = (row["api_lot_id"] as Int64) == (lot["id"] as Int64)
          return RecallReport.TriturationLot(
            lotNumber: row["lot_number"], madeFrom: lot["lot_number"],
            used: isAPI ? row["api_weighed_ug"] : row["diluent_weighed_ug"], onHand: row["on_hand"],
            status: row["status"])
        }
        for trituration in report.triturations where trituration.onHand > 0 {
          report.onHand[trituration.lotNumber] = trituration.onHand
          report.onHandUnits[trituration.lotNumber] = .mass
        }
        if (lot["on_hand"] as Int64) > 0 {
          report.onHand[lot["lot_number"]] = lot["on_hand"]
          let ingredient = try Row.fetchOne(
            db, sql: "SELECT id, kind FROM ingredient WHERE id = ?", arguments: [lot["ingredient_id"] as Int64])
          report.onHandUnits[lot["lot_number"]] = try ingredient.map {
            try RowDecoding.known(IngredientKind.self, $0, "kind").stockUnit
          }
        }
      } else {
        let batch = try batchRow(db, lotNumber)
        var components: [RecallReport.Component] = []
        for row in try Row.fetchAll(
          db,
          sql: """
            SELECT lot.id, lot.lot_number, lot.supplier, lot.supplier_lot, ingredient.code, ingredient.kind,
              batch_component.measured
            FROM batch_component JOIN lot ON lot.id = batch_component.lot_id
            JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE batch_component.batch_id = ? ORDER BY batch_component.id
            """, arguments: [batch["id"] as Int64])
        {
          components.append(
            RecallReport.Component(
              lotNumber: row["lot_number"], ingredient: row["code"], supplier: row["supplier"],
              supplierLot: row["supplier_lot"], unit: try RowDecoding.known(IngredientKind.self, row, "kind").stockUnit,
              used: row["measured"]))
          // A trituration lot's own sources, so that the trace reaches the supplier's lots.
          components += try Self.madeFrom(db, lotID: row["id"])
        }
        let formula =
          try String.fetchOne(
            db, sql: "SELECT code FROM formula WHERE id = ?", arguments: [batch["formula_id"] as Int64]) ?? ""
        var row = batch
        row =
          try Row.fetchOne(
            db,
            sql:
              "SELECT batch.*, stock.on_hand, ? AS code FROM batch JOIN stock ON stock.batch_id = batch.id WHERE batch.id = ?",
            arguments: [formula, batch["id"] as Int64])
          ?? batch
        report = RecallReport(
          kind: "batch", lotNumber: batch["lot_number"], item: formula, components: components,
          batches: [try Self.recallBatch(row, used: nil)], fills: try fills(db, batchIDs: [batch["id"]]), onHand: [:],
          onHandUnits: [:], held: [])
      }
      for batch in report.batches where batch.onHand > 0 {
        report.onHand[batch.lotNumber] = batch.onHand
        report.onHandUnits[batch.lotNumber] = .count
      }
      if let hold {
        for (number, _) in report.onHand.sorted(by: { $0.key < $1.key }) {
          if let batch = try Row.fetchOne(
            db, sql: "SELECT id, status FROM batch WHERE lot_number = ?", arguments: [number])
          {
            let status = try RowDecoding.known(LotStatus.self, batch, "status")
            guard (try? LotAction.hold.apply(to: status, lot: number)) != nil else { continue }
            try setStatus(
              db, batch: batch["id"], from: status, to: .onHold, by: hold.user, reason: "recall: \(hold.reason)",
              now: now)
            report.held.append(number)
          } else if let lot = try Row.fetchOne(
            db, sql: "SELECT id, status FROM lot WHERE lot_number = ?", arguments: [number])
          {
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
          try String.fetchOne(db, sql: "SELECT status FROM batch WHERE lot_number = ?", arguments: [number])
          ?? String.fetchOne(db, sql: "SELECT status FROM lot WHERE lot_number = ?", arguments: [number])
        report.onHandStatus[number] = status
      }
      for index in report.batches.indices {
        if let status = report.onHandStatus[report.batches[index].lotNumber] { report.batches[index].status = status }
      }
      return report
    }
  }

  /// The lots a trituration lot was made from, as components named "CODE (in trituration LOT)"; none for a
  /// received lot.
  static func madeFrom(_ db: Database, lotID: Int64) throws -> [RecallReport.Component] {
    guard
      let trituration = try Row.fetchOne(
        db,
        sql:
          "SELECT trituration.*, lot.lot_number FROM trituration JOIN lot ON lot.id = trituration.lot_id WHERE lot_id = ?",
        arguments: [lotID])
    else { return [] }
    let sources: [(String, Int64)] = [
      ("api_lot_id", trituration["api_weighed_ug"]), ("diluent_lot_id", trituration["diluent_weighed_ug"]),
    ]
    return try sources.compactMap { column, used in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT lot.lot_number, lot.supplier, lot.supplier_lot, ingredient.code FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE lot.id = ?",
          arguments: [trituration[column] as Int64])
      else { return nil }
      return RecallReport.Component(
        lotNumber: row["lot_number"],
        ingredient: "\(row["code"] as String) (in trituration \(trituration["lot_number"] as String))",
        supplier: row["supplier"], supplierLot: row["supplier_lot"], unit: .mass, used: used)
    }
  }

  static func recallBatch(_ row: Row, used: Int64?) throws -> RecallReport.Batch {
    RecallReport.Batch(
      lotNumber: row["lot_number"], formulaCode: row["code"],
      compounded: try CalendarDate.parse(row["compounding_date"]),
      status: row["status"], onHand: row["on_hand"], used: used)
  }

  private func fills(_ db: Database, batchIDs: [Int64]) throws -> [RecallReport.Fill] {
    guard !batchIDs.isEmpty else { return [] }
    let marks = batchIDs.map { _ in "?" }.joined(separator: ", ")
    return try Row.fetchAll(
      db,
      sql: """
        SELECT fill.fill_number, fill.quantity, fill.filled_on, batch.lot_number, prescription.rx_number,
          patient.name AS patient, patient.phone AS patient_phone, patient.address, prescriber.name AS prescriber,
          prescriber.phone AS prescriber_phone
        FROM fill JOIN batch ON batch.id = fill.batch_id JOIN prescription ON prescription.id = fill.prescription_id
        JOIN patient ON patient.id = prescription.patient_id JOIN prescriber ON prescriber.id = prescription.prescriber_id
        WHERE fill.batch_id IN (\(marks)) ORDER BY fill.filled_at, fill.id
        """, arguments: StatementArguments(batchIDs)
    ).map {
      RecallReport.Fill(
        rxNumber: $0["rx_number"], fillNumber: $0["fill_number"], lotNumber: $0["lot_number"], quantity: $0["quantity"],
        filled: try CalendarDate.parse($0["filled_on"]), patient: $0["patient"], patientPhone: $0["patient_phone"],
        patientAddress: $0["address"], prescriber: $0["prescriber"], prescriberPhone: $0["prescriber_phone"])
    }
  }
}
