import Accounts
import ArgumentParser
import Digest
import Dispensing
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound rules`: the clinical rules every check uses, imported by a pharmacist.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "Import and show the clinical rules (limits, excipients, drug vocabulary).",
    discussion: """
      The clinical rules are not settings: they live in the database, versioned by their SHA-256, and each \
      batch and fill records the version it was checked against. 'compound init' imports the shipped \
      Config/rules.toml and Config/vocabulary.toml; a pharmacist imports a changed version, signed.
      """,
    subcommands: [Import.self, Show.self])

  /// `compound rules import`.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import a new version of the clinical rules (a pharmacist, signed with the PIN).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Rules file (default: the shipped Config/rules.toml).") var file: String?
    @Option(help: "Drug vocabulary file (default: the shipped Config/vocabulary.toml).") var vocabulary: String?
    @Option(help: "Why the rules change (kept with the version).") var reason: String = "shipped rules"
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let (rules, source) = try RulesInForce.read(rulesFile: file, vocabularyFile: vocabulary)
      let signer = try context.signer(signer.by, for: "import clinical rules")
      let record = try context.database().importRules(
        json: try rules.canonicalJSON(), source: source, reason: reason, by: signer, now: context.now)
      if json { return try Output.json(record) }
      print(
        "imported clinical rules version \(record.version) (\(record.sha256.prefix(12))) from \(source), signed by \(signer.id)"
      )
    }
  }

  /// `compound rules show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show the clinical rules in force and their history.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the rules in force as JSON.") var json = false

    /// The balances the rules list, each with its minimum weight, and the daily check's tolerance.
    private func balancesLine(_ clinical: ClinicalParts) -> String {
      let tolerance = clinical.weighing.balanceCheckTolerancePercent.value.trimmed(minimum: 2, maximum: 3)
      let settings = clinical.applied(to: Settings.defaults)
      let balances = clinical.balances.compactMap { entry -> String? in
        guard let balance = try? settings.balance(entry.id) else { return nil }
        return "\(balance.id) (\(balance.model), reads \(balance.readability), minimum weight \(balance.minimumWeight))"
      }
      return "Balances (daily check within \(tolerance) %): \(balances.joined(separator: "; "))"
    }

    func run() throws {
      let context = try Context(global)
      let rules = try context.inForce()
      if json { return FileHandle.standardOutput.write(Data((rules.record.json + "\n").utf8)) }
      let record = rules.record
      let whole = try rules.rules()
      let clinical = whole.parts
      let vocabulary = whole.vocabulary
      let lines =
        [
          "Clinical rules in force: \(rules.label), imported \(context.local(record.importedAt)) by \(record.importedBy) (\(record.reason))",
          "SHA-256: \(record.sha256)",
          "Source: \(record.source)",
          "Drug vocabulary: \(vocabulary.ingredients.count) ingredients, \(vocabulary.products.count) products, \(vocabulary.classes.count) classes, \(vocabulary.ignore.count) ignored words",
          "Interactions:",
        ]
        + vocabulary.interactions.map {
          "  \($0.preparation) x \($0.patient): \($0.effect.rawValue) (\($0.reason))"
        }
        + [
          "Refill too soon: before \(clinical.refillTooSoonPercent) % of the previous fill's days' supply",
          "Preparation assay: \(clinical.quality.preparationAssay) of label claim; assay before release: \(clinical.quality.requireAssayBeforeRelease ? "required" : "not required")",
          "Weighing tolerance: API \(clinical.weighing.apiTolerancePercent) %, excipients \(clinical.weighing.excipientTolerancePercent) %; yield \(clinical.weighing.yieldMinPercent)-\(clinical.weighing.yieldMaxPercent) % of the capsules the powder was made for",
          "Lots: first-expiry-first-out skips a lot that would bring the BUD under \(clinical.weighing.minBudDays) days",
          balancesLine(clinical),
          "Accepted fillers: \(clinical.excipients.fillers.map(\.name).joined(separator: "; "))",
          "Rejected excipients: \(clinical.excipients.rejected.map(\.name).joined(separator: "; "))",
          "History:",
        ]
        + (try context.database().rulesHistory()).map {
          "  version \($0.version) (\($0.sha256.prefix(12))) imported \(context.local($0.importedAt)) by \($0.importedBy): \($0.reason)"
        }
      print(lines.joined(separator: "\n"))
    }
  }
}
