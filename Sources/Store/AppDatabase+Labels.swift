import Formulation
import Foundation
import Quality
import Quantities

extension AppDatabase {
  /// Labels already printed for a fill, or for a batch's container when `fill` is nil.
  public func labelPrints(fill: Int64?, lotNumber: String) throws(StoreError) -> [LabelPrint] {
    try read { db in
      let batch: Int64 = try batchRow(db, lotNumber)["id"]
      let rows =
        if let fill {
          try db.rows(sql: "SELECT * FROM label_print WHERE fill_id = ? ORDER BY id", arguments: [fill])
        } else {
          try db.rows(
            sql: "SELECT * FROM label_print WHERE fill_id IS NULL AND batch_id = ? ORDER BY id", arguments: [batch])
        }
      return try rows.map { try Self.labelPrint($0, lotNumber: lotNumber) }
    }
  }

  /// Logs a label before it leaves, in the transaction that decides it may be printed.
  ///
  /// The lot must still be usable today, and no other print of the same label may have been logged since the
  /// caller counted `earlier` (two first prints racing would otherwise both print as first). A reprint must
  /// carry its reason.
  public func logLabelPrint(_ print: LabelPrint, earlier: Int, today: CalendarDate) throws(StoreError) -> LabelPrint {
    try write(AuditStamp(actor: print.printedBy, command: stamp("", Date()).command, at: print.printedAt)) { db in
      let batchRow = try batchRow(db, print.lotNumber)
      let status: String = try batchRow["status"]
      guard let lotStatus = LotStatus(rawValue: status) else {
        throw StoreError("batch \(print.lotNumber) has the unknown status '\(status)'")
      }
      if let refusal = BatchGate.refusal(
        lotNumber: print.lotNumber, status: lotStatus, beyondUseDate: try CalendarDate.parse(batchRow["bud"]),
        today: today)
      {
        throw StoreError(refusal)
      }
      let batch: Int64 = try batchRow["id"]
      // A label goes on what is on this store's shelf: another store's fill or batch is labelled there.
      let scope = try scope(db)
      if let other = try Self.otherStore(db, scope, "batch", batch), let here = scope.current {
        throw StoreError(
          "batch \(print.lotNumber) is store \(other)'s, not \(here.code)'s: print its labels at \(other),"
            + " where its capsules are")
      }
      let printed =
        try db.value(
          Int.self,
          sql: """
            SELECT count(*) FROM label_print WHERE \(print.fillID == nil ? "fill_id IS NULL AND batch_id = ?" : "fill_id = ?")
              AND NOT (format = 'text' AND destination = '\(LabelPrint.terminal)')
            """, arguments: [print.fillID ?? batch]) ?? 0
      guard printed == earlier else {
        throw StoreError(
          "this label was printed by someone else a moment ago: run the command again (it will be a reprint)")
      }
      let insertedID = try db.insert(
        sql: """
          INSERT INTO label_print (fill_id, batch_id, layout, layout_version, format, sha256, destination, copies,
            reprint, reason, printed_at, printed_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          print.fillID, batch, print.layout, print.layoutVersion, print.format, print.sha256, print.destination,
          print.copies, print.reprint, print.reason, print.printedAt, print.printedBy,
        ])
      var stored = print
      stored.id = insertedID
      return stored
    }
  }

  /// Records that a logged label never reached its destination.
  public func recordDeliveryFailure(_ printID: Int64, error: String, by user: String, now: Date) throws(StoreError) {
    try write(stamp(user, now)) { db in
      try db.execute(
        sql: "INSERT INTO label_delivery_failure (label_print_id, failed_at, error) VALUES (?, ?, ?)",
        arguments: [printID, Timestamp.string(now), error])
    }
  }

  static func labelPrint(_ row: SQLRow, lotNumber: String) throws(StoreError) -> LabelPrint {
    LabelPrint(
      id: try row["id"], fillID: try row["fill_id"], lotNumber: lotNumber, layout: try row["layout"],
      layoutVersion: try row["layout_version"], format: try row["format"], sha256: try row["sha256"],
      destination: try row["destination"], copies: try row["copies"], reprint: try row["reprint"],
      reason: try row["reason"],
      printedAt: try row["printed_at"], printedBy: try row["printed_by"])
  }
}
