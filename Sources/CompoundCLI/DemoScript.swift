import ArgumentParser
import BalanceDevice
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// The demo's day, run through the same command paths a person types.
final class DemoScript {
  /// The database's path, or a PostgreSQL server's address.
  let database: String
  /// Where the day's files go.
  let folder: URL
  let settings: String
  let formulas: String
  private(set) var outputs: [(String, String)] = []

  init(database: String, folder: URL, settings: String, formulas: String) {
    self.database = database
    self.folder = folder
    self.settings = settings
    self.formulas = formulas
  }

  func run() throws {
    let context = try Context(makeOptions())
    let today = context.today
    let soon = today.adding(days: 400).description
    let later = today.adding(days: 700).description
    let filler = today.adding(days: 900).description
    let shells = today.adding(days: 1000).description

    section("Set up the pharmacy: database and catalog")
    try step(["init", "--training"])
    print("\n(the first user is a pharmacist, who then signs for the others; PINs come from COMPOUND_NEW_PIN here)")
    for (id, name, role) in [
      ("dchen", "David Chen, PharmD", "pharmacist"), ("mtorres", "Maria Torres, CPhT", "technician"),
      ("aokafor", "Amara Okafor, PharmD", "pharmacist"),
    ] {
      setenv("COMPOUND_NEW_PIN", Self.pins[id] ?? "", 1)
      try step(["user", "add", id, "--name", name, "--role", role] + (id == "dchen" ? [] : ["--by", "dchen"]))
    }
    unsetenv("COMPOUND_NEW_PIN")
    try step(["user", "list"])
    try step([
      "ingredient", "add", "NALTREXONE-HCL", "--name", "Naltrexone hydrochloride USP", "--kind", "api",
      "--salt-form", "HCl", "--mw-salt", "377.86", "--mw-base", "341.4", "--by", "dchen",
    ])
    try step([
      "ingredient", "add", "AVICEL-PH102", "--name", "Microcrystalline cellulose NF (Avicel PH-102)", "--kind",
      "excipient", "--by", "dchen",
    ])
    try step([
      "ingredient", "add", "CAPS-1-WHITE", "--name", "Hard gelatin capsules, size 1, white opaque", "--kind", "shell",
      "--capsule-size", "1", "--by", "dchen",
    ])

    section("The bench: balances, their minimum weight (USP <41>) and the daily check")
    try step(["balance", "list"])
    try step(["balance", "check", "B1", "--test-weight", "100g", "--reading", "100.0003g", "--by", "mtorres"])
    let balance = try SimulatedBalance(serial: "B729104455")
    print("\n(a balance that speaks MT-SICS, simulated on loopback for the demo at \(balance.device))")
    balance.queue([.stable(Mass(micrograms: 100_000_200))])
    try step(["balance", "read", "--device", balance.device])

    section("Receive deliveries (they arrive quarantined) and release them after the certificate check")
    let expiry = try CalendarDate.parse(later)
    let yymmdd = String(format: "%02d%02d%02d", expiry.year % 100, expiry.month, expiry.day)
    let scan = { (serial: String) in "]d2010030045678901717\(yymmdd)10NX-2406-118\u{1D}21\(serial)" }
    let certificate = folder.appendingPathComponent("coa-medisca-NX-2406-118.txt")
    try Data(
      "Certificate of analysis: Naltrexone hydrochloride USP, lot NX-2406-118, assay 99.6 % (anhydrous basis), water 0.4 % (KF)\n"
        .utf8
    ).write(to: certificate)
    print(
      "\n(the container's GS1 DataMatrix, as the scanner types it, GS separator included, gives GTIN, expiry and lot)")
    try step([
      "lot", "receive", "--ingredient", "NALTREXONE-HCL", "--supplier", "Medisca", "--scan", scan("S0041"),
      "--quantity", "5g", "--assay", "99.6", "--assay-basis", "anhydrous", "--water", "0.4", "--cost", "185.00",
      "--certificate", certificate.path, "--by", "mtorres",
    ])
    print("\n(a second container of the same supplier lot: its own lot, sharing the first one's certificate)")
    try step([
      "lot", "receive", "--ingredient", "NALTREXONE-HCL", "--supplier", "Medisca", "--scan", scan("S0042"),
      "--quantity", "5g", "--cost", "185.00", "--by", "mtorres",
    ])
    try step([
      "lot", "receive", "--ingredient", "NALTREXONE-HCL", "--supplier", "PCCA", "--supplier-lot", "C203117",
      "--expiry", soon, "--quantity", "1g", "--assay", "99.1", "--assay-basis", "as-is", "--cost", "48.50",
      "--by", "mtorres",
    ])
    try step([
      "lot", "receive", "--ingredient", "AVICEL-PH102", "--supplier", "Medisca", "--supplier-lot", "MC-8841",
      "--expiry", filler, "--quantity", "500g", "--cost", "24.50", "--by", "mtorres",
    ])
    try step([
      "lot", "receive", "--ingredient", "CAPS-1-WHITE", "--supplier", "Capsuline", "--supplier-lot", "CG1-55902",
      "--expiry", shells, "--quantity", "1000count", "--cost", "18.00", "--by", "mtorres",
    ])
    let lots = try context.database().lots()
    print("\n(a technician may not release: the command refuses)")
    try step(["lot", "release", lots[0].lot.lotNumber, "--by", "mtorres"], expectFailure: true)
    print(
      "\n(PCCA's certificate gives the assay as-is with no water content: it cannot be held to the anhydrous limits)")
    for lot in lots {
      try step(["lot", "release", lot.lot.lotNumber, "--by", "dchen"], expectFailure: lot.lot.supplier == "PCCA")
    }
    try step(["lot", "list"])
    if let first = lots.first(where: { $0.lot.supplier == "Medisca" && $0.lot.ingredientCode == "NALTREXONE-HCL" }) {
      try step(["lot", "show", first.lot.lotNumber])
    }

    section("Master formulation records: LDN 0.25, 1.5, 3.0 and 4.5 mg, and a 1 in 10 trituration")
    for code in ["LDN025", "LDN15", "LDN30", "LDN45", "NTX-T10"] {
      try step(["formula", "add", "--file", "\(formulas)/\(code).toml", "--by", "aokafor"])
    }
    try step(["formula", "list"])
    try step(["trituration", "list"])

    section("Plan and compound 90 capsules of LDN 4.5 mg")
    try step(["batch", "plan", "--formula", "LDN45", "--quantity", "90"])
    let plan = try context.database().planBatch(
      formulaCode: "LDN45", quantity: 90, lotChoices: [:], balance: try context.balance(nil),
      rules: try context.rules(), today: today)
    var weighed: [String] = []
    for (component, offset) in zip(plan.components.filter { $0.unit == .mass }, ["1.0025", "0.9990"]) {
      let mass = (Mass(micrograms: component.quantity).milligrams * (Decimal(string: offset) ?? 1)).rounded(scale: 1)
      weighed += ["--weighed", "\(component.ingredientCode)=\(mass.fixed(1))mg"]
    }
    print("\n(the container in hand is scanned: a wrong one is refused before anything is written)")
    try step(
      ["batch", "record", "--formula", "LDN45", "--quantity", "90"] + weighed + [
        "--scan", "NALTREXONE-HCL=]d2010030045678901717\(yymmdd)10C203117", "--yield", "98", "--by", "mtorres",
      ], expectFailure: true)
    try step(
      ["batch", "record", "--formula", "LDN45", "--quantity", "90"] + weighed + [
        "--scan", "NALTREXONE-HCL=\(scan("S0041"))", "--yield", "98", "--by", "mtorres",
      ])
    guard let batch = try context.database().batches().first else { throw CLIError("the demo batch was not recorded") }
    print("\n(the start of anyone's shift: what needs someone now, with the command for each)")
    try step(["today"])

    section("Weight check, then the pharmacist's verification")
    let shell = Decimal(76)
    let offsets = ["1.2", "-0.8", "0.4", "-1.5", "2.1", "-0.3", "0.9", "-1.1", "0.2", "-0.6"]
    let gross = offsets.map { (plan.theoreticalFill.milligrams + shell + (Decimal(string: $0) ?? 0)).fixed(1) }
    try step(["batch", "weights", batch.lotNumber, "--mg", gross.joined(separator: ","), "--by", "mtorres"])
    print("\n(a technician may not verify a record, nor may whoever compounded it: the command refuses)")
    try step(["batch", "verify", batch.lotNumber, "--by", "mtorres"], expectFailure: true)
    print("\n(verifying is signed: a wrong PIN signs nothing)")
    try step(["batch", "verify", batch.lotNumber, "--by", "dchen"], pin: "0000", expectFailure: true)
    try step(["batch", "verify", batch.lotNumber, "--by", "dchen"])

    section("Quality: the lab's assay with ten unit results (USP <905>), then release")
    print("\n(release before an assay is on record: the command refuses)")
    try step(["batch", "release", batch.lotNumber, "--by", "dchen"], expectFailure: true)
    try step([
      "assay", "record", batch.lotNumber, "--lab", "Eagle Analytical Services", "--method", "HPLC-UV",
      "--tested", today.description, "--percent", "99.2", "--units",
      "98.1,99.4,100.2,101.0,97.8,99.9,100.6,98.7,101.3,99.5",
      "--by", "dchen",
    ])
    try step(["batch", "release", batch.lotNumber, "--by", "dchen"])
    try step(["batch", "show", batch.lotNumber])

    section("LDN 0.25 mg: 8.25 mg of naltrexone is below the balance's minimum weight; a trituration weighs it")
    try step(["batch", "plan", "--formula", "LDN025", "--quantity", "30"])
    try step(["trituration", "plan", "--formula", "NTX-T10", "--mass", "2g"])
    print("\n(the masses come from the balance, in order; the technician presses Enter to read and to accept each)")
    balance.queue([.stable(Mass(micrograms: 200_300)), .stable(Mass(micrograms: 1_800_400))])
    try answering("\n\n\n\n") {
      try step([
        "trituration", "make", "--formula", "NTX-T10", "--mass", "2g", "--device", balance.device, "--by", "mtorres",
      ])
    }
    guard
      let trituration = try context.database().lots(ingredient: "NALTREXONE-HCL").first(where: {
        $0.lot.triturationParts != nil
      })
    else { throw CLIError("the demo trituration was not made") }
    print("\n(whoever made the trituration may not release it: another pharmacist checks its record and its assay)")
    try step(["lot", "release", trituration.lot.lotNumber, "--by", "mtorres"], expectFailure: true)
    try step(["lot", "release", trituration.lot.lotNumber, "--by", "dchen"], expectFailure: true)
    try step([
      "trituration", "assay", trituration.lot.lotNumber, "--lab", "Eagle Analytical Services", "--method", "HPLC-UV",
      "--tested", today.description, "--percent", "99.4", "--by", "dchen",
    ])
    try step(["lot", "release", trituration.lot.lotNumber, "--by", "dchen"])
    try step(["lot", "show", trituration.lot.lotNumber])
    try step(["batch", "plan", "--formula", "LDN025", "--quantity", "30"])
    let small = try context.database().planBatch(
      formulaCode: "LDN025", quantity: 30, lotChoices: [:], balance: try context.balance(nil),
      rules: try context.rules(), today: today)
    balance.queue(
      small.components.filter { $0.unit == .mass }.map {
        .stable(Mass(micrograms: $0.quantity + $0.quantity / 1000))
      })
    try answering("\n\n\n\n") {
      try step([
        "batch", "record", "--formula", "LDN025", "--quantity", "30", "--device", balance.device, "--yield", "33",
        "--by", "mtorres",
      ])
    }
    if let made = try context.database().batches(formula: "LDN025").first {
      try step(["batch", "show", made.lotNumber])
    }

    section("A month of LDN 4.5 mg for the patient: the quote (Config/pricing.toml)")
    try step(["price", "quote", "--formula", "LDN45", "--quantity", "30"])

    section("A prescription, its fill, and the labels")
    try step([
      "patient", "add", "--name", "Eleanor O'Brien-Šimková", "--dob", "1961-04-12", "--address",
      "48 Elm Street, Springfield, IL 62704", "--phone", "(217) 555-0187", "--medication", "Warfarin 5 mg daily",
      "--allergy", "penicillin", "--by", "mtorres",
    ])
    try step([
      "prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893", "--phone", "(217) 555-0100", "--by",
      "dchen",
    ])
    try step([
      "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--refills", "2",
      "--written", today.description, "--by", "dchen",
    ])
    try step(["rx", "fill", "600001", "--by", "mtorres"])
    try step(["label", "print", "--fill", "1", "--format", "text", "--by", "mtorres"])
    let labelPDF = folder.appendingPathComponent("label-rx600001.pdf").path
    let labelZPL = folder.appendingPathComponent("label-rx600001.zpl").path
    let containerPDF = folder.appendingPathComponent("label-\(batch.lotNumber).pdf").path
    try step(["label", "print", "--fill", "1", "--format", "pdf", "--out", labelPDF, "--by", "mtorres"])
    print("\n(a second print of the same fill is a reprint: it needs a reason and says REPRINT)")
    try step(
      ["label", "print", "--fill", "1", "--format", "zpl", "--out", labelZPL, "--by", "mtorres"], expectFailure: true)
    try step([
      "label", "print", "--fill", "1", "--format", "zpl", "--out", labelZPL, "--reason", "Zebra copy for the vial",
      "--by", "mtorres",
    ])
    try step([
      "label", "print", "--batch", batch.lotNumber, "--format", "pdf", "--out", containerPDF, "--by", "mtorres",
    ])
    print("\n(the final check: a pharmacist checks the labelled product; a technician cannot, nor whoever filled it)")
    try step(["rx", "check", "1", "--by", "mtorres"], expectFailure: true)
    try step(["rx", "check", "1", "--by", "dchen"])
    try step(["rx", "show", "600001"])

    section("Dispensing safety: a brand-name opioid, a medication nobody can read, and the pharmacist's decisions")
    try step([
      "patient", "add", "--name", "James Whitfield", "--dob", "1958-09-30", "--phone", "(217) 555-0166", "--medication",
      "OxyContin 20 mg q12h", "--medication", "Lipitor 40 mg", "--medication", "Oxy 5 prn", "--allergy", "NKDA",
      "--by", "mtorres",
    ])
    try step(["patient", "show", "2"])
    try step([
      "rx", "add", "--patient", "2", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
      today.description, "--by", "dchen",
    ])
    print(
      "\n(\"Oxy 5\" is not in the drug vocabulary: the fill waits for a pharmacist's classification, which no override skips)"
    )
    try step(["rx", "fill", "600002", "--by", "mtorres"], expectFailure: true)
    try step([
      "patient", "review", "2", "5", "--as", "oxycodone", "--reason", "Oxy 5 = oxycodone IR 5 mg, per the prescriber",
      "--by", "dchen",
    ])
    print("\n(OxyContin is oxycodone, an opioid: naltrexone would block it and the fill is refused)")
    try step(["rx", "fill", "600002", "--by", "mtorres"], expectFailure: true)
    print("\n(the prescriber confirms the patient stopped both two weeks ago: a pharmacist overrides with the reason,")
    print(" signed with the PIN, and the medication list is corrected so that later fills need no override)")
    try step([
      "rx", "fill", "600002", "--override", "opioids stopped 14 days ago, confirmed with Dr. Ruiz by phone", "--by",
      "dchen",
    ])
    try step([
      "patient", "update", "2", "--stop-medication", "3", "--stop-medication", "5", "--on",
      today.adding(days: -14).description, "--reason", "opioids stopped per Dr. Ruiz, phone call today", "--by",
      "mtorres",
    ])
    print("\n(a refill the same day is too soon: refused unless a pharmacist overrides)")
    try step([
      "rx", "add", "--patient", "2", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
      today.description, "--by", "dchen",
    ])
    try step(["rx", "fill", "600003", "--by", "mtorres"], expectFailure: true)
    try step(["rx", "discontinue", "600003", "--reason", "duplicate prescription", "--by", "dchen"])
    try step(["rules", "show"])
    outputs += [
      ("patient label (PDF)", labelPDF), ("patient label (ZPL)", labelZPL), ("container label", containerPDF),
    ]

    section("Month end: stock, a recall trace, and the inventory workbook for the owner and the inspector")
    try step(["inventory", "show"])
    try step(["recall", plan.components[0].lotNumber])
    let month = String(format: "%04d-%02d", today.year, today.month)
    let workbook = folder.appendingPathComponent("inventory-\(month).xlsx").path
    try step(["inventory", "export", "--month", month, "--out", workbook])
    outputs.append(("inventory workbook", workbook))

    section("End of the day: the audit trail, the records checked, and a backup")
    try step(["audit", "log", "--lot", batch.lotNumber])
    print(
      "\n(an anchor: the trail's entry count and head hash, to keep outside the pharmacy; verify checks against it)")
    let anchor = folder.appendingPathComponent("audit-anchor.json").path
    try step(["audit", "anchor", "--out", anchor])
    outputs.append(("audit anchor", anchor))
    try step(["audit", "verify", "--anchor", anchor])
    try step(["doctor"])
    if try !context.database().isShared {
      let backup = folder.appendingPathComponent("backup.sqlite").path
      try step(["backup", "--to", backup])
      outputs.append(("backup", backup))
    }

    print("\n(the compounding record as an inspector files it: a PDF with the audit head on every page)")
    let pdf = folder.appendingPathComponent("compounding-record-\(batch.lotNumber).pdf").path
    try step(["batch", "show", batch.lotNumber, "--format", "pdf", "--out", pdf])
    outputs.append(("compounding record", pdf))
  }

