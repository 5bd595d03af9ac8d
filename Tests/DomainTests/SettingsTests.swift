import Dispensing
import Formulation
import Foundation
import Quantities
import Settings
import Testing

@Suite("Settings and formula files")
struct SettingsTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func read(_ path: String) throws -> String {
    try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
  }

  @Test("Config/compound.toml documents exactly the built-in defaults")
  func shippedDefaults() throws {
    let (settings, keys) = try SettingsLoader.parse(try read("Config/compound.toml"), file: "Config/compound.toml")
    #expect(settings == Settings.defaults)
    #expect(keys.contains("labels.zpl_dpi"))
  }

  @Test("Config/rules.toml documents exactly the built-in clinical defaults, and the vocabulary is whole")
  func shippedRules() throws {
    let rules = try ClinicalRules.parse(
      rules: try read("Config/rules.toml"), rulesFile: "Config/rules.toml",
      vocabulary: try read("Config/vocabulary.toml"),
      vocabularyFile: "Config/vocabulary.toml")
    #expect(rules == ClinicalRules(Settings.defaults, vocabulary: rules.vocabulary))
    #expect(rules.vocabulary.ingredients.count > 100)
    let stored = try ClinicalRules.decode(json: try rules.canonicalJSON())
    #expect(stored == rules)
    #expect(try stored.canonicalJSON() == rules.canonicalJSON())
    // The parts alone read the same record, with the same format check.
    #expect(try ClinicalParts.decode(json: try rules.canonicalJSON()) == rules.parts)
    #expect(throws: SettingsError.self) {
      try ClinicalParts.decode(
        json: try rules.canonicalJSON().replacingOccurrences(of: "\"format\":1", with: "\"format\":2"))
    }
  }

  @Test(
    "a clinical key in a settings file is refused with the command that changes rules",
    arguments: [
      ("[dispensing]\nopioids = []\n", "dispensing.opioids is a clinical rule"),
      ("[dispensing]\nrefill_too_soon_percent = 1\n", "dispensing.refill_too_soon_percent is a clinical rule"),
      ("[quality]\nrequire_assay_before_release = false\n", "quality is a clinical rule"),
      ("[[excipients.fillers]]\nid = \"x\"\n", "excipients is a clinical rule"),
    ])
  func clinicalKeysRefused(text: String, fragment: String) {
    #expect {
      try SettingsLoader.parse(text, file: "mine.toml")
    } throws: { error in
      let message = (error as? SettingsError)?.message ?? ""
      return message.hasPrefix("mine.toml") && message.contains(fragment) && message.contains("compound rules import")
    }
  }

  @Test(
    "a bad rules file is refused naming the key; a local key does not belong in it",
    arguments: [
      ("[weighing]\napi_tolerence_percent = 2\n", "unknown key weighing.api_tolerence_percent"),
      ("[weighing]\nyield_min_percent = 110.0\n", "yield_min_percent"),
      ("[dispensing]\nrefill_too_soon_percent = 0\n", "refill_too_soon_percent must be 1 to 100"),
      ("[pharmacy]\nname = \"X\"\n", "pharmacy is a local setting"),
      (
        "[[capsules]]\nsize = \"1\"\nvolume_ml = -0.48\nempty_shell_mg = 76\n",
        "capsule size 1: volume_ml and empty_shell_mg must be above zero"
      ),
      (
        "[[certificates]]\nname = \"x\"\nmatch = [\"x\"]\nmin_percent = 102.0\nmax_percent = 98.0\nbasis = \"as-is\"\n",
        "min_percent must be above zero and below max_percent"
      ),
    ])
  func badRules(text: String, fragment: String) throws {
    let vocabulary = try read("Config/vocabulary.toml")
    #expect {
      try ClinicalRules.parse(rules: text, rulesFile: "r.toml", vocabulary: vocabulary, vocabularyFile: "v.toml")
    } throws: { error in
      let message = (error as? SettingsError)?.message ?? ""
      return message.hasPrefix("r.toml") && message.contains(fragment)
    }
  }

  @Test("a partial file changes only its keys")
  func partial() throws {
    let (settings, keys) = try SettingsLoader.parse(
      "[labels]\nzpl_dpi = 300\n[pharmacy]\ntime_zone = \"America/Chicago\"\n", file: "f.toml")
    #expect(settings.labels.zplDpi == 300)
    #expect(settings.labels.printerTimeoutSeconds == Settings.defaults.labels.printerTimeoutSeconds)
    #expect(settings.bud == Settings.defaults.bud)
    #expect(keys == ["labels.zpl_dpi", "pharmacy.time_zone"])
  }

  @Test(
    "a bad settings file is refused naming the file and the key",
    arguments: [
      ("[labels]\nzpl_dpl = 2\n", "unknown key labels.zpl_dpl"),
      ("[labels]\nzpl_dpi = \"lots\"\n", "'labels.zpl_dpi' is \"lots\", which is not the kind of value it takes"),
      ("[pharmacy]\ntime_zone = \"Mars/Olympus\"\n", "not a time zone"),
      ("[lots]\nbatch_format = \"{formula}-{yy}\"\n", "needs {seq}"),
      ("[[users]]\nid = \"a\"\nname = \"A\"\nrole = \"boss\"\n", "users"),
      ("lot = 0012\n", "line 1"),
      ("version = 2\n", "version 2"),
      ("[dispensing]\nrx_number_start = -5\n", "rx_number_start must be 1 or more"),
      ("[inventory]\nexpiring_days = -3\n", "inventory.expiring_days must be 0 to 3650"),
      ("[[inventory.reorder]]\nitem = \"X\"\nbelow = \"5 bananas\"\n", "is not a quantity"),
      ("[pharmacy]\nnpi = \"1234567890\"\n", "not a valid 10-digit NPI"),
    ])
  func refused(text: String, fragment: String) {
    #expect {
      try SettingsLoader.parse(text, file: "bad.toml")
    } throws: { error in
      guard let message = (error as? SettingsError)?.message else { return false }
      return message.hasPrefix("bad.toml") && message.contains(fragment) && !message.contains("\n")
    }
  }

  @Test("flag beats environment beats file beats default, for the database and the settings file")
  func precedence() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compound-settings-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("c.toml").path
    try "database = \"records.sqlite\"\n".write(toFile: file, atomically: true, encoding: .utf8)
    let environment = ["HOME": folder.path, "COMPOUND_CONFIG": file]
    var loaded = try SettingsLoader.load(configFlag: nil, databaseFlag: nil, environment: environment)
    #expect(loaded.databasePath == folder.appendingPathComponent("records.sqlite").path)
    #expect(loaded.databaseSource == .file(file))
    #expect(loaded.configSource == .environment("COMPOUND_CONFIG"))
    loaded = try SettingsLoader.load(
      configFlag: nil, databaseFlag: nil, environment: environment.merging(["COMPOUND_DB": "/x.sqlite"]) { $1 })
    #expect(loaded.databasePath == "/x.sqlite")
    loaded = try SettingsLoader.load(
      configFlag: nil, databaseFlag: "/y.sqlite", environment: environment.merging(["COMPOUND_DB": "/x.sqlite"]) { $1 })
    #expect(loaded.databaseSource == .flag("--db"))
    loaded = try SettingsLoader.load(configFlag: nil, databaseFlag: nil, environment: ["HOME": folder.path])
    #expect(loaded.databasePath == folder.path + "/.local/share/compound/compound.sqlite")
    #expect(loaded.configPath == nil)
    #expect(throws: SettingsError.self) {
      try SettingsLoader.load(configFlag: folder.path + "/missing.toml", databaseFlag: nil, environment: environment)
    }
  }

  @Test("the shipped LDN formulas parse and pass the default rules", arguments: ["LDN15", "LDN30", "LDN45"])
  func shippedFormulas(code: String) throws {
    let formula = try FormulaFile.parse(try read("Config/formulas/\(code).toml"), file: code)
    #expect(formula.code == code)
    #expect(formula.qualityControl.capsuleWeight.minimum.decimals == 1)
    let catalog = [
      Fixtures.naltrexone, Fixtures.avicel,
      Ingredient(code: "CAPS-1-WHITE", name: "Capsules size 1", kind: .shell, capsuleSize: "1"),
    ]
    _ = try FormulaValidator.validate(
      formula, ingredients: Dictionary(uniqueKeysWithValues: catalog.map { ($0.code, $0) }), rules: Fixtures.rules)
  }

  @Test("a formula file with a missing key or a bad value is refused naming the key")
  func badFormula() throws {
    let text = try read("Config/formulas/LDN45.toml")
    #expect {
      try FormulaFile.parse(text.replacingOccurrences(of: "pack_stat_mg = 240\n", with: ""), file: "f.toml")
    } throws: { ($0 as? SettingsError)?.message == "f.toml: 'pack_stat_mg' is missing" }
    #expect {
      try FormulaFile.parse(text.replacingOccurrences(of: "strength_mg = 4.5", with: "strength_mg = -4.5"), file: "f")
    } throws: { ($0 as? SettingsError)?.message.contains("strength_mg") == true }
    #expect {
      try FormulaFile.parse(text.replacingOccurrences(of: "\"salt\"", with: "\"ester\""), file: "f")
    } throws: { ($0 as? SettingsError)?.message.contains("strength_basis") == true }
  }

  @Test("broken table headers are refused before the TOML parser sees them; text in strings is left alone")
  func tableHeaders() throws {
    let text = try read("Config/formulas/LDN45.toml")
    for broken in ["[[}qc]]", "[+[qc]]", "[\\u", "[qc.}]", "[[qc]", "[qc] x"] {
      #expect {
        try FormulaFile.parse(text.replacingOccurrences(of: "[qc]", with: broken), file: "f.toml")
      } throws: { ($0 as? SettingsError)?.message.contains("a table header must look like [name]") == true }
    }
    // A line that starts with '[' inside a multi-line string or array is not a header.
    let bracketed = text.replacingOccurrences(
      of: "1. Weigh the naltrexone", with: "[[}not a header]]\n[+[nor this]]\n1. Weigh the naltrexone")
    #expect(try FormulaFile.parse(bracketed, file: "f.toml").code == "LDN45")
    let array = text.replacingOccurrences(of: "warnings = [\n", with: "warnings = [\n[\"x\"][0] == \"x\" and \n")
    #expect(throws: SettingsError.self) { try FormulaFile.parse(array, file: "f.toml") }
    // A control character in any string value is refused, naming the key.
    #expect {
      try FormulaFile.parse(
        text.replacingOccurrences(of: "Take 1 capsule", with: "Take 1\\u0007 capsule"), file: "f.toml")
    } throws: { ($0 as? SettingsError)?.message.contains("directions contains the control character U+0007") == true }
  }

  @Test("certificate limits: 97.95 % anhydrous meets 98.0; an as-is assay is converted with its water")
  func certificates() throws {
    let limit = try #require(Settings.defaults.certificateLimit(for: Fixtures.naltrexone))
    #expect(limit.refusal(of: Fixtures.lot("A", Fixtures.naltrexone, assay: "97.95", basis: .anhydrous)) == nil)
    #expect(limit.refusal(of: Fixtures.lot("B", Fixtures.naltrexone, assay: "97.94", basis: .anhydrous)) != nil)
    #expect(limit.refusal(of: Fixtures.lot("C", Fixtures.naltrexone, assay: "102.06", basis: .anhydrous)) != nil)
    // 97.6 % as-is with 0.5 % water = 98.09 % anhydrous
    #expect(limit.refusal(of: Fixtures.lot("D", Fixtures.naltrexone, assay: "97.6", water: "0.5")) == nil)
    #expect(Settings.defaults.certificateLimit(for: Fixtures.avicel) == nil)
  }

  @Test("lot number formats render the day's sequence, and need {seq}")
  func lotNumbers() throws {
    let format = try LotNumberFormat("{formula}-{yy}{MM}{dd}-{seq:2}")
    #expect(format.render(code: "ldn45", date: Fixtures.date("2026-11-22"), sequence: 3) == "LDN45-261122-03")
    #expect(throws: FormulationError.self) { try LotNumberFormat("{formula}-{yy}") }
    #expect(throws: FormulationError.self) { try LotNumberFormat("{seq}-{color}") }
  }
}
