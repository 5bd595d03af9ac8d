import Foundation
import Testing

@Suite("Refusals: one clear line, a non-zero exit, and nothing written")
struct RefusalTests {
  static let record = ["batch", "record", "--formula", "LDN45", "--quantity", "30"]
  static let masses = ["--weighed", "NALTREXONE-HCL=149.8mg", "--weighed", "AVICEL-PH102=7770.2mg"]

  @Test(
    "a bad batch record is refused naming the problem",
    arguments: [
      (
        [
          "--yield", "30", "--by", "mtorres", "--weighed", "NALTREXONE-HCL=158mg", "--weighed", "AVICEL-PH102=7770.2mg",
        ],
        "--deviation"
      ),
      (masses + ["--yield", "0", "--by", "mtorres"], "--yield '0'"),
      (masses + ["--yield=-3", "--by", "mtorres"], "--yield '-3' must be a whole number"),
      (masses + ["--yield", "-3", "--by", "mtorres"], "--yield '-3' must be a whole number"),
      (masses + ["--yield", "abc", "--by", "mtorres"], "--yield 'abc'"),
      (masses + ["--yield", "29.5", "--by", "mtorres"], "whole number"),
      (masses + ["--yield", "34", "--by", "mtorres"], "more than the 33 capsules"),
      (masses + ["--yield", "30", "--by", "nobody"], "unknown user 'nobody'"),
      (
        [
          "--weighed", "NALTREXONE-HCL=149.8", "--weighed", "AVICEL-PH102=7770.2mg", "--yield", "30", "--by", "mtorres",
        ],
        "has no unit"
      ),
      (["--weighed", "NALTREXONE-HCL 149.8mg", "--yield", "30", "--by", "mtorres"], "INGREDIENT=VALUE"),
      (
        ["--weighed", "AVICEL-PH102=7770.2mg", "--yield", "30", "--by", "mtorres"],
        "weighed mass of NALTREXONE-HCL is missing"
      ),
      (masses + ["--weighed", "SUGAR=1g", "--yield", "30", "--by", "mtorres"], "SUGAR"),
      (masses + ["--yield", "30", "--by", "mtorres", "--lot", "NALTREXONE-HCL=R999"], "does not exist"),
    ] as [([String], String)])
  func badRecord(arguments: [String], fragment: String) throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let error = try pharmacy.refused(Self.record + arguments)
    #expect(error.contains(fragment), "\(error)")
    #expect(try pharmacy.ok(["batch", "list", "--json"]).jsonArray().isEmpty)
  }

  @Test("an unknown formula or a quantity that is not a whole positive number is refused")
  func badFormulaOrQuantity() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let tail = Self.masses + ["--yield", "30", "--by", "mtorres"]
    #expect(
      try pharmacy.refused(["batch", "record", "--formula", "LDN99", "--quantity", "30"] + tail).contains("LDN99"))
    for quantity in ["0", "ten", "-30", "1e3"] {
      #expect(
        try pharmacy.refused(["batch", "record", "--formula", "LDN45", "--quantity", quantity] + tail).contains(
          "--quantity"))
      #expect(
        try pharmacy.refused(["batch", "plan", "--formula", "LDN45", "--quantity", quantity]).contains("--quantity"))
    }
  }

  @Test("an expired, quarantined or short lot named with --lot is refused")
  func badLots() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-QUAR", expiry: "2028-01-31", quantity: "1g", assay: ["--assay", "99.5"])
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-OLD", expiry: "2026-12-31", quantity: "1g", assay: ["--assay", "99.5"])
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-TINY", expiry: "2028-01-31", quantity: "100mg", assay: ["--assay", "99.5"])
    let lots = try pharmacy.lotNumbers()
    for name in ["NX-OLD", "NX-TINY"] {
      try pharmacy.ok(["lot", "release", try #require(lots[name]), "--by", "dchen"])
    }
    let tail = Self.masses + ["--yield", "30", "--by", "mtorres"]
    let quarantined = try pharmacy.refused(Self.record + tail + ["--lot", "api=\(try #require(lots["NX-QUAR"]))"])
    #expect(quarantined.contains("quarantined"))
    let short = try pharmacy.refused(Self.record + tail + ["--lot", "NALTREXONE-HCL=\(try #require(lots["NX-TINY"]))"])
    #expect(short.contains("on hand"))
    let expired = try pharmacy.refused(
      Self.record + tail + ["--lot", "NALTREXONE-HCL=\(try #require(lots["NX-OLD"]))"],
      environment: ["COMPOUND_NOW": "2027-01-05T10:00:00-06:00"])
    #expect(expired.contains("expired on 2026-12-31"))
  }

  @Test("only a pharmacist who did not compound the batch may verify it, once, after the weight check")
  func verification() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    #expect(try pharmacy.refused(["batch", "verify", lot, "--by", "dchen"]).contains("no capsule weight check"))
    try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
    #expect(try pharmacy.refused(["batch", "verify", lot, "--by", "mtorres"]).contains("only a pharmacist"))
    #expect(try pharmacy.refused(["batch", "verify", "NOPE-1", "--by", "dchen"]).contains("does not exist"))
    try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])
    #expect(try pharmacy.refused(["batch", "verify", lot, "--by", "aokafor"]).contains("already verified by dchen"))
    #expect(try pharmacy.refused(["batch", "weights", lot, "--mg", Pharmacy.goodWeights]).contains("already verified"))

    let own = try pharmacy.recordStandardBatch(by: "dchen")
    try pharmacy.ok(["batch", "weights", own, "--mg", Pharmacy.goodWeights])
    #expect(try pharmacy.refused(["batch", "verify", own, "--by", "dchen"]).contains("another pharmacist"))
  }

  @Test("bad capsule weights are refused")
  func badWeights() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    #expect(try pharmacy.refused(["batch", "weights", lot, "--mg", "316,317"]).contains("at least 10"))
    #expect(try pharmacy.refused(["batch", "weights", lot, "--mg", "316,abc"]).contains("'abc'"))
    #expect(try pharmacy.refused(["batch", "weights", lot, "--mg", "316,-2"]).contains("'-2'"))
  }

  @Test("a lot is released only by a pharmacist, and only when its certificate meets the limits")
  func release() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-LOW", expiry: "2028-01-31", quantity: "1g",
      assay: ["--assay", "97.9", "--assay-basis", "anhydrous", "--water", "0.3"])
    let low = try #require(try pharmacy.lotNumbers()["NX-LOW"])
    #expect(try pharmacy.refused(["lot", "release", low, "--by", "mtorres"]).contains("only a pharmacist"))
    let refusal = try pharmacy.refused(["lot", "release", low, "--by", "dchen"])
    #expect(refusal.contains("97.9 % anhydrous"))
    #expect(refusal.contains("98.0-102.0 %"))
    #expect(try pharmacy.refused(["lot", "release", "R000", "--by", "dchen"]).contains("does not exist"))
  }

  @Test("bad receipts are refused")
  func badReceipts() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let base = ["lot", "receive", "--supplier", "Medisca", "--supplier-lot", "X1"]
    #expect(
      try pharmacy.refused(base + ["--ingredient", "AVICEL-PH102", "--expiry", "2026-02-30", "--quantity", "5g"])
        .contains("does not exist in the calendar"))
    #expect(
      try pharmacy.refused(base + ["--ingredient", "AVICEL-PH102", "--expiry", "2026-10-31", "--quantity", "5g"])
        .contains("expired"))
    #expect(
      try pharmacy.refused(base + ["--ingredient", "AVICEL-PH102", "--expiry", "2028-10-31", "--quantity", "5"])
        .contains("no unit"))
    #expect(
      try pharmacy.refused(base + ["--ingredient", "NALTREXONE-HCL", "--expiry", "2028-10-31", "--quantity", "5g"])
        .contains("--assay"))
    #expect(
      try pharmacy.refused(base + ["--ingredient", "NOPE", "--expiry", "2028-10-31", "--quantity", "5g"])
        .contains("not in the catalog"))
    #expect(
      try pharmacy.refused(
        base + ["--ingredient", "AVICEL-PH102", "--supplier-lot", "AV-1", "--expiry", "2029-02-28", "--quantity", "5g"]
      )
      .contains("one manufacturing lot has one expiry"))
    // A decimal comma is named as such, with what to type instead.
    #expect(
      try pharmacy.refused(base + ["--ingredient", "AVICEL-PH102", "--expiry", "2028-10-31", "--quantity", "150,2mg"])
        .contains("has a comma in its number: write it with a decimal point"))
  }

  @Test("a setting of the wrong type is named with its value; a scanned lot number's spaces do not matter")
  func typedSettingsAndScannedLots() throws {
    let pharmacy = try Pharmacy(settings: "[labels]\nprinter_timeout_seconds = \"ten\"\n")
    let line = try pharmacy.refused(["config", "show"])
    #expect(
      line.contains("'labels.printer_timeout_seconds' is \"ten\", which is not the kind of value it takes"), "\(line)")
    let ready = try Pharmacy(rules: Pharmacy.noAssay)
    try ready.seed()
    let lot = try ready.verifiedBatch()
    #expect(try ready.ok(["batch", "show", " \(lot)  "]).stdout.contains(lot))
    #expect(
      try ready.ok(["stock", "adjust", "\(lot) ", "--quantity", "-1", "--reason", "recount", "--by", "dchen"])
        .stdout.contains(lot))
  }

  @Test("a formula with calcium carbonate or a slow-release filler is refused with the reason")
  func rejectedFillers() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    try pharmacy.ok(["ingredient", "add", "CACO3", "--name", "Calcium carbonate USP", "--kind", "excipient"])
    try pharmacy.ok(["ingredient", "add", "HPMC", "--name", "Hypromellose 2208 (HPMC K100M)", "--kind", "excipient"])
    let source = try String(
      contentsOf: Pharmacy.repository.appendingPathComponent("Config/formulas/LDN45.toml"), encoding: .utf8)
    for (filler, reason) in [("CACO3", "reduce naltrexone absorption"), ("HPMC", "immediate-release peak")] {
      let file = pharmacy.folder.appendingPathComponent("\(filler).toml")
      try source.replacingOccurrences(of: "filler = \"AVICEL-PH102\"", with: "filler = \"\(filler)\"")
        .replacingOccurrences(of: "code = \"LDN45\"", with: "code = \"LDN45-\(filler)\"")
        .write(to: file, atomically: true, encoding: .utf8)
      #expect(try pharmacy.refused(["formula", "add", "--file", file.path]).contains(reason))
    }
  }

  @Test("a database from a newer compound, or a SQLite file that is not compound's, is refused", Pharmacy.fileOnly)
  func foreignDatabases() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.ok(["init", "--training"])
    try pharmacy.sqlite("INSERT INTO grdb_migrations VALUES ('v9 from the future')")
    #expect(try pharmacy.refused(["batch", "list"]).contains("newer version of compound"))

    let other = pharmacy.folder.appendingPathComponent("other.sqlite").path
    try pharmacy.sqlite("CREATE TABLE t(x); INSERT INTO t VALUES (1);", database: other)
    let outcome = try pharmacy.run(["batch", "list", "--db", other, "--config", pharmacy.settings], global: false)
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("not a compound database"))
  }

  @Test(
    "a database given as an address is a PostgreSQL server or refused, naming where it came from; no folder is made after it"
  )
  func databaseAddresses() throws {
    let pharmacy = try Pharmacy()
    let withURL = pharmacy.folder.appendingPathComponent("url.toml").path
    let port = try CupsServer.freePort()
    try
      ("database = \"postgresql://compound@127.0.0.1:\(port)/pharmacy\"\n"
      + String(contentsOfFile: pharmacy.settings, encoding: .utf8))
      .write(toFile: withURL, atomically: true, encoding: .utf8)
    let settings = ["--config", pharmacy.settings]
    let path = "give the path of the pharmacy's SQLite file"
    // A PostgreSQL address, from the flag or the settings file, is a server: here one that is not running.
    for arguments in [["--db", "postgresql://postgres@127.0.0.1:\(port)/pharmacy"] + settings, ["--config", withURL]] {
      let outcome = try pharmacy.run(["init", "--training"] + arguments, global: false)
      #expect(outcome.status != 0, "\(arguments) was not refused")
      #expect(outcome.stderr.split(separator: "\n").count == 1, "not one line: \(outcome.stderr)")
      #expect(
        outcome.stderr.contains("cannot reach the PostgreSQL server at 127.0.0.1:\(port): connection refused"),
        "\(outcome.stderr)")
    }
    let cases: [(arguments: [String], environment: [String: String], source: String, reason: String)] = [
      (settings, ["COMPOUND_DB": "postgres://127.0.0.1/pharmacy"], "environment COMPOUND_DB", "name the role"),
      (["--db", "PostgreSQL:pharmacy"] + settings, [:], "flag --db", "write it as postgresql://USER@HOST:PORT/NAME"),
      (["--db", "postgresql://compound:pw@db/pharmacy"] + settings, [:], "flag --db", "PGPASSWORD or ~/.pgpass"),
      (["--db", "https://files.example/pharmacy.sqlite"] + settings, [:], "flag --db", path),
    ]
    for (arguments, environment, source, reason) in cases {
      let outcome = try pharmacy.run(["init", "--training"] + arguments, environment: environment, global: false)
      #expect(outcome.status != 0, "\(arguments) was not refused")
      #expect(outcome.stderr.split(separator: "\n").count == 1, "not one line: \(outcome.stderr)")
      #expect(outcome.stderr.contains("from \(source)"), "\(outcome.stderr)")
      #expect(outcome.stderr.contains(reason), "\(outcome.stderr)")
    }
    let made = try FileManager.default.contentsOfDirectory(atPath: pharmacy.folder.path)
    #expect(!made.contains { $0.contains(":") }, "\(made)")
    #expect(!FileManager.default.fileExists(atPath: pharmacy.database))
    // A file whose name holds a colon is still a file.
    let colon = pharmacy.folder.appendingPathComponent("store:1.sqlite").path
    let outcome = try pharmacy.run(["init", "--training", "--db", colon] + settings, global: false)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(FileManager.default.fileExists(atPath: colon))
  }

  @Test("a bad settings file or an unknown command line is one line, not a stack trace")
  func badSettings() throws {
    let pharmacy = try Pharmacy(settings: "[labels]\nzpl_dpi = \"five\"\n")
    let outcome = try pharmacy.run(["batch", "list"])
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("labels.zpl_dpi"))
    #expect(outcome.stderr.split(separator: "\n").count == 1)
    let unknown = try Pharmacy().run(["batch", "frobnicate"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.split(separator: "\n").count == 1)
  }

  @Test("config show names where each setting came from")
  func configShow() throws {
    let pharmacy = try Pharmacy(settings: "[labels]\nzpl_dpi = 300\n")
    let shown = try pharmacy.ok(["config", "show"]).stdout
    #expect(shown.contains("labels.zpl_dpi = 300  # file \(pharmacy.settings)"))
    #expect(shown.contains("labels.printer_timeout_seconds = 5  # default"))
    #expect(!shown.contains("weighing."), "clinical rules are not settings: \(shown)")
    #expect(shown.contains("database = \"\(pharmacy.database)\"  # flag --db"))
    #expect(shown.contains("pharmacy.time_zone = \"America/Chicago\"  # file"))
    let environment = try pharmacy.run(
      ["config", "show"], environment: ["COMPOUND_DB": "/tmp/x.sqlite", "COMPOUND_CONFIG": pharmacy.settings],
      global: false)
    #expect(environment.stdout.contains("database = \"/tmp/x.sqlite\"  # environment COMPOUND_DB"))
    #expect(environment.stdout.contains("# environment COMPOUND_CONFIG"))
  }
}

