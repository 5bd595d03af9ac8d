import Accounts
import Formulation
import Foundation
import Quality
import Quantities

extension AppDatabase {
  /// The weighing worksheet for `quantity` capsules of the latest version of `formulaCode`; writes nothing.
  ///
  /// Each mass is checked against `balance`'s minimum weight; one below it is flagged with the trituration
  /// that fixes it.
  public func planBatch(
    formulaCode: String, quantity: Int, lotChoices: [String: String], balance: Balance?, rules: FormulationRules,
    today: CalendarDate, shortDatedReason: String? = nil
  ) throws(StoreError) -> WeighingPlan {
    try read { db in
      try plan(
        db, formulaCode: formulaCode, quantity: quantity, lotChoices: lotChoices, balance: balance, rules: rules,
        today: today, shortDatedReason: shortDatedReason
      ).plan
    }
  }

  private func plan(
    _ db: any StoreConnection, formulaCode: String, quantity: Int, lotChoices: [String: String], balance: Balance?,
    rules: FormulationRules, today: CalendarDate, shortDatedReason: String?
  ) throws -> (plan: WeighingPlan, formulaID: Int64, lotIDs: [String: Int64]) {
    let row = try formulaRow(db, formulaCode)
    let stored = try version(db, row, countingBatches: false)
    let formula = stored.formula
    let codes = [formula.api, formula.filler] + (formula.shell.map { [$0] } ?? [])
    let placeholders = codes.map { _ in "?" }.joined(separator: ", ")
    let ingredients = try db.rows(
      sql: "SELECT * FROM ingredient WHERE code IN (\(placeholders))", arguments: SQLArguments(codes)
    ).map { try RowDecoding.ingredient($0) }
    let lotRows = try RowDecoding.lotsOnHand(
      db, codes: codes, named: Array(lotChoices.values), scope: try scope(db))
    let plan = try WeighingPlanner.plan(
      PlanRequest(
        formula: formula, formulaVersion: stored.version, quantity: quantity, today: today, ingredients: ingredients,
        lots: lotRows.map { try RowDecoding.lot($0) }, lotChoices: lotChoices, balance: balance,
        triturations: try Self.latestTriturations(db, api: formula.api).map(\.definition),
        shortDatedReason: shortDatedReason),
      rules: rules)
    let lotIDs = Dictionary(
      try lotRows.map { ((try $0["lot_number"] as String), (try $0["id"] as Int64)) }, uniquingKeysWith: { a, _ in a })
    return (plan, try row["id"], lotIDs)
  }

