import Accounts
import Dispensing
import Formulation
import Foundation
import Quantities

extension AppDatabase {
  /// Adds a patient with their medications and allergies as entries; refuses a second record of one person.
  public func addPatient(
    name: String, dateOfBirth: CalendarDate, address: String, phone: String, medications: [NewEntry],
    allergies: [NewEntry], by user: User, now: Date
  ) throws(StoreError) -> Patient {
    let name = try Self.checkedName(name)
    let id: Int64 = try write(stamp(user.id, now)) { db in
      try Self.refuseDuplicate(db, name: name, dateOfBirth: dateOfBirth, except: nil)
      let insertedID = try db.insert(
        sql: """
          INSERT INTO patient (name, date_of_birth, address, phone, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [name, dateOfBirth.description, address, phone, Timestamp.string(now), user.id])
      let id = insertedID
      for entry in medications { try Self.addEntry(db, patient: id, kind: .medication, entry, by: user, now: now) }
      for entry in allergies { try Self.addEntry(db, patient: id, kind: .allergy, entry, by: user, now: now) }
      return id
    }
    return try patient(id)
  }

  /// Corrects a patient's record in one transaction.
  ///
  /// Details, medications started or stopped, allergies added or removed. Nothing is erased: a stopped
  /// entry keeps its text with the date, who and why.
  public func updatePatient(_ id: Int64, _ update: PatientUpdate, by user: User, now: Date) throws(StoreError)
    -> Patient
  {
    guard !update.isEmpty else {
      throw StoreError(
        "nothing to change: give --address, --phone, --name, --add-medication, --stop-medication, --add-allergy or --remove-allergy"
      )
    }
    let reason = update.reason.trimmingCharacters(in: .whitespaces)
    guard !reason.isEmpty else { throw StoreError("say why the record changes: --reason \"...\"") }
    let name = try update.name.map { (name: String) throws(StoreError) -> String in try Self.checkedName(name) }
    try write(stamp(user.id, now)) { db in
      let current = try patient(db, id)
      if let name {
        try Self.refuseDuplicate(db, name: name, dateOfBirth: current.dateOfBirth, except: id)
      }
      var assignments: [String] = []
      var arguments: [(any SQLArgument)?] = []
      for (column, value) in [("name", name), ("address", update.address), ("phone", update.phone)] {
        if let value {
          assignments.append("\(column) = ?")
          arguments.append(value)
        }
      }
      if !assignments.isEmpty {
        try db.execute(
          sql: "UPDATE patient SET \(assignments.joined(separator: ", ")) WHERE id = ?",
          arguments: SQLArguments(arguments + [id]))
      }
      for (entries, kind, word) in [
        (update.stopMedications, PatientEntry.Kind.medication, "stop"),
        (update.removeAllergies, PatientEntry.Kind.allergy, "remove"),
      ] {
        for entryID in entries {
          guard let entry = current.entries.first(where: { $0.id == entryID }), entry.kind == kind else {
            throw StoreError(
              "patient \(id) has no \(kind.rawValue) entry \(entryID) to \(word): 'compound patient show \(id)' lists the entries"
            )
          }
          if let ended = entry.endedOn {
            throw StoreError("\(kind.rawValue) entry \(entryID) (\(entry.text)) was already ended on \(ended)")
          }
          try db.execute(
            sql: "UPDATE patient_entry SET ended_on = ?, ended_at = ?, ended_by = ?, end_reason = ? WHERE id = ?",
            arguments: [update.endedOn.description, Timestamp.string(now), user.id, reason, entryID])
        }
      }
      for entry in update.addMedications {
        try Self.addEntry(db, patient: id, kind: .medication, entry, by: user, now: now)
      }
      for entry in update.addAllergies { try Self.addEntry(db, patient: id, kind: .allergy, entry, by: user, now: now) }
    }
    return try patient(id)
  }

  /// Records a pharmacist's classification of an entry the vocabulary could not resolve.
  public func reviewEntry(
    patient id: Int64, entry entryID: Int64, terms: [String], reason: String, by signer: User, now: Date
  ) throws(StoreError) -> PatientEntry {
    if let refusal = SigningRules.refusal(signer, for: .classifyEntry) { throw StoreError(refusal) }
    let reason = reason.trimmingCharacters(in: .whitespaces)
    guard !reason.isEmpty else { throw StoreError("say why it is classified so: --reason \"...\"") }
    return try write(stamp(signer.id, now)) { db in
      let current = try patient(db, id)
      guard let entry = current.entries.first(where: { $0.id == entryID }) else {
        throw StoreError("patient \(id) has no entry \(entryID): 'compound patient show \(id)' lists the entries")
      }
      if let review = entry.review {
        throw StoreError(
          "entry \(entryID) (\(entry.text)) was already classified by \(review.by): stop it and add a new entry to classify it again"
        )
      }
      try db.execute(
        sql:
          "UPDATE patient_entry SET reviewed_as = ?, reviewed_at = ?, reviewed_by = ?, review_reason = ? WHERE id = ?",
        arguments: [try RowDecoding.json(terms), Timestamp.string(now), signer.id, reason, entryID])
      guard let reviewed = try patient(db, id).entries.first(where: { $0.id == entryID }) else {
        throw StoreError("entry \(entryID) was not stored")
      }
      return reviewed
    }
  }

  /// One patient by id, with every entry.
  public func patient(_ id: Int64) throws(StoreError) -> Patient {
    try read { db in try patient(db, id) }
  }

  /// Every patient, by name.
  public func patients() throws(StoreError) -> [Patient] {
    try read { db in
      try db.values(Int64.self, sql: "SELECT id FROM patient ORDER BY name, id").map { try patient(db, $0) }
    }
  }

  /// Patients whose name holds `text` (case, accents and punctuation ignored), born on that date, or whose
  /// phone number holds those digits.
  public func findPatients(_ text: String) throws(StoreError) -> [Patient] {
    let key = Patient.nameKey(text)
    let digits = text.filter(\.isNumber)
    let date = try? CalendarDate.parse(text.trimmingCharacters(in: .whitespaces))
    return try patients().filter { patient in
      (!key.isEmpty && Patient.nameKey(patient.name).contains(key)) || date == patient.dateOfBirth
        || (digits.count >= 4 && patient.phone.filter(\.isNumber).contains(digits))
    }
  }

  func patient(_ db: any StoreConnection, _ id: Int64) throws -> Patient {
    guard let row = try db.row(sql: "SELECT * FROM patient WHERE id = ?", arguments: [id]) else {
      throw StoreError("patient \(id) does not exist: 'compound patient find NAME' finds a patient", code: .notFound)
    }
    let entries = try db.rows(
      sql: "SELECT * FROM patient_entry WHERE patient_id = ? ORDER BY id", arguments: [id]
    ).map(Self.entry)
    return Patient(
      id: try row["id"], name: try row["name"], dateOfBirth: try CalendarDate.parse(row["date_of_birth"]),
      address: try row["address"], phone: try row["phone"], entries: entries)
  }

  static func entry(_ row: SQLRow) throws -> PatientEntry {
    let kindText: String = try row["kind"]
    guard let kind = PatientEntry.Kind(rawValue: kindText) else {
      throw StoreError("patient entry \(try row["id"] as Int64) has the unknown kind '\(kindText)'")
    }
    var review: EntryReview?
    if let at: String = try row["reviewed_at"] {
      review = EntryReview(
        terms: try RowDecoding.decode([String].self, row["reviewed_as"] ?? "[]"), by: try row["reviewed_by"] ?? "",
        at: at, reason: try row["review_reason"] ?? "")
    }
    return PatientEntry(
      id: try row["id"], kind: kind, text: try row["text"],
      startedOn: try (row["started_on"] as String?).map { try CalendarDate.parse($0) }, addedAt: try row["added_at"],
      addedBy: try row["added_by"], endedOn: try (row["ended_on"] as String?).map { try CalendarDate.parse($0) },
      endedBy: try row["ended_by"], endReason: try row["end_reason"], review: review)
  }

  private static func addEntry(
    _ db: any StoreConnection, patient: Int64, kind: PatientEntry.Kind, _ entry: NewEntry, by user: User, now: Date
  ) throws {
    let text = entry.text.trimmingCharacters(in: .whitespaces)
    guard (1...200).contains(text.count) else {
      throw StoreError("a \(kind.rawValue) must be 1 to 200 characters, as on the list: '\(entry.text.prefix(40))'")
    }
    try db.execute(
      sql:
        "INSERT INTO patient_entry (patient_id, kind, text, started_on, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [patient, kind.rawValue, text, entry.startedOn?.description, Timestamp.string(now), user.id])
  }

  private static func checkedName(_ name: String) throws(StoreError) -> String {
    let name = name.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, name.count <= 200 else { throw StoreError("the patient's name must be 1 to 200 characters") }
    guard !name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }) else {
      throw StoreError("the patient's name has control characters: type it again")
    }
    return name
  }

  /// Refuses a second record of a person already on file: same date of birth, same name once case, accents,
  /// spaces and punctuation are ignored.
  private static func refuseDuplicate(
    _ db: any StoreConnection, name: String, dateOfBirth: CalendarDate, except: Int64?
  ) throws {
    let key = Patient.nameKey(name)
    for row in try db.rows(
      sql: "SELECT id, name FROM patient WHERE date_of_birth = ? ORDER BY id", arguments: [dateOfBirth.description])
    {
      let id: Int64 = try row["id"]
      let existing: String = try row["name"]
      if id != except, Patient.nameKey(existing) == key {
        throw StoreError(
          "patient \(id), \(existing), born \(dateOfBirth), is already on file: correct them with 'compound patient update \(id)'"
        )
      }
    }
  }
}
