import Accounts
import ArgumentParser
import Formulation
import Foundation
import Store

/// `compound user`: the people who record and sign, with their PINs.
struct UserCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user", abstract: "Add, list, re-PIN and disable the people who record and sign.",
    discussion: """
      Verify, release, reject, override and reprint are signed: they ask for the signer's PIN (typed without
      echo, or COMPOUND_PIN in a script). PINs are stored only as salted yescrypt hashes. Users are never
      deleted: a disabled user keeps the records they signed and can sign nothing more.
      """,
    subcommands: [Add.self, List.self, Pin.self, Disable.self])

  /// `compound user add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a technician or pharmacist with a PIN; a pharmacist signs for it (the first user: none).",
      discussion: """
        The new user's PIN (6 to 12 digits) is typed twice without echo, or given in COMPOUND_NEW_PIN; the
        adding pharmacist's own PIN is asked for, or given in COMPOUND_PIN.
        Example: compound user add mtorres --name "Maria Torres, CPhT" --role technician --by dchen
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Short id the user types with --by, for example mtorres.") var id: String
    @Option(help: "Full name as it appears on records.") var name: String
    @Option(help: "technician or pharmacist.", transform: ArgumentTypes.choice(Role.self, "--role")) var role: Role
    @Option(help: "The pharmacist adding the user (not for the first user).") var by: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let database = try context.database()
      let signer = try by.map { try context.signer($0, for: "add user \(id)") }
      if signer == nil, !(try database.users().isEmpty) {
        throw CLIError("adding a user needs a pharmacist's signature: add --by PHARMACIST")
      }
      let pin = try context.newPin(for: id)
      let account = try database.addUser(
        User(id: id, name: name, role: role), pin: pin, by: signer, now: context.now)
      if json { return try Output.json(account) }
      print("added \(account.user.role.rawValue) \(account.user.id) (\(account.user.name))")
    }
  }

  /// `compound user list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List users, their roles and whether they may sign.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let accounts = try context.database().users()
      if json { return try Output.json(accounts) }
      if accounts.isEmpty {
        return print("no users yet: add the first pharmacist with 'compound user add ID --name NAME --role pharmacist'")
      }
      print(
        Output.table(
          ["ID", "NAME", "ROLE", "STATUS", "ADDED"],
          accounts.map {
            [
              $0.user.id, $0.user.name, $0.user.role.rawValue,
              $0.active
                ? "active"
                : "disabled \(context.local($0.disabledAt ?? "")) by \($0.disabledBy ?? "?"): \($0.disabledReason ?? "")",
              "\(context.local($0.createdAt)) by \($0.createdBy)",
            ]
          }))
    }
  }

  /// `compound user pin`.
  struct Pin: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pin",
      abstract: "Set a new PIN: the user signs with the old one, or a pharmacist (--by) resets a forgotten one.",
      discussion: """
        The signer's PIN is asked for (or COMPOUND_PIN); the new PIN is typed twice (or COMPOUND_NEW_PIN).
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Whose PIN.") var id: String
    @Option(help: "A pharmacist resetting someone else's forgotten PIN.") var by: String?

    func run() throws {
      let context = try Context(global)
      let signer = try context.signer(by ?? id, for: "set \(id)'s PIN", changingOwnPin: by == nil)
      let pin = try context.newPin(for: id)
      try context.database().changePin(id, to: pin, by: signer, now: context.now)
      print("set a new PIN for \(id) (signed by \(signer.id))")
    }
  }

  /// `compound user disable`.
  struct Disable: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "disable",
      abstract: "Disable a user for good (a pharmacist signs, with a reason); their records stay theirs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The user to disable.") var id: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var signer: SignerOption

    func run() throws {
      let context = try Context(global)
      let signer = try context.signer(signer.by, for: "disable user \(id)")
      let account = try context.database().disableUser(id, reason: reason, by: signer, now: context.now)
      print("disabled \(account.user.id) (\(account.user.name)): they can no longer record or sign")
    }
  }
}
