import Accounts
import Digest
import Formulation
import Foundation
import GRDB
import Quantities

extension AppDatabase {
  /// Records a balance's check with a test weight, passed or not; returns it.
  public func recordBalanceCheck(
    _ check: BalanceCheck, serial: String?, by user: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> BalanceCheck {
    try write(stamp(user.id, now)) { db in
      try db.execute(
        sql: """
          INSERT INTO balance_check (balance_id, balance_serial, checked_on, checked_at, checked_by, test_weight_ug,
            reading_ug, tolerance_percent, passed)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          check.balanceID, serial, today.description, Timestamp.string(now), user.id, check.testWeight.micrograms,
          check.reading.micrograms, check.tolerancePercent.description, check.passed,
        ])
      return check
    }
  }

  /// The latest check of each balance on `day`, by balance id (upper case).
  public func balanceChecks(on day: CalendarDate) throws(StoreError) -> [String: BalanceCheckEntry] {
    try read { db in
      var latest: [String: BalanceCheckEntry] = [:]
      for row in try db.rows(
        sql: "SELECT * FROM balance_check WHERE checked_on = ? ORDER BY id", arguments: [day.description])
      {
        let entry = BalanceCheckEntry(
          balanceID: try row["balance_id"], checkedAt: try row["checked_at"], checkedBy: try row["checked_by"],
          passed: try row["passed"], serial: try row["balance_serial"])
        latest[entry.balanceID.uppercased()] = entry
      }
      return latest
    }
  }

  /// Refuses weighing on `balance` unless its latest check today passed, naming the command to run.
  static func requireBalanceCheck(_ db: any StoreConnection, _ balance: Balance, today: CalendarDate) throws {
    let passed = try db.value(
      Bool.self,
      sql: "SELECT passed FROM balance_check WHERE balance_id = ? AND checked_on = ? ORDER BY id DESC LIMIT 1",
      arguments: [balance.id, today.description])
    let command =
      "'compound balance check \(balance.id) --test-weight 100g --reading MASS --by USER' with a test weight"
    switch passed {
    case true: return
    case false:
      throw StoreError(
        "balance \(balance.id) failed its check today: do not weigh on it; service it, then record a passing check with \(command)"
      )
    default:
      throw StoreError("balance \(balance.id) has not been checked today (\(today)): run \(command) first")
    }
  }

  /// One lot with its receipt, certificate, status history and, for a trituration, its record.
  public func lotDetail(_ lotNumber: String) throws(StoreError) -> LotDetail {
    try read { db in
      guard
        let row = try db.row(sql: RowDecoding.lotSelect + " WHERE lot.lot_number = ?", arguments: [lotNumber])
      else {
        throw StoreError("lot '\(lotNumber)' does not exist: 'compound lot list' shows the lots", code: .notFound)
      }
      let lotID: Int64 = try row["id"]
      let kind = try RowDecoding.known(IngredientKind.self, row, "kind")
      var detail = LotDetail(
        lot: LotSummary(
          lot: try RowDecoding.lot(row), ingredientName: try row["ingredient_name"], unit: kind.stockUnit,
          receivedQuantity: try row["received_quantity"],
          cost: (try row["cost_cents"] as Int64?).map(Money.init(cents:)),
          receivedBy: try row["received_by"]),
        receivedAt: try row["received_at"], serial: try row["serial"], certificateSha256: try row["certificate_sha256"])
      if let hash = detail.certificateSha256,
        let certificate = try db.row(sql: "SELECT * FROM certificate WHERE sha256 = ?", arguments: [hash])
      {
        let bytes: Data = try certificate["bytes"]
        detail.certificateName = try certificate["file_name"]
        detail.certificateBytes = bytes.count
        detail.certificateIntact = SHA256.hex([UInt8](bytes)) == hash
      }
      detail.history = try db.rows(
        sql: "SELECT * FROM status_change WHERE lot_id = ? ORDER BY id", arguments: [lotID]
      ).map {
        LotDetail.StatusEntry(
          from: try $0["from_status"], to: try $0["to_status"], at: try $0["changed_at"], by: try $0["changed_by"],
          reason: try $0["reason"])
      }
      detail.sameSupplierLot = try db.values(
        String.self,
        sql:
          "SELECT lot_number FROM lot WHERE ingredient_id = ? AND supplier = ? AND supplier_lot = ? AND id <> ? ORDER BY id",
        arguments: [row["ingredient_id"] as Int64, row["supplier"] as String, row["supplier_lot"] as String, lotID])
      detail.trituration = try triturationEntry(db, lotID: lotID)
      return detail
    }
  }

  /// The certificate of analysis kept under `sha256`: its file name and bytes.
  public func certificate(_ sha256: String) throws(StoreError) -> (name: String, bytes: [UInt8]) {
    try read { db in
      guard let row = try db.row(sql: "SELECT * FROM certificate WHERE sha256 = ?", arguments: [sha256])
      else { throw StoreError("no certificate is kept under \(sha256)", code: .notFound) }
      return (try row["file_name"], [UInt8](try row["bytes"] as Data))
    }
  }
}
