import ArgumentParser
import Formulation
import Foundation
import Quality
import Quantities
import Settings
import Store

/// `compound trituration`: dilutions of an API made as their own lots, for masses below a balance's minimum.
struct TriturationCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trituration", abstract: "Plan, make, assay and list triturations (an API diluted in a filler).",
    discussion: """
      A trituration (for example NTX-T10: 1 part naltrexone HCl in 10, in Avicel) is added like a formula, \
      with 'compound formula add --file Config/formulas/NTX-T10.toml'. Making one records its own lot of the API at \
      the potency its weighings give, quarantined until another pharmacist releases it ('compound lot release'); \
      a capsule batch then weighs it instead of the API ('compound lot show LOT' prints its record).
      """,
    subcommands: [Plan.self, Make.self, Assay.self, List.self])

  /// `compound trituration plan`.
  struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "plan", abstract: "Print a trituration's weighing worksheet; records nothing.",
      discussion: "Example: compound trituration plan --formula NTX-T10 --mass 2g")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The trituration's code.") var formula: String
    @Option(help: "The mass of trituration to make, for example 2g.", transform: ArgumentTypes.mass("--mass"))
    var mass: Mass
    @Option(help: "Use this lot instead of the first-expiry-first-out choice: INGREDIENT=LOT.") var lot: [String] = []
    @Option(help: "The balance to weigh on (default: bench.balance).") var balance: String?
    @Option(help: "Why a lot that brings the BUD under the minimum days is named with --lot.")
    var shortDatedReason: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let plan = try context.database().planTrituration(
        code: formula, mass: mass, lotChoices: try Parsing.pairs(lot, option: "--lot", example: "api=R261122-001"),
        balance: try context.balance(balance), rules: try context.rules(), today: context.today,
        shortDatedReason: shortDatedReason)
      if json { return try Output.json(plan) }
      print(LotText.triturationPlan(plan, context: context))
    }
  }

  /// `compound trituration make`.
  struct Make: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "make",
      abstract: "Record a trituration lot in one transaction; it starts quarantined.",
      discussion: """
        The balance must have passed its check today; each mass must be at or above its minimum weight. A mass not \
        given with --weighed is read from the balance's device (or --device), confirmed at the prompt.
        Example: compound trituration make --formula NTX-T10 --mass 2g --weighed api=200.3mg \
        --weighed diluent=1.8004g --by mtorres
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The trituration's code.") var formula: String
    @Option(help: "The mass of trituration planned, for example 2g.", transform: ArgumentTypes.mass("--mass"))
    var mass: Mass
    @Option(help: "A mass weighed: INGREDIENT=MASS (code, or api / diluent).") var weighed: [String] = []
    @Option(help: "The lot used when it is not the first-expiry-first-out choice: INGREDIENT=LOT.") var lot: [String] =
      []
    @Option(help: "The balance weighed on (default: bench.balance).") var balance: String?
    @Option(help: "Read the masses not given with --weighed from the balance at this address.") var device: String?
    @Option(help: "Why a lot that brings the BUD under the minimum days is named with --lot.")
    var shortDatedReason: String?
    @Option(help: "Why a mass is outside its tolerance (required then).") var deviation: String?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print the record as JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let scale = try context.balance(balance)
      let choices = try Parsing.pairs(lot, option: "--lot", example: "api=R261122-001")
      var masses: [String: Mass] = [:]
      for (key, value) in try Parsing.pairs(weighed, option: "--weighed", example: "api=200.3mg") {
        masses[key.uppercased()] = try Mass.parse(value, what: "--weighed \(key)")
      }
      let database = try context.database()
      let rules = try context.rules()
      let plan = try database.planTrituration(
        code: formula, mass: mass, lotChoices: choices, balance: scale, rules: rules, today: context.today,
        shortDatedReason: shortDatedReason)
      var sources: [String: String] = [:]
      let missing = plan.components.filter {
        !masses.keys.contains($0.ingredientCode.uppercased())
          && !masses.keys.contains($0.role == .api ? "API" : "DILUENT")
      }
      if !missing.isEmpty, device != nil || scale.device != nil {
        try context.settle()
        let capture = try BenchCapture(balance: scale, device: device)
        for (code, value) in try capture.capture(missing, display: context.display) {
          masses[code] = value
          sources[code] = capture.source
        }
      }
      let entry = try database.makeTrituration(
        code: formula, mass: mass, weighed: masses, sources: sources, lotChoices: choices, balance: scale,
        deviation: deviation, shortDatedReason: shortDatedReason, rules: rules,
        format: try LotNumberFormat(context.settings.lots.batchFormat), by: user, today: context.today,
        now: context.now)
      if json { return try Output.json(entry) }
      print(
        "made trituration \(entry.lotNumber): \(context.display.mass(entry.record.mass)) of \(entry.record.plan.code), potency \(entry.record.potencyPercent.trimmed(maximum: 4)) %"
      )
      print("BUD \(entry.record.plan.beyondUseDate.date) (\(entry.record.plan.beyondUseDate.basis))")
      print(
        "status quarantined: another pharmacist checks the record and runs 'compound lot release \(entry.lotNumber)'")
      for line in entry.record.outOfRange { print("deviation recorded: \(line)") }
    }
  }

  /// `compound trituration assay`.
  struct Assay: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "assay",
      abstract: "Record a lab's assay of a trituration lot: the potency found, % of the potency its record states.",
      discussion: """
        Judged against quality.preparation_assay; a failing result puts the lot on hold. With \
        quality.require_assay_before_release the lot is released only after a passing assay.
        Example: compound trituration assay NTX-T10-261122-01 --lab "Eagle Analytical" --method HPLC-UV \
        --tested 2026-11-22 --percent 99.1 --by dchen
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The trituration's lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "Laboratory.") var lab: String
    @Option(help: "Method, for example HPLC-UV.") var method: String
    @Option(help: "Date tested, YYYY-MM-DD.", transform: ArgumentTypes.date("--tested")) var tested: CalendarDate
    @Option(
      parsing: .unconditional, help: "Potency found, % of the stated potency.",
      transform: ArgumentTypes.number("--percent"))
    var percent: ExactNumber
    @OptionGroup var signer: SignerOption

    func run() throws {
      let context = try Context(global)
      let user = try context.signer(signer.by, for: "record the assay of \(lot)")
      let settings = try context.inForce().settings
      let limits = settings.qualityPolicy.limits(
        range: settings.quality.preparationAssay, source: "quality.preparation_assay")
      let result = try context.database().recordTriturationAssay(
        lot, lab: lab, method: method, tested: tested, percent: percent.value, limits: limits, by: user,
        today: context.today, now: context.now)
      print("assay of \(lot): \(percent) % of the stated potency: \(result.verdict.text) (\(limits))")
      if result.held { print("lot \(lot) is on hold: it cannot be used; reject it or make another") }
    }
  }

  /// `compound trituration list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List the trituration formulas (latest versions).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let formulas = try context.database().triturationFormulas()
      if json { return try Output.json(formulas.map(\.definition)) }
      if formulas.isEmpty {
        return print("no triturations yet: add one with 'compound formula add --file Config/formulas/NTX-T10.toml'")
      }
      print(
        Output.table(
          ["CODE", "VERSION", "API", "DILUENT", "1 PART IN", "NAME"],
          formulas.map {
            [
              $0.definition.code, "\($0.version)", $0.definition.api, $0.definition.diluent, "\($0.definition.parts)",
              $0.definition.name,
            ]
          }))
    }
  }
}
