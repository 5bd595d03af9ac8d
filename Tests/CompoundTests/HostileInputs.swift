import Accounts
import Foundation
import Testing

/// Generated malformed inputs: command lines with one bad value, and settings, formula and label files
/// with one bad key, each of which compound must refuse with one line, changing nothing.
struct HostileInput {
  /// What the input is, for the report.
  var name: String
  /// The command line (without the pharmacy's `--db` and `--config`, unless `global` is false).
  var arguments: [String]
  var global = true
  /// A file that must not exist afterwards (the label or workbook a refused command would have written).
  var mustNotExist: String?
  /// Raw argv bytes for inputs that are not valid UTF-8 (run through /bin/sh's printf); nil otherwise.
  var shell: String?

  /// Whole numbers (counts, copies, refills): nothing here is one.
  static let notWhole = [
    "", " ", "-5", "abc", "1.5", "1e3", "1e309", "99999999999999999999", "9223372036854775808", "NaN", "inf", "12..5",
    "1,5", "0x1F", "3 3", "\u{FF11}\u{FF12}", "\u{0663}", "2026-02-30", "5mg", "'; DROP TABLE batch; --",
    "\" OR 1=1 --", "^XA^FO50,50^FDx^FS^XZ", "~JA", "x\u{7}", "line\nbreak", "\u{1B}[31m5",
  ]
  /// Not a positive whole number either.
  static let notPositive = notWhole + ["0", "-0", "00"]
  /// Not a decimal number (percent, money).
  static let notDecimal = [
    "", "abc", "-5", "1e309", "NaN", "inf", "-inf", "1,5", "12..5", "'; DROP TABLE lot; --", "^XA", "~JA", "0x10",
    "\u{FF11}\u{FF12}", "x\u{7}", "1 2", "5%%",
  ]
  /// Not a mass with a unit.
  static let notMass = [
    "", "150", "mg", "150 lb", "150mgg", "-150mg", "0mg", "1e309mg", "99999999999999999999mg", "NaNmg", "infmg",
    "1,5mg", "^XAmg", "'mg", "150 mg mg", "mg150", "\u{7}150mg", "1.5.0g",
  ]
  /// Not a calendar date.
  static let notDate = [
    "", "2026-02-30", "2026-13-01", "2026-00-10", "2026-11-31", "0000-00-00", "26-11-22", "2026/11/22", "22.11.2026",
    "tomorrow", "2026-11-2", "99999-01-01", "-2026-01-01", "'; DROP TABLE lot; --", "^XA", "2026-11-22\u{7}",
    "\u{FF12}\u{FF10}\u{FF12}\u{FF16}-11-22",
  ]
  /// Not the id of anything in the database.
  static let notAnID = [
    "", "NOPE", "'; DROP TABLE batch; --", "\" OR \"1\"=\"1", "^XA^FDx^XZ", "~JA", "%", "_", "*", "../../etc/passwd",
    "LDN45-261122-01' --", "x\u{7}", String(repeating: "A", count: 5_000), String(repeating: "A", count: 20_000),
  ]
  /// Not one of the choices.
  static let notChoice = ["", "'; DROP TABLE ingredient; --", "^XA", "x\u{7}", "API ", "tablet", "pharmacistt"]
  /// Text no person types: control characters, or longer than any field.
  static let notText = [
    "x\u{7}y", "line\nbreak", "\u{1B}[31mred", "tab\there", "nul\u{1}", String(repeating: "A", count: 20_000),
    String(repeating: "A", count: 131_071),
  ]

