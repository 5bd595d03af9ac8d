import Accounts
import Digest
import Formulation
import Foundation
import GRDB
import Settings
import Synchronization
import Testing

@testable import Store

/// The hash-chained audit trail on PostgreSQL: the same entries as SQLite's for the same work, one chain for
/// every station, and no write to a record that does not reach it.
@Suite("PostgreSQL: the audit trail")
struct PostgresAuditTests {
  let stamp = AuditStamp(actor: "dchen", command: "compound test", at: "2026-12-04T16:00:00Z")

  /// A migrated database and an engine on it as the stations' role.
  func station() throws -> (engine: PostgresEngine, owner: PostgresAddress) {
    let owner = try PostgresServer.migratedDatabase()
    let station = try PostgresServer.link(owner.with(user: PostgresSchema.stationRole))
    return (PostgresEngine(link: station), owner)
  }

  /// A day's work in statements both engines read: a receipt, its movement, a status change, a batch.
  func work(_ connection: any StoreConnection) throws(StoreError) {
    let name = "Naltrexone \"HCl\", 'USP'\t\\ é 中"
    let ingredient = try connection.row(
      "INSERT INTO ingredient (code, name, kind, created_at, created_by) VALUES (?, ?, 'api', ?, ?) RETURNING id",
      [.text("NALTREXONE-HCL"), .text(name), .text(stamp.at), .text("dchen")])?.integer("id")
    let lot = try connection.row(
      """
      INSERT INTO lot (lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity, status,
        received_at, received_by)
      VALUES ('NTX-001', ?, 'Medisca', 'M123', '2027-06-30', 5000000, 'quarantined', ?, 'dchen') RETURNING id
      """, [.integer(ingredient ?? 0), .text(stamp.at)])?.integer("id")
    try connection.execute(
      "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by) VALUES (?, 'received', 5000000, ?, 'dchen')",
      [.integer(lot ?? 0), .text(stamp.at)])
    try connection.execute("UPDATE lot SET status = 'released' WHERE lot_number = ?", [.text("ntx-001")])
    try connection.execute(
      """
      INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason)
      VALUES (?, 'quarantined', 'released', ?, 'dchen', NULL)
      """, [.integer(lot ?? 0), .text(stamp.at)])
  }

  /// The entries of the newest transaction, without what depends on the chain before them.
  func newest(_ connection: any StoreConnection) throws(StoreError) -> [[SQLValue]] {
    try connection.rows(
      """
      SELECT table_name, row_id, op, lot, old_row, new_row, row_sha256, at, actor, command FROM audit
      WHERE tx = (SELECT max(tx) FROM audit) ORDER BY id
      """, []
    ).map(\.values)
  }

  @Test("the same work leaves the same entries on both engines: rows, lots, changed columns and digests, byte for byte")
  func sameEntries() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-audit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = try AppDatabase.create(
      path: folder.appendingPathComponent("p.sqlite").path, training: true,
      now: try #require(Timestamp.date("2026-12-04T15:00:00Z")))
    try sqlite.write(stamp) { db in try work(db) }
    let expected = try sqlite.read { db in try newest(db) }

    let (engine, _) = try station()
    try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    let actual = try engine.read { connection throws(StoreError) in try newest(connection) }
    #expect(expected.count == 5)
    #expect(actual == expected)
    // The update keeps only what changed, before and after.
    #expect(actual.first { $0[2] == .text("update") }?[4] == .text("{\"status\":\"quarantined\"}"))
  }

