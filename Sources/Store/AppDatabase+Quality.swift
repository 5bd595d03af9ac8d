import Accounts
import Formulation
import Foundation
import Quality
import Quantities

extension AppDatabase {
  /// Records a laboratory result for a compounded lot; a failing result puts the lot on hold in the
  /// same transaction.
  public func recordAssay(
    _ input: AssayInput, policy: QualityPolicy, today: CalendarDate, now: Date
  ) throws(StoreError) -> AssayEntry {
    try write(stamp(input.by.id, now)) { db in
      let row = try batchRow(db, input.lotNumber)
      let batchID: Int64 = try row["id"]
      let number: String = try row["lot_number"]
      let compounded = try CalendarDate.parse(row["compounding_date"])
      guard input.tested <= today else {
        throw StoreError("--tested \(input.tested) is in the future: give the date the lab tested the lot")
      }
      guard input.tested >= compounded else {
        throw StoreError("--tested \(input.tested) is before batch \(number) was compounded (\(compounded))")
      }
      let formulaRow = try db.row(sql: "SELECT * FROM formula WHERE id = ?", arguments: [row["formula_id"] as Int64])
      guard let formulaRow else { throw StoreError("the formula of batch \(number) is missing") }
      let stored = try version(db, formulaRow, countingBatches: false)
      let qc = stored.formula.qualityControl
      let limits = policy.limits(range: qc.assay, source: "formula \(stored.formula.code) v\(stored.version)")
      let result = try AssayResult.evaluate(
        lab: input.lab, method: input.method, tested: input.tested, percent: input.percent, mg: input.mg,
        strength: stored.formula.strength, units: input.units, limits: limits,
        target: qc.uniformityTarget?.value ?? policy.target, l1: policy.l1, l2: policy.l2,
        certificatePath: input.certificatePath, certificateSha256: input.certificateSha256)
      try db.execute(
        sql: """
          INSERT INTO assay (batch_id, lab, method, tested_on, percent, verdict, uniformity_verdict,
            certificate_path, certificate_sha256, recorded_at, recorded_by, result)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          batchID, result.lab, result.method, result.tested.description, result.percent.description,
          result.verdict.rawValue, result.uniformity?.verdict, result.certificatePath, result.certificateSha256,
          Timestamp.string(now), input.by.id, try AssayRecord.text(result),
        ])
      var held = false
      let status = try RowDecoding.known(LotStatus.self, row, "status")
      if result.fails, status == .quarantined || status == .released {
        let reason =
          result.verdict == .fail
          ? "assay \(limits.range.reported(result.percent)) % is outside \(limits.range)"
          : "content uniformity failed (AV \(result.uniformity?.avRounded.fixed(1) ?? "?"))"
        try setStatus(db, batch: batchID, from: status, to: .onHold, by: input.by, reason: reason, now: now)
        held = true
      }
      return AssayEntry(
        lotNumber: number, formulaCode: stored.formula.code, recordedAt: Timestamp.string(now),
        recordedBy: input.by.id, result: result, heldLot: held)
    }
  }

  /// Assay results of one batch, or of every batch (of one formula), oldest first.
  public func assays(lotNumber: String? = nil, formula: String? = nil) throws(StoreError) -> [AssayEntry] {
    try read { db in
      var conditions: [String] = []
      var arguments: [any SQLArgument] = []
      if let lotNumber {
        _ = try batchRow(db, lotNumber)
        conditions.append("batch.lot_number = ?")
        arguments.append(lotNumber)
      }
      if let formula {
        _ = try formulaRow(db, formula)
        conditions.append("formula.code = ?")
        arguments.append(formula)
      }
      let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
      return try assayEntries(db, filter: filter, arguments: SQLArguments(arguments))
    }
  }

  func assayEntries(_ db: any StoreConnection, filter: String, arguments: SQLArguments) throws -> [AssayEntry] {
    try db.rows(
      sql: """
        SELECT assay.*, batch.lot_number, formula.code FROM assay
        JOIN batch ON batch.id = assay.batch_id JOIN formula ON formula.id = batch.formula_id\(filter)
        ORDER BY assay.tested_on, assay.id
        """, arguments: arguments
    ).map { row in
      AssayEntry(
        lotNumber: try row["lot_number"], formulaCode: try row["code"], recordedAt: try row["recorded_at"],
        recordedBy: try row["recorded_by"], result: try AssayRecord.read(row["result"]), heldLot: false)
    }
  }

  /// Releases, rejects, holds or recalls a compounded batch.
  ///
  /// Release needs a pharmacist, a verified record, a passing latest weight check, a BUD not yet past,
  /// and (when the policy says so) a passing latest assay; each refusal names the missing step.
  public func changeBatchStatus(
    _ lotNumber: String, action: LotAction, by user: User, reason: String?, policy: QualityPolicy,
    today: CalendarDate, now: Date
  ) throws(StoreError) -> BatchRecord {
    let number: String = try write(stamp(user.id, now)) { db in
      let row = try batchRow(db, lotNumber)
      let number: String = try row["lot_number"]
      let batchID: Int64 = try row["id"]
      try check(action, by: user, reason: reason)
      let status = try RowDecoding.known(LotStatus.self, row, "status")
      let next = try action.apply(to: status, lot: number)
      if action == .release {
        try releasable(db, row: row, policy: policy, today: today)
      }
      try setStatus(db, batch: batchID, from: status, to: next, by: user, reason: reason, now: now)
      return number
    }
    return try batch(number)
  }

  /// Loads what `BatchRelease` needs to judge the batch in `row`, and refuses with its reason.
  private func releasable(_ db: any StoreConnection, row: SQLRow, policy: QualityPolicy, today: CalendarDate) throws {
    let batchID: Int64 = try row["id"]
    let weights = try db.value(
      Bool.self, sql: "SELECT passed FROM weight_check WHERE batch_id = ? ORDER BY id DESC LIMIT 1",
      arguments: [batchID])
    let consumed = try db.rows(
      sql: """
        SELECT lot.id, lot.lot_number, lot.status, ingredient.code FROM batch_component
        JOIN lot ON lot.id = batch_component.lot_id JOIN ingredient ON ingredient.id = lot.ingredient_id
        WHERE batch_component.batch_id = ? ORDER BY batch_component.id
        """, arguments: [batchID]
    ).map {
      ReleaseFacts.Consumed(
        lotNumber: try $0["lot_number"], ingredient: try $0["code"],
        status: try RowDecoding.known(LotStatus.self, $0, "status")
      )
    }
    let facts = ReleaseFacts(
      lotNumber: try row["lot_number"], verified: (try row["verified_by"] as String?) != nil,
      weightCheckPassed: weights,
      beyondUseDate: try CalendarDate.parse(row["bud"]),
      latestAssay: try assayEntries(db, filter: " WHERE assay.batch_id = ?", arguments: [batchID]).last?.result,
      consumed: consumed)
    if let refusal = BatchRelease.refusal(facts, policy: policy, today: today) { throw StoreError(refusal) }
  }

  /// Releases, rejects, holds or recalls an ingredient lot; release checks the certificate again.
  ///
  /// A trituration lot is released on its record instead of a certificate, by a pharmacist who did not make it,
  /// with a passing assay when `requireAssay` (quality.require_assay_before_release).
  public func changeLotStatus(
    _ lotNumber: String, action: LotAction, by user: User, reason: String?, limit: (Ingredient) -> CertificateLimit?,
    requireAssay: Bool = true, today: CalendarDate, now: Date
  ) throws(StoreError) -> IngredientLot {
    try write(stamp(user.id, now)) { db in
      guard
        let row = try db.row(sql: RowDecoding.lotSelect + " WHERE lot.lot_number = ?", arguments: [lotNumber])
      else {
        throw StoreError("lot '\(lotNumber)' does not exist: 'compound lot list' shows the lots", code: .notFound)
      }
      var lot = try RowDecoding.lot(row)
      try check(action, by: user, reason: reason)
      let next = try action.apply(to: lot.status, lot: lot.lotNumber)
      if action == .release {
        guard !lot.isExpired(on: today) else {
          throw StoreError("lot \(lot.lotNumber) expired on \(lot.expiry): it cannot be released")
        }
        let ingredientRow = try db.row(sql: "SELECT * FROM ingredient WHERE code = ?", arguments: [lot.ingredientCode])
        let ingredient = try ingredientRow.map { try RowDecoding.ingredient($0) }
        if lot.triturationParts != nil {
          // The pharmacy's own dilution: its record is the certificate; another pharmacist checks it.
          try releasableTrituration(db, lotID: row["id"], by: user, requireAssay: requireAssay)
        } else {
          if let ingredient, let limit = limit(ingredient), let refusal = limit.refusal(of: lot) {
            throw StoreError(refusal)
          }
          let certificate: String? = try row["certificate_sha256"]
          if ingredient?.kind == .api, certificate == nil, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError(
              "API lot \(lot.lotNumber) has no certificate of analysis on file: keep it with 'compound lot certificate \(lot.lotNumber) --file FILE', or release it with --reason \"why the certificate is not here\""
            )
          }
        }
      }
      let lotID: Int64 = try row["id"]
      try db.execute(sql: "UPDATE lot SET status = ? WHERE id = ?", arguments: [next.rawValue, lotID])
      try db.execute(
        sql:
          "INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [
          lotID, lot.status.rawValue, next.rawValue, Timestamp.string(now), user.id,
          reason
            ?? (action == .release
              ? (lot.triturationParts != nil ? "trituration record checked" : "certificate checked") : nil),
        ])
      lot.status = next
      return lot
    }
  }

  /// The compounded lot, when it may be labeled, filled or dispensed on `today`; otherwise the reason.
  ///
  /// Every path that uses a finished lot goes through this check (see `BatchGate`).
  public func usableBatch(_ lotNumber: String, today: CalendarDate) throws(StoreError) -> BatchRecord {
    let record = try batch(lotNumber)
    if let refusal = BatchGate.refusal(
      lotNumber: record.lotNumber, status: record.status, beyondUseDate: record.beyondUseDate, today: today)
    {
      throw StoreError(refusal)
    }
    return record
  }

  private func check(_ action: LotAction, by user: User, reason: String?) throws {
    if action.needsPharmacist, let refusal = SigningRules.refusal(user, for: .decideLot(action.rawValue)) {
      throw StoreError(refusal)
    }
    if action.needsReason, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
      throw StoreError("a reason is required to \(action.rawValue) a lot: add --reason \"...\"")
    }
  }

  func setStatus(
    _ db: any StoreConnection, batch: Int64, from: LotStatus, to: LotStatus, by user: User, reason: String?, now: Date
  ) throws {
    try db.execute(sql: "UPDATE batch SET status = ? WHERE id = ?", arguments: [to.rawValue, batch])
    try db.execute(
      sql:
        "INSERT INTO status_change (batch_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [batch, from.rawValue, to.rawValue, Timestamp.string(now), user.id, reason])
  }
}
