import Formulation
import Foundation
import GRDB
import Quality
import Quantities

extension AppDatabase {
  /// Labels already printed for a fill, or for a batch's container when `fill` is nil.
  public func labelPrints(fill: Int64?, lotNumber: String) throws(StoreError) -> [LabelPrint] {
    try read { db in
      let batch: Int64 = try batchRow(db, lotNumber)["id"]
      let rows =
        if let fill {
          try Row.fetchAll(db, sql: "SELECT * FROM label_print WHERE fill_id = ? ORDER BY id", arguments: [fill])
        } else {
          try Row.fetchAll(
            db, sql: "SELECT * FROM label_print WHERE fill_id IS NULL AND batch_id = ? ORDER BY id", arguments: [batch])
        }
      return rows.map { Self.labelPrint($0, lotNumber: lotNumber) }
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
      let status: String = batchRow["status"]
      guard let lotStatus = LotStatus(rawValue: status) else {
        throw StoreError("batch \(print.lotNumber) has the unknown status '\(status)'")
      }
      if let refusal = BatchGate.refusal(
        lotNumber: print.lotNumber, status: lotStatus, beyondUseDate: try CalendarDate.parse(batchRow["bud"]),
        today: today)
      {
        throw StoreError(refusal)
      }
      let batch: Int64 = batchRow["id"]
      let printed =
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM label_print WHERE \(print.fillID == nil ? "fill_id IS NULL AND batch_id = ?" : "fill_id = ?")
              AND NOT (format = 'text' AND destination = '\(LabelPrint.terminal)')
            """, arguments: [print.fillID ?? batch]) ?? 0
      guard printed == earlier else {
        throw StoreError(
          "this label was printed by someone else a moment ago: run the command again (it will be a reprint)")
      }
      try db.execute(
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
      stored.id = db.lastInsertedRowID
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

  static func labelPrint(_ row: Row, lotNumber: String) -> LabelPrint {
    LabelPrint(
      id: row["id"], fillID: row["fill_id"], lotNumber: lotNumber, layout: row["layout"],
      layoutVersion: row["layout_version"], format: row["format"], sha256: row["sha256"],
      destination: row["destination"], copies: row["copies"], reprint: row["reprint"], reason: row["reason"],
      printedAt: row["printed_at"], printedBy: row["printed_by"])
  }
}