  /// Every generated input for a pharmacy with a released batch `released`, a quarantined batch
  /// `quarantined`, the Avicel lot `avicel`, and files written under `folder`.
  static func all(
    pharmacy: Pharmacy, released: String, quarantined: String, avicel: String, rx: String
  ) throws -> [HostileInput] {
    var inputs: [HostileInput] = []
    let out = pharmacy.folder.appendingPathComponent("hostile-out").path
    func slot(_ name: String, _ values: [String], output: String? = nil, _ template: (String) -> [String]) {
      for value in values {
        inputs.append(HostileInput(name: name, arguments: template(value), mustNotExist: output))
      }
    }
    let record = { (quantity: String, api: String, yield: String, by: String, formula: String) in
      [
        "batch", "record", "--formula", formula, "--quantity", quantity, "--weighed", "api=\(api)", "--weighed",
        "filler=7770.2mg", "--yield", yield, "--by", by,
      ]
    }
    let receive = { (quantity: String, expiry: String, cost: String, assay: String) in
      [
        "lot", "receive", "--ingredient", "NALTREXONE-HCL", "--supplier", "Medisca", "--supplier-lot", "H-1",
        "--expiry", expiry, "--quantity", quantity, "--cost", cost, "--assay", assay, "--by", "mtorres",
      ]
    }
    let rxAdd = { (refills: String, written: String, quantity: String) in
      [
        "rx", "add", "--patient", "1", "--prescriber", "1", "--refills", refills, "--written", written, "--formula",
        "LDN45", "--quantity", quantity, "--by", "dchen",
      ]
    }
    slot("batch plan --quantity", notPositive) { ["batch", "plan", "--formula", "LDN45", "--quantity", $0] }
    slot("batch record --quantity", notPositive) { record($0, "149.8mg", "30", "mtorres", "LDN45") }
    slot("batch record --yield", notPositive) { record("30", "149.8mg", $0, "mtorres", "LDN45") }
    slot("batch record --weighed", notMass) { record("30", $0, "30", "mtorres", "LDN45") }
    slot("batch record --by", notAnID) { record("30", "149.8mg", "30", $0, "LDN45") }
    slot("batch record --formula", notAnID) { record("30", "149.8mg", "30", "mtorres", $0) }
    slot("price quote --quantity", notPositive) { ["price", "quote", "--formula", "LDN45", "--quantity", $0] }
    slot("label print --copies", notPositive, output: out) {
      ["label", "print", "--batch", released, "--format", "pdf", "--out", out, "--copies", $0, "--by", "mtorres"]
    }
    slot("label print --fill", notAnID, output: out) {
      ["label", "print", "--fill", $0, "--format", "pdf", "--out", out, "--by", "mtorres"]
    }
    slot("label print --format", notChoice, output: out) {
      ["label", "print", "--batch", released, "--format", $0, "--out", out, "--by", "mtorres"]
    }
    slot("rx add --refills", notWhole + ["12", "-1"]) { rxAdd($0, "2026-11-20", "5") }
    slot("rx add --quantity", notPositive) { rxAdd("1", "2026-11-20", $0) }
    slot("rx add --written", notDate) { rxAdd("1", $0, "5") }
    slot("rx fill", notAnID) { ["rx", "fill", $0, "--by", "mtorres"] }
    slot("rx fill --by", notAnID) { ["rx", "fill", rx, "--by", $0] }
    slot("lot receive --quantity", notMass) { receive($0, "2028-01-31", "10.00", "99.5") }
    slot("lot receive --expiry", notDate) { receive("1g", $0, "10.00", "99.5") }
    slot("lot receive --cost", notDecimal + ["1.234", "-0.01", "99999999999999999999"]) {
      receive("1g", "2028-01-31", $0, "99.5")
    }
    slot("lot receive --assay", notDecimal) { receive("1g", "2028-01-31", "10.00", $0) }
    slot("lot release", notAnID) { ["lot", "release", $0, "--by", "dchen"] }
    slot("stock adjust --quantity", notMass.filter { $0 != "-150mg" } + ["0g"]) {
      ["stock", "adjust", avicel, "--quantity", $0, "--reason", "recount", "--by", "mtorres"]
    }
    slot("stock adjust --reason", notText) {
      ["stock", "adjust", avicel, "--quantity", "-1g", "--reason", $0, "--by", "mtorres"]
    }
    slot("batch weights --mg", notDecimal + ["317.2,,315.2", "317.2;315.2", "0,317.2", "-317.2"]) {
      ["batch", "weights", quarantined, "--mg", $0, "--by", "mtorres"]
    }
    slot("batch verify", notAnID) { ["batch", "verify", $0, "--by", "dchen"] }
    slot("batch show", notAnID) { ["batch", "show", $0] }
    slot("batch hold --reason", notText) { ["batch", "hold", released, "--reason", $0, "--by", "mtorres"] }
    slot("formula show", notAnID) { ["formula", "show", $0] }
    slot("recall", notAnID) { ["recall", $0] }
    slot("assay record --percent", notDecimal) {
      [
        "assay", "record", quarantined, "--lab", "Eagle", "--method", "HPLC", "--tested", "2026-11-21", "--percent",
        $0, "--by", "dchen",
      ]
    }
    slot("assay record --tested", notDate) {
      [
        "assay", "record", quarantined, "--lab", "Eagle", "--method", "HPLC", "--tested", $0, "--percent", "99.5",
        "--by", "dchen",
      ]
    }
    slot("patient add --dob", notDate) { ["patient", "add", "--name", "Ann Lee", "--dob", $0, "--by", "mtorres"] }
    slot("patient add --name", notText + [""]) {
      ["patient", "add", "--name", $0, "--dob", "1970-01-01", "--by", "mtorres"]
    }
    slot("inventory show --as-of", notDate) { ["inventory", "show", "--as-of", $0] }
    slot("inventory export --month", notDate + ["2026-13", "2026-00", "26-11", "2026/11"], output: out) {
      ["inventory", "export", "--month", $0, "--out", out]
    }
    slot("audit log --since", notDate) { ["audit", "log", "--since", $0] }
    slot("ingredient add --kind", notChoice) { ["ingredient", "add", "NEW-1", "--name", "New", "--kind", $0] }
    slot("ingredient add code", notAnID.filter { $0 != "NOPE" }) {
      ["ingredient", "add", $0, "--name", "New", "--kind", "api"]
    }
    slot("user add --role", notChoice) {
      ["user", "add", "newuser", "--name", "New User", "--role", $0, "--by", "dchen"]
    }
    slot("user disable", notAnID) { ["user", "disable", $0, "--reason", "left", "--by", "dchen"] }
    slot("unknown command", notAnID) { [$0, "list"] }

    // Bytes that are not UTF-8, which only a shell can put in argv.
    for (index, bytes) in ["\\377\\376", "\\303\\050", "\\355\\240\\200", "A\\300\\257B"].enumerated() {
      inputs.append(
        HostileInput(
          name: "invalid UTF-8 \(index + 1)", arguments: ["patient", "add", "--dob", "1970-01-01", "--name"],
          shell: bytes))
    }

    inputs += try files(pharmacy: pharmacy, released: released, out: out)
    return inputs
  }

