import Accounts
import Digest
import Dispensing
import Formulation
import Foundation
import Quantities

extension AppDatabase {
  /// Stores `formula` as a new version, or returns the existing version when its content is unchanged.
  ///
  /// Refuses a formula that breaks the pharmacy's rules. The label's drug line is computed from the API's
  /// generic name in the drug vocabulary, its salt and the strength, never taken as typed. Returns the
  /// version, whether it is new, and warnings to print (a lactose filler, for example).
  public func addFormula(
    _ formula: Formula, source: String, approvedBy: User?, rules: FormulationRules, index: DrugIndex, now: Date
  ) throws(StoreError) -> (version: FormulaVersion, created: Bool, warnings: [String]) {
    var formula = formula
    if let approvedBy, let refusal = SigningRules.refusal(approvedBy, for: .approveFormula) {
      throw StoreError(refusal)
    }
    return try write(stamp(approvedBy?.id ?? Self.systemActor, now)) { db in
      let catalog = try db.rows(sql: "SELECT * FROM ingredient").map { try RowDecoding.ingredient($0) }
      let warnings = try FormulaValidator.validate(
        formula, ingredients: Dictionary(catalog.map { ($0.code.uppercased(), $0) }, uniquingKeysWith: { a, _ in a }),
        rules: rules)
      guard let api = catalog.first(where: { $0.code.uppercased() == formula.api.uppercased() }) else {
        throw StoreError("API '\(formula.api)' is not in the catalog: add it with 'compound ingredient add'")
      }
      guard
        let generic = index.resolve(api.name + " " + api.code).ingredients.first.flatMap(index.vocabulary.ingredient)
      else {
        throw StoreError(
          "the API \(api.code) (\(api.name)) is not in the drug vocabulary, so its label cannot name it: add it to the vocabulary and import the rules"
        )
      }
      formula.labelText = formula.drugLine(genericName: generic.name, saltForm: api.saltForm)
      let definition = try FormulaRecord.text(formula)
      let digest = SHA256.hex(definition)
      if let latest = try db.row(
        sql: "SELECT * FROM formula WHERE code = ? ORDER BY version DESC LIMIT 1", arguments: [formula.code])
      {
        // Unchanged content is the same version, whichever stored format the latest was written in.
        if try latest["sha256"] == digest || (try? FormulaRecord.read(latest["definition"])) == formula {
          return (try version(db, latest), false, warnings)
        }
      }
      let next =
        (try db.value(Int.self, sql: "SELECT MAX(version) FROM formula WHERE code = ?", arguments: [formula.code]) ?? 0)
        + 1
      let insertedID = try db.insert(
        sql:
          "INSERT INTO formula (code, version, name, definition, source, sha256, created_at, approved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          formula.code, next, formula.name, definition, source, digest, Timestamp.string(now), approvedBy?.id,
        ])
      guard let row = try db.row(sql: "SELECT * FROM formula WHERE id = ?", arguments: [insertedID])
      else { throw StoreError("the formula was not stored") }
      return (try version(db, row), true, warnings)
    }
  }

  /// The latest version of every formula, by code.
  public func formulas() throws(StoreError) -> [FormulaVersion] {
    try read { db in
      try db.rows(
        sql:
          "SELECT * FROM formula f WHERE version = (SELECT MAX(version) FROM formula WHERE code = f.code) ORDER BY code"
      ).map { try version(db, $0) }
    }
  }

  /// One formula: the latest version, or the one named.
  public func formula(_ code: String, version number: Int? = nil) throws(StoreError) -> FormulaVersion {
    try read { db in try version(db, try formulaRow(db, code, version: number)) }
  }

  func formulaRow(_ db: any StoreConnection, _ code: String, version number: Int? = nil) throws -> SQLRow {
    let row: SQLRow?
    if let number {
      row = try db.row(sql: "SELECT * FROM formula WHERE code = ? AND version = ?", arguments: [code, number])
    } else {
      row = try db.row(sql: "SELECT * FROM formula WHERE code = ? ORDER BY version DESC LIMIT 1", arguments: [code])
    }
    guard let row else {
      let known = try db.values(String.self, sql: "SELECT DISTINCT code FROM formula ORDER BY code")
      let hint =
        known.isEmpty ? "add one with 'compound formula add --file F.toml'" : "known: \(known.joined(separator: ", "))"
      throw StoreError("formula '\(code)'\(number.map { " version \($0)" } ?? "") does not exist: \(hint)")
    }
    return row
  }

  /// The stored version in `row`; counting its batches (for lists) only when asked.
  func version(_ db: any StoreConnection, _ row: SQLRow, countingBatches: Bool = true) throws -> FormulaVersion {
    let id: Int64 = try row["id"]
    let batches =
      countingBatches
      ? try db.value(Int.self, sql: "SELECT count(*) FROM batch WHERE formula_id = ?", arguments: [id]) ?? 0 : 0
    return FormulaVersion(
      formula: try FormulaRecord.read(row["definition"]), version: try row["version"],
      sha256: try row["sha256"], createdAt: try row["created_at"], approvedBy: try row["approved_by"],
      batches: batches)
  }
}
