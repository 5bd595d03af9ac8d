import Accounts
import ArgumentParser
import FileOutput
import Formulation
import Foundation
import LabelRendering
import Quantities
import Settings
import Store

/// `compound batch`: planning, recording, checking and verifying compounded batches.
struct BatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch", abstract: "Plan, record, weigh, verify and show compounded batches.",
    subcommands: [
      Plan.self, Record.self, Weights.self, Verify.self, BatchRelease.self, BatchReject.self, BatchHold.self,
      BatchRecall.self, Show.self, List.self,
    ])

  /// `compound batch plan`.
  struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "plan",
      abstract: "Print the weighing worksheet for a batch; records nothing.",
      discussion: "Example: compound batch plan --formula LDN45 --quantity 30")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Formula code.") var formula: String
    @Option(
      parsing: .unconditional, help: "Capsules to dispense.",
      transform: ArgumentTypes.whole("--quantity", 1...WeighingPlanner.maximumQuantity))
    var quantity: Int
    @Option(help: "Use this lot instead of the first-expiry-first-out choice: INGREDIENT=LOT.") var lot: [String] = []
    @Option(help: "The balance to weigh on (default: bench.balance); each mass is checked against its minimum weight.")
    var balance: String?
    @Option(help: "Why a lot that brings the BUD under the minimum days is named with --lot.")
    var shortDatedReason: String?
    @Flag(help: "Print JSON (masses in mg; component quantities in micrograms or pieces).") var json = false

    func run() throws {
      let context = try Context(global)
      let count = quantity
      let choices = try Parsing.pairs(lot, option: "--lot", example: "NALTREXONE-HCL=R261122-001")
      let plan = try context.database().planBatch(
        formulaCode: formula, quantity: count, lotChoices: choices, balance: try context.balance(balance),
        rules: try context.rules(), today: context.today, shortDatedReason: shortDatedReason)
      if json { return try Output.json(plan) }
      print(BatchText.plan(plan, zone: context.zone, display: context.display))
    }
  }

  /// `compound batch record`.
  struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract: "Record a compounded batch in one transaction; it starts quarantined.",
      discussion: """
        The balance (--balance, default bench.balance) must have passed its check today. A mass not given with \
        --weighed is read from the balance's device (or --device), in the plan's order, confirmed at the prompt; \
        the record says which masses came from the balance and which were typed. A mass below the balance's \
        minimum weight is refused: weigh a trituration. --scan checks each container in hand against the plan.
        Example: compound batch record --formula LDN45 --quantity 30 --weighed NALTREXONE-HCL=150.4mg \
        --weighed AVICEL-PH102=7.771g --yield 33 --by mtorres
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Formula code.") var formula: String
    @Option(
      parsing: .unconditional, help: "Capsules ordered.",
      transform: ArgumentTypes.whole("--quantity", 1...WeighingPlanner.maximumQuantity))
    var quantity: Int
    @Option(help: "A mass weighed, with its unit: INGREDIENT=MASS (code, or api / filler).") var weighed: [String] = []
    @Option(help: "The lot used when it is not the first-expiry-first-out choice: INGREDIENT=LOT.") var lot: [String] =
      []
    @Option(
      name: .customLong("yield"), parsing: .unconditional, help: "Capsules actually filled.",
      transform: ArgumentTypes.whole("--yield", 1...(WeighingPlanner.maximumQuantity * 2)))
    var actualYield: Int
    @Option(
      parsing: .unconditional, help: "Shells used, broken ones included (default: one a capsule filled).",
      transform: ArgumentTypes.whole("--shells", 1...(WeighingPlanner.maximumQuantity * 3)))
    var shells: Int?
    @Option(help: "The balance weighed on (default: bench.balance); it must have passed its check today.")
    var balance: String?
    @Option(help: "Read the masses not given with --weighed from the balance at this address.") var device: String?
    @Option(help: "A container's GS1 barcode as scanned, checked against the planned lot: INGREDIENT=TEXT.")
    var scan: [String] = []
    @Option(help: "Why a lot that brings the BUD under the minimum days is named with --lot.")
    var shortDatedReason: String?
    @OptionGroup var signer: SignerOption
    @Option(help: "Why something is outside its range (required then).") var deviation: String?
    @Flag(help: "Print the record as JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let count = quantity
      let filled = actualYield
      var masses: [String: Mass] = [:]
      for (key, value) in try Parsing.pairs(weighed, option: "--weighed", example: "NALTREXONE-HCL=150.4mg") {
        masses[key] = try Mass.parse(value, what: "--weighed \(key)")
      }
      let choices = try Parsing.pairs(lot, option: "--lot", example: "NALTREXONE-HCL=R261122-001")
      let scale = try context.balance(balance)
      var scans: [String: GS1Scan] = [:]
      for (key, text) in try Parsing.pairs(scan, option: "--scan", example: "NALTREXONE-HCL=0100312345678906...") {
        scans[key] = try GS1Scan.parse(text, today: context.today)
      }
      var sources: [String: String] = [:]
      let database = try context.database()
      let plan = try database.planBatch(
        formulaCode: formula, quantity: count, lotChoices: choices, balance: scale, rules: try context.rules(),
        today: context.today, shortDatedReason: shortDatedReason)
      // A wrong container is named before anything is weighed (the record checks the GTIN again).
      for (key, scanned) in scans {
        let component = plan.components.first {
          $0.ingredientCode.uppercased() == key.uppercased() || $0.role.rawValue.uppercased() == key.uppercased()
        }
        if let component, let refusal = scanned.refusal(for: component, gtin: nil) { throw CLIError(refusal) }
      }
      let typed = Set(masses.keys.map { $0.uppercased() })
      let missing = plan.components.filter {
        $0.unit == .mass && !typed.contains($0.ingredientCode.uppercased())
          && !typed.contains($0.role.rawValue.uppercased())
      }
      if !missing.isEmpty, device != nil || scale.device != nil {
        if let first = plan.belowMinimum.first { throw CLIError(first) }
        try context.settle()
        let capture = try BenchCapture(balance: scale, device: device)
        for (code, mass) in try capture.capture(missing, display: context.display) {
          masses[code] = mass
          sources[code] = capture.source
        }
      }
      let request = BatchRequest(
        formulaCode: formula, quantity: count, weighed: masses, lotChoices: choices, actualYield: filled,
        deviation: deviation, by: user, balance: scale, sources: sources, shellsUsed: shells, scans: scans,
        shortDatedReason: shortDatedReason)
      let format = try LotNumberFormat(context.settings.lots.batchFormat)
      let record = try database.recordBatch(
        request, rules: try context.rules(), rulesVersion: try context.inForce().record.version, format: format,
        today: context.today, now: context.now)
      if json { return try Output.json(record) }
      print("recorded batch \(record.lotNumber): \(record.actualYield) capsules of \(record.formula.name)")
      print("BUD \(record.beyondUseDate) (\(record.budBasis))")
      print(
        "status quarantined: next 'compound batch weights \(record.lotNumber) --mg ...', then a pharmacist's 'compound batch verify'"
      )
      for line in record.outOfRange { print("deviation recorded: \(line)") }
      for warning in record.warnings { print("warning: \(warning)") }
    }
  }

  /// `compound batch weights`.
  struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "weights",
      abstract: "Record the filled-capsule weight check: mean, RSD, every capsule within tolerance.",
      discussion: """
        Weights are of filled capsules, in mg; the empty shell (--shell-mg, else the size's typical shell from
        the capsules setting) is subtracted and each net fill is compared with the theoretical fill.
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "Filled-capsule weights in mg, separated by commas.") var mg: String
    @Option(help: "Measured mass of one empty shell, mg.") var shellMg: String?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let weights = try Parsing.milligramList(mg, option: "--mg")
      var shell: Mass?
      if let shellMg {
        guard let value = Decimal.exact(shellMg), value >= 0 else {
          throw CLIError("--shell-mg '\(shellMg)' is not a mass in mg, for example 76.2")
        }
        shell = Mass.milligrams(value)
      }
      let check = try context.database().recordWeights(
        lot, gross: weights, shell: shell, rules: try context.rules(), by: user, now: context.now)
      if json { return try Output.json(check) }
      print(BatchText.weightCheck(check))
    }
  }

  /// `compound batch verify`.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "A pharmacist's review of the compounding record; not by whoever compounded it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print the record as JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.signer(signer.by, for: "verify batch \(lot)")
      let record = try context.database().verifyBatch(lot, by: user, now: context.now)
      if json { return try Output.json(record) }
      print("verified \(record.lotNumber) by \(user.name) at \(context.local(record.verifiedAt ?? ""))")
      if let check = record.latestWeightCheck, !check.result.passed {
        print("warning: the latest capsule weight check FAILED: the batch cannot be released on it")
      }
    }
  }

  /// `compound batch show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Print the whole compounding record for an inspector.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Flag(help: "Print JSON (masses in mg; component quantities in micrograms or pieces).") var json = false
    @Option(
      help: "text (default) or pdf: the record as a paginated PDF with the audit head on every page (needs --out).",
      transform: ArgumentTypes.choice(RecordFormat.self, "--format"))
    var format: RecordFormat = .text
    @Option(help: "Write the record to this new file (never the database, a folder or a device).") var out: String?
    @Flag(help: "Replace the --out file if it exists.") var force = false

    func run() throws {
      let context = try Context(global)
      // The output is checked before anything is read: a refused --out leaves nothing behind.
      let output = try out.map { try OutputPath($0, protected: [context.loaded.databasePath], force: force) }
      if format == .pdf, output == nil { throw CLIError("--format pdf writes a file: add --out record.pdf") }
      let database = try context.database()
      let record = try database.batch(lot)
      if json { return try Output.json(record) }
      let text = BatchText.record(record, settings: context.settings, zone: context.zone, today: context.today)
      guard let output else { return print(text) }
      let bytes: [UInt8]
      switch format {
      case .text: bytes = Array((text + "\n").utf8)
      case .pdf:
        let head = try database.auditHead()
        bytes = try RecordDocument.pdf(
          title: "Compounding record \(record.lotNumber) · \(context.settings.pharmacy.name)",
          lines: text.components(separatedBy: "\n"),
          footer:
            "\(record.lotNumber) · printed \(Timestamp.local(Timestamp.string(context.now), zone: context.zone)) · audit trail \(head.entries) entries, head \(head.head)"
        )
      }
      try output.write(bytes)
      print("wrote the compounding record of \(record.lotNumber) to \(output.path)")
    }
  }

  /// `compound batch list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List the batches of the last 30 days (or --since, --all), newest first.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this formula.") var formula: String?
    @Option(help: "Batches compounded on or after this day, YYYY-MM-DD (default: 30 days ago).") var since: String?
    @Flag(help: "Every batch ever compounded (years of them on an old database).") var all = false
    @Flag(help: "Every store's batches, in a chain (default: this station's store's).") var allStores = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      if all, since != nil { throw CLIError("--all and --since do not go together: give one") }
      let first = try since.map { try CalendarDate.parse($0, what: "--since") } ?? context.today.adding(days: -30)
      let batches = try context.database().batches(
        formula: formula, since: all ? nil : InventoryText.endOfDay(first.adding(days: -1), zone: context.zone),
        allStores: allStores)
      if json { return try Output.json(batches) }
      if batches.isEmpty {
        return print(
          all
            ? "no batches yet: plan one with 'compound batch plan'"
            : "no batches since \(first): 'compound batch list --all' lists every one")
      }
      print(
        Output.table(
          ["LOT", "FORMULA", "COMPOUNDED", "YIELD", "BUD", "STATUS", "WEIGHTS", "BY", "VERIFIED BY"],
          batches.map {
            [
              $0.lotNumber, "\($0.formulaCode) v\($0.formulaVersion)", $0.compoundingDate.description,
              "\($0.actualYield)", $0.beyondUseDate.description, $0.status.rawValue,
              $0.weightCheckPassed.map { $0 ? "pass" : "FAIL" } ?? "-", $0.compoundedBy, $0.verifiedBy ?? "-",
            ]
          }))
    }
  }
}
