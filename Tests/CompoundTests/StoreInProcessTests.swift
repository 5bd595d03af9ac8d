import Accounts
import Formulation
import Foundation
import GRDB
import Quantities
import Testing

@testable import Store

/// The store without a binary: an in-memory database, migrated as a file would be, driven in-process.
@Suite("The store in-process, on an in-memory database: refusals carry stable codes")
struct StoreInProcessTests {
  static let start = Date(timeIntervalSince1970: 1_795_000_000)

  /// A migrated in-memory database with a pharmacist and a technician.
  func database(queue given: DatabaseQueue? = nil) throws -> AppDatabase {
    let queue = try given ?? DatabaseQueue(configuration: AppDatabase.configuration())
    try Schema.migrator(training: true, now: Self.start).migrate(queue)
    let database = AppDatabase(pool: queue, path: ":memory:")
    database.setCommand("compound test")
    let chen = User(id: "dchen", name: "David Chen, PharmD", role: .pharmacist)
    _ = try database.addUser(chen, pin: "135790", by: nil, now: Self.start)
    _ = try database.addUser(
      User(id: "mtorres", name: "Maria Torres, CPhT", role: .technician), pin: "246801", by: chen, now: Self.start)
    return database
  }

  /// The code of the store error `work` throws; nil when it succeeds.
  func code(_ work: () throws -> Void) -> StoreError.Code? {
    do {
      try work()
      return nil
    } catch let error as StoreError {
      return error.code
    } catch {
      Issue.record("not a store error: \(error)")
      return nil
    }
  }