@Suite("The database itself guards the records")
struct DatabaseGuardTests {
  @Test(
    "records, formula versions and movements cannot be edited or deleted; stock never goes below zero",
    Pharmacy.fileOnly)
  func guards() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    for (sql, message) in [
      ("UPDATE batch SET actual_yield = 29 WHERE lot_number = '\(lot)'", "a compounding record never changes"),
      ("DELETE FROM batch", "compounding records are kept"),
      ("UPDATE formula SET name = 'x'", "a formula version never changes"),
      ("DELETE FROM movement", "append-only"),
      ("UPDATE movement SET quantity = 1", "append-only"),
      ("DELETE FROM lot", "lots are kept"),
      ("DELETE FROM ingredient", "catalog entries are kept"),
      ("UPDATE batch_component SET measured = 1", "a compounding record never changes"),
      ("DELETE FROM batch_component", "compounding records are kept"),
      ("DELETE FROM app_user", "users are kept"),
      ("UPDATE app_user SET role = 'pharmacist'", "a user keeps their id, name and role"),
      ("DELETE FROM audit", "the audit trail is kept"),
      ("UPDATE audit SET actor = 'x'", "append-only"),
      // The compounder (mtorres) signing the verification under another letter case.
      ("UPDATE batch SET verified_by = upper(compounded_by)", "the compounder of a batch never verifies it"),
      (
        "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by) SELECT lot_id, 'wasted', -on_hand - 1, 'now', 'x' FROM stock WHERE lot_id IS NOT NULL LIMIT 1",
        "CHECK constraint failed"
      ),
    ] {
      let result = try pharmacy.sqlite(sql)
      #expect(result.status != 0, "\(sql) was allowed")
      #expect(result.output.contains(message), "\(result.output)")
    }
    let sums = try pharmacy.sqlite(
      "SELECT count(*) FROM stock WHERE on_hand <> (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE lot_id = stock.lot_id OR batch_id = stock.batch_id)"
    )
    #expect(sums.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
  }
}
