import ArgumentParser

/// `--by USER`: who signs a write, with their PIN; one option for every command that writes.
struct SignerOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Who signs this: a user id, signed with their PIN (asked for on the terminal, or COMPOUND_PIN).",
      valueName: "user"))
  var by: String
}