  @Test("the chain verifies: ids without gaps, each entry hashing to itself and naming the one before")
  func chainVerifies() throws {
    let (engine, _) = try station()
    try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    let later = AuditStamp(actor: "aokafor", command: "compound test", at: "2026-12-04T16:05:00Z")
    try PostgresAudit.write(engine, stamp: later) { connection throws(StoreError) in
      try connection.execute("UPDATE lot SET status = 'on_hold' WHERE lot_number = 'NTX-001'", [])
    }
    let rows = try engine.read { connection throws(StoreError) in
      try connection.rows("SELECT * FROM audit ORDER BY id", [])
    }
    var previous = AuditEntry.genesis
    for (index, row) in rows.enumerated() {
      let entry = AuditEntry(
        id: try row.integer("id"), transaction: try row.integer("tx"), at: try row.text("at"),
        actor: try row.text("actor"), command: try row.text("command"), table: try row.text("table_name"),
        rowID: try row.integer("row_id"), operation: try row.text("op"), lot: try row.optionalText("lot"),
        before: try row.optionalText("old_row"), after: try row.optionalText("new_row"),
        previousHash: try row.text("prev_hash"), hash: try row.text("hash"),
        rowSHA256: try row.optionalText("row_sha256"))
      #expect(entry.id == Int64(index + 1))
      #expect(entry.previousHash == previous)
      #expect(entry.hash == entry.computedHash)
      previous = entry.hash
    }
    #expect(rows.count == 6)
    // The lot's newest digest is the SHA-256 of the row as it is now, as PostgreSQL writes it.
    let now = try engine.read { connection throws(StoreError) in
      try connection.row("SELECT row_to_json(lot)::text AS json FROM lot WHERE lot_number = 'NTX-001'")?.text("json")
    }
    #expect(try rows.last?.optionalText("row_sha256") == now.map { SHA256.hex($0) })
    #expect(try rows.last?.optionalText("old_row") == "{\"status\":\"released\"}")
  }

