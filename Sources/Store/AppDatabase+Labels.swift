import Foundation
import GRDB

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

  /// Logs a delivered label; a reprint must carry its reason.
  public func logLabelPrint(_ print: LabelPrint) throws(StoreError) -> LabelPrint {
    try write { db in
      let batch: Int64 = try batchRow(db, print.lotNumber)["id"]
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

  static func labelPrint(_ row: Row, lotNumber: String) -> LabelPrint {
    LabelPrint(
      id: row["id"], fillID: row["fill_id"], lotNumber: lotNumber, layout: row["layout"],
      layoutVersion: row["layout_version"], format: row["format"], sha256: row["sha256"],
      destination: row["destination"], copies: row["copies"], reprint: row["reprint"], reason: row["reason"],
      printedAt: row["printed_at"], printedBy: row["printed_by"])
  }
}