  /// Runs `body` with `text` as standard input: the answers a technician types at the balance prompts.
  private func answering(_ text: String, _ body: () throws -> Void) throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw CLIError("the demo cannot make a pipe for the balance prompts") }
    _ = text.withCString { write(ends[1], $0, strlen($0)) }
    close(ends[1])
    let saved = dup(0)
    dup2(ends[0], 0)
    close(ends[0])
    defer {
      dup2(saved, 0)
      close(saved)
    }
    try body()
  }

  private func makeOptions() throws -> GlobalOptions {
    try GlobalOptions.parse(["--db", database, "--config", settings])
  }

  private func section(_ title: String) {
    print("\n== \(title)")
  }

  /// The demo users' PINs; a step signs with the PIN of whoever `--by` names.
  static let pins = ["dchen": "135790", "mtorres": "246801", "aokafor": "864209"]

  private func step(_ arguments: [String], pin: String? = nil, expectFailure: Bool = false) throws {
    let signer = arguments.firstIndex(of: "--by").map { arguments[arguments.index(after: $0)] }
    if let chosen = pin ?? signer.flatMap({ Self.pins[$0] }) {
      setenv("COMPOUND_PIN", chosen, 1)
    } else {
      unsetenv("COMPOUND_PIN")
    }
    defer { unsetenv("COMPOUND_PIN") }
    let shown = arguments.map { $0.contains(" ") || $0.isEmpty ? "\"\($0)\"" : $0 }.joined(separator: " ")
    print("\n$ compound \(shown)")
    fflush(nil)
    let status = Runner.run(arguments + ["--db", database, "--config", settings])
    fflush(nil)
    if (status == 0) == expectFailure {
      throw CLIError("the demo step 'compound \(shown)' \(expectFailure ? "should have been refused" : "failed")")
    }
  }
}