  @Test("a wrong PIN, a missing record, a technician's duty and a clock set back each have their code")
  func codes() throws {
    let database = try database()
    let policy = SigningPolicy(attempts: 5, minutes: 15)
    let later = Self.start.addingTimeInterval(60)
    #expect(
      code { _ = try database.authenticate("dchen", pin: "000000", action: "test", policy: policy, now: later) }
        == .signature)
    #expect(
      try database.authenticate("dchen", pin: "135790", action: "test", policy: policy, now: later).id == "dchen")
    let torres = try database.activeUser("mtorres")
    #expect(code { _ = try database.disableUser("dchen", reason: "left", by: torres, now: later) } == .refused)
    let chen = try database.activeUser("dchen")
    #expect(code { _ = try database.verifyBatch("LDN45-000000-01", by: chen, now: later) } == .notFound)
    let earlier = Self.start.addingTimeInterval(-3600)
    #expect(code { try database.changePin("mtorres", to: "975310", by: torres, now: earlier) } == .clock)
    // Every write above that was refused left nothing; the signature failure is the one record of them.
    let failures = try database.read { db in try db.value(Int.self, sql: "SELECT count(*) FROM signature_failure") }
    #expect(failures == 1)
  }

  @Test("the schema's movement and ingredient kinds are exactly MovementKind's and IngredientKind's")
  func schemaKinds() throws {
    let database = try database()
    func compact(_ table: String) throws -> String {
      let sql = try database.read { db in
        try db.value(
          String.self, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
      }
      return (sql ?? "").filter { !$0.isWhitespace }
    }
    #expect(try compact("movement").contains("CHECK(kindIN(\(MovementKind.sqlList)))"))
    let ingredientKinds = IngredientKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
    #expect(try compact("ingredient").contains("CHECK(kindIN(\(ingredientKinds)))"))
  }

  @Test("a full disk is one line that says so, and the refused write leaves nothing behind")
  func fullDisk() throws {
    let queue = try DatabaseQueue(configuration: AppDatabase.configuration())
    let database = try database(queue: queue)
    let chen = try database.activeUser("dchen")
    // No more pages than the file has now: the next write that needs one finds the disk full.
    try queue.writeWithoutTransaction { db in
      let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
      _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
    }
    var failure: StoreError?
    var written = 0
    for index in 0..<500 where failure == nil {
      do {
        _ = try database.addPatient(
          name: "Patient \(index) " + String(repeating: "x", count: 150),
          dateOfBirth: try CalendarDate.parse("1970-01-01"),
          address: String(repeating: "y", count: 180), phone: "", medications: [], allergies: [], by: chen,
          now: Self.start.addingTimeInterval(Double(index + 120)))
        written += 1
      } catch let error as StoreError {
        failure = error
      }
    }
    let error = try #require(failure)
    #expect(error.code == .database && error.message.hasPrefix("the disk is full: nothing was written"), "\(error)")
    // Every patient written has its audit entry; the refused one left neither.
    let patients = try database.read { db in try db.value(Int.self, sql: "SELECT count(*) FROM patient") }
    let entries = try database.read { db in
      try db.value(Int.self, sql: "SELECT count(*) FROM audit WHERE table_name = 'patient'")
    }
    #expect(written > 0 && patients == written && entries == written)
  }

  @Test("an update's entry holds the changed columns exactly as SQLite's json_quote writes them, and only those")
  func changedColumns() throws {
    let database = try database()
    let stamp = AuditStamp(actor: "dchen", command: "compound test", at: Timestamp.string(Self.start))
    try database.write(stamp) { db in
      try db.execute(
        sql: """
          INSERT INTO patient (name, date_of_birth, address, phone, created_at, created_by)
          VALUES ('Ann Lee', '1961-04-12', '1 Main St', '555-0100', '2026-11-22T15:00:00Z', 'dchen')
          """)
    }
    // Text that could cut a member short: quotes, commas, colons, braces, backslashes, control characters and
    // non-ASCII text; a column set to the value it had; a NULL that gains a value and an integer that changes.
    let name = "O\"Brien, {Ann}: a\\b\n\t\u{1} é 中文 😀"
    let updates: [(table: String, set: String, arguments: SQLArguments)] = [
      ("patient", "name = ?, address = ?, phone = '555-0100'", [name, "2 Elm St \"rear\", ,"]),
      ("app_user", "pin_known_to = ?, must_change_pin = 1", ["dchen"]),
      ("app_user", "pin_known_to = NULL, must_change_pin = 0", []),
    ]
    for update in updates {
      let expected = try database.write(stamp) { db -> SQLRow? in
        try db.execute(sql: "DROP TABLE IF EXISTS temp.before_row")
        try db.execute(sql: "CREATE TEMP TABLE before_row AS SELECT * FROM main.\(update.table) WHERE id = 1")
        try db.execute(sql: "UPDATE \(update.table) SET \(update.set) WHERE id = 1", arguments: update.arguments)
        // What the trigger wrote before (SQLite's own json_quote of each column that IS NOT as it was).
        let columns = try db.columns(of: update.table)
        let side = { (row: String) in
          "'{' || ltrim("
            + columns.map {
              "CASE WHEN B.\"\($0)\" IS NOT R.\"\($0)\" THEN ',\"\($0)\":' || json_quote(\(row).\"\($0)\") ELSE '' END"
            }.joined(separator: " || ") + ", ',') || '}'"
        }
        return try db.row(
          sql:
            "SELECT \(side("B")) AS old_row, \(side("R")) AS new_row FROM temp.before_row B, main.\(update.table) R"
        )
      }
      let entry = try database.read { db in
        try db.row(
          sql: "SELECT old_row, new_row FROM audit WHERE table_name = ? ORDER BY id DESC LIMIT 1",
          arguments: [update.table])
      }
      let old: String? = try entry?["old_row"]
      let new: String? = try entry?["new_row"]
      let expectedOld: String? = try expected?["old_row"]
      let expectedNew: String? = try expected?["new_row"]
      #expect(old != nil && old == expectedOld, "\(update.table): \(old ?? "none")")
      #expect(new != nil && new == expectedNew, "\(update.table): \(new ?? "none")")
      #expect(new?.contains("phone") == false && new?.contains("created_at") == false)
    }
    let report = try database.verifyAudit(now: Self.start.addingTimeInterval(60))
    #expect(report.problems.isEmpty, "\(report.problems)")
  }

  @Test("a record table's triggers come with its first write; a write they did not see is refused, not sealed")
  func captureOnFirstWrite() throws {
    let database = try database()
    let stamp = AuditStamp(actor: "dchen", command: "compound test", at: Timestamp.string(Self.start))
    let insert = """
      INSERT INTO patient (name, date_of_birth, address, phone, created_at, created_by)
      VALUES ('Ann Lee', '1961-04-12', '1 Main St', '555-0100', '2026-11-22T15:00:00Z', 'dchen')
      """
    let triggers = "SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'audit_capture_patient_%'"
    try database.write(stamp) { db in
      #expect(try db.value(Int.self, sql: triggers) == 0)
      try db.execute(sql: insert)
      #expect(try db.value(Int.self, sql: triggers) == 3)
    }
    let count = "SELECT (SELECT count(*) FROM patient) || ' ' || (SELECT count(*) FROM audit)"
    let before = try database.read { db in try db.value(String.self, sql: count) }
    // The trigger gone behind the capture's back (as a write no statement announced would be): refused whole.
    #expect(throws: StoreError.self) {
      try database.write(stamp) { db in
        try db.execute(sql: "DROP TRIGGER temp.audit_capture_patient_insert")
        try db.execute(sql: insert)
      }
    }
    #expect(try database.read { db in try db.value(String.self, sql: count) } == before)
    // The next write makes the trigger again (the refused transaction took its drop with it, or not).
    try database.write(stamp) { db in try db.execute(sql: insert) }
    let report = try database.verifyAudit(now: Self.start.addingTimeInterval(60))
    #expect(report.problems.isEmpty, "\(report.problems)")
    #expect(try database.read { db in try db.value(Int.self, sql: "SELECT count(*) FROM patient") } == 2)
  }
}
