import ArgumentParser
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// The `compound` command: batch, quality and label records of a compounding pharmacy.
public struct CompoundCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "compound",
    abstract: "Batch, quality and label records for a compounding pharmacy.",
    discussion: """
      Start the day with 'compound today': what needs someone now, with the command for each.

      Settings come from --config, COMPOUND_CONFIG, or ~/.config/compound/compound.toml over the built-in \
      defaults (Config/compound.toml documents every key). The clinical rules live in the database \
      ('compound rules show').

      The database is --db, COMPOUND_DB, the settings' database key, or ~/.local/share/compound/compound.sqlite.

      Every write is signed by the user its --by names: their PIN is asked for without echo. A script sets \
      COMPOUND_PIN (COMPOUND_WITNESS_PIN for a witness, COMPOUND_NEW_PIN for 'user add' and 'user pin').

      COMPOUND_NOW (ISO 8601 with a zone) fixes the clock, on a training database only ('compound init \
      --training'). Exit statuses: 0 done, 1 refused, 3 incomplete price, 4 doctor found problems, 5 audit \
      mismatch, 6 uniformity not met, 64 a command line that is wrong.
      """,
    version: CompoundVersion.current,
    subcommands: [
      TodayCommand.self, InitCommand.self, ConfigCommand.self, RulesCommand.self, IngredientCommand.self,
      LotCommand.self,
      FormulaCommand.self,
      BatchCommand.self, TriturationCommand.self, BalanceCommand.self, AssayCommand.self, PatientCommand.self,
      PrescriberCommand.self, RxCommand.self,
      LabelCommand.self, PriceCommand.self, StockCommand.self, InventoryCommand.self,
      RecallCommand.self, StoreCommand.self, UserCommand.self, AuditCommand.self, BackupCommand.self,
      RestoreCommand.self,
      DoctorCommand.self,
      DemoCommand.self,
    ])

  public init() {}
}

/// The product's version.
public enum CompoundVersion {
  public static let current = "0.1.0"
}
