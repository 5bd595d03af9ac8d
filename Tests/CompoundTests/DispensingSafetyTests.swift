import Foundation
import Testing

@Suite("Dispensing safety end to end: the vocabulary, fail-closed checks, corrections, the final check")
struct DispensingSafetyTests {
  let setup = DispensingTests()

  /// A patient added with these entries; returns the id.
  func patient(
    _ pharmacy: Pharmacy, _ name: String, medications: [String] = [], allergies: [String] = []
  ) throws -> Int {
    let added = try pharmacy.ok(
      ["patient", "add", "--name", name, "--dob", "1970-01-0\(name.count % 9 + 1)", "--json"]
        + medications.flatMap { ["--medication", $0] } + allergies.flatMap { ["--allergy", $0] }
    ).json()
    return try #require(added["id"] as? Int)
  }

  func rx(_ pharmacy: Pharmacy, patient: Int, _ extra: [String] = ["--formula", "LDN45", "--quantity", "30"]) throws
    -> String
  {
    let record = try pharmacy.ok(
      [
        "rx", "add", "--patient", "\(patient)", "--prescriber", "1", "--refills", "2", "--written", "2026-11-20",
        "--by", "dchen", "--json",
      ] + extra
    ).json()
    return try #require((record["prescription"] as? [String: Any])?["rxNumber"] as? String)
  }

  @Test("an opioid by brand, combination or look-alike letters refuses the fill, naming the medication and the class")
  func opioidsByAnyName() throws {
    let pharmacy = try setup.pharmacy()
    let medications = ["OxyContin 20 mg", "Percocet 5/325", "Ultram 50 mg", "Norco 10/325", "\u{041E}xycodone 10 mg"]
    for (index, medication) in medications.enumerated() {
      let id = try patient(pharmacy, "Patient Number \(index)", medications: [medication])
      let number = try rx(pharmacy, patient: id)
      let error = try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"])
      #expect(error.contains("takes \(medication) ("), "\(error)")
      #expect(error.contains("opioid agonist): naltrexone blocks opioids"), "\(error)")
      #expect(error.contains("--override"))
    }
    // Apomorphine is not morphine: the patient is filled.
    let id = try patient(pharmacy, "Apo Patient", medications: ["apomorphine 2 mg", "oxybutynin 5 mg"])
    try pharmacy.ok(["rx", "fill", try rx(pharmacy, patient: id), "--by", "mtorres"])
  }

