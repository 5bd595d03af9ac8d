import Accounts
import ArgumentParser
import Dispensing
import Formulation
import Foundation
import Pricing
import Quantities
import Settings
import Store

/// `compound rx`: prescriptions and fills.
struct RxCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rx", abstract: "Enter, show, list and fill prescriptions.",
    subcommands: [Add.self, Show.self, List.self, Fill.self, Check.self, Void.self, Discontinue.self])

  /// `compound rx add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Enter a prescription; the Rx number is assigned.",
      discussion: """
        One strength: --formula LDN45 --quantity 30 (or --strength 4.5mg). A titration: --step LDN15=30 \
        --step LDN30=30 --step LDN45=30, filled in that order; refills repeat the last step.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Patient id.") var patient: Int64
    @Option(help: "Prescriber id.") var prescriber: Int64
    @Option(help: "Formula code.") var formula: String?
    @Option(
      parsing: .unconditional, help: "Strength per capsule instead of a formula, for example 4.5mg.",
      transform: ArgumentTypes.mass("--strength")
    )
    var strength: Mass?
    @Option(parsing: .unconditional, help: "Capsules per fill.", transform: ArgumentTypes.whole("--quantity", 1...1000))
    var quantity: Int?
    @Option(help: "A titration step FORMULA=QUANTITY, in order (repeat).") var step: [String] = []
    @Option(
      parsing: .unconditional, help: "Days' supply of each fill (default: one capsule a day).",
      transform: ArgumentTypes.whole("--days-supply", 1...366))
    var daysSupply: Int?
    @Option(help: "Directions (default: the formula's).") var directions: String?
    @Option(parsing: .unconditional, help: "Refills authorized.", transform: ArgumentTypes.whole("--refills", 0...11))
    var refills: Int = 0
    @Option(help: "Date written, YYYY-MM-DD.", transform: ArgumentTypes.date("--written")) var written: CalendarDate
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let database = try context.database()
      var pairs: [(String, Int)] = []
      if !step.isEmpty {
        guard formula == nil, strength == nil, quantity == nil else {
          throw CLIError("give either --step (a titration) or --formula/--strength with --quantity, not both")
        }
        for item in step {
          let parts = item.split(separator: "=").map(String.init)
          guard parts.count == 2 else {
            throw CLIError("--step '\(item)' must be FORMULA=QUANTITY, for example LDN15=30")
          }
          pairs.append(
            (parts[0].uppercased(), try Parsing.whole(parts[1], option: "--step \(parts[0])", range: 1...1000)))
        }
      } else {
        guard let count = quantity else { throw CLIError("say how many capsules a fill is: --quantity 30") }
        pairs = [(try formulaCode(database), count)]
      }
      var steps: [PrescriptionStep] = []
      for (code, count) in pairs {
        let stored = try database.formula(code).formula
        let days = daysSupply ?? count
        steps.append(
          PrescriptionStep(
            formulaCode: stored.code, quantity: count, daysSupply: days, directions: directions ?? stored.directions))
      }
      let record = try database.addPrescription(
        patient: patient, prescriber: prescriber, steps: steps,
        refills: refills,
        written: written,
        firstNumber: context.settings.dispensing.rxNumberStart, by: user, today: context.today, now: context.now)
      if json { return try Output.json(record) }
      print("entered Rx \(record.prescription.rxNumber) for \(record.patient.name): \(DispensingText.summary(record))")
    }

    private func formulaCode(_ database: AppDatabase) throws -> String {
      if let formula { return formula.uppercased() }
      guard let strength else { throw CLIError("name the preparation: --formula CODE or --strength 4.5mg") }
      let mass = strength
      let matches = try database.formulas().filter { $0.formula.strength == mass }
      guard matches.count == 1, let match = matches.first else {
        throw CLIError(
          matches.isEmpty
            ? "no formula has strength \(mass): 'compound formula list' shows them"
            : "several formulas have strength \(mass) (\(matches.map(\.formula.code).joined(separator: ", "))): name one with --formula"
        )
      }
      return match.formula.code
    }
  }

  /// `compound rx show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a prescription and its fills.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rx number.") var rx: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let record = try context.database().prescription(rx)
      if json { return try Output.json(record) }
      print(DispensingText.prescription(record, zone: context.zone))
    }
  }

  /// `compound rx list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List prescriptions, newest first.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let records = try context.database().prescriptions()
      if json { return try Output.json(records) }
      if records.isEmpty { return print("no prescriptions yet: enter one with 'compound rx add'") }
      print(
        Output.table(
          ["RX", "PATIENT", "PRESCRIBER", "WRITTEN", "SUMMARY"],
          records.map {
            [
              $0.prescription.rxNumber, $0.patient.name, $0.prescriber.name, "\($0.prescription.written)",
              DispensingText.summary($0),
            ]
          }))
    }
  }

  /// `compound rx fill`.
  struct Fill: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fill",
      abstract: "Fill the next step from a released lot, first-expiry-first-out, after the safety checks.",
      discussion: """
        Every medication and allergy on the patient's record is read through the drug vocabulary of the \
        clinical rules in force ('compound rules show'), and every component of the capsules (API, filler, \
        shells) is checked. Refused outright: no refills left; a discontinued prescription; a medication or \
        allergy the vocabulary cannot resolve (a pharmacist classifies it with 'compound patient review'). \
        Refused unless a pharmacist overrides with --override "reason": an opioid or other interaction the \
        vocabulary marks refuse; an allergy to any component; a refill before 75 % (rules) of the previous \
        fill's days' supply; a lot whose BUD ends before the days' supply. The fill records the rules version. \
        Then print the label and have another pharmacist make the final check ('compound rx check FILL').
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rx number.") var rx: String
    @Option(
      help: "Fill from this batch instead of the first-expiry-first-out one (needs --reason).",
      transform: ArgumentTypes.lotNumber) var lot: String?
    @Option(help: "Why the suggested batch is skipped.") var reason: String?
    @Option(help: "A pharmacist's reason to override an interaction, allergy, refill or BUD refusal (signed).")
    var override: String?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try override == nil ? context.user(signer.by) : context.signer(signer.by, for: "override on Rx \(rx)")
      let rules = try context.inForce()
      let fill = try context.database().fillPrescription(
        rx, lot: lot, reason: reason, override: override, by: user, index: try rules.drugIndex(),
        rulesVersion: rules.record.version, refillPercent: rules.settings.dispensing.refillTooSoonPercent,
        priceModel: try context.settings.priceModel(), today: context.today, now: context.now)
      if json { return try Output.json(fill) }
      print(
        "filled Rx \(fill.rxNumber) (fill \(fill.fillNumber), id \(fill.id)): \(fill.quantity) x \(fill.formula.labelName) from batch \(fill.lotNumber), BUD \(fill.beyondUseDate); \(fill.refillsRemaining) refills left"
      )
      if let note = fill.decision.stepNote { print(note) }
      if let price = fill.price {
        print("price \(price.currency) \(price.total) (\(PricingText.oneLine(price)))")
        for missing in price.missing { print("warning: price incomplete: \(missing)") }
      }
      for warning in fill.decision.warnings { print("warning recorded: \(warning)") }
      for overridden in fill.decision.overridden {
        print("overridden by \(user.id) (\(fill.decision.overrideReason ?? "")): \(overridden)")
      }
      print("checked against the clinical rules \(rules.label)")
      print(
        "next: print its label (compound label print --fill \(fill.id) --by \(user.id)), then a pharmacist other than \(user.id) checks it (compound rx check \(fill.id) --by PHARMACIST)"
      )
    }
  }

  /// `compound rx check`.
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "A pharmacist's final check of a filled, labelled prescription (signed); then it is ready.",
      discussion: """
        Check the labelled product against the prescription before it goes to the patient. Whoever filled it \
        cannot check it, and a fill with no printed label cannot be checked.
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Fill id (from 'compound rx fill' or 'compound rx show').") var fill: Int64
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let signer = try context.signer(signer.by, for: "final check of fill \(fill)")
      let record = try context.database().checkFill(fill, by: signer, now: context.now)
      if json { return try Output.json(record) }
      print(
        "checked fill \(record.id) (Rx \(record.rxNumber) fill \(record.fillNumber), \(record.quantity) x \(record.formula.labelName), batch \(record.lotNumber)) by \(signer.id): \(record.status)"
      )
    }
  }

  /// `compound rx void`.
  struct Void: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "void",
      abstract: "Void a mistaken fill (a pharmacist, signed): it stays on record, its capsules go back to the batch.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Fill id.") var fill: Int64
    @Option(help: "Why it is voided.") var reason: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let signer = try context.signer(signer.by, for: "void fill \(fill)")
      let record = try context.database().voidFill(fill, reason: reason, by: signer, now: context.now)
      if json { return try Output.json(record) }
      print(
        "voided fill \(record.id) (Rx \(record.rxNumber) fill \(record.fillNumber)): \(record.quantity) capsules returned to batch \(record.lotNumber)"
      )
    }
  }

  /// `compound rx discontinue`.
  struct Discontinue: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "discontinue",
      abstract: "Discontinue a prescription (a pharmacist, signed): no later fill is made from it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rx number.") var rx: String
    @Option(help: "Why it is discontinued.") var reason: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let signer = try context.signer(signer.by, for: "discontinue Rx \(rx)")
      let record = try context.database().discontinuePrescription(
        rx, reason: reason, by: signer, today: context.today, now: context.now)
      if json { return try Output.json(record) }
      print("discontinued Rx \(record.prescription.rxNumber) for \(record.patient.name): \(reason)")
    }
  }
}
