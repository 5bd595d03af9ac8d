import ArgumentParser
import Foundation
import Settings
import Store

/// `compound store`: the stores of a chain that share one database.
struct StoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "store", abstract: "Add and list the stores of a chain that share one database.",
    discussion: """
      A chain's stores share one database, usually a PostgreSQL server (README "Several stations"). Each \
      station names its store in its settings, [pharmacy] store = CODE. Stock, lot numbers, Rx numbers and \
      the month's workbook are the store's own; 'compound recall' spans every store and says which holds \
      what. The first store added holds every record written before the pharmacy had stores. Stores are \
      never removed.
      """,
    subcommands: [Add.self, List.self])

  /// `compound store add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a store to the chain; a pharmacist signs for it.",
      discussion: "Example: compound store add WEST --name \"West Side\" --by dchen")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The store's code, 1 to 8 letters or digits; its lot and Rx numbers begin with it.")
    var code: String
    @Option(help: "The store's name, as reports show it.") var name: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.signer(signer.by, for: "add store \(code)")
      let store = try context.database().addStore(code: code, name: name, by: user, now: context.now)
      if json { return try Output.json(store) }
      let first = try context.database().stores().first?.id == store.id
      print(
        "added store \(store.code) (\(store.name))"
          + (first ? "; it holds every lot, batch and prescription written before" : "")
          + "; a station there sets [pharmacy] store = \"\(store.code)\"")
    }
  }

  /// `compound store list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the chain's stores.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let stores = try context.database().stores()
      if json { return try Output.json(stores) }
      if stores.isEmpty {
        return print(
          "no stores: this pharmacy is one store; a chain adds each with 'compound store add CODE --name NAME --by PHARMACIST'"
        )
      }
      let here = context.settings.pharmacy.store.uppercased()
      print(
        Output.table(
          ["CODE", "NAME", "THIS STATION"],
          stores.map { [$0.code, $0.name, $0.code == here ? "yes" : ""] }))
    }
  }
}
