import ArgumentParser
import Digest
import Formulation
import Foundation
import Quality
import Quantities
import Settings
import Store

/// `compound assay`: laboratory results against USP limits.
struct AssayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assay", abstract: "Record and review assays and content uniformity of compounded lots.",
    subcommands: [Record.self, Show.self, List.self, Uniformity.self, Trend.self])

  /// `compound assay record`.
  struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract: "Record a lab result for a batch; a failing result puts the lot on hold.",
      discussion: """
        Example: compound assay record LDN45-261122-01 --lab "Eagle Analytical" --method "HPLC-UV" \
        --tested 2026-11-30 --percent 99.2 --units 98,99,100,101,102,97,103,99,100,101 --by dchen
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "The laboratory.") var lab: String
    @Option(help: "The method, for example HPLC-UV.") var method: String
    @Option(help: "The date the lab tested the lot, YYYY-MM-DD.", transform: ArgumentTypes.date("--tested"))
    var tested: CalendarDate
    @Option(
      parsing: .unconditional, help: "The assay in % of label claim.", transform: ArgumentTypes.number("--percent"))
    var percent: ExactNumber?
    @Option(
      parsing: .unconditional, help: "The mg of API per capsule the lab found (converted with the lot's strength).",
      transform: ArgumentTypes.number("--mg"))
    var mg: ExactNumber?
    @Option(help: "Unit results for content uniformity, % of label claim: 10 or 30 values.") var units: String?
    @Option(help: "Stage 2: the 20 further unit results, beside the first 10 in --units.") var moreUnits: String?
    @Option(help: "The lab's certificate (PDF); its SHA-256 and path are stored.") var certificate: String?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      var sha: String?
      if let certificate {
        sha = SHA256.hex(try SettingsLoader.readData(certificate, what: "the certificate", limit: 64 * 1_048_576))
      }
      let input = AssayInput(
        lotNumber: lot, lab: lab.trimmingCharacters(in: .whitespaces),
        method: method.trimmingCharacters(in: .whitespaces), tested: tested,
        percent: percent?.value,
        mg: mg?.value,
        units: try units.map { try Parsing.units($0, more: moreUnits) },
        certificatePath: certificate.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
        certificateSha256: sha, by: user)
      let entry = try context.database().recordAssay(
        input, policy: try context.inForce().settings.qualityPolicy, today: context.today, now: context.now)
      if json { return try Output.json(entry) }
      print(QualityText.assay(entry, zone: context.zone))
      if entry.heldLot { print("lot \(entry.lotNumber) is now ON HOLD: it cannot be released, labeled or dispensed") }
    }
  }

  /// `compound assay show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a batch's assay results.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Batch lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let entries = try context.database().assays(lotNumber: lot)
      if json { return try Output.json(entries) }
      if entries.isEmpty { return print("no assay recorded for \(lot)") }
      print(entries.map { QualityText.assay($0, zone: context.zone) }.joined(separator: "\n\n"))
    }
  }

  /// `compound assay list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List assay results, oldest first.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this formula.") var formula: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let entries = try context.database().assays(formula: formula)
      if json { return try Output.json(entries) }
      if entries.isEmpty { return print("no assays recorded yet") }
      print(
        Output.table(
          ["LOT", "FORMULA", "TESTED", "LAB", "ASSAY %", "VERDICT", "UNIFORMITY"],
          entries.map {
            [
              $0.lotNumber, $0.formulaCode, $0.result.tested.description, $0.result.lab,
              $0.result.limits.range.reported($0.result.percent), $0.result.verdict.text,
              $0.result.uniformity.map { "\($0.verdict) (AV \($0.avRounded.fixed(1)))" } ?? "-",
            ]
          }))
    }
  }

  /// `compound assay uniformity`.
  struct Uniformity: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "uniformity",
      abstract: "USP <905> content uniformity from unit results; records nothing.",
      discussion: "Example: compound assay uniformity --units 98,99,100,101,102,97,103,99,100,101")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Unit results in % of label claim: 10 or 30 values.") var units: String
    @Option(help: "Stage 2: the 20 further unit results, beside the first 10 in --units.") var moreUnits: String?
    @Option(
      parsing: .unconditional,
      help: "Target T in % of label claim (default: the rules' quality.uniformity_target_percent).",
      transform: ArgumentTypes.number("--target"))
    var target: ExactNumber?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      // A calculator that records nothing: the rules in force when there is a database, else the shipped ones.
      let hasDatabase = FileManager.default.fileExists(atPath: context.loaded.databasePath)
      let policy = try hasDatabase ? context.inForce().settings.qualityPolicy : context.settings.qualityPolicy
      let values = try Parsing.units(units, more: moreUnits)
      let result = try ContentUniformity.evaluate(
        units: values, target: target?.value ?? policy.target,
        l1: policy.l1, l2: policy.l2)
      if json { try Output.json(result) } else { print(QualityText.uniformity(result)) }
      guard result.passed else { throw ExitStatus.uniformityNotMet }
    }
  }

  /// `compound assay trend`.
  struct Trend: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "trend",
      abstract: "Assay results lot after lot for a formula, with mean, SD and a drift warning.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Formula code.") var formula: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let database = try context.database()
      let range = try database.formula(formula).formula.qualityControl.assay
      let points = try database.assays(formula: formula).map {
        AssayTrend.Point(
          lotNumber: $0.lotNumber, tested: $0.result.tested, percent: $0.result.percent, verdict: $0.result.verdict)
      }
      let trend = AssayTrend.analyse(points, range: range)
      if json { return try Output.json(trend) }
      print(QualityText.trend(trend, formula: formula))
    }
  }
}
