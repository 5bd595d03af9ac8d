import Dispensing
import Formulation
import Foundation
import GRDB
import Pricing
import Quality
import Quantities

extension AppDatabase {
  /// Adds a patient; returns the new patient.
  public func addPatient(_ patient: Patient, by user: User, now: Date) throws(StoreError) -> Patient {
    let name = patient.name.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, name.count <= 200 else { throw StoreError("the patient's name must be 1 to 200 characters") }
    guard !name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }) else {
      throw StoreError("the patient's name has control characters: type it again")
    }
    return try write { db in
      try db.execute(
        sql: """
          INSERT INTO patient (name, date_of_birth, address, phone, allergies, medications, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          name, patient.dateOfBirth.description, patient.address, patient.phone,
          try RowDecoding.json(patient.allergies),
          try RowDecoding.json(patient.medications), Timestamp.string(now), user.id,
        ])
      var stored = patient
      stored.id = db.lastInsertedRowID
      stored.name = name
      return stored
    }
  }

  /// One patient by id.
  public func patient(_ id: Int64) throws(StoreError) -> Patient {
    try read { db in try patient(db, id) }
  }

  /// Every patient, by name.
  public func patients() throws(StoreError) -> [Patient] {
    try read { db in try Row.fetchAll(db, sql: "SELECT * FROM patient ORDER BY name, id").map(Self.patient) }
  }

  func patient(_ db: Database, _ id: Int64) throws -> Patient {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM patient WHERE id = ?", arguments: [id]) else {
      throw StoreError("patient \(id) does not exist: 'compound patient list' shows the patients")
    }
    return try Self.patient(row)
  }

  static func patient(_ row: Row) throws -> Patient {
    Patient(
      id: row["id"], name: row["name"], dateOfBirth: try CalendarDate.parse(row["date_of_birth"]),
      address: row["address"], phone: row["phone"], allergies: try RowDecoding.decode([String].self, row["allergies"]),
      medications: try RowDecoding.decode([String].self, row["medications"]))
  }

  /// Adds a prescriber; refuses an NPI whose check digit is wrong or that is already on file.
  public func addPrescriber(_ prescriber: Prescriber, now: Date) throws(StoreError) -> Prescriber {
    guard Prescriber.isValidNPI(prescriber.npi) else {
      throw StoreError("NPI '\(prescriber.npi)' is not a valid 10-digit NPI (its check digit is wrong): copy it again")
    }
    guard !prescriber.name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw StoreError("the prescriber needs a name")
    }
    return try write { db in
      if let existing = try String.fetchOne(
        db, sql: "SELECT name FROM prescriber WHERE npi = ?", arguments: [prescriber.npi])
      {
        throw StoreError("NPI \(prescriber.npi) is already on file for \(existing)")
      }
      try db.execute(
        sql: "INSERT INTO prescriber (name, npi, phone, created_at) VALUES (?, ?, ?, ?)",
        arguments: [prescriber.name, prescriber.npi, prescriber.phone, Timestamp.string(now)])
      var stored = prescriber
      stored.id = db.lastInsertedRowID
      return stored
    }
  }

  /// Every prescriber, by name.
  public func prescribers() throws(StoreError) -> [Prescriber] {
    try read { db in try Row.fetchAll(db, sql: "SELECT * FROM prescriber ORDER BY name").map(Self.prescriber) }
  }

  static func prescriber(_ row: Row) -> Prescriber {
    Prescriber(id: row["id"], name: row["name"], npi: row["npi"], phone: row["phone"])
  }

  /// Enters a prescription and assigns its Rx number.
  public func addPrescription(
    patient: Int64, prescriber: Int64, steps: [PrescriptionStep], refills: Int, written: CalendarDate,
    firstNumber: Int, by user: User, today: CalendarDate, now: Date
  ) throws(StoreError) -> PrescriptionRecord {
    let number: String = try write { db in
      _ = try self.patient(db, patient)
      guard try Row.fetchOne(db, sql: "SELECT 1 FROM prescriber WHERE id = ?", arguments: [prescriber]) != nil else {
        throw StoreError("prescriber \(prescriber) does not exist: 'compound prescriber list' shows them")
      }
      for step in steps { _ = try formulaRow(db, step.formulaCode) }
      let last = try Int.fetchOne(db, sql: "SELECT MAX(CAST(rx_number AS INTEGER)) FROM prescription") ?? 0
      let number = String(max(last + 1, firstNumber))
      let prescription = Prescription(
        rxNumber: number, patientID: patient, prescriberID: prescriber, steps: steps, refills: refills,
        written: written, fillsDone: 0)
      try prescription.validate(today: today)
      try db.execute(
        sql: """
          INSERT INTO prescription (rx_number, patient_id, prescriber_id, refills, written_on, steps, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          number, patient, prescriber, refills, written.description, try RowDecoding.json(steps), Timestamp.string(now),
          user.id,
        ])
      return number
    }
    return try prescription(number)
  }

  /// One prescription with its fills.
  public func prescription(_ rxNumber: String) throws(StoreError) -> PrescriptionRecord {
    try read { db in try prescriptionRecord(db, try prescriptionRow(db, rxNumber)) }
  }

  /// Every prescription, newest first, or one patient's.
  public func prescriptions(patient: Int64? = nil) throws(StoreError) -> [PrescriptionRecord] {
    try read { db in
      let filter = patient == nil ? "" : " WHERE patient_id = ?"
      let arguments: StatementArguments = patient.map { [$0] } ?? []
      return try Row.fetchAll(db, sql: "SELECT * FROM prescription\(filter) ORDER BY id DESC", arguments: arguments)
        .map { try prescriptionRecord(db, $0) }
    }
  }

  func prescriptionRow(_ db: Database, _ rxNumber: String) throws -> Row {
    let digits = rxNumber.uppercased().hasPrefix("RX") ? String(rxNumber.dropFirst(2)) : rxNumber
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM prescription WHERE rx_number = ?", arguments: [digits])
    else {
      throw StoreError("Rx \(rxNumber) does not exist: 'compound rx list' shows the prescriptions")
    }
    return row
  }

  func prescriptionRecord(_ db: Database, _ row: Row) throws -> PrescriptionRecord {
    let id: Int64 = row["id"]
    let fills = try Row.fetchAll(
      db, sql: "SELECT id FROM fill WHERE prescription_id = ? ORDER BY fill_number", arguments: [id]
    )
    .map { try fillRecord(db, $0["id"]) }
    let prescription = Prescription(
      rxNumber: row["rx_number"], patientID: row["patient_id"], prescriberID: row["prescriber_id"],
      steps: try RowDecoding.decode([PrescriptionStep].self, row["steps"]), refills: row["refills"],
      written: try CalendarDate.parse(row["written_on"]), fillsDone: fills.count)
    guard
      let prescriberRow = try Row.fetchOne(
        db, sql: "SELECT * FROM prescriber WHERE id = ?", arguments: [prescription.prescriberID])
    else { throw StoreError("the prescriber of Rx \(prescription.rxNumber) is missing") }
    return PrescriptionRecord(
      prescription: prescription, patient: try patient(db, prescription.patientID),
      prescriber: Self.prescriber(prescriberRow), fills: fills)
  }

  /// Fills the next step of a prescription in one transaction: the fill, the stock going down.
  public func fillPrescription(
    _ rxNumber: String, lot chosen: String?, reason: String?, override: String?, by user: User,
    opioids: [String], cyp450Substrates: [String], priceModel: PriceModel, today: CalendarDate, now: Date
  ) throws(StoreError) -> FillRecord {
    let fillID: Int64 = try write { db in
      let rxRow = try prescriptionRow(db, rxNumber)
      let record = try prescriptionRecord(db, rxRow)
      let (_, step) = try record.prescription.nextStep()
      let formula = try version(db, try formulaRow(db, step.formulaCode), countingBatches: false).formula
      let names = try String.fetchAll(
        db, sql: "SELECT name FROM ingredient WHERE code IN (?, ?)", arguments: [formula.api, formula.filler])
      let interactions = InteractionCheck.check(
        patient: record.patient, opioids: opioids, cyp450Substrates: cyp450Substrates, ingredientNames: names)
      let candidates = try Row.fetchAll(
        db,
        sql: """
          SELECT batch.*, formula.code FROM batch JOIN formula ON formula.id = batch.formula_id
          WHERE formula.code = ? OR batch.lot_number = ?
          """, arguments: [step.formulaCode, chosen ?? ""]
      ).map { row in
        BatchCandidate(
          lotNumber: row["lot_number"], formulaCode: row["code"],
          status: LotStatus(rawValue: row["status"]) ?? .quarantined,
          beyondUseDate: try CalendarDate.parse(row["bud"]), onHand: row["on_hand"],
          compoundingDate: try CalendarDate.parse(row["compounding_date"]))
      }
      let decision = try FillDecision.decide(
        prescription: record.prescription, candidates: candidates, chosenLot: chosen, skipReason: reason,
        interactions: interactions, byPharmacist: user.isPharmacist, overrideReason: override, today: today)
      let batch = try batchRow(db, decision.lotNumber)
      let batchID: Int64 = batch["id"]
      let cost = try batchCost(db, batch)
      let price = PriceBreakdown.price(
        quantity: step.quantity, ingredientLines: cost.lines,
        labourMinutes: cost.labourMinutes ?? priceModel.defaultLabourMinutes,
        share: Decimal(step.quantity) / Decimal(max(cost.yield, 1)), model: priceModel)
      try db.execute(
        sql: """
          INSERT INTO fill (prescription_id, fill_number, step, batch_id, quantity, filled_on, filled_at, filled_by, decision,
            price)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          rxRow["id"] as Int64, record.fills.count + 1, decision.stepIndex, batchID, step.quantity, today.description,
          Timestamp.string(now), user.id, try RowDecoding.json(decision), try RowDecoding.json(price),
        ])
      let id = db.lastInsertedRowID
      try Ledger.moveBatch(
        db, batch: batchID, kind: "dispensed", quantity: -Int64(step.quantity), by: user, now: now,
        reason: "Rx \(record.prescription.rxNumber) fill \(record.fills.count + 1)")
      return id
    }
    return try read { db in try fillRecord(db, fillID) }
  }

  /// One fill with what its label needs.
  public func fill(_ id: Int64) throws(StoreError) -> FillRecord {
    try read { db in try fillRecord(db, id) }
  }

  func fillRecord(_ db: Database, _ id: Int64) throws -> FillRecord {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT fill.*, prescription.rx_number, prescription.patient_id, prescription.prescriber_id,
            prescription.steps, prescription.refills, batch.lot_number, batch.bud, batch.formula_id
          FROM fill JOIN prescription ON prescription.id = fill.prescription_id JOIN batch ON batch.id = fill.batch_id
          WHERE fill.id = ?
          """, arguments: [id])
    else { throw StoreError("fill \(id) does not exist: 'compound rx show RX' lists a prescription's fills") }
    let decision = try RowDecoding.decode(FillDecision.self, row["decision"])
    let steps = try RowDecoding.decode([PrescriptionStep].self, row["steps"])
    let fillNumber: Int = row["fill_number"]
    let prescription = Prescription(
      rxNumber: row["rx_number"], patientID: row["patient_id"], prescriberID: row["prescriber_id"], steps: steps,
      refills: row["refills"], written: CalendarDate(dayNumber: 0), fillsDone: fillNumber - 1)
    guard
      let formulaRow = try Row.fetchOne(
        db, sql: "SELECT * FROM formula WHERE id = ?", arguments: [row["formula_id"] as Int64]),
      let prescriberRow = try Row.fetchOne(
        db, sql: "SELECT * FROM prescriber WHERE id = ?", arguments: [prescription.prescriberID])
    else { throw StoreError("fill \(id) refers to a missing formula or prescriber") }
    return FillRecord(
      id: id, rxNumber: prescription.rxNumber, fillNumber: fillNumber, patient: try patient(db, prescription.patientID),
      prescriber: Self.prescriber(prescriberRow), formula: try version(db, formulaRow, countingBatches: false).formula,
      lotNumber: row["lot_number"], quantity: row["quantity"], directions: decision.step.directions,
      daysSupply: decision.step.daysSupply, filledOn: try CalendarDate.parse(row["filled_on"]),
      filledAt: row["filled_at"],
      filledBy: row["filled_by"], beyondUseDate: try CalendarDate.parse(row["bud"]),
      refillsRemaining: prescription.refillsRemainingAfterNextFill, decision: decision,
      price: try (row["price"] as String?).map { try RowDecoding.decode(PriceBreakdown.self, $0) })
  }
}