  @Test("audit verify on PostgreSQL: a clean trail, then a record and an entry changed by the owner behind it")
  func verify() throws {
    let (engine, owner) = try station()
    try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    let clean = try engine.read { connection throws(StoreError) in try AuditVerification.verify(connection, full: true)
    }
    #expect(clean.problems == [])
    #expect(clean.entries == 5)
    // A checkpoint, and an incremental check from it.
    try engine.write { connection throws(StoreError) in
      try AuditVerification.save(
        connection, report: clean, tally: try AuditVerification.tally(connection), full: true, at: stamp.at)
    }
    let since = try engine.read { connection throws(StoreError) in try AuditVerification.verify(connection, full: false)
    }
    #expect(since.problems == [] && since.since == 5 && since.checked == 0)

    // The owner turns the triggers off and changes a lot: the incremental check sees the triggers off and
    // compares every row; the full check compares every row anyway.
    let link = try PostgresServer.link(owner, capturing: false)
    defer { link.close() }
    try link.run("ALTER TABLE lot DISABLE TRIGGER USER")
    try link.run("UPDATE lot SET received_quantity = 6000000")
    for full in [false, true] {
      let report = try engine.read { connection throws(StoreError) in
        try AuditVerification.verify(connection, full: full)
      }
      #expect(
        report.problems == ["lot row 1 no longer matches audit entry #4: it was changed outside compound"], "\(full)")
    }
    try link.run("UPDATE lot SET received_quantity = 5000000")
    try link.run("ALTER TABLE lot ENABLE TRIGGER USER")
    let restored = try engine.read { connection throws(StoreError) in
      try AuditVerification.verify(connection, full: true)
    }
    #expect(restored.problems == [])
    // An entry rewritten: the chain breaks there.
    try link.run("ALTER TABLE audit DISABLE TRIGGER USER")
    try link.run("UPDATE audit SET actor = 'mtorres' WHERE id = 2")
    let rewritten = try engine.read { connection throws(StoreError) in
      try AuditVerification.verify(connection, full: false)
    }
    #expect(
      rewritten.problems.first?.contains("audit entry #2 (insert lot row 1) was changed outside compound") == true)
  }

  @Test("a signed adjustment and a witnessed waste: the same stock, refusals and entries on both engines")
  func adjustments() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-adjust-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = try AppDatabase.create(
      path: folder.appendingPathComponent("p.sqlite").path, training: true,
      now: try #require(Timestamp.date("2026-12-04T15:00:00Z")))
    let (engine, _) = try station()
    let dchen = User(id: "dchen", name: "David Chen, PharmD", role: .pharmacist)
    let mtorres = User(id: "mtorres", name: "Maria Torres, CPhT", role: .technician)
    let now = try #require(Timestamp.date(stamp.at))
    /// The day's moves, each with what it returns or the refusal it meets.
    func moves(_ connection: any StoreConnection) -> [String] {
      let cases: [(String, MovementKind, String, User?)] = [
        ("ntx-001", .adjusted, "-1.5 g", nil),
        ("NTX-001", .wasted, "250 mg", mtorres),
        ("NTX-001", .wasted, "250 mg", nil),
        ("NTX-001", .adjusted, "-9 g", nil),
        ("NTX-002", .adjusted, "1 g", nil),
        ("NTX-001", .adjusted, "+0.5 kg", nil),
      ]
      return cases.map { lot, kind, quantity, witness in
        do {
          let (_, onHand) = try AppDatabase.moveStock(
            connection, lot, kind: kind, quantity: quantity, reason: "count", witness: witness, by: dchen,
            scope: .whole, now: now)
          return "on hand \(onHand)"
        } catch let error as StoreError {
          return error.message
        } catch {
          return "\(error)"
        }
      }
    }
    var sqliteResults: [String] = []
    try sqlite.write(stamp) { db in
      try work(db)
      sqliteResults = moves(db)
    }
    var postgresResults: [String] = []
    try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in
      try work(connection)
      postgresResults = moves(connection)
    }
    #expect(sqliteResults.count == 6)
    #expect(postgresResults == sqliteResults)
    #expect(sqliteResults[0] == "on hand 3500000")
    #expect(sqliteResults[1] == "on hand 3250000")
    let expected = try sqlite.read { db in try newest(db) }
    #expect(try engine.read { connection throws(StoreError) in try newest(connection) } == expected)
  }

  @Test("four stations adjusting one lot at once (5 s; COMPOUND_STRESS=full: a minute): none lost or doubled")
  func fourStationsAdjusting() throws {
    let (first, owner) = try station()
    try PostgresAudit.write(first, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    let stations = try (0..<4).map { _ in
      PostgresEngine(link: try PostgresServer.link(owner.with(user: PostgresSchema.stationRole)))
    }
    let users = ["dchen", "aokafor", "mtorres", "jlee"].map { User(id: $0, name: $0, role: .pharmacist) }
    let done = Mutex(0)
    let failures = Mutex<[String]>([])
    let clock = try #require(Timestamp.date("2026-12-04T17:00:00Z"))
    let seconds: Double = ProcessInfo.processInfo.environment["COMPOUND_STRESS"] == "full" ? 60 : 5
    let deadline = Date().addingTimeInterval(seconds)
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      var step = 0
      while Date() < deadline {
        step += 1
        // Every station's clock moves on with the shared count, so none is ever behind the newest entry.
        let now = done.withLock { count in clock.addingTimeInterval(Double(count)) }
        let stamp = AuditStamp(actor: users[index].id, command: "inventory adjust", at: Timestamp.string(now))
        do {
          try PostgresAudit.write(stations[index], stamp: stamp) { connection throws(StoreError) in
            _ = try AppDatabase.moveStock(
              connection, "NTX-001", kind: .adjusted, quantity: step % 2 == 0 ? "+1 mg" : "-2 mg", reason: "count",
              witness: nil, by: users[index], scope: .whole, now: now)
          }
          done.withLock { $0 += 1 }
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
    }
    let moved = done.withLock { $0 }
    print(
      "stress: postgresql: 4 stations x \(Int(seconds)) s: \(moved) adjustments sealed,"
        + " \(failures.withLock { $0.count }) refused (a clock behind the newest entry)")
    #expect(moved >= 20, "only \(moved) adjustments landed in \(seconds) s")
    // A station whose clock read the shared count just before another sealed may be behind it by a second.
    #expect(failures.withLock { $0 }.allSatisfy { $0.contains("earlier than the newest record") })
    let check = try first.read { connection throws(StoreError) in
      try connection.row(
        """
        SELECT (SELECT count(*) FROM movement WHERE kind = 'adjusted') AS adjustments,
          (SELECT sum(quantity) FROM movement)::bigint AS moved,
          (SELECT on_hand FROM stock WHERE lot_id IS NOT NULL) AS on_hand
        """)
    }
    #expect(try check?.integer("adjustments") == Int64(moved))
    #expect(try check?.integer("on_hand") == check?.integer("moved"))
    let report = try first.read { connection throws(StoreError) in try AuditVerification.verify(connection, full: true)
    }
    #expect(report.problems == [])
    #expect(report.entries == Int64(5 + moved))
  }

  @Test("a station's own session that makes the pending table itself writes unsealed rows, which verify finds")
  func forgedSession() throws {
    let (engine, owner) = try station()
    try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    let clean = try engine.read { connection throws(StoreError) in try AuditVerification.verify(connection, full: true)
    }
    try engine.write { connection throws(StoreError) in
      try AuditVerification.save(
        connection, report: clean, tally: try AuditVerification.tally(connection), full: true, at: stamp.at)
    }
    // psql as the stations' role, with a pending table of its own that nothing ever seals.
    let forger = try PostgresServer.link(owner.with(user: PostgresSchema.stationRole), capturing: true)
    defer { forger.close() }
    try forger.run("UPDATE lot SET status = 'recalled' WHERE lot_number = 'NTX-001'")
    // The incremental check sees lot's tally move with no entry, and compares every lot.
    let report = try engine.read { connection throws(StoreError) in
      try AuditVerification.verify(connection, full: false)
    }
    #expect(report.problems == ["lot row 1 no longer matches audit entry #4: it was changed outside compound"])
    // And compound refuses to write on top of it.
    do {
      try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in
        try connection.execute("UPDATE lot SET status = 'on_hold' WHERE lot_number = 'NTX-001'", [])
      }
      Issue.record("a write sealed over a forged change")
    } catch {
      #expect(error.message.contains("lot row 1 was changed outside compound since its last audit entry"))
    }
  }

  @Test("a write outside compound's sealing session is refused: no record is written unrecorded")
  func uncapturedRefused() throws {
    let (engine, owner) = try station()
    try PostgresAudit.write(engine, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    for address in [owner, owner.with(user: PostgresSchema.stationRole)] {
      let outside = try PostgresServer.link(address, capturing: false)
      defer { outside.close() }
      for sql in [
        "UPDATE lot SET status = 'recalled'",
        "INSERT INTO patient (name, date_of_birth, address, phone, created_at, created_by) VALUES ('x','y','z','p','t','u')",
      ] {
        do {
          try outside.run(sql)
          Issue.record("\(address.user) wrote unrecorded: \(sql)")
        } catch {
          #expect(error.message.contains("does not record its changes in the audit trail"), "\(error.message)")
        }
      }
    }
    #expect(
      try engine.read { connection throws(StoreError) in
        try connection.row("SELECT status FROM lot", [])?.text("status")
      } == "released")
  }

  @Test("four stations sealing at once: one chain, no entry lost or doubled, stock equal to its movements")
  func fourStations() throws {
    let (first, owner) = try station()
    try PostgresAudit.write(first, stamp: stamp) { connection throws(StoreError) in try work(connection) }
    let stations = try (0..<4).map { _ in
      PostgresEngine(link: try PostgresServer.link(owner.with(user: PostgresSchema.stationRole)))
    }
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      for step in 0..<10 {
        let at = AuditStamp(
          actor: "station\(index)", command: "move \(step)", at: "2026-12-04T17:00:\(String(format: "%02d", step))Z")
        do {
          try PostgresAudit.write(stations[index], stamp: at) { connection throws(StoreError) in
            try connection.execute(
              "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by) SELECT id, 'adjusted', -1, ?, ? FROM lot",
              [.text(at.at), .text(at.actor)])
          }
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
    }
    // A station whose clock is behind the newest entry is refused (10 steps a station, seconds 00 to 09).
    #expect(failures.withLock { $0 }.allSatisfy { $0.contains("earlier than the newest record") })
    let written = 40 - failures.withLock { $0.count }
    let summary = try first.read { connection throws(StoreError) in
      try connection.row(
        """
        SELECT (SELECT count(*) FROM audit) AS entries, (SELECT max(id) FROM audit) AS last,
          (SELECT count(DISTINCT tx) FROM audit) AS transactions,
          (SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1 WHERE b.prev_hash <> a.hash) AS breaks,
          (SELECT count(*) FROM movement) AS movements,
          (SELECT on_hand FROM stock WHERE lot_id IS NOT NULL) AS on_hand,
          (SELECT sum(quantity) FROM movement)::bigint AS moved
        """)
    }
    #expect(try summary?.integer("entries") == Int64(5 + written))
    #expect(try summary?.integer("last") == Int64(5 + written))
    #expect(try summary?.integer("transactions") == Int64(1 + written))
    #expect(try summary?.integer("breaks") == 0)
    #expect(try summary?.integer("movements") == Int64(1 + written))
    #expect(try summary?.integer("on_hand") == summary?.integer("moved"))
    #expect(written >= 10)
  }
}
