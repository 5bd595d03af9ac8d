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
    subcommands: [Add.self, Show.self, List.self, Fill.self])

  /// `compound rx add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Enter a prescription; the Rx number is assigned.",
      discussion: """
        One strength: --formula LDN45 --quantity 30 (or --strength 4.5mg). A titration: --step LDN15=30 \
        --step LDN30=30 --step LDN45=30, filled in that order; refills repeat the last step.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Patient id.") var patient: Int64
    @Option(help: "Prescriber id.") var prescriber: Int64
    @Option(help: "Formula code.") var formula: String?
    @Option(help: "Strength per capsule instead of a formula, for example 4.5mg.") var strength: String?
    @Option(help: "Capsules per fill.") var quantity: String?
    @Option(help: "A titration step FORMULA=QUANTITY, in order (repeat).") var step: [String] = []
    @Option(help: "Days' supply of each fill (default: one capsule a day).") var daysSupply: String?
    @Option(help: "Directions (default: the formula's).") var directions: String?
    @Option(help: "Refills authorized.") var refills: String = "0"
    @Option(help: "Date written, YYYY-MM-DD.") var written: String
    @Option(help: "Who enters it.") var by: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(by)
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
        let count = try Parsing.whole(quantity ?? "", option: "--quantity", range: 1...1000)
        pairs = [(try formulaCode(database), count)]
      }
      var steps: [PrescriptionStep] = []
      for (code, count) in pairs {
        let stored = try database.formula(code).formula
        let days = try daysSupply.map { try Parsing.whole($0, option: "--days-supply", range: 1...366) } ?? count
        steps.append(
          PrescriptionStep(
            formulaCode: stored.code, quantity: count, daysSupply: days, directions: directions ?? stored.directions))
      }
      let record = try database.addPrescription(
        patient: patient, prescriber: prescriber, steps: steps,
        refills: try Parsing.whole(refills, option: "--refills", range: 0...11),
        written: try CalendarDate.parse(written, what: "--written"),
        firstNumber: context.settings.dispensing.rxNumberStart, by: user, today: context.today, now: context.now)
      if json { return try Output.json(record) }
      print("entered Rx \(record.prescription.rxNumber) for \(record.patient.name): \(DispensingText.summary(record))")
    }

    private func formulaCode(_ database: AppDatabase) throws -> String {
      if let formula { return formula.uppercased() }
      guard let strength else { throw CLIError("name the preparation: --formula CODE or --strength 4.5mg") }
      let mass = try Mass.parse(strength, what: "--strength")
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
    static let configuration = CommandConfiguration(abstract: "Show a prescription and its fills.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rx number.") var rx: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let record = try context.database().prescription(rx)
      if json { return try Output.json(record) }
      print(DispensingText.prescription(record))
    }
  }

  /// `compound rx list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List prescriptions, newest first.")

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
      abstract: "Fill the next step from a released lot, first-expiry-first-out, after the interaction check.",
      discussion: """
        Refused: no refills left; a patient on an opioid; an allergy to an ingredient; a lot whose BUD ends \
        before the days' supply. A pharmacist may override the last three with --override "reason".
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rx number.") var rx: String
    @Option(help: "Fill from this batch instead of the first-expiry-first-out one (needs --reason).") var lot: String?
    @Option(help: "Why the suggested batch is skipped.") var reason: String?
    @Option(help: "A pharmacist's reason to override an interaction or BUD refusal (signed with the PIN).")
    var override: String?
    @Option(help: "Who fills it.") var by: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try override == nil ? context.user(by) : context.signer(by, for: "override on Rx \(rx)")
      let fill = try context.database().fillPrescription(
        rx, lot: lot, reason: reason, override: override, by: user, opioids: context.settings.dispensing.opioids,
        cyp450Substrates: context.settings.dispensing.cyp450Substrates, priceModel: try context.settings.priceModel(),
        today: context.today, now: context.now)
      if json { return try Output.json(fill) }
      print(
        "filled Rx \(fill.rxNumber) (fill \(fill.fillNumber), id \(fill.id)): \(fill.quantity) x \(fill.formula.name) from batch \(fill.lotNumber), BUD \(fill.beyondUseDate); \(fill.refillsRemaining) refills left"
      )
      if let price = fill.price {
        print("price \(price.currency) \(price.total) (\(PricingText.oneLine(price)))")
        for missing in price.missing { print("warning: price incomplete: \(missing)") }
      }
      for warning in fill.decision.warnings { print("warning recorded: \(warning)") }
      for overridden in fill.decision.overridden {
        print("overridden by \(user.id) (\(fill.decision.overrideReason ?? "")): \(overridden)")
      }
      print("print its label: compound label print --fill \(fill.id) --by \(user.id)")
    }
  }
}