  @Test(
    "a medication the vocabulary cannot read stops the fill until a pharmacist classifies it; that decision is kept")
  func unresolvedWaits() throws {
    let pharmacy = try setup.pharmacy(medications: ["Oxy 10 bid"])
    let number = try setup.rx(pharmacy)
    let waiting = try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"])
    #expect(waiting.contains("\"Oxy 10 bid\" (entry 1) is not in the drug vocabulary (unknown: oxy)"))
    // No override passes an entry nobody has read.
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--override", "looks fine", "--by", "dchen"]).contains(
        "not in the drug vocabulary"))
    // A technician cannot classify; a pharmacist can, signed.
    #expect(
      try pharmacy.refused(["patient", "review", "1", "1", "--as", "oxycodone", "--reason", "r", "--by", "mtorres"])
        .contains("only a pharmacist"))
    #expect(
      try pharmacy.refused([
        "patient", "review", "1", "1", "--as", "oxy", "--reason", "r", "--by", "dchen",
      ]).contains("is not an ingredient, product or class"))
    try pharmacy.ok([
      "patient", "review", "1", "1", "--as", "oxycodone", "--reason", "Oxy 10 = oxycodone 10 mg per Dr. Ruiz", "--by",
      "dchen",
    ])
    let shown = try pharmacy.ok(["patient", "show", "1"]).stdout
    #expect(shown.contains("[1] Oxy 10 bid = oxycodone (classified by dchen: Oxy 10 = oxycodone 10 mg per Dr. Ruiz)"))
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"]).contains(
        "takes Oxy 10 bid (oxycodone, opioid agonist)"))
    #expect(
      try pharmacy.refused(["patient", "review", "1", "1", "--unrelated", "--reason", "again", "--by", "dchen"])
        .contains("already classified by dchen"))
  }

  @Test("a gelatin allergy stops a fill in gelatin shells; a penicillin allergy does not")
  func gelatinAllergy() throws {
    let pharmacy = try setup.pharmacy(allergies: ["Gelatin"])
    let number = try setup.rx(pharmacy)
    let error = try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"])
    #expect(
      error.contains(
        "is allergic to Gelatin, and the capsule shells CAPS-1-WHITE (Hard gelatin capsules size 1) contain gelatin"))
    let other = try patient(pharmacy, "Pen Allergic", allergies: ["penicillin"])
    try pharmacy.ok(["rx", "fill", try rx(pharmacy, patient: other), "--by", "mtorres"])
  }

  @Test("a formula whose name states another strength is refused; the label's drug line is computed")
  func mislabelledFormula() throws {
    let pharmacy = try setup.pharmacy()
    let text = try String(
      contentsOf: Pharmacy.repository.appendingPathComponent("Config/formulas/LDN45.toml"), encoding: .utf8)
    let file = pharmacy.folder.appendingPathComponent("LDN45-12.toml").path
    try text.replacingOccurrences(of: "strength_mg = 4.5", with: "strength_mg = 12").write(
      toFile: file, atomically: true, encoding: .utf8)
    let error = try pharmacy.refused(["formula", "add", "--file", file, "--by", "dchen"])
    #expect(error.contains("name \"Naltrexone HCl 4.5 mg capsules (low-dose naltrexone)\" states 4.5 mg"))
    #expect(error.contains("its strength is 12"))
    // A right name with a typed label name that says otherwise is refused too; a right one is replaced by the
    // computed line.
    let renamed = text.replacingOccurrences(of: "strength_mg = 4.5", with: "strength_mg = 12")
      .replacingOccurrences(of: "4.5 mg capsules", with: "12 mg capsules")
    try renamed.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(
      try pharmacy.refused(["formula", "add", "--file", file, "--by", "dchen"]).contains(
        "label_name \"Naltrexone HCl 4.5 mg capsule\" states 4.5 mg"))
    try renamed.replacingOccurrences(of: "label_name = \"Naltrexone HCl 4.5 mg capsule\"", with: "label_name = \"LDN\"")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let stored = try pharmacy.ok(["formula", "add", "--file", file, "--by", "dchen", "--json"]).json()
    #expect((stored["formula"] as? [String: Any])?["labelText"] as? String == "Naltrexone HCl 12 mg capsule")
  }

  @Test("a patient is corrected, never duplicated; the change is audited and the next refill is checked against it")
  func correctedPatient() throws {
    let pharmacy = try setup.pharmacy(medications: ["Warfarin 5 mg"])
    let duplicate = try pharmacy.refused(["patient", "add", "--name", "eleanor  OBRIEN", "--dob", "1961-04-12"])
    #expect(duplicate.contains("patient 1, Eleanor O'Brien, born 1961-04-12, is already on file"))
    #expect(try pharmacy.ok(["patient", "find", "obrien"]).stdout.contains("Eleanor O'Brien"))
    #expect(try pharmacy.ok(["patient", "find", "1961-04-12"]).stdout.contains("Eleanor O'Brien"))
    let number = try setup.rx(pharmacy, refills: 2)
    try pharmacy.ok(["rx", "fill", number, "--by", "mtorres"])
    try pharmacy.ok([
      "patient", "update", "1", "--add-medication", "Norco 10/325", "--stop-medication", "1", "--address",
      "12 Oak Lane", "--reason", "hospital discharge list", "--by", "mtorres",
    ])
    #expect(
      try pharmacy.refused(["patient", "update", "1", "--stop-medication", "1", "--reason", "x", "--by", "mtorres"])
        .contains("already ended"))
    let shown = try pharmacy.ok(["patient", "show", "1"]).stdout
    #expect(shown.contains("[1] Warfarin 5 mg = warfarin; stopped 2026-11-22 by mtorres: hospital discharge list"))
    #expect(shown.contains("Address: 12 Oak Lane"))
    let log = try pharmacy.ok(["audit", "log"]).stdout
    #expect(log.contains("mtorres  compound patient update 1 --add-medication \"Norco 10/325\""))
    #expect(log.contains("update patient 1: address  -> 12 Oak Lane") || log.contains("address \"\" -> 12 Oak Lane"))
    pharmacy.now = "2026-12-20T10:00:00-06:00"
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"]).contains(
        "takes Norco 10/325 (hydrocodone, opioid agonist)"))
    try pharmacy.ok(["audit", "verify"])
  }

  @Test("a refill too soon is refused unless a pharmacist overrides; a voided fill returns its stock and its refill")
  func refillAndVoid() throws {
    let pharmacy = try setup.pharmacy()
    let number = try setup.rx(pharmacy, refills: 2)
    let fill = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    let id = try #require(fill["id"] as? Int)
    let lot = try #require(fill["lotNumber"] as? String)
    func onHand() throws -> Int? {
      try pharmacy.ok(["inventory", "show", "--json"]).jsonArray().first { $0["lotNumber"] as? String == lot }?[
        "onHand"] as? Int
    }
    #expect(try onHand() == 1)
    pharmacy.now = "2026-12-14T10:00:00-06:00"
    let early = try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"])
    #expect(early.contains("refill too soon: Rx \(number) fill 1 on 2026-11-22 was a 30-day supply"))
    #expect(early.contains("due from 2026-12-15 (75 % of it passed)"))
    #expect(
      try pharmacy.refused(["rx", "void", "\(id)", "--reason", "wrong patient", "--by", "mtorres"]).contains(
        "only a pharmacist"))
    let voided = try pharmacy.ok(["rx", "void", "\(id)", "--reason", "filled for the wrong patient", "--by", "dchen"])
    #expect(voided.stdout.contains("30 capsules returned to batch \(lot)"))
    #expect(try onHand() == 31)
    #expect(try pharmacy.ok(["rx", "show", number]).stdout.contains("voided by dchen at 2026-12-14 10:00 -06:00"))
    #expect(
      try pharmacy.refused([
        "label", "print", "--fill", "\(id)", "--format", "pdf", "--out", "x.pdf", "--by", "mtorres",
      ])
      .contains("was voided"))
    // The voided fill no longer counts: the same fill may be made again now, and it is fill 2 of the record.
    let again = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    #expect(again["fillNumber"] as? Int == 2)
    #expect(again["refillsRemaining"] as? Int == 2)
    pharmacy.now = "2026-12-20T10:00:00-06:00"
    try pharmacy.ok(["rx", "fill", number, "--by", "dchen", "--override", "travelling for a month"])
    try pharmacy.ok(["audit", "verify"])
  }

  @Test("the final check: after the label, by a pharmacist who did not fill it, signed")
  func finalCheck() throws {
    let pharmacy = try setup.pharmacy()
    let number = try setup.rx(pharmacy)
    let fill = try pharmacy.ok(["rx", "fill", number, "--by", "dchen", "--json"]).json()
    let id = "\(try #require(fill["id"] as? Int))"
    #expect(try pharmacy.refused(["rx", "check", id, "--by", "aokafor"]).contains("no printed label yet"))
    try pharmacy.ok(["label", "print", "--fill", id, "--format", "pdf", "--out", "label.pdf", "--by", "dchen"])
    #expect(try pharmacy.ok(["rx", "show", number]).stdout.contains("awaiting final check"))
    #expect(try pharmacy.refused(["rx", "check", id, "--by", "mtorres"]).contains("only a pharmacist"))
    #expect(
      try pharmacy.refused(["rx", "check", id, "--by", "dchen"]).contains("another pharmacist makes the final check"))
    #expect(
      try pharmacy.refusedSignature(["rx", "check", id, "--by", "aokafor"], environment: ["COMPOUND_PIN": "000000"])
        .contains(
          "wrong PIN"))
    #expect(try pharmacy.ok(["rx", "check", id, "--by", "aokafor"]).stdout.contains("ready for the patient"))
    #expect(
      try pharmacy.refused(["rx", "check", id, "--by", "aokafor"]).contains(
        "already checked by aokafor at 2026-11-22 15:00 -06:00"))
    // The shell cannot make the filler the checker either.
    let sneaky = try pharmacy.sqlite(
      "INSERT INTO fill_check (fill_id, checked_at, checked_by) VALUES (\(id), 'x', 'DCHEN')")
    #expect(sneaky.status != 0)
  }

  @Test("a discontinued prescription is not filled")
  func discontinued() throws {
    let pharmacy = try setup.pharmacy()
    let number = try setup.rx(pharmacy)
    #expect(
      try pharmacy.refused(["rx", "discontinue", number, "--reason", "x", "--by", "mtorres"]).contains(
        "only a pharmacist"))
    try pharmacy.ok(["rx", "discontinue", number, "--reason", "prescriber changed the dose", "--by", "dchen"])
    #expect(
      try pharmacy.refused(["rx", "fill", number, "--by", "dchen", "--override", "x"]).contains(
        "was discontinued on 2026-11-22 by dchen (prescriber changed the dose)"))
  }

  @Test("a titration label says which step it is and what follows; refills are the last step's")
  func titrationLabel() throws {
    let pharmacy = try setup.pharmacy()
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-2", expiry: "2028-06-30", quantity: "1g", assay: ["--assay", "100.0"])
    try setup.releasedBatch(pharmacy, formula: "LDN15")
    try setup.releasedBatch(pharmacy, formula: "LDN30")
    let number = try setup.rx(pharmacy, ["--step", "LDN15=30", "--step", "LDN30=30", "--step", "LDN45=30"], refills: 2)
    let fill = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    let label = try pharmacy.ok(["label", "print", "--fill", "\(try #require(fill["id"] as? Int))", "--by", "mtorres"])
      .stdout
    #expect(label.contains("Take 1 capsule by mouth at bedtime. Step 1 of 3: then 3 mg from 2026-12-22"))
    #expect(label.contains("Refills 0"))
    #expect(label.contains("Naltrexone HCl 1.5 mg capsule"))
  }

  @Test(
    "a settings file cannot switch a clinical check off; the rules change only by a pharmacist's signed import",
    Pharmacy.fileOnly)
  func rulesCannotBeBent() throws {
    let pharmacy = try setup.pharmacy(medications: ["OxyContin 20 mg"])
    let number = try setup.rx(pharmacy)
    // A settings file of one's own: the pharmacy's file with a clinical key added.
    let original = try String(contentsOfFile: pharmacy.settings, encoding: .utf8)
    for attack in [
      "[dispensing]\nopioids = []\n", "[dispensing]\nrefill_too_soon_percent = 1\n",
      "[quality]\nrequire_assay_before_release = false\n",
    ] {
      try (original + "\n" + attack).write(toFile: pharmacy.settings, atomically: true, encoding: .utf8)
      let error = try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"])
      #expect(error.contains("is a clinical rule, which a settings file cannot change"), "\(error)")
      #expect(error.contains("compound rules import"))
    }
    try original.write(toFile: pharmacy.settings, atomically: true, encoding: .utf8)
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"]).contains("OxyContin 20 mg (oxycodone"))
    // A technician cannot import rules; a pharmacist can, and the next fill records the version.
    let rules = try pharmacy.rulesFile("[dispensing]\nrefill_too_soon_percent = 50\n", name: "r2.toml")
    #expect(
      try pharmacy.refused(["rules", "import", "--file", rules, "--by", "mtorres"]).contains("only a pharmacist"))
    let imported = try pharmacy.ok(["rules", "import", "--file", rules, "--reason", "payer window", "--by", "dchen"])
    #expect(imported.stdout.contains("imported clinical rules version 3"))
    #expect(try pharmacy.refused(["rules", "import", "--file", rules, "--by", "dchen"]).contains("already in force"))
    #expect(try pharmacy.ok(["rules", "show"]).stdout.contains("Refill too soon: before 50 %"))
    try pharmacy.ok(["patient", "update", "1", "--stop-medication", "1", "--reason", "stopped", "--by", "mtorres"])
    let fill = try pharmacy.ok(["rx", "fill", number, "--by", "mtorres", "--json"]).json()
    #expect(fill["rulesVersion"] as? Int == 3)
    // Rules edited behind compound's back are refused, and the audit trail names the change.
    try pharmacy.sqlite(
      "DROP TRIGGER clinical_rules_never_change; UPDATE clinical_rules SET rules = replace(rules, '\"refillTooSoonPercent\":50', '\"refillTooSoonPercent\":1') WHERE version = 3;"
    )
    pharmacy.now = "2026-12-30T10:00:00-06:00"
    #expect(try pharmacy.refused(["rx", "fill", number, "--by", "mtorres"]).contains("do not match their hash"))
    let verify = try pharmacy.run(["audit", "verify"])
    #expect(verify.status != 0)
    #expect(
      verify.stderr.contains("clinical_rules row 3 no longer matches") || verify.stdout.contains("clinical_rules row 3")
    )
  }
}
