import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// Where the settings and the database are; every command takes these.
public struct GlobalOptions: ParsableArguments, Sendable {
  @Option(
    name: .customLong("db"),
    help:
      "Database file or postgresql://ROLE@HOST:PORT/NAME (else COMPOUND_DB, the settings' database, or the XDG data folder)."
  )
  var database: String?

  @Option(
    name: .customLong("config"), help: "Settings file (else COMPOUND_CONFIG, or ~/.config/compound/compound.toml).")
  var config: String?

  public init() {}
}
