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
    let failures = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM signature_failure") }
    #expect(failures == 1)
  }

  @Test("the schema's movement and ingredient kinds are exactly MovementKind's and IngredientKind's")
  func schemaKinds() throws {
    let database = try database()
    func compact(_ table: String) throws -> String {
      let sql = try database.read { db in
        try String.fetchOne(
          db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
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
    let patients = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patient") }
    let entries = try database.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE table_name = 'patient'")
    }
    #expect(written > 0 && patients == written && entries == written)
  }
}
