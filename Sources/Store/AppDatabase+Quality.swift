import Formulation
import Foundation
import GRDB
import Quality
import Quantities

extension AppDatabase {
  /// Records a laboratory result for a compounded lot; a failing result puts the lot on hold in the
  /// same transaction.
  public func recordAssay(
    _ input: AssayInput, policy: QualityPolicy, today: CalendarDate, now: Date
  ) throws(StoreError) -> AssayEntry {
    try write { db in
      let row = try batchRow(db, input.lotNumber)
      let batchID: Int64 = row["id"]
      let number: String = row["lot_number"]
      let compounded = try CalendarDate.parse(row["compounding_date"])
      guard input.tested <= today else {
        throw StoreError("--tested \(input.tested) is in the future: give the date the lab tested the lot")
      }
      guard input.tested >= compounded else {
        throw StoreError("--tested \(input.tested) is before batch \(number) was compounded (\(compounded))")
      }
      let formulaRow = try Row.fetchOne(
        db, sql: "SELECT * FROM formula WHERE id = ?", arguments: [row["formula_id"] as Int64])
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
      var arguments: [any DatabaseValueConvertible] = []
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
      return try assayEntries(db, filter: filter, arguments: StatementArguments(arguments))
    }
  }

  func assayEntries(_ db: Database, filter: String, arguments: StatementArguments) throws -> [AssayEntry] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT assay.*, batch.lot_number, formula.code FROM assay
        JOIN batch ON batch.id = assay.batch_id JOIN formula ON formula.id = batch.formula_id\(filter)
        ORDER BY assay.tested_on, assay.id
        """, arguments: arguments
    ).map { row in
      AssayEntry(
        lotNumber: row["lot_number"], formulaCode: row["code"], recordedAt: row["recorded_at"],
        recordedBy: row["recorded_by"], result: try AssayRecord.read(row["result"]), heldLot: false)
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
    let number: String = try write { db in
      let row = try batchRow(db, lotNumber)
      let number: String = row["lot_number"]
      let batchID: Int64 = row["id"]
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

  private func releasable(_ db: Database, row: Row, policy: QualityPolicy, today: CalendarDate) throws {
    let number: String = row["lot_number"]
    let batchID: Int64 = row["id"]
    guard (row["verified_by"] as String?) != nil else {
      throw StoreError(
        "batch \(number) cannot be released: its compounding record is not verified ('compound batch verify \(number) --by PHARMACIST')"
      )
    }
    let weights = try Bool.fetchOne(
      db, sql: "SELECT passed FROM weight_check WHERE batch_id = ? ORDER BY id DESC LIMIT 1", arguments: [batchID])
    guard weights == true else {
      throw StoreError(
        "batch \(number) cannot be released: its latest capsule weight check \(weights == nil ? "is missing" : "failed")"
      )
    }
    let bud = try CalendarDate.parse(row["bud"])
    guard bud >= today else {
      throw StoreError("batch \(number) cannot be released: it is past its beyond-use date \(bud)")
    }
    guard policy.requireAssayBeforeRelease else { return }
    let latest = try assayEntries(db, filter: " WHERE assay.batch_id = ?", arguments: [batchID]).last
    guard let latest else {
      throw StoreError(
        "batch \(number) cannot be released: no assay is on record ('compound assay record \(number) ...'; quality.require_assay_before_release)"
      )
    }
    guard latest.result.allowsRelease else {
      let what =
        latest.result.verdict == .fail
        ? "failed (\(latest.result.percent.fixed(1)) %)"
        : "has content uniformity \(latest.result.uniformity?.verdict ?? "") (\(latest.result.uniformity?.nextStep ?? "see the record"))"
      throw StoreError("batch \(number) cannot be released: its latest assay \(what)")
    }
  }

  /// Releases, rejects, holds or recalls an ingredient lot; release checks the certificate again.
  public func changeLotStatus(
    _ lotNumber: String, action: LotAction, by user: User, reason: String?, limit: (Ingredient) -> CertificateLimit?,
    today: CalendarDate, now: Date
  ) throws(StoreError) -> IngredientLot {
    try write { db in
      guard
        let row = try Row.fetchOne(db, sql: RowDecoding.lotSelect + " WHERE lot.lot_number = ?", arguments: [lotNumber])
      else { throw StoreError("lot '\(lotNumber)' does not exist: 'compound lot list' shows the lots") }
      var lot = try RowDecoding.lot(row)
      try check(action, by: user, reason: reason)
      let next = try action.apply(to: lot.status, lot: lot.lotNumber)
      if action == .release {
        guard !lot.isExpired(on: today) else {
          throw StoreError("lot \(lot.lotNumber) expired on \(lot.expiry): it cannot be released")
        }
        let ingredient = try Row.fetchOne(
          db, sql: "SELECT * FROM ingredient WHERE code = ?", arguments: [lot.ingredientCode])
        if let ingredient, let limit = limit(try RowDecoding.ingredient(ingredient)),
          let refusal = limit.refusal(of: lot)
        {
          throw StoreError(refusal)
        }
      }
      let lotID: Int64 = row["id"]
      try db.execute(sql: "UPDATE lot SET status = ? WHERE id = ?", arguments: [next.rawValue, lotID])
      try db.execute(
        sql:
          "INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [
          lotID, lot.status.rawValue, next.rawValue, Timestamp.string(now), user.id,
          reason ?? (action == .release ? "certificate checked" : nil),
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
    if action.needsPharmacist, !user.isPharmacist {
      throw StoreError("\(user.id) is a \(user.role.rawValue): only a pharmacist may \(action.rawValue) a lot")
    }
    if action.needsReason, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
      throw StoreError("a reason is required to \(action.rawValue) a lot: add --reason \"...\"")
    }
  }

  func setStatus(
    _ db: Database, batch: Int64, from: LotStatus, to: LotStatus, by user: User, reason: String?, now: Date
  ) throws {
    try db.execute(sql: "UPDATE batch SET status = ? WHERE id = ?", arguments: [to.rawValue, batch])
    try db.execute(
      sql:
        "INSERT INTO status_change (batch_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [batch, from.rawValue, to.rawValue, Timestamp.string(now), user.id, reason])
  }
}
