import Foundation
import GRDB
import Settings
import Synchronization
import Testing

@testable import Store

/// One interface, two engines: the same statements, written once with `?`, give the same results and the same
/// refusals on a real SQLite file and on a real PostgreSQL server.
@Suite("Store engines: SQLite and PostgreSQL behind one interface")
struct StoreEngineTests {
  /// Both engines, each on a new database with the pharmacy's schema (PostgreSQL's as the stations' role).
  func engines() throws -> [(name: String, engine: any StoreEngine)] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engines-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("p.sqlite").path
    let created = try AppDatabase.create(path: path, training: true, now: Date())
    _ = try created.publish()
    let sqlite = SQLiteEngine(queue: try DatabaseQueue(path: path, configuration: AppDatabase.configuration()))
    let owner = try PostgresServer.migratedDatabase()
    let postgres = PostgresEngine(link: try PostgresServer.link(owner.with(user: PostgresSchema.stationRole)))
    return [("SQLite", sqlite), ("PostgreSQL", postgres)]
  }

  static let ingredient = """
    INSERT INTO ingredient (code, name, kind, created_at, created_by) VALUES (?, ?, 'api', ?, ?) RETURNING id
    """

  @Test("placeholders become $1, $2 ... for PostgreSQL, except inside quotes and comments")
  func placeholders() {
    let sql = "SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ? -- why?\nAND c = ?"
    #expect(
      SQLDialect.postgres.statement(sql)
        == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2 -- why?\nAND c = $3")
    #expect(SQLDialect.sqlite.statement(sql) == sql)
  }

  @Test("the same statements write and read the same values, text of any kind included, on both engines")
  func sameValues() throws {
    let name = "Naltrexone HCl 'USP' \"fine\" ? ; -- é 中 \u{1F48A} \\ \t"
    var results: [[SQLRow]] = []
    for (label, engine) in try engines() {
      let id = try engine.write { connection throws(StoreError) in
        try connection.row(Self.ingredient, [.text("ntx"), .text(name), .text("2026-12-04T10:00:00Z"), .text("dchen")])
      }
      #expect(try id?.integer("id") == 1, "\(label)")
      // citext on PostgreSQL, COLLATE NOCASE on SQLite: a code matches in any letter case.
      let rows = try engine.read { connection throws(StoreError) in
        try connection.rows(
          "SELECT id, code, name, salt_form, length(name) AS letters FROM ingredient WHERE code = ?", [.text("NTX")])
      }
      #expect(rows.count == 1, "\(label)")
      #expect(try rows.first?.text("name") == name, "\(label)")
      #expect(try rows.first?.optionalText("salt_form") == nil, "\(label)")
      results.append(rows)
    }
    #expect(results.count == 2)
    #expect(results.first == results.last)
  }

  @Test("a whole number is the same on both engines: digits, no leading zero, nothing else (the next Rx number's)")
  func wholeNumbers() throws {
    let texts = ["600001", "99", "B00000001", "0012", "", "12a", "WEST-600002", " 7", "600001.5"]
    for (label, engine) in try engines() {
      let found = try engine.read { connection throws(StoreError) in
        try connection.rows(
          "SELECT t FROM (" + texts.map { _ in "SELECT ? AS t" }.joined(separator: " UNION ALL ")
            + ") AS typed WHERE \(connection.dialect.wholeNumber("t")) ORDER BY t",
          texts.map { .text($0) })
      }
      #expect(try found.map { try $0.text("t") } == ["600001", "99"], "\(label)")
    }
  }

  @Test("a walk hands every row on in order, bound arguments and all, nested walks too, and stops when told")
  func walks() throws {
    // More rows than PostgreSQL's cursor fetches at once, and a second walk inside the first.
    let count = PostgresSession.fetchSize * 2 + 7
    let series =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n WHERE i > ?"
    for (label, engine) in try engines() {
      let (seen, inner, next) = try engine.read { connection throws(StoreError) in
        var seen: [Int64] = []
        var inner = 0
        try connection.each(series, [.integer(Int64(count)), .integer(0)]) { row throws(StoreError) in
          let value = try row.integer("i")
          seen.append(value)
          if value == Int64(PostgresSession.fetchSize) {
            try connection.each(series, [.integer(Int64(count)), .integer(Int64(count - 3))]) { _ throws(StoreError) in
              inner += 1
              return true
            }
          }
          return value < Int64(count - 1)
        }
        // A walk stopped early leaves the connection usable.
        let next = try connection.row("SELECT 42 AS answer")?.integer("answer")
        return (seen, inner, next)
      }
      #expect(seen == (1...Int64(count - 1)).map { $0 }, "\(label): \(seen.count) rows")
      #expect(inner == 3, "\(label)")
      #expect(next == 42, "\(label)")
    }
  }

  @Test("a refused write is refused with the same message on both engines, and nothing of it is kept")
  func sameRefusals() throws {
    var messages: [String] = []
    for (label, engine) in try engines() {
      do {
        try engine.write { connection throws(StoreError) in
          try connection.execute(
            Self.ingredient, [.text("kept?"), .text("x"), .text("2026-12-04T10:00:00Z"), .text("dchen")])
          try connection.execute(
            """
            INSERT INTO app_user (login, name, role, pin_hash, active, created_at, created_by)
            VALUES ('mtorres', 'Maria Torres', 'technician', '$y$x', 0, 'x', 'dchen')
            """, [])
          try connection.execute("UPDATE app_user SET active = 1 WHERE login = ?", [.text("MTORRES")])
        }
        Issue.record("\(label): a disabled user was enabled")
      } catch {
        messages.append(error.message)
      }
      let left = try engine.read { connection throws(StoreError) in
        try connection.rows("SELECT count(*) AS n FROM ingredient", [])
      }
      #expect(try left.first?.integer("n") == 0, "\(label): the first statement of a refused write was kept")
    }
    #expect(messages.count == 2)
    #expect(
      messages.allSatisfy {
        $0.hasSuffix("a user keeps their id, name and role, and a disabled user stays disabled: add a new user")
      }, "\(messages)")
  }

  @Test("PostgreSQL: four stations reading and changing the same row at once lose no update; a reader never waits")
  func noLostUpdate() throws {
    let owner = try PostgresServer.freshDatabase()
    let setup = try PostgresServer.link(owner)
    try setup.run("CREATE TABLE counter (n BIGINT NOT NULL)")
    try setup.run("INSERT INTO counter VALUES (0)")
    setup.close()
    let stations = try (0..<4).map { _ in PostgresEngine(link: try PostgresServer.link(owner)) }
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      for _ in 0..<25 {
        do {
          try stations[index].write { connection throws(StoreError) in
            let n = try connection.row("SELECT n FROM counter", [])?.integer("n") ?? -1
            try connection.execute("UPDATE counter SET n = ?", [.integer(n + 1)])
          }
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
    }
    #expect(failures.withLock { $0 } == [])
    #expect(
      try stations[0].read { connection throws(StoreError) in
        try connection.row("SELECT n FROM counter", [])?.integer("n")
      } == 100, "an update was lost")
    // A writer holding the chain's lock holds up the next writer, never a reader.
    let holding = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      _ = try? stations[1].write { connection throws(StoreError) in
        try connection.execute("UPDATE counter SET n = n + 1", [])
        holding.signal()
        release.wait()
      }
    }
    #expect(holding.wait(timeout: .now() + 30) == .success, "the writer never held the lock")
    #expect(
      try stations[2].read { connection throws(StoreError) in
        try connection.row("SELECT n FROM counter", [])?.integer("n")
      } == 100)
    release.signal()
  }

  @Test("PostgreSQL: a transaction the server undid for a conflict runs again and lands")
  func conflictRetried() throws {
    let owner = try PostgresServer.freshDatabase()
    let engine = PostgresEngine(link: try PostgresServer.link(owner))
    try engine.write { connection throws(StoreError) in try connection.execute("CREATE TABLE landed (n BIGINT)", []) }
    let runs = Mutex(0)
    try engine.write { connection throws(StoreError) in
      let run = runs.withLock { count in
        count += 1
        return count
      }
      try connection.execute("INSERT INTO landed VALUES (?)", [.integer(Int64(run))])
      if run == 1 {
        try connection.execute(
          "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$", [])
      }
    }
    #expect(
      try engine.read { connection throws(StoreError) in try connection.rows("SELECT n FROM landed", []) }.map {
        try $0.integer("n")
      } == [2])
  }

  @Test("PostgreSQL: a conflict that never clears is tried a bounded number of times, then refused in one line")
  func conflictBounded() throws {
    let owner = try PostgresServer.freshDatabase()
    let engine = PostgresEngine(link: try PostgresServer.link(owner), attempts: 3)
    let runs = Mutex(0)
    do {
      try engine.write { connection throws(StoreError) in
        runs.withLock { $0 += 1 }
        try connection.execute(
          "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$", [])
      }
      Issue.record("a conflict was written")
    } catch {
      #expect(error.code == .busy)
      #expect(error.message.contains("tried 3 times and nothing was written; run the command again"))
      #expect(!error.message.contains("\n"))
    }
    #expect(runs.withLock { $0 } == 3)
  }
}
