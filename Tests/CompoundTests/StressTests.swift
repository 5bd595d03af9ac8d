import Foundation
import Synchronization
import Testing

@Suite("Load, crashes and hostile input", .serialized)
struct StressTests {
  @Test(
    "four processes recording batches, fills and adjustments at once: every one done, stock and audit agree",
    arguments: [false, true])
  func concurrency(server: Bool) throws {
    // On the server the four processes are four stations, each with its own connection.
    let (pharmacy, prescriptions, avicel) = try Stress.busyPharmacy(server: server)
    let movementsBefore = try Self.movements(pharmacy)
    let tally = Stress.Tally()
    // A fixed amount of work, not a time window: the counts do not depend on how fast the machine is.
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for cycle in 1...Stress.cycles {
        func run(_ arguments: [String], _ kind: String) -> Pharmacy.Outcome? { tally.run(pharmacy, arguments, kind) }
        let pharmacist = worker % 2 == 0 ? "dchen" : "aokafor"
        if let recorded = run(
          [
            "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg",
            "--weighed", "AVICEL-PH102=7.7702g", "--yield", "30", "--by", "mtorres", "--json",
          ], "batch record"), recorded.status == 0,
          let lot = (try? recorded.json())?["lotNumber"] as? String
        {
          _ = run(["batch", "weights", lot, "--mg", Pharmacy.goodWeights, "--by", "mtorres"], "batch weights")
          _ = run(["batch", "verify", lot, "--by", pharmacist], "batch verify")
          _ = run(["batch", "release", lot, "--by", pharmacist], "batch release")
        }
        let rx = prescriptions[(worker * 7 + cycle) % prescriptions.count]
        _ = run(["rx", "fill", rx, "--override", "stress: refills on one day", "--by", "dchen"], "rx fill")
        let sign = cycle % 2 == 0 ? "-" : ""
        _ = run(
          ["stock", "adjust", avicel, "--quantity", "\(sign)1g", "--reason", "stress recount", "--by", "mtorres"],
          "stock adjust")
        _ = run(["inventory", "show"], "inventory show")
        if cycle % 4 == 0, !server {
          let copy = pharmacy.folder.appendingPathComponent("backup-\(worker)-\(cycle).sqlite").path
          if run(["backup", "--to", copy], "backup")?.status == 0 {
            let check = try? pharmacy.run(
              ["audit", "verify", "--db", copy, "--config", pharmacy.settings], global: false)
            if check?.status != 0 { tally.defect("backup \(copy) does not verify: \(check?.stderr ?? "")") }
            tally.add("backups verified")
          }
        }
      }
    }
    let kinds = [
      "batch record", "batch weights", "batch verify", "batch release", "rx fill", "stock adjust", "inventory show",
      "backup",
    ]
    let succeeded = kinds.map { tally.count("\($0).ok") }.reduce(0, +)
    let refused = kinds.map { tally.count("\($0).refused") }.reduce(0, +)
    let defects = tally.allDefects
    Stress.report(
      "concurrency: 4 processes x \(Stress.cycles) cycles: \(succeeded + refused + defects.count) operations, \(succeeded) succeeded, \(refused) refused cleanly, \(tally.count("backups verified")) online backups verified, \(defects.count) failures"
    )
    #expect(defects.isEmpty, "\(defects.prefix(5))")
    // Every cycle's batch and fill went through: nothing was lost to a lock.
    #expect(tally.count("batch record.ok") == 4 * Stress.cycles)
    #expect(tally.count("batch release.ok") == 4 * Stress.cycles)
    #expect(tally.count("rx fill.ok") == 4 * Stress.cycles)
    #expect(tally.count("backups verified") == (server ? 0 : 4 * (Stress.cycles / 4)))
    // Stock equals the sum of its movements, and the audit chain verifies, every entry of it.
    try pharmacy.ok(["doctor"])
    let verify = try pharmacy.ok(["audit", "verify", "--full"]).stdout
    #expect(verify.contains("audit trail intact"))
    // No movement lost or doubled: each batch recorded moved its three ingredient lots and added its capsules,
    // each fill and each adjustment moved one, and nothing else moved.
    let expected =
      4 * tally.count("batch record.ok") + tally.count("rx fill.ok") + tally.count("stock adjust.ok")
    let added = try Self.movements(pharmacy) - movementsBefore
    Stress.report("concurrency (\(server ? "PostgreSQL" : "SQLite")): \(added) movements, \(expected) expected")
    #expect(added == expected)
  }

  @Test(
    "two stores, two stations each, compounding from one supplier lot both received: every write done, and a recall from either store finds both stores' batches, fills and stock",
    arguments: [false, true])
  func twoStoresRecallOneLot(server: Bool) throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay, server: server)
    try pharmacy.seed()
    try pharmacy.ok(["store", "add", "MAIN", "--name", "Main Street", "--by", "dchen"])
    try pharmacy.ok(["store", "add", "WEST", "--name", "West Side", "--by", "dchen"])
    let stations = [try pharmacy.station(store: "MAIN"), try pharmacy.station(store: "WEST")]
    // Naltrexone lot NX-1 of Medisca arrives at both stores (MAIN had a container of it before it had stores),
    // with plenty of filler and shells at each.
    var avicel: [String] = []
    for station in stations {
      try station.receive("NALTREXONE-HCL", lot: "NX-1", expiry: "2028-06-30", quantity: "100g")
      try station.receive("AVICEL-PH102", lot: "AV-9", expiry: "2029-02-28", quantity: "10000g")
      try station.receive("CAPS-1-WHITE", lot: "CP-9", expiry: "2029-02-28", quantity: "50000count")
      for item in try station.ok(["lot", "list", "--json"]).jsonArray() {
        guard let lot = item["lot"] as? [String: Any], let number = lot["lotNumber"] as? String else { continue }
        if lot["status"] as? String == "quarantined" { try station.ok(["lot", "release", number, "--by", "dchen"]) }
        if lot["supplierLot"] as? String == "AV-9" { avicel.append(number) }
      }
    }
    try pharmacy.ok(["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12", "--by", "mtorres"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893"])
    var prescriptions: [[String]] = [[], []]
    for (index, station) in stations.enumerated() {
      for _ in 0..<10 {
        let record = try station.ok([
          "rx", "add", "--patient", "1", "--prescriber", "1", "--refills", "11", "--written", "2026-11-20",
          "--formula", "LDN45", "--quantity", "5", "--by", "dchen", "--json",
        ]).json()
        prescriptions[index].append(
          try #require((record["prescription"] as? [String: Any])?["rxNumber"] as? String))
      }
    }
    let movementsBefore = try Self.movements(pharmacy)
    let tally = Stress.Tally()
    let batches = Mutex<[String]>([])
    let (rx, filler) = (prescriptions, avicel)
    // Workers 0 and 2 are MAIN's stations, 1 and 3 WEST's.
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      let station = stations[worker % 2]
      for cycle in 1...Stress.cycles {
        func run(_ arguments: [String], _ kind: String) -> Pharmacy.Outcome? { tally.run(station, arguments, kind) }
        if let recorded = run(
          [
            "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg",
            "--weighed", "AVICEL-PH102=7.7702g", "--yield", "30", "--by", "mtorres", "--json",
          ], "batch record"), recorded.status == 0,
          let lot = (try? recorded.json())?["lotNumber"] as? String
        {
          batches.withLock { $0.append(lot) }
          _ = run(["batch", "weights", lot, "--mg", Pharmacy.goodWeights, "--by", "mtorres"], "batch weights")
          _ = run(["batch", "verify", lot, "--by", "aokafor"], "batch verify")
          _ = run(["batch", "release", lot, "--by", "aokafor"], "batch release")
        }
        let number = rx[worker % 2][(worker * 7 + cycle) % 10]
        _ = run(["rx", "fill", number, "--override", "stress: refills on one day", "--by", "dchen"], "rx fill")
        _ = run(
          [
            "stock", "adjust", filler[worker % 2], "--quantity", cycle % 2 == 0 ? "-1g" : "1g", "--reason",
            "stress recount", "--by", "mtorres",
          ], "stock adjust")
      }
    }
    let defects = tally.allDefects
    #expect(defects.isEmpty, "\(defects.prefix(5))")
    #expect(tally.count("batch record.ok") == 4 * Stress.cycles)
    #expect(tally.count("rx fill.ok") == 4 * Stress.cycles)
    #expect(tally.count("stock adjust.ok") == 4 * Stress.cycles)
    try pharmacy.ok(["doctor"])
    #expect(try pharmacy.ok(["audit", "verify", "--full"]).stdout.contains("audit trail intact"))
    let expected =
      4 * tally.count("batch record.ok") + tally.count("rx fill.ok") + tally.count("stock adjust.ok")
    let added = try Self.movements(pharmacy) - movementsBefore
    #expect(added == expected)
    // Each store's batches are numbered with its code and weighed from its own lots only.
    let recorded = batches.withLock { $0 }
    for code in ["MAIN", "WEST"] {
      let first = try #require(recorded.first { $0.hasPrefix(code + "-") })
      let trace = try stations[0].ok(["recall", first, "--json"]).json()
      let components = try #require(trace["components"] as? [[String: Any]]).compactMap { $0["lotNumber"] as? String }
      #expect(
        components.count == 3
          && components.allSatisfy { code == "WEST" ? $0.hasPrefix("WEST-") : !$0.hasPrefix("WEST-") })
    }
    // The supplier recalls NX-1: from either store, any of its receipts finds every batch of both stores, every
    // fill, and the store that holds each.
    let receipts = try stations.map { station in
      try station.ok(["lot", "list", "--json"]).jsonArray().compactMap { $0["lot"] as? [String: Any] }
        .filter { $0["supplierLot"] as? String == "NX-1" }.compactMap { $0["lotNumber"] as? String }
    }
    #expect(receipts[0].count == 2 && receipts[1].count == 1)
    for (station, lot) in [(stations[1], receipts[0][0]), (stations[0], receipts[1][0])] {
      let trace = try station.ok(["recall", lot, "--json"]).json()
      #expect(Set(trace["receipts"] as? [String] ?? []) == Set(receipts[0] + receipts[1]))
      let traced = try #require(trace["batches"] as? [[String: Any]]).compactMap { $0["lotNumber"] as? String }
      #expect(Set(traced) == Set(recorded))
      #expect((trace["fills"] as? [[String: Any]])?.count == tally.count("rx fill.ok"))
      let stores = try #require(trace["stores"] as? [String: String])
      #expect(recorded.allSatisfy { stores[$0] == String($0.prefix(4)) })
    }
    let held = try stations[1].ok([
      "recall", receipts[0][0], "--hold", "--by", "dchen", "--reason", "Medisca recall of NX-1", "--json",
    ]).json()
    let onHand = try #require(held["onHand"] as? [String: Any])
    #expect(Set(held["held"] as? [String] ?? []) == Set(onHand.keys))
    #expect(Set(onHand.keys).isSuperset(of: receipts[0] + receipts[1]))
    Stress.report(
      "two stores (\(server ? "PostgreSQL" : "SQLite")): \(recorded.count) batches, \(tally.count("rx fill.ok")) fills, \(added) movements of \(expected) expected; the recall of NX-1 from either store traced \(recorded.count) batches at 2 stores and held \(onHand.count) lots and batches"
    )
  }

  /// How many movements the pharmacy's trail records.
  private static func movements(_ pharmacy: Pharmacy) throws -> Int {
    try pharmacy.ok(["audit", "log", "--json"]).jsonArray().filter {
      $0["table"] as? String == "movement" && $0["operation"] as? String == "insert"
    }.count
  }

  @Test("SIGKILL during batch recording, fills and export: the file is sound, batches whole or absent, audit verifies")
  func crashes() throws {
    let (pharmacy, prescriptions, _) = try Stress.busyPharmacy(prescriptions: 10)
    let workbook = pharmacy.folder.appendingPathComponent("month.xlsx").path
    var generator = SystemRandomNumberGenerator()
    var killed = 0
    var finished = 0
    var failures: [String] = []
    var attempt = -1
    // Kills until the wanted number landed while the command ran (some finish before their moment).
    while killed < Stress.kills && attempt < Stress.kills * 4 {
      attempt += 1
      let arguments: [String]
      switch attempt % 3 {
      case 0:
        arguments = [
          "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg",
          "--weighed", "AVICEL-PH102=7.7702g", "--yield", "30", "--by", "mtorres",
        ]
      case 1:
        arguments = [
          "rx", "fill", prescriptions[attempt % prescriptions.count], "--override", "stress: refills on one day",
          "--by",
          "dchen",
        ]
      default: arguments = ["inventory", "export", "--month", "2026-11", "--out", workbook]
      }
      try? FileManager.default.removeItem(atPath: workbook)
      let process = pharmacy.command(arguments)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32.random(in: 1_000...120_000, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if process.terminationReason == .uncaughtSignal { killed += 1 } else { finished += 1 }

      // A server checks its own pages; a file is read page by page.
      let integrity =
        pharmacy.owner == nil
        ? try pharmacy.sqlite("PRAGMA integrity_check").output.trimmingCharacters(in: .whitespacesAndNewlines)
        : "ok"
      if integrity != "ok" { failures.append("after kill \(attempt + 1): integrity \(integrity)") }
      let partial = try pharmacy.sqlite(
        """
        SELECT count(*) FROM batch b WHERE (SELECT count(*) FROM batch_component WHERE batch_id = b.id) < 3
          OR (SELECT count(*) FROM movement WHERE for_batch_id = b.id) < 3
          OR (SELECT count(*) FROM movement WHERE batch_id = b.id AND kind = 'produced') <> 1
          OR (SELECT count(*) FROM audit WHERE table_name = 'batch' AND row_id = b.id) = 0
        """
      ).output.trimmingCharacters(in: .whitespacesAndNewlines)
      if partial != "0" { failures.append("after kill \(attempt + 1): \(partial) partial batch(es)") }
      let verify = try pharmacy.run(["audit", "verify"])
      if verify.status != 0 { failures.append("after kill \(attempt + 1): \(verify.stderr)") }
      if FileManager.default.fileExists(atPath: workbook) {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        check.arguments = [
          "-c", "import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)", workbook,
        ]
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        if check.terminationStatus != 0 { failures.append("after kill \(attempt + 1): a half-written workbook") }
      }
    }
    try pharmacy.ok(["doctor"])
    Stress.report(
      "crashes: \(killed) SIGKILLs mid-command (\(finished) more commands finished before their kill), \(failures.count) failures"
    )
    #expect(failures.isEmpty, "\(failures.prefix(5))")
    #expect(killed == Stress.kills, "only \(killed) processes were killed while running")
  }

  @Test(
    "SIGKILL during backup, backup --update and restore: the live database is whole; every backup verifies whole",
    Pharmacy.fileOnly)
  func backupRestoreCrashes() throws {
    let (pharmacy, _, _) = try Stress.busyPharmacy(prescriptions: 2)
    let source = pharmacy.folder.appendingPathComponent("source.sqlite").path
    try pharmacy.ok(["backup", "--to", source])
    // The daily backup, brought up to date after each new patient, killed at any moment of its transaction.
    let daily = pharmacy.folder.appendingPathComponent("daily.sqlite").path
    try pharmacy.ok(["backup", "--to", daily])
    // How long each takes uninterrupted, so the kills are spread over the whole command.
    func duration(_ arguments: [String]) throws -> Double {
      let start = Date()
      try pharmacy.ok(arguments)
      return Date().timeIntervalSince(start)
    }
    let spans = [
      "backup": try duration(["backup", "--to", pharmacy.folder.appendingPathComponent("timing.sqlite").path]),
      "update": try duration(["backup", "--to", daily, "--update"]),
      "restore": try duration(["restore", "--from", source, "--by", "dchen"]),
    ]
    var generator = SystemRandomNumberGenerator()
    var failures: [String] = []
    var counts: [String: Int] = [:]
    for kind in ["update", "backup", "restore"] {
      var attempt = 0
      while counts[kind, default: 0] < Stress.restoreKills && attempt < Stress.restoreKills * 4 {
        attempt += 1
        let target = pharmacy.folder.appendingPathComponent("\(kind)-\(attempt).sqlite").path
        if kind == "update" {
          try pharmacy.ok(["patient", "add", "--name", "Stress Patient \(attempt)", "--dob", "1970-01-01"])
        }
        let arguments =
          switch kind {
          case "update": ["backup", "--to", daily, "--update"]
          case "backup": ["backup", "--to", target]
          default: ["restore", "--from", source, "--by", "dchen"]
          }
        let process = pharmacy.command(arguments)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let span = spans[kind] ?? 0.1
        // Moments spread evenly over the command's run, each jittered.
        let moment = span * (Double(attempt % 10) + Double.random(in: 0..<1, using: &generator)) / 10
        usleep(UInt32(moment * 1_000_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { counts[kind, default: 0] += 1 }
        let integrity = try pharmacy.sqlite("PRAGMA integrity_check").output.trimmingCharacters(
          in: .whitespacesAndNewlines)
        if integrity != "ok" { failures.append("\(kind) kill \(attempt): live database integrity \(integrity)") }
        let verify = try pharmacy.run(["audit", "verify"])
        if verify.status != 0 { failures.append("\(kind) kill \(attempt): \(verify.stderr)") }
        if kind == "update" {
          let check = try pharmacy.run(
            ["audit", "verify", "--full", "--db", daily, "--config", pharmacy.settings], global: false)
          if check.status != 0 { failures.append("update kill \(attempt): \(daily) does not verify: \(check.stderr)") }
        }
        if kind == "backup", FileManager.default.fileExists(atPath: target) {
          let check = try pharmacy.run(
            ["audit", "verify", "--db", target, "--config", pharmacy.settings], global: false)
          if check.status != 0 { failures.append("backup kill \(attempt): \(target) is under its name unchecked") }
        }
      }
    }
    Stress.report(
      "backup and restore crashes: \(counts["backup", default: 0]) backups, \(counts["update", default: 0]) backup updates and \(counts["restore", default: 0]) restores killed mid-command, \(failures.count) failures"
    )
    #expect(failures.isEmpty, "\(failures.prefix(5))")
    #expect(counts["backup", default: 0] == Stress.restoreKills && counts["restore", default: 0] == Stress.restoreKills)
    #expect(counts["update", default: 0] == Stress.restoreKills)
    // After the kills, the daily backup still comes up to date.
    try pharmacy.ok(["backup", "--to", daily, "--update"])
  }

  @Test("generated malformed inputs: each one line, a non-zero exit, the database byte for byte unchanged")
  func hostileInput() throws {
    let (pharmacy, prescriptions, avicel) = try Stress.busyPharmacy(prescriptions: 1)
    let released = try #require(
      try pharmacy.ok(["batch", "list", "--json"]).jsonArray().first { $0["status"] as? String == "released" }?[
        "lotNumber"] as? String)
    let quarantined = try pharmacy.recordStandardBatch()
    let inputs = try HostileInput.all(
      pharmacy: pharmacy, released: released, quarantined: quarantined, avicel: avicel, rx: prescriptions[0])
    let stride = Stress.full ? 1 : 6
    let chosen = inputs.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
    let before = try pharmacy.digest()
    // A file is put back after an input that changed it, so that one defect does not hide the next; a server's
    // database is not (the first change fails the test all the same).
    let pristine = pharmacy.folder.appendingPathComponent("pristine.sqlite")
    if pharmacy.owner == nil {
      try FileManager.default.copyItem(at: URL(fileURLWithPath: pharmacy.database), to: pristine)
    }
    var failures: [String] = []
    for input in chosen {
      let outcome: Pharmacy.Outcome
      if let bytes = input.shell {
        let script =
          "exec \"$0\" \(input.arguments.map { "'\($0)'" }.joined(separator: " ")) \"$(printf '\(bytes)')\" --db '\(pharmacy.database)' --config '\(pharmacy.settings)'"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, Pharmacy.binary.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        outcome = Pharmacy.Outcome(
          status: process.terminationStatus, stdout: "", stderr: stderr,
          signaled: process.terminationReason == .uncaughtSignal)
      } else {
        outcome = try pharmacy.run(input.arguments, global: input.global)
      }
      switch Stress.judge(outcome, input.arguments) {
      case .ok: failures.append("\(input.name): accepted \(input.arguments.joined(separator: " ").prefix(160))")
      case .refused: break
      case .defect(let text): failures.append("\(input.name): \(text)")
      }
      if let path = input.mustNotExist, FileManager.default.fileExists(atPath: path) {
        failures.append("\(input.name): wrote \(path)")
        try? FileManager.default.removeItem(atPath: path)
      }
      if try pharmacy.digest() != before {
        failures.append("\(input.name): changed the database")
        guard pharmacy.owner == nil else { break }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: pharmacy.database + suffix) }
        try FileManager.default.copyItem(at: pristine, to: URL(fileURLWithPath: pharmacy.database))
      }
    }
    Stress.report("hostile input: \(chosen.count) of \(inputs.count) generated inputs run, \(failures.count) failures")
    #expect(inputs.count >= 1_000)
    #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(12).joined(separator: " | "))")
  }
}
