import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound formula`: master formulation records.
struct FormulaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "formula", abstract: "Add, list and show master formulation records.",
    subcommands: [Add.self, List.self, Show.self])

  /// `compound formula add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a formula from a TOML file; a changed formula becomes a new version.",
      discussion: """
        See Config/formulas/ for the LDN formulas and every key explained. A file with kind = "trituration" \
        (Config/formulas/NTX-T10.toml) is a trituration's formula: made with 'compound trituration make'.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The formula's .toml file.") var file: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print the stored version as JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let text = try SettingsLoader.readText(file, what: "formula file")
      if TriturationFile.isTrituration(text) {
        let definition = try TriturationFile.parse(text, file: file)
        let approver = try context.user(signer.by)
        let result = try context.database().addTrituration(
          definition, source: text, approvedBy: approver, rules: try context.rules(), now: context.now)
        if json { return try Output.json(definition) }
        return print(
          result.created
            ? "added trituration \(definition.code) version \(result.version): \(definition.name)"
            : "trituration \(definition.code) version \(result.version) already has this content: nothing changed")
      }
      let formula = try FormulaFile.parse(text, file: file)
      let approver = try context.user(signer.by)
      let result = try context.database().addFormula(
        formula, source: text, approvedBy: approver, rules: try context.rules(),
        index: try context.inForce().drugIndex(),
        now: context.now)
      if json { return try Output.json(result.version) }
      let stored = result.version
      print(
        result.created
          ? "added \(stored.formula.code) version \(stored.version): \(stored.formula.name)"
          : "\(stored.formula.code) version \(stored.version) already has this content: nothing changed")
      for warning in result.warnings { print("warning: \(warning)") }
    }
  }

  /// `compound formula list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List formulas (latest versions).")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let formulas = try context.database().formulas()
      if json { return try Output.json(formulas) }
      if formulas.isEmpty { return print("no formulas yet: add one with 'compound formula add --file F.toml'") }
      print(
        Output.table(
          ["CODE", "VERSION", "STRENGTH", "SIZE", "FILLER", "BATCHES", "NAME"],
          formulas.map {
            [
              $0.formula.code, "\($0.version)", "\($0.formula.strength) (\($0.formula.strengthBasis.rawValue))",
              $0.formula.capsuleSize, $0.formula.filler, "\($0.batches)", $0.formula.name,
            ]
          }))
    }
  }

  /// `compound formula show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a master formulation record.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Formula code.") var code: String
    @Option(help: "A version other than the latest.") var version: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let stored = try context.database().formula(code, version: version)
      if json { return try Output.json(stored) }
      let formula = stored.formula
      let category = (try context.rules()).budCategory(formula.budCategory)
      let bud =
        formula.stabilityDays.map { "\($0) days (cited: \(formula.stabilityReference ?? ""))" }
        ?? "\(category?.days ?? 0) days (USP <795> \(category?.name ?? formula.budCategory))"
      print(
        """
        MASTER FORMULATION RECORD \(formula.code) version \(stored.version)  (sha256 \(stored.sha256.prefix(16)))
        Name: \(formula.name)
        Dosage form: \(formula.dosageForm), size \(formula.capsuleSize)
        Strength: \(formula.strength) per capsule, as \(formula.strengthBasis.rawValue) of \(formula.api)
        Filler: \(formula.filler), pack stat \(formula.packStat) per size \(formula.capsuleSize) capsule
        Shells: \(formula.shell ?? "not tracked")
        Extra for loss: \(formula.extraPercent) %
        Container: \(formula.container)
        Storage: \(formula.storage)
        BUD: \(bud)
        Description: \(formula.description)
        Equipment: \(formula.equipment)
        Instructions: \(formula.instructions)
        Directions: \(formula.directions)
        Warnings: \(formula.warnings.joined(separator: "; "))
        Labeling: \(formula.labeling)
        QC: capsule weight \(formula.qualityControl.capsuleWeight) of theoretical fill; assay \(formula.qualityControl.assay) of label claim
        QC procedure: \(formula.qualityControl.procedure)
        Added \(context.local(stored.createdAt))\(stored.approvedBy.map { ", approved by \($0)" } ?? ""); \(stored.batches) batches compounded from it
        """)
    }
  }
}
