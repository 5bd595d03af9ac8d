import Accounts
import Dispensing
import Formulation
import Foundation
import Pricing
import Quality
import Quantities

extension AppDatabase {
  /// Adds a prescriber; refuses an NPI whose check digit is wrong or that is already on file.
  public func addPrescriber(_ prescriber: Prescriber, by user: User, now: Date) throws(StoreError) -> Prescriber {
    guard Prescriber.isValidNPI(prescriber.npi) else {
      throw StoreError("NPI '\(prescriber.npi)' is not a valid 10-digit NPI (its check digit is wrong): copy it again")
    }
    guard !prescriber.name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw StoreError("the prescriber needs a name")
    }
    return try write(stamp(user.id, now)) { db in
      if let existing = try db.value(
        String.self, sql: "SELECT name FROM prescriber WHERE npi = ?", arguments: [prescriber.npi])
      {
        throw StoreError("NPI \(prescriber.npi) is already on file for \(existing)")
      }
      let insertedID = try db.insert(
        sql: "INSERT INTO prescriber (name, npi, phone, created_at) VALUES (?, ?, ?, ?)",
        arguments: [prescriber.name, prescriber.npi, prescriber.phone, Timestamp.string(now)])
      var stored = prescriber
      stored.id = insertedID
      return stored
    }
  }

  /// Every prescriber, by name.
  public func prescribers() throws(StoreError) -> [Prescriber] {
    try read { db in try db.rows(sql: "SELECT * FROM prescriber ORDER BY name").map(Self.prescriber) }
  }

  static func prescriber(_ row: SQLRow) throws(StoreError) -> Prescriber {
    Prescriber(id: try row["id"], name: try row["name"], npi: try row["npi"], phone: try row["phone"])
  }

  /// Enters a prescription and assigns its Rx number.
  public func addPrescription(
    patient: Int64, prescriber: Int64, steps: [PrescriptionStep], refills: Int, written: CalendarDate,
    firstNumber: Int, by user: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> PrescriptionRecord {
    let number: String = try write(stamp(user.id, now)) { db in
      _ = try self.patient(db, patient)
      guard try db.row(sql: "SELECT 1 FROM prescriber WHERE id = ?", arguments: [prescriber]) != nil else {
        throw StoreError(
          "prescriber \(prescriber) does not exist: 'compound prescriber list' shows them", code: .notFound)
      }
      for step in steps { _ = try formulaRow(db, step.formulaCode) }
      let scope = try scope(db)
      let number = try Self.nextRxNumber(db, scope, firstNumber: firstNumber)
      let prescription = Prescription(
        rxNumber: number, patientID: patient, prescriberID: prescriber, steps: steps, refills: refills,
        written: written, fillsDone: 0)
      try prescription.validate(today: today)
      let id = try db.insert(
        sql: """
          INSERT INTO prescription (rx_number, patient_id, prescriber_id, refills, written_on, steps, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          number, patient, prescriber, refills, written.description, try StepsRecord.text(steps), Timestamp.string(now),
          user.id,
        ])
      try Self.recordStore(db, scope, "prescription", id)
      return number
    }
    return try prescription(number)
  }

  /// The store's next Rx number: its code, a hyphen and the number after its highest (at least `firstNumber`).
  ///
  /// With no stores, the number after the highest. The first store goes on from the numbers written before the
  /// pharmacy had stores, so that no number of its is given twice. Only numbers in digits count (an Rx number
  /// another system wrote, say `B00001234`, is no number of compound's).
  static func nextRxNumber(_ db: any StoreConnection, _ scope: StoreScope, firstNumber: Int) throws -> String {
    // Digits compared as text: the longest, then the highest, is the highest number.
    let highest =
      "SELECT rx_number FROM prescription WHERE rx_number LIKE ? ORDER BY length(rx_number) DESC, rx_number DESC LIMIT 1"
    var last = 0
    if let current = scope.current {
      let prefix = current.code + "-"
      if let number = try db.value(String.self, sql: highest, arguments: [prefix + "%"]) {
        last = Int(number.dropFirst(prefix.count)) ?? 0
      }
    }
    if scope.current == nil || scope.current?.id == scope.firstID {
      let plain = try db.value(
        String.self,
        sql: "SELECT rx_number FROM prescription WHERE \(db.dialect.wholeNumber("rx_number"))"
          + " ORDER BY length(rx_number) DESC, rx_number DESC LIMIT 1")
      last = max(last, plain.flatMap { Int($0) } ?? 0)
    }
    return scope.prefix + String(max(last + 1, firstNumber))
  }

  /// One prescription with its fills.
  public func prescription(_ rxNumber: String) throws(StoreError) -> PrescriptionRecord {
    try read { db in try prescriptionRecord(db, try prescriptionRow(db, rxNumber)) }
  }

  /// Every prescription, newest first, or one patient's.
  public func prescriptions(patient: Int64? = nil) throws(StoreError) -> [PrescriptionRecord] {
    try read { db in
      let filter = patient == nil ? "" : " WHERE patient_id = ?"
      let arguments: SQLArguments = patient.map { [$0] } ?? []
      return try db.rows(sql: "SELECT * FROM prescription\(filter) ORDER BY id DESC", arguments: arguments)
        .map { try prescriptionRecord(db, $0) }
    }
  }

  func prescriptionRow(_ db: any StoreConnection, _ rxNumber: String) throws -> SQLRow {
    let typed = rxNumber.uppercased()
    let digits = typed.hasPrefix("RX") && typed.dropFirst(2).allSatisfy(\.isNumber) ? String(typed.dropFirst(2)) : typed
    guard let row = try db.row(sql: "SELECT * FROM prescription WHERE rx_number = ?", arguments: [digits])
    else {
      throw StoreError("Rx \(rxNumber) does not exist: 'compound rx list' shows the prescriptions", code: .notFound)
    }
    return row
  }

  func prescriptionRecord(_ db: any StoreConnection, _ row: SQLRow) throws -> PrescriptionRecord {
    let id: Int64 = try row["id"]
    let fills = try db.rows(
      sql: "SELECT id FROM fill WHERE prescription_id = ? ORDER BY fill_number", arguments: [id]
    )
    .map { try fillRecord(db, $0["id"]) }
    var discontinued: Discontinuation?
    if let end = try db.row(sql: "SELECT * FROM prescription_end WHERE prescription_id = ?", arguments: [id]) {
      discontinued = Discontinuation(
        on: try CalendarDate.parse(end["ended_on"]), by: try end["ended_by"], reason: try end["reason"])
    }
    let prescription = Prescription(
      rxNumber: try row["rx_number"], patientID: try row["patient_id"], prescriberID: try row["prescriber_id"],
      steps: try StepsRecord.read(row["steps"]), refills: try row["refills"],
      written: try CalendarDate.parse(row["written_on"]), fillsDone: fills.filter { $0.voided == nil }.count,
      discontinued: discontinued)
    guard
      let prescriberRow = try db.row(
        sql: "SELECT * FROM prescriber WHERE id = ?", arguments: [prescription.prescriberID])
    else { throw StoreError("the prescriber of Rx \(prescription.rxNumber) is missing") }
    return PrescriptionRecord(
      prescription: prescription, patient: try patient(db, prescription.patientID),
      prescriber: try Self.prescriber(prescriberRow), fills: fills)
  }

  /// Fills the next step of a prescription in one transaction: the fill, the stock going down.
  ///
  /// The patient's medications and allergies are checked against every component of the preparation
  /// through the drug vocabulary of the clinical rules `rulesVersion`, which the fill records.
  public func fillPrescription(
    _ rxNumber: String, lot chosen: String?, reason: String?, override: String?, by user: User, index: DrugIndex,
    rulesVersion: Int, refillPercent: Int, priceModel: PriceModel, today: CalendarDate, now: Date
  ) throws(StoreError) -> FillRecord {
    let fillID: Int64 = try write(stamp(user.id, now)) { db in
      try Self.requireRulesInForce(db, version: rulesVersion)
      let scope = try scope(db)
      let rxRow = try prescriptionRow(db, rxNumber)
      if let other = try Self.otherStore(db, scope, "prescription", rxRow["id"]), let here = scope.current {
        throw StoreError(
          "Rx \(try rxRow["rx_number"] as String) is store \(other)'s prescription, not \(here.code)'s: fill it at"
            + " \(other), or enter the transferred prescription here with 'compound rx add'")
      }
      let record = try prescriptionRecord(db, rxRow)
      let (stepIndex, step) = try record.prescription.nextStep()
      let formula = try version(db, try formulaRow(db, step.formulaCode), countingBatches: false).formula
      let interactions = InteractionCheck.check(
        patient: record.patient, components: try Self.components(db, formula), index: index, today: today)
      // The batches of the formula that hold stock (the stock index's few rows, whatever the years behind them),
      // and the batch named, whatever it holds.
      let columns =
        "SELECT batch.lot_number, batch.status, batch.bud, batch.compounding_date, stock.on_hand, formula.code"
      var rows = try db.rows(
        sql: columns + " FROM \(RowDecoding.batchesHeld(db)) JOIN formula ON formula.id = batch.formula_id"
          + " WHERE stock.batch_id IS NOT NULL AND stock.on_hand > 0 AND formula.code = ?"
          + " AND \(scope.holds("batch", "batch.id"))",
        arguments: [step.formulaCode])
      if let chosen, try !rows.contains(where: { (try $0["lot_number"] as String).uppercased() == chosen.uppercased() })
      {
        let found = try db.rows(
          sql: columns + ", batch.id"
            + " FROM batch JOIN stock ON stock.batch_id = batch.id JOIN formula ON formula.id = batch.formula_id"
            + " WHERE batch.lot_number = ?",
          arguments: [chosen])
        try Self.requireHere(
          db, scope, "batch", found, use: "fill from this store's batches ('compound inventory' shows them)")
        rows += found
      }
      let candidates = try rows.map { row in
        let status: String = try row["status"]
        guard let parsed = LotStatus(rawValue: status) else {
          throw StoreError("batch \(try row["lot_number"] as String) has the unknown status '\(status)'")
        }
        return BatchCandidate(
          lotNumber: try row["lot_number"], formulaCode: try row["code"], status: parsed,
          beyondUseDate: try CalendarDate.parse(row["bud"]), onHand: try row["on_hand"],
          compoundingDate: try CalendarDate.parse(row["compounding_date"]))
      }
      var nextStrength: String?
      if stepIndex + 1 < record.prescription.steps.count {
        let next = record.prescription.steps[stepIndex + 1]
        nextStrength = try version(db, try formulaRow(db, next.formulaCode), countingBatches: false).formula
          .strengthText
      }
      let decision = try FillDecision.decide(
        prescription: record.prescription, candidates: candidates, chosenLot: chosen, skipReason: reason,
        interactions: interactions, previous: try previousFill(db, patient: record.patient.id, api: formula.api),
        refillPercent: refillPercent, nextStrength: nextStrength, byPharmacist: user.isPharmacist,
        overrideReason: override, today: today)
      let batch = try batchRow(db, decision.lotNumber)
      let batchID: Int64 = try batch["id"]
      let cost = try batchCost(db, batch)
      let price = PriceBreakdown.price(
        quantity: step.quantity, ingredientLines: cost.lines, linesCover: cost.yield,
        labourMinutes: cost.labourMinutes ?? priceModel.defaultLabourMinutes, model: priceModel)
      let fillNumber = record.fills.count + 1
      let insertedID = try db.insert(
        sql: """
          INSERT INTO fill (prescription_id, fill_number, step, batch_id, quantity, filled_on, filled_at, filled_by, decision,
            price, rules_version)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          rxRow["id"] as Int64, fillNumber, decision.stepIndex, batchID, step.quantity, today.description,
          Timestamp.string(now), user.id, try FillDecisionRecord.text(decision), try PriceRecord.text(price),
          rulesVersion,
        ])
      let id = insertedID
      try Ledger.moveBatch(
        db, batch: batchID, kind: .dispensed, quantity: -Int64(step.quantity), by: user, now: now,
        reason: "Rx \(record.prescription.rxNumber) fill \(fillNumber)")
      return id
    }
    return try read { db in try fillRecord(db, fillID) }
  }

  /// The preparation's components as the catalog names them: API, filler and capsule shells.
  static func components(_ db: any StoreConnection, _ formula: Formula) throws -> [PreparationComponent] {
    var result: [PreparationComponent] = []
    for (role, code) in [("API", formula.api), ("filler", formula.filler), ("capsule shells", formula.shell)] {
      guard let code else { continue }
      guard let name = try db.value(String.self, sql: "SELECT name FROM ingredient WHERE code = ?", arguments: [code])
      else { throw StoreError("the \(role) \(code) of formula \(formula.code) is not in the catalog") }
      result.append(PreparationComponent(role: role, code: code, name: name))
    }
    return result
  }

  /// The patient's latest fill, not voided, of a formula with the API `api`.
  func previousFill(_ db: any StoreConnection, patient: Int64, api: String) throws -> PreviousFill? {
    var found: PreviousFill?
    var apis: [String: String] = [:]
    try db.each(
      """
      SELECT fill.fill_number, fill.filled_on, fill.decision, prescription.rx_number
      FROM fill JOIN prescription ON prescription.id = fill.prescription_id
      WHERE prescription.patient_id = ? AND NOT EXISTS (SELECT 1 FROM fill_void WHERE fill_void.fill_id = fill.id)
      ORDER BY fill.filled_on DESC, fill.id DESC
      """, [.integer(patient)]
    ) { row throws(StoreError) in
      do {
        let decision = try FillDecisionRecord.read(row["decision"])
        let code = decision.step.formulaCode.uppercased()
        if apis[code] == nil {
          apis[code] = try version(db, try formulaRow(db, code), countingBatches: false).formula.api.uppercased()
        }
        guard apis[code] == api.uppercased() else { return true }
        found = try PreviousFill(
          rxNumber: row["rx_number"], fillNumber: row["fill_number"],
          filledOn: try CalendarDate.parse(row["filled_on"]),
          daysSupply: decision.step.daysSupply)
        return false
      } catch {
        throw StoreError.from(error)
      }
    }
    return found
  }

  /// Discontinues a prescription: no later fill; a pharmacist signs it with a reason.
  public func discontinuePrescription(
    _ rxNumber: String, reason: String, by signer: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> PrescriptionRecord {
    if let refusal = SigningRules.refusal(signer, for: .discontinue) { throw StoreError(refusal) }
    let reason = reason.trimmingCharacters(in: .whitespaces)
    guard !reason.isEmpty else { throw StoreError("say why it is discontinued: --reason \"...\"") }
    let number: String = try write(stamp(signer.id, now)) { db in
      let row = try prescriptionRow(db, rxNumber)
      let record = try prescriptionRecord(db, row)
      if let ended = record.prescription.discontinued {
        throw StoreError("Rx \(record.prescription.rxNumber) was already discontinued on \(ended.on) by \(ended.by)")
      }
      try db.execute(
        sql:
          "INSERT INTO prescription_end (prescription_id, ended_on, ended_at, ended_by, reason) VALUES (?, ?, ?, ?, ?)",
        arguments: [row["id"] as Int64, today.description, Timestamp.string(now), signer.id, reason])
      return record.prescription.rxNumber
    }
    return try prescription(number)
  }

  /// Voids a mistaken fill: the fill stays on record as voided and its capsules go back to the batch by a
  /// `returned` movement; the prescription's fill is free again.
  public func voidFill(_ id: Int64, reason: String, by signer: User, now: Date) throws(StoreError) -> FillRecord {
    if let refusal = SigningRules.refusal(signer, for: .voidFill) { throw StoreError(refusal) }
    let reason = reason.trimmingCharacters(in: .whitespaces)
    guard !reason.isEmpty else { throw StoreError("say why the fill is voided: --reason \"...\"") }
    try write(stamp(signer.id, now)) { db in
      let fill = try fillRecord(db, id)
      if let voided = fill.voided {
        throw StoreError("fill \(id) was already voided by \(voided.by) (\(voided.reason))")
      }
      try db.execute(
        sql: "INSERT INTO fill_void (fill_id, voided_at, voided_by, reason) VALUES (?, ?, ?, ?)",
        arguments: [id, Timestamp.string(now), signer.id, reason])
      let batch: Int64 = try batchRow(db, fill.lotNumber)["id"]
      try Ledger.moveBatch(
        db, batch: batch, kind: .returned, quantity: Int64(fill.quantity), by: signer, now: now,
        reason: "void of Rx \(fill.rxNumber) fill \(fill.fillNumber): \(reason)")
    }
    return try fill(id)
  }

  /// A pharmacist's final check of a filled, labelled prescription: then it is ready for the patient.
  public func checkFill(_ id: Int64, by signer: User, now: Date) throws(StoreError) -> FillRecord {
    if let refusal = SigningRules.refusal(signer, for: .finalCheck) { throw StoreError(refusal) }
    try write(stamp(signer.id, now)) { db in
      let fill = try fillRecord(db, id)
      if let refusal = FinalCheck.refusal(
        id: id, voidedBy: fill.voided?.by, checked: fill.finalCheck.map { ($0.by, local($0.at)) },
        labelsPrinted: fill.labelsPrinted)
      {
        throw StoreError(refusal)
      }
      let fillerName =
        try db.value(String.self, sql: "SELECT name FROM app_user WHERE login = ?", arguments: [fill.filledBy]) ?? ""
      if let same = try Self.sameSigner(db, signer, first: fill.filledBy, firstName: fillerName) {
        throw StoreError(
          "\(same) as filler of Rx \(fill.rxNumber) fill \(fill.fillNumber): another pharmacist makes the final check")
      }
      try db.execute(
        sql: "INSERT INTO fill_check (fill_id, checked_at, checked_by) VALUES (?, ?, ?)",
        arguments: [id, Timestamp.string(now), signer.id])
    }
    return try fill(id)
  }

  /// One fill with what its label needs.
  public func fill(_ id: Int64) throws(StoreError) -> FillRecord {
    try read { db in try fillRecord(db, id) }
  }

  func fillRecord(_ db: any StoreConnection, _ id: Int64) throws -> FillRecord {
    guard
      let row = try db.row(
        sql: """
          SELECT fill.*, prescription.rx_number, prescription.patient_id, prescription.prescriber_id,
            prescription.steps, prescription.refills, prescription.written_on, batch.lot_number, batch.bud,
            batch.formula_id
          FROM fill JOIN prescription ON prescription.id = fill.prescription_id JOIN batch ON batch.id = fill.batch_id
          WHERE fill.id = ?
          """, arguments: [id])
    else {
      throw StoreError("fill \(id) does not exist: 'compound rx show RX' lists a prescription's fills", code: .notFound)
    }
    let decision = try FillDecisionRecord.read(row["decision"])
    let steps = try StepsRecord.read(row["steps"])
    let fillNumber: Int = try row["fill_number"]
    let earlier =
      try db.value(
        Int.self,
        sql: """
          SELECT count(*) FROM fill f WHERE f.prescription_id = ? AND f.fill_number < ?
            AND NOT EXISTS (SELECT 1 FROM fill_void WHERE fill_void.fill_id = f.id)
          """, arguments: [row["prescription_id"] as Int64, fillNumber]) ?? 0
    let prescription = Prescription(
      rxNumber: try row["rx_number"], patientID: try row["patient_id"], prescriberID: try row["prescriber_id"],
      steps: steps,
      refills: try row["refills"], written: try CalendarDate.parse(row["written_on"]), fillsDone: earlier)
    let voided = try db.row(sql: "SELECT * FROM fill_void WHERE fill_id = ?", arguments: [id]).map {
      FillRecord.Signed(by: try $0["voided_by"], at: try $0["voided_at"], reason: try $0["reason"])
    }
    let check = try db.row(sql: "SELECT * FROM fill_check WHERE fill_id = ?", arguments: [id]).map {
      FillRecord.Signed(by: try $0["checked_by"], at: try $0["checked_at"], reason: "")
    }
    let labels = try db.value(Int.self, sql: "SELECT count(*) FROM label_print WHERE fill_id = ?", arguments: [id]) ?? 0
    guard
      let formulaRow = try db.row(sql: "SELECT * FROM formula WHERE id = ?", arguments: [row["formula_id"] as Int64]),
      let prescriberRow = try db.row(
        sql: "SELECT * FROM prescriber WHERE id = ?", arguments: [prescription.prescriberID])
    else { throw StoreError("fill \(id) refers to a missing formula or prescriber") }
    return FillRecord(
      id: id, rxNumber: prescription.rxNumber, fillNumber: fillNumber, patient: try patient(db, prescription.patientID),
      prescriber: try Self.prescriber(prescriberRow),
      formula: try version(db, formulaRow, countingBatches: false).formula,
      lotNumber: try row["lot_number"], quantity: try row["quantity"], directions: decision.step.directions,
      daysSupply: decision.step.daysSupply, filledOn: try CalendarDate.parse(row["filled_on"]),
      filledAt: try row["filled_at"],
      filledBy: try row["filled_by"], beyondUseDate: try CalendarDate.parse(row["bud"]),
      refillsRemaining: prescription.refillsRemainingAfterNextFill, decision: decision,
      price: try (row["price"] as String?).map { try PriceRecord.read($0) },
      rulesVersion: try row["rules_version"], voided: voided, finalCheck: check, labelsPrinted: labels)
  }
}

extension AppDatabase {
  /// The station's store's fills not yet checked and not voided, oldest first, with how many labels each has had.
  public func pendingFills() throws(StoreError) -> [FillRecord] {
    try read { db in
      let scope = try scope(db)
      let ids = try db.values(
        Int64.self,
        sql: "SELECT fill_id FROM fill_pending JOIN fill ON fill.id = fill_pending.fill_id"
          + " WHERE \(scope.holds("batch", "fill.batch_id")) ORDER BY fill_id")
      return try ids.map { try fillRecord(db, $0) }
    }
  }
}