  /// Settings, formula and label-layout files with one bad key each.
  static func files(pharmacy: Pharmacy, released: String, out: String) throws -> [HostileInput] {
    var inputs: [HostileInput] = []
    let folder = pharmacy.folder.appendingPathComponent("hostile-files")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var counter = 0
    func write(_ bytes: Data, _ name: String = "file.toml") throws -> String {
      counter += 1
      let directory = folder.appendingPathComponent("\(counter)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let path = directory.appendingPathComponent(name).path
      try bytes.write(to: URL(fileURLWithPath: path))
      return path
    }
    let config = { (path: String) in
      ["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--db", pharmacy.database, "--config", path]
    }

    // Settings: every simple key of Config/compound.toml and Config/pricing.toml given a wrong type.
    for file in ["compound.toml", "pricing.toml"] {
      let text = try String(
        contentsOf: Pharmacy.repository.appendingPathComponent("Config/\(file)"), encoding: .utf8)
      for (table, key, value) in simpleKeys(text) {
        for wrong in wrongTypes(value) {
          let snippet = (table.isEmpty ? "" : "[\(table)]\n") + "\(key) = \(wrong)\n"
          let path: String
          if file == "pricing.toml" {
            path = try write(Data("pricing_file = \"bad-pricing.toml\"\n".utf8))
            try Data(snippet.utf8).write(
              to: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("bad-pricing.toml"))
          } else {
            path = try write(Data(snippet.utf8))
          }
          inputs.append(
            HostileInput(name: "\(file) \(table).\(key) = \(wrong)", arguments: config(path), global: false))
        }
      }
    }
    let settingsCases: [(String, Data)] = [
      (
        "invalid UTF-8",
        Data([
          0x5B, 0x70, 0x68, 0x61, 0x72, 0x6D, 0x61, 0x63, 0x79, 0x5D, 0x0A, 0x6E, 0x61, 0x6D, 0x65, 0x20, 0x3D, 0x20,
          0x22, 0xFF, 0xFE, 0x22, 0x0A,
        ])
      ),
      ("a NUL byte", Data("version = 1\n\u{0}\n".utf8)),
      (
        "10 MB",
        Data(String(repeating: "# padding padding padding padding padding padding padding\n", count: 180_000).utf8)
      ),
      ("unterminated string", Data("[pharmacy]\nname = \"Riverside\n".utf8)),
      // Headers on which the TOML parser underneath aborted the process (found by fuzzing).
      ("broken header [[[[", Data("[[[[\n".utf8)),
      ("broken header [[}", Data("[[}capsules]]\n".utf8)),
      ("broken header [+[", Data("[+[capsules]]\n".utf8)),
      ("broken header [\\u", Data("[\\u\n".utf8)),
      ("broken header [a.}]", Data("[pharmacy.}]\n".utf8)),
      ("a key without a value", Data("version =\n".utf8)),
      ("a duplicate key", Data("version = 1\nversion = 1\n".utf8)),
      ("a duplicate table", Data("[pharmacy]\nname = \"A\"\n[pharmacy]\nphone = \"1\"\n".utf8)),
      ("a control character", Data("[pharmacy]\nname = \"Riverside\\u0007\"\n".utf8)),
      ("ZPL in the time zone", Data("[pharmacy]\ntime_zone = \"^XA~JA\"\n".utf8)),
      ("an impossible time zone", Data("[pharmacy]\ntime_zone = \"Mars/Olympus\"\n".utf8)),
      ("version 2", Data("version = 2\n".utf8)),
      ("a yield minimum above 100", Data("[weighing]\nyield_min_percent = 110.0\n".utf8)),
      ("a lot format without {seq}", Data("[lots]\nbatch_format = \"{formula}\"\n".utf8)),
      ("users as settings", Data("[[users]]\nid = \"x\"\nname = \"X\"\nrole = \"technician\"\n".utf8)),
      ("an unknown key", Data("colour = \"blue\"\n".utf8)),
      ("SQL in a key", Data("\"'; DROP TABLE batch; --\" = 1\n".utf8)),
    ]
    for (name, bytes) in settingsCases {
      inputs.append(HostileInput(name: "settings: \(name)", arguments: config(try write(bytes)), global: false))
    }
    for path in ["/dev/zero", "/nonexistent/compound.toml", folder.path] {
      inputs.append(HostileInput(name: "settings at \(path)", arguments: config(path), global: false))
    }

    // Formula files: every simple key of LDN45.toml given a wrong type, and values no formula can have.
    let formula = try String(
      contentsOf: Pharmacy.repository.appendingPathComponent("Config/formulas/LDN45.toml"), encoding: .utf8)
    var formulaCases: [(String, String)] = []
    for (table, key, value) in simpleKeys(formula) {
      for wrong in wrongTypes(value) {
        formulaCases.append(("\(table).\(key) = \(wrong)", replace(formula, table, key, wrong)))
      }
    }
    for (key, value) in [
      ("strength_mg", "0"), ("strength_mg", "-4.5"), ("strength_mg", "1e400"), ("strength_mg", "nan"),
      ("strength_mg", "500"), ("pack_stat_mg", "0"), ("pack_stat_mg", "-240"), ("extra_percent", "-10"),
      ("capsule_size", "\"7\""), ("filler", "\"CALCIUM-CARBONATE\""), ("api", "\"'; DROP TABLE formula; --\""),
      ("code", "\"^XA~JA\""), ("code", "\"\""), ("bud_category", "\"forever\""), ("dosage_form", "\"tablet\""),
      ("strength_basis", "\"both\""), ("directions", "\"Take 1\\u0007 capsule\""), ("labour_minutes", "-5"),
    ] {
      formulaCases.append(("\(key) = \(value)", replace(formula, "", key, value)))
    }
    formulaCases.append(("[qc] minimum above maximum", replace(formula, "qc", "assay_min_percent", "120.0")))
    formulaCases.append(("a broken [qc] header", formula.replacingOccurrences(of: "[qc]", with: "[[}qc]]")))
    for (name, text) in formulaCases {
      let path = try write(Data(text.utf8))
      inputs.append(HostileInput(name: "formula \(name)", arguments: ["formula", "add", "--file", path]))
    }
    inputs.append(
      HostileInput(
        name: "formula of 10 MB",
        arguments: [
          "formula", "add", "--file", try write(Data((formula + String(repeating: "#\n", count: 5_500_000)).utf8)),
        ]
      ))
    inputs.append(
      HostileInput(
        name: "formula not UTF-8",
        arguments: ["formula", "add", "--file", try write(Data(formula.utf8) + Data([0xC3, 0x28]))]))
    inputs.append(HostileInput(name: "formula from /dev/zero", arguments: ["formula", "add", "--file", "/dev/zero"]))

    // Label layouts: the container layout with one key given a wrong type or an impossible value, used
    // from a settings file that points at its folder.
    let layout = try String(
      contentsOf: Pharmacy.repository.appendingPathComponent("Labels/batch-container.toml"), encoding: .utf8)
    var layoutCases: [(String, String)] = []
    for (table, key, value) in simpleKeys(layout) {
      for wrong in wrongTypes(value) {
        layoutCases.append(("\(table).\(key) = \(wrong)", replace(layout, table, key, wrong)))
      }
    }
    for (key, value) in [
      ("width_in", "0"), ("width_in", "-3.0"), ("width_in", "1e400"), ("height_in", "nan"), ("size_pt", "0"),
      ("x_in", "10.0"), ("field", "\"nope\""), ("kind", "\"pallet\""), ("version", "0"),
    ] {
      layoutCases.append(
        (
          "\(key) = \(value)",
          replace(layout, key == "size_pt" || key == "x_in" || key == "field" ? "block" : "", key, value)
        ))
    }
    let base = try String(contentsOfFile: pharmacy.settings, encoding: .utf8)
    for (name, text) in layoutCases {
      let path = try write(Data(text.utf8), "batch-container.toml")
      let folderPath = URL(fileURLWithPath: path).deletingLastPathComponent().path
      let settings = try write(Data((base + "\n[labels]\nfolder = \"\(folderPath)\"\n").utf8), "compound.toml")
      inputs.append(
        HostileInput(
          name: "layout \(name)",
          arguments: [
            "label", "print", "--batch", released, "--format", "pdf", "--out", out, "--by", "mtorres", "--db",
            pharmacy.database, "--config", settings,
          ], global: false, mustNotExist: out))
    }
    return inputs
  }

  /// `(table, key, value)` for each `key = value` line outside arrays of tables; the first `[[block]]`
  /// counts as table `block`.
  static func simpleKeys(_ text: String) -> [(String, String, String)] {
    var table = ""
    var skipping = false
    var seenBlocks = 0
    var keys: [(String, String, String)] = []
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[[") {
        let name = String(line.dropFirst(2).prefix { $0 != "]" })
        if name == "block" {
          seenBlocks += 1
          table = "block"
          skipping = seenBlocks > 1
        } else {
          skipping = true
        }
        continue
      }
      if line.hasPrefix("[") {
        table = String(line.dropFirst().prefix { $0 != "]" })
        skipping = false
        continue
      }
      guard !skipping, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if let hash = value.range(of: "  #") { value = String(value[..<hash.lowerBound]) }
      guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !value.isEmpty,
        value != "\"\"\"", !(value.hasPrefix("[") && !value.hasSuffix("]"))
      else { continue }
      keys.append((table, key, value))
    }
    return keys
  }

  /// Values of a type other than `value`'s.
  static func wrongTypes(_ value: String) -> [String] {
    if value.hasPrefix("\"") { return ["5", "true", "[\"a\"]", "{ a = 1 }"] }
    if value.hasPrefix("[") { return ["\"a\"", "5", "{ a = 1 }"] }
    if value == "true" || value == "false" { return ["\"yes\"", "1", "[true]"] }
    return ["\"ten\"", "true", "[1]", "{ a = 1 }"]
  }

  /// `text` with `key` in `table` (the first `[[block]]` for `block`) set to `value`.
  static func replace(_ text: String, _ table: String, _ key: String, _ value: String) -> String {
    var current = ""
    var done = false
    var lines: [String] = []
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[[") {
        current = String(line.dropFirst(2).prefix { $0 != "]" })
      } else if line.hasPrefix("[") {
        current = String(line.dropFirst().prefix { $0 != "]" })
      }
      if !done, current == table, line.hasPrefix(key + " ") || line.hasPrefix(key + "=") {
        lines.append("\(key) = \(value)")
        done = true
      } else {
        lines.append(String(raw))
      }
    }
    return lines.joined(separator: "\n")
  }
}
