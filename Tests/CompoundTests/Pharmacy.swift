import Digest
import Foundation
import Settings
import Testing

@testable import Store

/// A throw-away pharmacy for end-to-end tests: its own folder, settings, database and the real binary.
///
/// `compound` runs as a separate process with a fixed clock. Commands may run from several threads at
/// once (the stress tests do), as long as `now` is not changed meanwhile.
final class Pharmacy: @unchecked Sendable {
  /// The outcome of one command.
  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Whether the process ended on a signal (a crash) rather than exiting.
    var signaled = false

    /// The parsed JSON of standard output.
    func json() throws -> [String: Any] {
      let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
      return try #require(object as? [String: Any], "not a JSON object: \(stdout)")
    }

    func jsonArray() throws -> [[String: Any]] {
      let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
      return try #require(object as? [[String: Any]], "not a JSON array: \(stdout)")
    }
  }

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The built `compound`, beside the test bundle.
  static let binary: URL = {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("compound")
    if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
    return repository.appendingPathComponent(".build/debug/compound")
  }()

  /// The demo users, their roles and PINs; `run` signs with the PIN of whoever `--by` names.
  static let users: [(id: String, name: String, role: String, pin: String)] = [
    ("dchen", "David Chen, PharmD", "pharmacist", "135790"),
    ("mtorres", "Maria Torres, CPhT", "technician", "246801"),
    ("aokafor", "Amara Okafor, PharmD", "pharmacist", "864209"),
  ]
  /// Whether the suite runs its pharmacies on the PostgreSQL server (`COMPOUND_TEST_ENGINE=postgres`, the second
  /// pass of `make test`) rather than in SQLite files.
  static let onServer = ProcessInfo.processInfo.environment["COMPOUND_TEST_ENGINE"] == "postgres"

  /// For a test of the SQLite file itself (the sqlite3 shell behind compound's back, its pages, its locks, its
  /// copies): not run in the server pass, whose own tests (`ServerTests`, `Postgres*Tests`) attack the server.
  static let fileOnly = Testing.ConditionTrait.enabled(
    if: !onServer, "a test of the SQLite file itself; the server's are ServerTests and Postgres*Tests")

  /// An environment value that `run` removes rather than sets.
  static let unset = "\u{0}unset"

  /// Clinical rules that let a verified, weighed batch be released without an assay.
  static let noAssay = "[quality]\nrequire_assay_before_release = false\n"

  let folder: URL
  /// The database every command names: the SQLite file's path, or the server's address as a station.
  let database: String
  /// On a PostgreSQL server: the database's address as its owner, which `init` runs as.
  let owner: String?
  let settings: String
  /// Clinical rules over the shipped ones, which `initialize` has a pharmacist import; nil keeps the shipped.
  let rules: String?
  /// The instant every command sees: 15:00 in Chicago on 22 November 2026.
  var now = "2026-11-22T15:00:00-06:00"
  /// Whether `now` fixes the clock (training databases only); false runs commands on the real clock.
  var fixedClock = true

  /// A pharmacy whose settings file adds `extra` to the demo's, and whose clinical rules (imported by
  /// `initialize`) change what `rules` says.
  ///
  /// With `server`, the records are on a new database of the run's PostgreSQL server: `init` runs as its owner,
  /// every other command as a station (role `compound`).
  init(settings extra: String = "", rules: String? = nil, server: Bool = Pharmacy.onServer) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("compound-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if server {
      let address = try PostgresServer.freshDatabase()
      owner = address.description
      database = address.with(user: PostgresSchema.stationRole).description
    } else {
      owner = nil
      database = folder.appendingPathComponent("compound.sqlite").path
    }
    settings = folder.appendingPathComponent("compound.toml").path
    let base = try String(
      contentsOf: Self.repository.appendingPathComponent("Config/demo/compound.toml"), encoding: .utf8)
    try (base + "\n" + extra).write(toFile: settings, atomically: true, encoding: .utf8)
    self.rules = rules
  }

  /// A station of this pharmacy at store `code` of a chain: the same database, its own settings file, which
  /// adds `[pharmacy] store = "CODE"` to this one's.
  func station(store code: String) throws -> Pharmacy {
    let file = folder.appendingPathComponent("compound-\(code).toml").path
    let text = try String(contentsOfFile: settings, encoding: .utf8)
    try text.replacingOccurrences(of: "[pharmacy]\n", with: "[pharmacy]\nstore = \"\(code)\"\n")
      .write(toFile: file, atomically: true, encoding: .utf8)
    return Pharmacy(station: self, settings: file)
  }

  /// The pharmacy a station (`station(store:)`) belongs to, kept while the station is; nil for a pharmacy.
  private var parent: Pharmacy?

  private init(station other: Pharmacy, settings: String) {
    parent = other
    folder = other.folder
    database = other.database
    owner = other.owner
    rules = other.rules
    now = other.now
    fixedClock = other.fixedClock
    self.settings = settings
  }

  /// Clinical rules with a second balance: the shipped analytical balance B1 (minimum weight 82 mg) and a
  /// semi-micro balance B2 (0.01 mg, minimum weight 8.2 mg) for the small masses of LDN 1.5 mg.
  static let semiMicro = """
    [[balances]]
    id = "B1"
    model = "Analytical balance, 220 g x 0.1 mg"
    readability_mg = 0.1
    capacity_g = 220
    repeatability_sd_mg = 0.03

    [[balances]]
    id = "B2"
    model = "Semi-micro balance, 120 g x 0.01 mg"
    readability_mg = 0.01
    capacity_g = 120
    """

  /// Records today's passing check of every balance the rules list.
  func checkBalances() throws {
    let ids = try ok(["balance", "list", "--json"]).jsonArray().compactMap {
      ($0["balance"] as? [String: Any])?["id"] as? String
    }
    try #require(!ids.isEmpty)
    for id in ids {
      try ok(["balance", "check", id, "--test-weight", "100g", "--reading", "100.00005g", "--by", "mtorres"])
    }
  }

  /// Writes `text` as a rules file in the pharmacy's folder; returns its path.
  func rulesFile(_ text: String, name: String = "rules.toml") throws -> String {
    let path = folder.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  deinit {
    // A station shares its pharmacy's folder, which goes with the pharmacy.
    if parent == nil { try? FileManager.default.removeItem(at: folder) }
  }

  /// Runs `compound ARGUMENTS --db ... --config ...`, with `input` as its standard input when given.
  @discardableResult
  func run(
    _ arguments: [String], environment extra: [String: String] = [:], global: Bool = true,
    withoutTerminal: Bool = false, input: String? = nil
  ) throws -> Outcome {
    let process = command(arguments, environment: extra, global: global)
    if let input {
      let file = folder.appendingPathComponent("in-\(UUID().uuidString)")
      try input.write(to: file, atomically: true, encoding: .utf8)
      process.standardInput = try FileHandle(forReadingFrom: file)
    }
    if withoutTerminal {
      // In a session of its own the process has no controlling terminal, as under CI: nothing can be typed.
      process.arguments = ["--wait", process.executableURL?.path ?? ""] + (process.arguments ?? [])
      process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
    }
    let out = folder.appendingPathComponent("out-\(UUID().uuidString)")
    let err = folder.appendingPathComponent("err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    defer {
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self),
      signaled: process.terminationReason == .uncaughtSignal)
  }

  /// Writing commands that name their signer; a test that leaves `--by` out signs as dchen (a pharmacist),
  /// so that a refusal the test aims at is never a missing `--by` instead.
  static let signedCommands: [[String]] = [
    ["ingredient", "add"], ["formula", "add"], ["patient", "add"], ["prescriber", "add"], ["batch", "weights"],
    ["lot", "receive"],
  ]

  /// A `compound` process for ARGUMENTS, set up like `run` but not started.
  func command(_ given: [String], environment extra: [String: String] = [:], global: Bool = true) -> Process {
    var arguments = given
    if !arguments.contains("--by"), Self.signedCommands.contains(where: { arguments.starts(with: $0) }) {
      arguments += ["--by", "dchen"]
    }
    let process = Process()
    process.executableURL = Self.binary
    let address = arguments.first == "init" ? owner ?? database : database
    process.arguments = arguments + (global ? ["--db", address, "--config", settings] : [])
    var environment = ProcessInfo.processInfo.environment
    environment["COMPOUND_NOW"] = fixedClock ? now : nil
    environment["HOME"] = folder.path
    environment.removeValue(forKey: "COMPOUND_DB")
    environment.removeValue(forKey: "COMPOUND_CONFIG")
    if let by = arguments.firstIndex(of: "--by").map({ arguments.index(after: $0) }), by < arguments.endIndex,
      let user = Self.users.first(where: { $0.id == arguments[by] })
    {
      environment["COMPOUND_PIN"] = user.pin
    }
    if let witness = arguments.firstIndex(of: "--witness").map({ arguments.index(after: $0) }),
      witness < arguments.endIndex, let user = Self.users.first(where: { $0.id == arguments[witness] })
    {
      environment["COMPOUND_WITNESS_PIN"] = user.pin
    }
    for (key, value) in extra {
      environment[key] = value == Self.unset ? nil : value
    }
    process.environment = environment
    process.currentDirectoryURL = folder
    return process
  }

  /// Runs a command that must succeed, and returns its outcome.
  @discardableResult
  func ok(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Outcome {
    let outcome = try run(arguments, environment: environment, input: input)
    try #require(
      outcome.status == 0, "compound \(arguments.joined(separator: " ")) failed: \(outcome.stderr)\(outcome.stdout)")
    return outcome
  }

  /// Runs a command refused for its signature (a wrong PIN): one error line, and nothing written but the
  /// failed signature's own record and its audit entry; returns the error line.
  @discardableResult
  func refusedSignature(
    _ arguments: [String], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let count =
      "SELECT (SELECT count(*) FROM signature_failure) || ' ' || (SELECT count(*) FROM audit WHERE table_name <> 'signature_failure')"
    let before = try sqlite(count).output
    let outcome = try run(arguments, environment: environment)
    #expect(
      outcome.status != 0, "compound \(arguments.joined(separator: " ")) was not refused",
      sourceLocation: sourceLocation)
    #expect(
      outcome.stderr.split(separator: "\n").count == 1, "not one line: \(outcome.stderr)",
      sourceLocation: sourceLocation)
    let parts = before.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let after = try sqlite(count).output.split(separator: " ").compactMap {
      Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    #expect(after.count == 2 && parts.count == 2, sourceLocation: sourceLocation)
    if after.count == 2, parts.count == 2 {
      #expect(after[0] == parts[0] + 1, "the failed signature was not recorded", sourceLocation: sourceLocation)
      #expect(after[1] == parts[1], "something else was written", sourceLocation: sourceLocation)
    }
    return outcome.stderr
  }

  /// Runs a command that must be refused with one error line and leave the database byte for byte
  /// unchanged; returns the error line.
  @discardableResult
  func refused(
    _ arguments: [String], environment: [String: String] = [:], withoutTerminal: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
  )
    throws -> String
  {
    let before = try digest()
    let outcome = try run(arguments, environment: environment, withoutTerminal: withoutTerminal)
    #expect(
      outcome.status != 0, "compound \(arguments.joined(separator: " ")) was not refused",
      sourceLocation: sourceLocation)
    let lines = outcome.stderr.split(separator: "\n")
    #expect(lines.count == 1, "not one line: \(outcome.stderr)", sourceLocation: sourceLocation)
    #expect(outcome.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
    #expect(try digest() == before, "the database changed", sourceLocation: sourceLocation)
    return outcome.stderr
  }

  /// SHA-256 of the database file and its write-ahead log, if any; on a server, of every table's rows.
  func digest() throws -> String {
    if owner != nil {
      let tables = try sqlite("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").output
        .split(separator: "\n").map(String.init)
      let sums = tables.map {
        "SELECT '\($0)', md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"\($0)\" t"
      }
      return SHA256.hex(Array(try sqlite(sums.joined(separator: " UNION ALL ")).output.utf8))
    }
    var bytes: [UInt8] = []
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: database + suffix) {
      bytes += Array(try Data(contentsOf: URL(fileURLWithPath: database + suffix)))
    }
    return SHA256.hex(bytes)
  }

  /// The pharmacy's database opened in this process, on whichever engine it is.
  func open() throws -> AppDatabase {
    guard owner != nil else { return try AppDatabase.open(path: database) }
    return try AppDatabase.open(server: try PostgresAddress(database, from: .flag("--db")))
  }

  /// Lot numbers by supplier lot, from `compound lot list --json`.
  func lotNumbers() throws -> [String: String] {
    var numbers: [String: String] = [:]
    for item in try ok(["lot", "list", "--json"]).jsonArray() {
      if let lot = item["lot"] as? [String: Any], let supplierLot = lot["supplierLot"] as? String {
        numbers[supplierLot] = lot["lotNumber"] as? String
      }
    }
    return numbers
  }

  /// Stock on hand of a lot in micrograms or pieces.
  func onHand(_ lotNumber: String) throws -> Int64? {
    for item in try ok(["lot", "list", "--json"]).jsonArray() {
      if let lot = item["lot"] as? [String: Any], lot["lotNumber"] as? String == lotNumber {
        return (lot["onHand"] as? NSNumber)?.int64Value
      }
    }
    return nil
  }

  /// A new database with the demo's users: dchen (the first pharmacist) adds the others.
  func initialize() throws {
    try ok(["init", "--training"])
    for user in Self.users {
      try ok(
        ["user", "add", user.id, "--name", user.name, "--role", user.role]
          + (user.id == "dchen" ? [] : ["--by", "dchen"]),
        environment: ["COMPOUND_NEW_PIN": user.pin])
    }
    if let rules {
      try ok(["rules", "import", "--file", try rulesFile(rules), "--reason", "test rules", "--by", "dchen"])
    }
  }

  /// The demo's catalog, four released lots and the three LDN formulas.
  func seed() throws {
    try initialize()
    try ok([
      "ingredient", "add", "NALTREXONE-HCL", "--name", "Naltrexone hydrochloride USP", "--kind", "api", "--salt-form",
      "HCl", "--mw-salt", "377.86", "--mw-base", "341.4",
    ])
    try ok([
      "ingredient", "add", "AVICEL-PH102", "--name", "Microcrystalline cellulose (Avicel PH-102)", "--kind",
      "excipient",
    ])
    try ok([
      "ingredient", "add", "CAPS-1-WHITE", "--name", "Hard gelatin capsules size 1", "--kind", "shell",
      "--capsule-size",
      "1",
    ])
    try checkBalances()
    try receive("NALTREXONE-HCL", lot: "NX-1", expiry: "2028-06-30", quantity: "5g", assay: ["--assay", "99.1"])
    try receive("AVICEL-PH102", lot: "AV-1", expiry: "2029-01-31", quantity: "500g")
    try receive("CAPS-1-WHITE", lot: "CP-1", expiry: "2029-01-31", quantity: "1000count")
    for number in try lotNumbers().values { try ok(["lot", "release", number, "--by", "dchen"]) }
    for code in ["LDN15", "LDN30", "LDN45"] {
      try ok(["formula", "add", "--file", Self.repository.appendingPathComponent("Config/formulas/\(code).toml").path])
    }
  }

  /// Receives a lot from Medisca; a lot with an assay comes with its certificate of analysis, and an as-is
  /// assay with the certificate's water content (0.4 %) unless `assay` gives one.
  func receive(_ ingredient: String, lot: String, expiry: String, quantity: String, assay: [String] = []) throws {
    var certificate: [String] = []
    if assay.contains("--assay") {
      let file = folder.appendingPathComponent("coa-\(lot).txt")
      try "Certificate of analysis, \(ingredient) lot \(lot): \(assay.joined(separator: " "))\n".write(
        to: file, atomically: true, encoding: .utf8)
      certificate = ["--certificate", file.path]
      if !assay.contains("--water"), !assay.contains("anhydrous") { certificate += ["--water", "0.4"] }
    }
    try ok(
      [
        "lot", "receive", "--ingredient", ingredient, "--supplier", "Medisca", "--supplier-lot", lot, "--expiry",
        expiry,
        "--quantity", quantity, "--cost", "20.00", "--by", "mtorres",
      ] + assay + certificate)
  }

  /// A pharmacy with one filled prescription (fill id 1).
  static func filled() throws -> Pharmacy {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    try pharmacy.verifiedBatch()
    try pharmacy.ok(["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893"])
    try pharmacy.ok([
      "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--refills", "1",
      "--written", "2026-11-20", "--by", "dchen",
    ])
    try pharmacy.ok(["rx", "fill", "600001", "--by", "mtorres"])
    return pharmacy
  }

  /// Records 30 capsules of LDN 4.5 mg as the plan says; returns the batch lot number.
  func recordStandardBatch(by user: String = "mtorres") throws -> String {
    let record = try ok([
      "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg", "--weighed",
      "AVICEL-PH102=7.7702g", "--yield", "30", "--by", user, "--json",
    ]).json()
    return try #require(record["lotNumber"] as? String)
  }

  /// Records, weighs and verifies a standard LDN 4.5 mg batch, and releases it unless told not to (the
  /// settings must then allow release without an assay, or one must be recorded first).
  @discardableResult
  func verifiedBatch(release: Bool = true) throws -> String {
    let lot = try recordStandardBatch()
    try ok(["batch", "weights", lot, "--mg", Self.goodWeights])
    try ok(["batch", "verify", lot, "--by", "dchen"])
    if release { try ok(["batch", "release", lot, "--by", "dchen"]) }
    return lot
  }

  /// Runs the sqlite3 shell on `database` (this pharmacy's by default), to read or tamper behind compound's back.
  ///
  /// On a server, `psql` as the database's owner, printing as sqlite3 does.
  @discardableResult
  func sqlite(_ sql: String, database: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    if let owner, database == nil {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
      process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", owner, "-c", sql]
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
      process.arguments = [database ?? self.database, sql]
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  static let goodWeights = "317.2,315.2,316.4,314.5,318.1,315.7,316.9,314.9,316.2,315.4"
}
