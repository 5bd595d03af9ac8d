import Accounts
import Digest
import Formulation
import Foundation
import Quality
import Quantities

extension AppDatabase {
  /// Stores a trituration's master formula as a new version, or returns the version with this content.
  public func addTrituration(
    _ definition: Trituration, source: String, approvedBy: User?, rules: FormulationRules, now: Date
  ) throws(StoreError) -> (version: Int, created: Bool) {
    if let approvedBy, let refusal = SigningRules.refusal(approvedBy, for: .approveFormula) {
      throw StoreError(refusal)
    }
    return try write(stamp(approvedBy?.id ?? Self.systemActor, now)) { db in
      if try db.row(sql: "SELECT 1 FROM formula WHERE code = ?", arguments: [definition.code]) != nil {
        throw StoreError("\(definition.code) is already a capsule formula's code: give the trituration its own code")
      }
      let catalog = try db.rows(sql: "SELECT * FROM ingredient").map { try RowDecoding.ingredient($0) }
      func find(_ code: String) -> Ingredient? { catalog.first { $0.code.uppercased() == code.uppercased() } }
      if let refusal = definition.refusal(api: find(definition.api), diluent: find(definition.diluent), rules: rules) {
        throw StoreError(refusal)
      }
      let text = try TriturationFormulaRecord.text(definition)
      let digest = SHA256.hex(text)
      if let latest = try db.row(
        sql: "SELECT * FROM trituration_formula WHERE code = ? ORDER BY version DESC LIMIT 1",
        arguments: [definition.code]), try latest["sha256"] == digest
      {
        return (try latest["version"], false)
      }
      let next =
        (try db.value(
          Int.self, sql: "SELECT MAX(version) FROM trituration_formula WHERE code = ?", arguments: [definition.code])
          ?? 0)
        + 1
      try db.execute(
        sql: """
          INSERT INTO trituration_formula (code, version, name, definition, source, sha256, created_at, approved_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          definition.code, next, definition.name, text, source, digest, Timestamp.string(now), approvedBy?.id,
        ])
      return (next, true)
    }
  }

  /// The latest version of every trituration formula, by code.
  public func triturationFormulas() throws(StoreError) -> [(definition: Trituration, version: Int)] {
    try read { db in try Self.latestTriturations(db) }
  }

  static func latestTriturations(_ db: any StoreConnection, api: String? = nil) throws -> [(
    definition: Trituration, version: Int
  )] {
    try db.rows(
      sql:
        "SELECT * FROM trituration_formula t WHERE version = (SELECT MAX(version) FROM trituration_formula WHERE code = t.code) ORDER BY code"
    ).map { (try TriturationFormulaRecord.read($0["definition"]), try $0["version"]) }
      .filter { api == nil || $0.0.api.uppercased() == api?.uppercased() }
  }

  /// The worksheet for `mass` of trituration `code`; writes nothing.
  public func planTrituration(
    code: String, mass: Mass, lotChoices: [String: String], balance: Balance, rules: FormulationRules,
    today: CalendarDate, shortDatedReason: String?
  ) throws(StoreError) -> TriturationPlan {
    try read { db in
      try triturationPlan(
        db, code: code, mass: mass, lotChoices: lotChoices, balance: balance, rules: rules, today: today,
        shortDatedReason: shortDatedReason
      ).plan
    }
  }

  private func triturationPlan(
    _ db: any StoreConnection, code: String, mass: Mass, lotChoices: [String: String], balance: Balance,
    rules: FormulationRules, today: CalendarDate, shortDatedReason: String?
  ) throws -> (plan: TriturationPlan, formulaID: Int64, lots: [String: IngredientLot], lotIDs: [String: Int64]) {
    guard
      let row = try db.row(
        sql: "SELECT * FROM trituration_formula WHERE code = ? ORDER BY version DESC LIMIT 1", arguments: [code])
    else {
      let known = try Self.latestTriturations(db).map(\.definition.code)
      throw StoreError(
        "trituration '\(code)' does not exist: \(known.isEmpty ? "add one with 'compound formula add --file NTX-T10.toml'" : "known: \(known.joined(separator: ", "))")",
        code: .notFound)
    }
    let definition = try TriturationFormulaRecord.read(row["definition"])
    let codes = [definition.api, definition.diluent]
    let ingredients = try db.rows(
      sql: "SELECT * FROM ingredient WHERE code IN (?, ?)", arguments: SQLArguments(codes)
    ).map { try RowDecoding.ingredient($0) }
    let lotRows = try RowDecoding.lotsOnHand(
      db, codes: codes, named: Array(lotChoices.values), scope: try scope(db))
    let lots = try lotRows.map { try RowDecoding.lot($0) }
    let plan = try TriturationPlan.plan(
      definition, version: row["version"], mass: mass, ingredients: ingredients, lots: lots, lotChoices: lotChoices,
      balance: balance, rules: rules, today: today, shortDatedReason: shortDatedReason)
    return (
      plan, try row["id"], Dictionary(lots.map { ($0.lotNumber, $0) }, uniquingKeysWith: { a, _ in a }),
      Dictionary(try lotRows.map { (try $0["lot_number"], try $0["id"]) }, uniquingKeysWith: { a, _ in a })
    )
  }

  /// Makes a trituration lot in one transaction: checks the balance and the weighings, consumes the API and
  /// the diluent, and receives the trituration as a quarantined lot of the API at its potency.
  public func makeTrituration(
    code: String, mass: Mass, weighed: [String: Mass], sources: [String: String], lotChoices: [String: String],
    balance: Balance, deviation: String?, shortDatedReason: String?, rules: FormulationRules,
    format: LotNumberFormat, by user: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> TriturationEntry {
    let number: String = try write(stamp(user.id, now)) { db in
      try Self.requireBalanceCheck(db, balance, today: today)
      let (plan, formulaID, lots, lotIDs) = try triturationPlan(
        db, code: code, mass: mass, lotChoices: lotChoices, balance: balance, rules: rules, today: today,
        shortDatedReason: shortDatedReason)
      guard let apiLot = lots[plan.components[0].lotNumber], let potency = apiLot.potency else {
        throw StoreError("the API lot of this trituration has no certificate assay")
      }
      let record = try TriturationRecord.make(
        plan: plan, weighed: weighed, apiPotency: potency, balance: balance, sources: sources,
        onHand: Dictionary(lots.map { ($0.key, $0.value.onHand) }, uniquingKeysWith: { a, _ in a }),
        deviation: deviation)
      let scope = try scope(db)
      let lotNumber = try nextNumber(
        db, table: "lot", format: format, code: plan.code, prefix: scope.prefix, today: today)
      // The trituration's cost: the share of each lot's cost it used, when both are known.
      var cost: Int64? = 0
      for component in record.components {
        let row = try db.row(
          sql: "SELECT cost_cents, received_quantity FROM lot WHERE id = ?",
          arguments: [lotIDs[component.planned.lotNumber]])
        if let cents: Int64 = try row?["cost_cents"], let received: Int64 = try row?["received_quantity"], received > 0
        {
          cost = cost.map { $0 + (cents * component.measured + received / 2) / received }
        } else {
          cost = nil
        }
      }
      let ingredientID = try db.value(
        Int64.self, sql: "SELECT ingredient_id FROM lot WHERE id = ?", arguments: [lotIDs[apiLot.lotNumber]])
      let insertedID = try db.insert(
        sql: """
          INSERT INTO lot (lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity,
            assay_percent, assay_basis, water_percent, cost_cents, status, received_at, received_by, trituration_parts,
            api_fraction, trituration_diluent)
          VALUES (?, ?, 'compounded here', ?, ?, ?, ?, 'as-is', NULL, ?, 'quarantined', ?, ?, ?, ?, ?)
          """,
        arguments: [
          lotNumber, ingredientID, lotNumber, plan.beyondUseDate.date.description, record.mass.micrograms,
          record.potencyPercent.description, cost, Timestamp.string(now), user.id, plan.parts,
          record.apiFraction.description, record.components[1].planned.ingredientCode,
        ])
      let lotID = insertedID
      try Self.recordStore(db, scope, "lot", lotID)
      try db.execute(
        sql: """
          INSERT INTO trituration (lot_id, formula_id, api_lot_id, diluent_lot_id, api_weighed_ug, diluent_weighed_ug,
            compounded_by, compounded_by_name, compounded_at, record)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          lotID, formulaID, lotIDs[record.components[0].planned.lotNumber],
          lotIDs[record.components[1].planned.lotNumber], record.components[0].measured,
          record.components[1].measured, user.id, user.name, Timestamp.string(now),
          try TriturationRecordFormat.text(record),
        ])
      // The trituration row names the lots it consumed; each movement says which trituration in its reason.
      for component in record.components {
        guard let id = lotIDs[component.planned.lotNumber] else { continue }
        try Ledger.move(
          db, lot: id, kind: .consumed, quantity: -component.measured, by: user, now: now,
          reason: "trituration \(lotNumber)")
      }
      try db.execute(
        sql:
          "INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, NULL, 'quarantined', ?, ?, 'compounded')",
        arguments: [lotID, Timestamp.string(now), user.id])
      try Ledger.move(db, lot: lotID, kind: .produced, quantity: record.mass.micrograms, by: user, now: now)
      return lotNumber
    }
    guard let entry = try lotDetail(number).trituration else { throw StoreError("the trituration was not stored") }
    return entry
  }

  func triturationEntry(_ db: any StoreConnection, lotID: Int64) throws -> TriturationEntry? {
    guard
      let row = try db.row(
        sql:
          "SELECT trituration.*, lot.lot_number, lot.status FROM trituration JOIN lot ON lot.id = trituration.lot_id WHERE lot_id = ?",
        arguments: [lotID])
    else { return nil }
    let assays = try db.rows(
      sql: "SELECT * FROM trituration_assay WHERE trituration_id = ? ORDER BY id", arguments: [row["id"] as Int64]
    ).map {
      TriturationEntry.Assay(
        lab: try $0["lab"], method: try $0["method"], tested: try $0["tested_on"], percent: try $0["percent"],
        verdict: try $0["verdict"],
        limits: try $0["limits"], recordedAt: try $0["recorded_at"], recordedBy: try $0["recorded_by"])
    }
    return TriturationEntry(
      lotNumber: try row["lot_number"], record: try TriturationRecordFormat.read(row["record"]),
      compoundedBy: try row["compounded_by"], compoundedByName: try row["compounded_by_name"],
      compoundedAt: try row["compounded_at"], status: try RowDecoding.known(LotStatus.self, row, "status"),
      assays: assays)
  }

  /// Records a laboratory assay of a trituration lot: its potency found, as a percent of the potency its record
  /// states, judged against `limits`; a failing result puts the lot on hold in the same transaction.
  public func recordTriturationAssay(
    _ lotNumber: String, lab: String, method: String, tested: CalendarDate, percent: Decimal, limits: AssayLimits,
    by user: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> (verdict: AssayVerdict, held: Bool) {
    for (option, text) in [("--lab", lab), ("--method", method)] where text.trimmingCharacters(in: .whitespaces).isEmpty
    {
      throw StoreError("\(option) is empty: name the laboratory and its method")
    }
    guard percent > 0, percent < 1000 else {
      throw StoreError("--percent \(percent) is not a result: give the potency found as a percent of the stated one")
    }
    return try write(stamp(user.id, now)) { db in
      guard
        let row = try db.row(
          sql:
            "SELECT trituration.id, trituration.compounded_at, lot.id AS lot_id, lot.status FROM trituration JOIN lot ON lot.id = trituration.lot_id WHERE lot.lot_number = ?",
          arguments: [lotNumber])
      else {
        throw StoreError(
          "'\(lotNumber)' is not a trituration lot: 'compound lot list' shows the lots; a batch's assay is 'compound assay record'",
          code: .notFound)
      }
      guard tested <= today else {
        throw StoreError("--tested \(tested) is in the future: give the date the lab tested the lot")
      }
      let verdict = limits.verdict(percent)
      try db.execute(
        sql: """
          INSERT INTO trituration_assay (trituration_id, lab, method, tested_on, percent, verdict, limits, recorded_at,
            recorded_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          row["id"] as Int64, lab, method, tested.description, percent.description, verdict.rawValue,
          limits.description, Timestamp.string(now), user.id,
        ])
      let status = try RowDecoding.known(LotStatus.self, row, "status")
      guard verdict == .fail, status == .quarantined || status == .released else { return (verdict, false) }
      let lotID: Int64 = try row["lot_id"]
      try db.execute(sql: "UPDATE lot SET status = 'on_hold' WHERE id = ?", arguments: [lotID])
      try db.execute(
        sql:
          "INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason) VALUES (?, ?, 'on_hold', ?, ?, ?)",
        arguments: [
          lotID, status.rawValue, Timestamp.string(now), user.id,
          "assay \(limits.range.reported(percent)) % is outside \(limits.range)",
        ])
      return (verdict, true)
    }
  }

  /// Refuses releasing a trituration lot by whoever made it, without a passing latest assay when `requireAssay`,
  /// or while the lots it was made from are not usable.
  func releasableTrituration(_ db: any StoreConnection, lotID: Int64, by user: User, requireAssay: Bool) throws {
    guard
      let row = try db.row(sql: "SELECT * FROM trituration WHERE lot_id = ?", arguments: [lotID])
    else { throw StoreError("this trituration lot has no compounding record: it cannot be released") }
    if let same = try Self.sameSigner(db, user, first: row["compounded_by"], firstName: row["compounded_by_name"]) {
      throw StoreError("\(same) as maker of this trituration: another pharmacist must check and release it")
    }
    let latest = try db.value(
      String.self, sql: "SELECT verdict FROM trituration_assay WHERE trituration_id = ? ORDER BY id DESC LIMIT 1",
      arguments: [row["id"] as Int64])
    let lotNumber = try db.value(String.self, sql: "SELECT lot_number FROM lot WHERE id = ?", arguments: [lotID]) ?? ""
    if latest == AssayVerdict.fail.rawValue {
      throw StoreError("trituration \(lotNumber) failed its latest assay: it cannot be released; reject it")
    }
    if requireAssay, latest == nil {
      throw StoreError(
        "trituration \(lotNumber) cannot be released: no assay is on record ('compound trituration assay \(lotNumber) ...'; quality.require_assay_before_release)"
      )
    }
    for column in ["api_lot_id", "diluent_lot_id"] {
      let source = try db.row(sql: "SELECT lot_number, status FROM lot WHERE id = ?", arguments: [row[column] as Int64])
      if let source, (try source["status"] as String) != LotStatus.released.rawValue {
        throw StoreError(
          "the trituration was made from lot \(try source["lot_number"] as String), which is \(try source["status"] as String): it cannot be released"
        )
      }
    }
  }
}
