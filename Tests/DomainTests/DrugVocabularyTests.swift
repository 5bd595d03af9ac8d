import Dispensing
import Foundation
import Quantities
import Settings
import Testing

@Suite("Drug vocabulary: matching by meaning")
struct DrugVocabularyTests {
  /// The shipped vocabulary, read the way `compound rules import` reads it.
  static let loaded = Result { () throws -> DrugIndex in
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Config")
    let text = try String(contentsOf: folder.appendingPathComponent("vocabulary.toml"), encoding: .utf8)
    let rules = try ClinicalRules.parse(rules: "", rulesFile: "r", vocabulary: text, vocabularyFile: "v")
    return try DrugIndex(rules.vocabulary)
  }

  /// The shipped vocabulary's index.
  static func index() throws -> DrugIndex { try loaded.get() }

  func resolve(_ text: String) throws -> DrugResolution { try Self.index().resolve(text) }

  @Test(
    "brands, combinations and abbreviations resolve to their ingredients",
    arguments: [
      ("OxyContin 20 mg", ["oxycodone"]),
      ("Percocet 5/325", ["oxycodone", "acetaminophen"]),
      ("Ultram 50 mg", ["tramadol"]),
      ("Norco 10/325", ["hydrocodone", "acetaminophen"]),
      ("hydrocodone/APAP 5-325", ["hydrocodone", "acetaminophen"]),
      ("Oxycodone ER 10mg BID", ["oxycodone"]),
      ("MS Contin 15 mg q12h", ["morphine"]),
      ("Tylenol #3", ["codeine", "acetaminophen"]),
      ("Tylenol 500 mg prn", ["acetaminophen"]),
      ("Suboxone 8/2 mg film", ["buprenorphine", "naloxone"]),
      ("Lomotil", ["diphenoxylate", "atropine"]),
      ("Robitussin AC", ["codeine", "guaifenesin"]),
      ("HCTZ 25 mg daily", ["hydrochlorothiazide"]),
      ("Lipitor 40", ["atorvastatin"]),
      ("Coumadin 5 mg", ["warfarin"]),
    ])
  func brands(text: String, ingredients: [String]) throws {
    let resolution = try resolve(text)
    #expect(resolution.ingredients == ingredients, "\(text): \(resolution)")
    #expect(resolution.isResolved)
  }

  @Test(
    "look-alike letters, accents, width and invisible characters are folded",
    arguments: [
      "\u{041E}xycodone 10 mg",  // Cyrillic capital O
      "Oxyc\u{043E}done",  // Cyrillic small o
      "\u{039F}xyc\u{03BF}done",  // Greek omicrons
      "Ｏｘｙｃｏｄｏｎｅ",  // full-width
      "Oxy\u{200B}codone",  // zero-width space
      "Oxy\u{00AD}codone",  // soft hyphen
      "OXYCODONE HCL",
      "Oxycodóne",
      "𝐎𝐱𝐲𝐜𝐨𝐝𝐨𝐧𝐞",  // mathematical bold
    ])
  func lookAlikes(text: String) throws {
    let resolution = try resolve(text)
    #expect(resolution.ingredients == ["oxycodone"], "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    #expect(resolution.classes.contains("opioid"))
  }

  @Test(
    "false friends are their own medicines, not opioids",
    arguments: [
      "apomorphine", "Apokyn", "oxybutynin 5 mg", "Ditropan XL", "trazodone 50 mg qhs", "methylphenidate",
      "Ritalin LA", "dextromethorphan", "naloxone", "Narcan", "hydroxyzine", "oxcarbazepine", "naltrexone 50 mg",
    ])
  func falseFriends(text: String) throws {
    let resolution = try resolve(text)
    #expect(resolution.isResolved, "\(text): \(resolution)")
    #expect(!resolution.classes.contains("opioid"), "\(text) was taken for an opioid: \(resolution)")
  }

  @Test("every opioid the domain names is an opioid by its generic name")
  func opioids() throws {
    for name in [
      "morphine", "codeine", "dihydrocodeine", "hydrocodone", "oxycodone", "oxymorphone", "hydromorphone", "fentanyl",
      "sufentanil", "methadone", "meperidine", "pethidine", "levorphanol", "tramadol", "tapentadol", "buprenorphine",
      "butorphanol", "nalbuphine", "pentazocine", "diphenoxylate", "opium", "heroin", "kratom",
    ] {
      #expect(try resolve(name).classes.contains("opioid"), "\(name)")
    }
    #expect(try !resolve("naltrexone").classes.contains("opioid"))
    #expect(try resolve("naltrexone").classes == ["opioid-antagonist"])
  }

  @Test("a word nobody knows leaves the entry unresolved, with a hint for a near miss")
  func unknown() throws {
    let misspelt = try resolve("oxycodon 10 mg")
    #expect(!misspelt.isResolved)
    #expect(misspelt.unknown == ["oxycodon"])
    #expect(misspelt.suggestions == ["oxycodon -> oxycodone"])
    #expect(try !resolve("Oxy 10").isResolved)
    #expect(try resolve("Oxy 10").unknown == ["oxy"])
    // Only words that carry no identity: nothing is named, so nothing is resolved.
    #expect(try !resolve("1 tablet daily").isResolved)
    // An opioid next to an unknown word is still found, and the entry still waits for a pharmacist.
    let mixed = try resolve("OxyContin and blorbazine")
    #expect(mixed.ingredients == ["oxycodone"])
    #expect(!mixed.isResolved)
    // A script without Latin look-alikes never matches by accident.
    #expect(try !resolve("оксикодон").isResolved)
  }

  @Test("class names on an allergy list mean the whole class")
  func classes() throws {
    #expect(try resolve("opioids").classes == ["opioid"])
    #expect(try resolve("Sulfa drugs").classes == ["sulfonamide-antibiotic"])
    #expect(try resolve("NKDA").classes == ["no-known-allergies"])
    #expect(try resolve("gelatin").ingredients == ["gelatin"])
    #expect(try resolve("Hard gelatin capsules, size 1, white opaque").ingredients == ["gelatin"])
    #expect(try resolve("Microcrystalline cellulose NF (Avicel PH-102)").ingredients == ["microcrystalline-cellulose"])
    #expect(try resolve("milk").classes == ["milk-derived"])
  }

  @Test("a vocabulary in which one name means two things is refused")
  func clash() {
    let vocabulary = DrugVocabulary(
      classes: [DrugClass(id: "x", name: "x")],
      ingredients: [
        DrugIngredient(id: "a", name: "Alpha", names: ["ab"], classes: ["x"]),
        DrugIngredient(id: "b", name: "Beta", names: ["AB"], classes: ["x"]),
      ], products: [], ignore: [], interactions: [])
    #expect(throws: DispensingError.self) { try vocabulary.validate() }
    var dangling = vocabulary
    dangling.ingredients[1].names = []
    dangling.products = [DrugProduct(names: ["Gamma"], ingredients: ["c"])]
    #expect(throws: DispensingError.self) { try dangling.validate() }
  }
}
