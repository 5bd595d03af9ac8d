import Accounts
import Digest
import Formulation
import Foundation
import Quality
import Quantities

extension AppDatabase {
  /// Adds a catalog entry; refuses a duplicate code or an incomplete entry.
  public func addIngredient(_ ingredient: Ingredient, by user: User, now: Date) throws(StoreError) {
    do {
      try ingredient.validate()
    } catch {
      throw StoreError(error.message)
    }
    try write(stamp(user.id, now)) { db in
      if try db.row(sql: "SELECT 1 FROM ingredient WHERE code = ?", arguments: [ingredient.code]) != nil {
        throw StoreError("ingredient \(ingredient.code) already exists: 'compound ingredient list' shows the catalog")
      }
      try db.execute(
        sql: """
          INSERT INTO ingredient (code, name, kind, salt_form, mw_salt, mw_base, density, capsule_size,
            created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          ingredient.code.uppercased(), ingredient.name, ingredient.kind.rawValue, ingredient.saltForm,
          ingredient.molecularWeightSalt?.description, ingredient.molecularWeightBase?.description,
          ingredient.density?.description, ingredient.capsuleSize, Timestamp.string(now), user.id,
        ])
    }
  }

  /// The whole catalog, by code.
  public func ingredients() throws(StoreError) -> [Ingredient] {
    try read { db in
      try db.rows(sql: "SELECT * FROM ingredient ORDER BY code").map { try RowDecoding.ingredient($0) }
    }
  }

  /// Receives a delivery as a new quarantined lot with its `received` movement; returns its lot number.
  ///
  /// Another container of a supplier lot already received is its own lot sharing that lot's certificate.
  /// `certificate` (the supplier's certificate of analysis) is kept by its SHA-256.
  public func receiveLot(
    _ receipt: LotReceipt, certificate: (name: String, bytes: [UInt8])? = nil, format: LotNumberFormat,
    by user: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> String {
    var receipt = receipt
    return try write(stamp(user.id, now)) { db in
      guard
        let row = try db.row(sql: "SELECT * FROM ingredient WHERE code = ?", arguments: [receipt.ingredientCode])
      else {
        throw StoreError(
          "ingredient '\(receipt.ingredientCode)' is not in the catalog: add it with 'compound ingredient add'")
      }
      let ingredient = try RowDecoding.ingredient(row)
      let ingredientID: Int64 = try row["id"]
      let earlier = try db.row(
        sql: RowDecoding.lotSelect
          + " WHERE lot.ingredient_id = ? AND lot.supplier = ? AND lot.supplier_lot = ? AND lot.trituration_parts IS NULL ORDER BY lot.id LIMIT 1",
        arguments: [ingredientID, receipt.supplier, receipt.supplierLot])
      if let earlier {
        receipt = try receipt.sharingCertificate(of: try RowDecoding.lot(earlier))
      }
      if let refusal = receipt.refusal(kind: ingredient.kind, today: today) { throw StoreError(refusal) }
      var certificateHash: String? = try earlier?["certificate_sha256"]
      if let certificate {
        let hash = SHA256.hex(certificate.bytes)
        try db.execute(
          sql:
            "INSERT INTO certificate (sha256, file_name, bytes, stored_at, stored_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
          arguments: [hash, certificate.name, Data(certificate.bytes), Timestamp.string(now), user.id])
        certificateHash = hash
      }
      let scope = try scope(db)
      let lotNumber = try nextNumber(
        db, table: "lot", format: format, code: ingredient.code, prefix: scope.prefix, today: today)
      let insertedID = try db.insert(
        sql: """
          INSERT INTO lot (lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity,
            assay_percent, assay_basis, water_percent, cost_cents, status, received_at, received_by, gtin, serial,
            certificate_sha256)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'quarantined', ?, ?, ?, ?, ?)
          """,
        arguments: [
          lotNumber, ingredientID, receipt.supplier, receipt.supplierLot, receipt.expiry.description,
          receipt.quantity, receipt.assayPercent?.description,
          receipt.assayPercent == nil ? nil : (receipt.assayBasis ?? .asIs).rawValue,
          receipt.waterPercent?.description, receipt.cost?.cents, Timestamp.string(now), user.id, receipt.gtin,
          receipt.serial, certificateHash,
        ])
      let lotID = insertedID
      try Self.recordStore(db, scope, "lot", lotID)
      try db.execute(
        sql:
          "INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by) VALUES (?, NULL, 'quarantined', ?, ?)",
        arguments: [lotID, Timestamp.string(now), user.id])
      try Ledger.move(db, lot: lotID, kind: .received, quantity: receipt.quantity, by: user, now: now)
      return lotNumber
    }
  }

  /// The first unused lot number of `format` for `code` on `today`, after `prefix` (the store's code, in a chain).
  func nextNumber(
    _ db: any StoreConnection, table: String, format: LotNumberFormat, code: String, prefix: String,
    today: CalendarDate
  ) throws -> String {
    for sequence in 1...100_000 {
      let candidate = prefix + format.render(code: code, date: today, sequence: sequence)
      if try db.row(sql: "SELECT 1 FROM \(table) WHERE lot_number = ?", arguments: [candidate]) == nil {
        return candidate
      }
    }
    throw StoreError("no free lot number today for \(code): widen {seq} in the lot number format")
  }

  /// Keeps a certificate of analysis that arrived after its lot; a lot's kept certificate is never replaced.
  public func attachCertificate(
    _ lotNumber: String, certificate: (name: String, bytes: [UInt8]), by user: User, now: Date
  ) throws(StoreError) -> String {
    try write(stamp(user.id, now)) { db in
      guard
        let row = try db.row(
          sql: "SELECT id, lot_number, certificate_sha256, trituration_parts FROM lot WHERE lot_number = ?",
          arguments: [lotNumber])
      else {
        throw StoreError("lot '\(lotNumber)' does not exist: 'compound lot list' shows the lots", code: .notFound)
      }
      let number: String = try row["lot_number"]
      guard (try row["trituration_parts"] as Int?) == nil else {
        throw StoreError("lot \(number) is a trituration made here: its record is its certificate")
      }
      if let kept: String = try row["certificate_sha256"] {
        throw StoreError(
          "lot \(number) already keeps certificate \(kept.prefix(12)): a kept certificate is never replaced")
      }
      let hash = SHA256.hex(certificate.bytes)
      try db.execute(
        sql:
          "INSERT INTO certificate (sha256, file_name, bytes, stored_at, stored_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        arguments: [hash, certificate.name, Data(certificate.bytes), Timestamp.string(now), user.id])
      try db.execute(
        sql: "UPDATE lot SET certificate_sha256 = ? WHERE id = ?", arguments: [hash, row["id"] as Int64])
      return hash
    }
  }

  /// Releases a quarantined or held ingredient lot after the certificate check; a pharmacist only.
  public func releaseLot(
    _ lotNumber: String, by user: User, reason: String? = nil, limit: (Ingredient) -> CertificateLimit?,
    requireAssay: Bool, today: CalendarDate, now: Date
  ) throws(StoreError) -> IngredientLot {
    try changeLotStatus(
      lotNumber, action: .release, by: user, reason: reason, limit: limit, requireAssay: requireAssay, today: today,
      now: now)
  }

  /// Every lot of the station's store (or of every store, `allStores`), or those of one ingredient, soonest
  /// expiry first.
  public func lots(ingredient: String? = nil, allStores: Bool = false) throws(StoreError) -> [LotSummary] {
    try read { db in
      let scope = allStores ? StoreScope.whole : try scope(db)
      let filter = " WHERE \(scope.holds("lot", "lot.id"))" + (ingredient == nil ? "" : " AND ingredient.code = ?")
      let arguments: SQLArguments = ingredient.map { [$0] } ?? []
      return try db.rows(
        sql: RowDecoding.lotSelect + filter + " ORDER BY lot.expiry, lot.lot_number", arguments: arguments
      )
      .map { row in
        let kind = try RowDecoding.known(IngredientKind.self, row, "kind")
        return LotSummary(
          lot: try RowDecoding.lot(row), ingredientName: try row["ingredient_name"],
          unit: kind.stockUnit, receivedQuantity: try row["received_quantity"],
          cost: (try row["cost_cents"] as Int64?).map(Money.init(cents:)), receivedBy: try row["received_by"])
      }
    }
  }
}
