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
      for row in try Row.fetchAll(
        db, sql: "SELECT * FROM balance_check WHERE checked_on = ? ORDER BY id", arguments: [day.description])
      {
        let entry = BalanceCheckEntry(
          balanceID: row["balance_id"], checkedAt: row["checked_at"], checkedBy: row["checked_by"],
          passed: row["passed"], serial: row["balance_serial"])
        latest[entry.balanceID.uppercased()] = entry
      }
      return latest
    }
  }

  /// Refuses weighing on `balance` unless its latest check today passed, naming the command to run.
  static func requireBalanceCheck(_ db: Database, _ balance: Balance, today: CalendarDate) throws {
    let passed = try Bool.fetchOne(
      db, sql: "SELECT passed FROM balance_check WHERE balance_id = ? AND checked_on = ? ORDER BY id DESC LIMIT 1",
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
        let row = try Row.fetchOne(db, sql: RowDecoding.lotSelect + " WHERE lot.lot_number = ?", arguments: [lotNumber])
      else {
        throw StoreError("lot '\(lotNumber)' does not exist: 'compound lot list' shows the lots", code: .notFound)
      }
      let lotID: Int64 = row["id"]
      let kind = try RowDecoding.known(IngredientKind.self, row, "kind")
      var detail = LotDetail(
        lot: LotSummary(
          lot: try RowDecoding.lot(row), ingredientName: row["ingredient_name"], unit: kind.stockUnit,
          receivedQuantity: row["received_quantity"], cost: (row["cost_cents"] as Int64?).map(Money.init(cents:)),
          receivedBy: row["received_by"]),
        receivedAt: row["received_at"], serial: row["serial"], certificateSha256: row["certificate_sha256"])
      if let hash = detail.certificateSha256,
        let certificate = try Row.fetchOne(db, sql: "SELECT * FROM certificate WHERE sha256 = ?", arguments: [hash])
      {
        let bytes: Data = certificate["bytes"]
        detail.certificateName = certificate["file_name"]
        detail.certificateBytes = bytes.count
        detail.certificateIntact = SHA256.hex([UInt8](bytes)) == hash
      }
      detail.history = try Row.fetchAll(
        db, sql: "SELECT * FROM status_change WHERE lot_id = ? ORDER BY id", arguments: [lotID]
      ).map {
        LotDetail.StatusEntry(
          from: $0["from_status"], to: $0["to_status"], at: $0["changed_at"], by: $0["changed_by"],
          reason: $0["reason"])
      }
      detail.sameSupplierLot = try String.fetchAll(
        db,
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
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM certificate WHERE sha256 = ?", arguments: [sha256])
      else { throw StoreError("no certificate is kept under \(sha256)", code: .notFound) }
      return (row["file_name"], [UInt8](row["bytes"] as Data))
    }
  }
}