  /// Writes the compounding record of a batch in one transaction and returns it.
  ///
  /// Plans again inside the transaction (so stock and lot states are current), checks what was weighed
  /// and filled, then writes the batch, its component lots, the stock movements and its quarantine.
  public func recordBatch(
    _ request: BatchRequest, rules: FormulationRules, rulesVersion: Int, format: LotNumberFormat,
    today: CalendarDate, now: Date
  ) throws(StoreError) -> BatchRecord {
    let lotNumber: String = try write(stamp(request.by.id, now)) { db in
      try Self.requireRulesInForce(db, version: rulesVersion)
      try Self.requireBalanceCheck(db, request.balance, today: today)
      let (plan, formulaID, lotIDs) = try plan(
        db, formulaCode: request.formulaCode, quantity: request.quantity, lotChoices: request.lotChoices,
        balance: request.balance, rules: rules, today: today, shortDatedReason: request.shortDatedReason)
      // The containers in hand, when scanned, must be the planned lots: checked before anything is written.
      for (key, scan) in request.scans.sorted(by: { $0.key < $1.key }) {
        guard
          let component = plan.components.first(where: {
            $0.ingredientCode.uppercased() == key || $0.role.rawValue.uppercased() == key
          })
        else {
          throw StoreError(
            "--scan names \(key), which this formula does not use: use \(plan.components.map(\.ingredientCode).joined(separator: ", "))"
          )
        }
        let gtin = try db.value(
          String.self, sql: "SELECT gtin FROM lot WHERE lot_number = ?", arguments: [component.lotNumber])
        if let refusal = scan.refusal(for: component, gtin: gtin) { throw StoreError(refusal) }
      }
      var onHand: [String: Int64] = [:]
      for component in plan.components {
        guard let lotID = lotIDs[component.lotNumber] else { continue }
        onHand[component.lotNumber] =
          try db.value(Int64.self, sql: "SELECT on_hand FROM stock WHERE lot_id = ?", arguments: [lotID]) ?? 0
      }
      let check = try BatchRecordCheck.check(
        plan: plan, weighed: request.weighed, actualYield: request.actualYield,
        deviation: request.deviation, onHand: onHand, rules: rules, shellsUsed: request.shellsUsed,
        balance: request.balance, sources: request.sources)
      let scope = try scope(db)
      let lotNumber = try nextNumber(
        db, table: "batch", format: format, code: plan.formulaCode, prefix: scope.prefix, today: today)
      let deviation = request.deviation.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
      let insertedID = try db.insert(
        sql: """
          INSERT INTO batch (lot_number, formula_id, quantity, capsules_planned, actual_yield, theoretical_fill_ug,
            compounding_date, bud, bud_basis, status, compounded_by, compounded_by_name, compounded_at, deviation,
            plan, record_check, rules_version)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'quarantined', ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          lotNumber, formulaID, plan.quantity, plan.capsules, check.actualYield, plan.theoreticalFill.micrograms,
          plan.compoundingDate.description, plan.beyondUseDate.date.description, plan.beyondUseDate.basis,
          request.by.id, request.by.name, Timestamp.string(now), deviation, try PlanRecord.text(plan),
          try RecordCheckRecord.text(check), rulesVersion,
        ])
      let batchID = insertedID
      try Self.recordStore(db, scope, "batch", batchID)
      for component in check.components {
        guard let lotID = lotIDs[component.planned.lotNumber] else {
          throw StoreError("lot \(component.planned.lotNumber) disappeared while recording")
        }
        try db.execute(
          sql: "INSERT INTO batch_component (batch_id, lot_id, role, planned, measured) VALUES (?, ?, ?, ?, ?)",
          arguments: [batchID, lotID, component.planned.role.rawValue, component.planned.quantity, component.measured])
        try Ledger.move(
          db, lot: lotID, kind: .consumed, quantity: -component.measured, forBatch: batchID, by: request.by, now: now)
      }
      try Ledger.moveBatch(
        db, batch: batchID, kind: .produced, quantity: Int64(check.actualYield), by: request.by, now: now)
      try db.execute(
        sql:
          "INSERT INTO status_change (batch_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, NULL, 'quarantined', ?, ?, 'compounded')",
        arguments: [batchID, Timestamp.string(now), request.by.id])
      return lotNumber
    }
    return try batch(lotNumber)
  }

  /// Records a filled-capsule weight check on a batch not yet verified.
  public func recordWeights(
    _ lotNumber: String, gross: [Mass], shell: Mass?, rules: FormulationRules, by user: User, now: Date
  ) throws(StoreError) -> WeightCheck {
    try write(stamp(user.id, now)) { db in
      let row = try batchRow(db, lotNumber)
      guard (try row["verified_by"] as String?) == nil else {
        throw StoreError("batch \(try row["lot_number"] as String) is already verified: its record is final")
      }
      let plan = try PlanRecord.read(row["plan"])
      let size = rules.capsule(plan.capsuleSize)
      let shellMass = shell ?? size.map { Mass.milligrams($0.emptyShellMg.value) } ?? .zero
      let source =
        shell != nil
        ? "measured empty shell (--shell-mg)" : "typical empty size \(plan.capsuleSize) shell (capsules setting)"
      let result = try WeightCheck.evaluate(
        gross: gross, shell: shellMass, shellSource: source, theoreticalFill: plan.theoreticalFill,
        range: plan.fillRange, minimumCount: rules.weightCheckMinimum)
      try db.execute(
        sql: "INSERT INTO weight_check (batch_id, checked_at, checked_by, passed, result) VALUES (?, ?, ?, ?, ?)",
        arguments: [
          row["id"] as Int64, Timestamp.string(now), user.id, result.passed, try WeightCheckRecord.text(result),
        ])
      return result
    }
  }

  /// The pharmacist's review of a compounding record for completeness.
  public func verifyBatch(_ lotNumber: String, by user: User, now: Date) throws(StoreError) -> BatchRecord {
    let number: String = try write(stamp(user.id, now)) { db in
      let row = try batchRow(db, lotNumber)
      let number: String = try row["lot_number"]
      if let refusal = SigningRules.refusal(user, for: .verifyBatch) { throw StoreError(refusal) }
      if let same = try Self.sameSigner(
        db, user, first: row["compounded_by"], firstName: row["compounded_by_name"])
      {
        throw StoreError("\(same) as compounder of batch \(number): another pharmacist must verify it")
      }
      let checks =
        try db.value(
          Int.self, sql: "SELECT count(*) FROM weight_check WHERE batch_id = ?", arguments: [row["id"] as Int64]) ?? 0
      if let refusal = BatchVerification.refusal(
        lotNumber: number, verifiedBy: try row["verified_by"], weightChecks: checks)
      {
        throw StoreError(refusal)
      }
      try db.execute(
        sql: "UPDATE batch SET verified_by = ?, verified_by_name = ?, verified_at = ? WHERE id = ?",
        arguments: [user.id, user.name, Timestamp.string(now), row["id"] as Int64])
      return number
    }
    return try batch(number)
  }

  /// The whole compounding record of one batch.
  public func batch(_ lotNumber: String) throws(StoreError) -> BatchRecord {
    try read { db in try record(db, try batchRow(db, lotNumber)) }
  }

  /// Batches of the station's store (or of every store, `allStores`), newest first: every one, or those of one
  /// formula, compounded since an instant, or still quarantined.
  public func batches(
    formula: String? = nil, since: Date? = nil, quarantinedOnly: Bool = false, allStores: Bool = false
  ) throws(StoreError) -> [BatchSummary] {
    try read { db in
      let scope = allStores ? StoreScope.whole : try scope(db)
      var conditions: [String] = scope.current == nil ? [] : [scope.holds("batch", "batch.id")]
      var arguments: [any SQLArgument] = []
      if let formula {
        conditions.append("formula.code = ?")
        arguments.append(formula)
      }
      if let since {
        // Through batch_by_time: the years before are not read.
        conditions.append("batch.compounded_at >= ?")
        arguments.append(Timestamp.string(since))
      }
      // Through the partial index batch_quarantined: the few batches still waiting, whatever the years.
      if quarantinedOnly { conditions.append("batch.status = 'quarantined'") }
      let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
      // Named: the planner would rather walk batch_by_time for the order, through every batch ever made.
      let from = quarantinedOnly ? db.dialect.table("batch", indexedBy: "batch_quarantined") : "batch"
      return try db.rows(
        sql: """
          SELECT batch.lot_number, batch.compounding_date, batch.actual_yield, batch.bud, batch.status,
            batch.compounded_by, batch.verified_by, formula.code, formula.version,
            (SELECT passed FROM weight_check WHERE batch_id = batch.id ORDER BY id DESC LIMIT 1) AS weights_passed
          FROM \(from) JOIN formula ON formula.id = batch.formula_id\(filter)
          ORDER BY batch.compounded_at DESC, batch.id DESC
          """, arguments: SQLArguments(arguments)
      ).map { row in
        BatchSummary(
          lotNumber: try row["lot_number"], formulaCode: try row["code"], formulaVersion: try row["version"],
          compoundingDate: try CalendarDate.parse(row["compounding_date"]), actualYield: try row["actual_yield"],
          beyondUseDate: try CalendarDate.parse(row["bud"]),
          status: try RowDecoding.known(LotStatus.self, row, "status"),
          compoundedBy: try row["compounded_by"], verifiedBy: try row["verified_by"],
          weightCheckPassed: try row["weights_passed"])
      }
    }
  }

  func batchRow(_ db: any StoreConnection, _ lotNumber: String) throws -> SQLRow {
    guard let row = try db.row(sql: "SELECT * FROM batch WHERE lot_number = ?", arguments: [lotNumber]) else {
      throw StoreError("batch '\(lotNumber)' does not exist: 'compound batch list' shows the batches", code: .notFound)
    }
    return row
  }

  private func record(_ db: any StoreConnection, _ row: SQLRow) throws -> BatchRecord {
    let batchID: Int64 = try row["id"]
    let plan = try PlanRecord.read(row["plan"])
    let check = try RecordCheckRecord.read(row["record_check"])
    let formulaRow = try db.row(sql: "SELECT * FROM formula WHERE id = ?", arguments: [row["formula_id"] as Int64])
    guard let formulaRow else { throw StoreError("the formula of this batch is missing") }
    let stored = try version(db, formulaRow, countingBatches: false)
    let checks = try db.rows(
      sql: "SELECT * FROM weight_check WHERE batch_id = ? ORDER BY id", arguments: [batchID]
    )
    .map { check in
      BatchRecord.WeightCheckEntry(
        checkedAt: try check["checked_at"], checkedBy: try check["checked_by"],
        result: try WeightCheckRecord.read(check["result"]))
    }
    let history = try db.rows(
      sql: "SELECT * FROM status_change WHERE batch_id = ? ORDER BY id", arguments: [batchID]
    )
    .map { change in
      BatchRecord.StatusEntry(
        from: (try change["from_status"] as String?).flatMap(LotStatus.init(rawValue:)),
        to: try RowDecoding.known(LotStatus.self, change, "to_status"), at: try change["changed_at"],
        by: try change["changed_by"], reason: try change["reason"])
    }
    return BatchRecord(
      lotNumber: try row["lot_number"], status: try RowDecoding.known(LotStatus.self, row, "status"),
      formula: stored.formula, formulaVersion: stored.version, formulaSha256: stored.sha256,
      quantity: try row["quantity"],
      capsulesPlanned: try row["capsules_planned"], actualYield: try row["actual_yield"],
      yieldPercent: check.yieldPercent,
      theoreticalFill: plan.theoreticalFill, fillRange: plan.fillRange,
      compoundingDate: try CalendarDate.parse(row["compounding_date"]), compoundedAt: try row["compounded_at"],
      compoundedBy: try row["compounded_by"], compoundedByName: try row["compounded_by_name"],
      verifiedAt: try row["verified_at"],
      verifiedBy: try row["verified_by"], verifiedByName: try row["verified_by_name"],
      beyondUseDate: try CalendarDate.parse(row["bud"]), budBasis: try row["bud_basis"], storage: plan.storage,
      components: check.components, deviation: try row["deviation"], outOfRange: check.outOfRange,
      calculations: plan.calculations, warnings: plan.warnings, weightChecks: checks,
      assays: try assayEntries(db, filter: " WHERE assay.batch_id = ?", arguments: [batchID]), statusHistory: history,
      rulesVersion: try row["rules_version"])
  }
}
