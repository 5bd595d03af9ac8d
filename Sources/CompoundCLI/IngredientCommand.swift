import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound ingredient`: the catalog of APIs, excipients, shells and containers.
struct IngredientCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingredient", abstract: "Add and list catalog ingredients.", subcommands: [Add.self, List.self])

  /// `compound ingredient add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add an API, excipient, capsule shell or container to the catalog.",
      discussion: """
        Example: compound ingredient add NALTREXONE-HCL --name "Naltrexone hydrochloride USP" --kind api \
        --salt-form HCl --mw-salt 377.86 --mw-base 341.4
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Short code, for example NALTREXONE-HCL.") var code: String
    @Option(help: "Full name as on the supplier's label.") var name: String
    @Option(help: "api, excipient, shell or container.", transform: ArgumentTypes.choice(IngredientKind.self, "--kind"))
    var kind: IngredientKind
    @Option(help: "Salt form the API is stocked as, for example HCl; leave out for a free base.") var saltForm: String?
    @Option(
      parsing: .unconditional, help: "Molecular weight of the salt, g/mol.",
      transform: ArgumentTypes.number("--mw-salt")) var mwSalt: ExactNumber?
    @Option(
      parsing: .unconditional, help: "Molecular weight of the free base, g/mol.",
      transform: ArgumentTypes.number("--mw-base"))
    var mwBase: ExactNumber?
    @Option(parsing: .unconditional, help: "Measured bulk density, g/mL.", transform: ArgumentTypes.number("--density"))
    var density: ExactNumber?
    @Option(help: "Capsule size of shells: 000 to 5.") var capsuleSize: String?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print the entry as JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let ingredient = Ingredient(
        code: code.uppercased(), name: name.trimmingCharacters(in: .whitespaces), kind: kind,
        saltForm: saltForm.flatMap { $0.isEmpty ? nil : $0 },
        molecularWeightSalt: mwSalt, molecularWeightBase: mwBase, density: density, capsuleSize: capsuleSize)
      if let size = capsuleSize, try context.rules().capsule(size) == nil {
        throw CLIError(
          "--capsule-size '\(size)' is not configured: use one of \(try context.rules().capsuleSizes.map(\.size).joined(separator: ", "))"
        )
      }
      let user = try context.user(signer.by)
      let database = try context.database()
      try database.addIngredient(ingredient, by: user, now: context.now)
      if json { return try Output.json(ingredient) }
      print("added \(ingredient.kind.rawValue) \(ingredient.code): \(ingredient.name)")
      if let rejection = try context.rules().rejection(of: ingredient) {
        print("note: \(ingredient.name) can never fill these capsules: \(rejection.reason)")
      } else if let filler = try context.rules().filler(for: ingredient), !filler.warning.isEmpty {
        print("note: \(filler.warning)")
      }
    }
  }

  /// `compound ingredient list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the catalog.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let ingredients = try context.database().ingredients()
      if json { return try Output.json(ingredients) }
      if ingredients.isEmpty { return print("no ingredients yet: add one with 'compound ingredient add'") }
      print(
        Output.table(
          ["CODE", "KIND", "NAME", "DETAILS"],
          ingredients.map { item in
            var details: [String] = []
            if let salt = item.saltForm { details.append("salt \(salt)") }
            if let mw = item.molecularWeightSalt { details.append("MW salt \(mw)") }
            if let mw = item.molecularWeightBase { details.append("MW base \(mw)") }
            if let density = item.density { details.append("density \(density) g/mL") }
            if let size = item.capsuleSize { details.append("size \(size)") }
            return [item.code, item.kind.rawValue, item.name, details.joined(separator: ", ")]
          }))
    }
  }
}
