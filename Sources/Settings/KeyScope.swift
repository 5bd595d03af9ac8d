import Foundation
import TOMLKit

/// Which keys a file may set: a settings file the local ones, a rules file the clinical ones.
///
/// Clinical rules (the drug vocabulary, interactions, the refill window, assay, weight and yield limits,
/// accepted and rejected excipients, BUDs, certificate limits) live in the database, imported by a
/// pharmacist's signed `compound rules import`, so that nobody can switch a check off with a file of their
/// own. A settings file changes only local things: the pharmacy, printers and label stock, paths, lot-number
/// formats, prices, stock reports, the station's bench and the time zone.
public enum KeyScope: Sendable {
  case local, clinical

  /// Top-level tables that are clinical rules as a whole.
  public static let clinicalTables: Set<String> = [
    "capsules", "excipients", "bud", "weighing", "formulation", "certificates", "quality", "balances",
  ]
  /// Clinical keys inside the otherwise local `[dispensing]` table, and keys of earlier versions.
  public static let clinicalDispensingKeys: Set<String> = ["refill_too_soon_percent", "opioids", "cyp450_substrates"]

  /// Refuses a key this kind of file may not hold, naming it and what to do instead.
  func check(_ table: TOMLTable) throws(SettingsError) {
    var clinical: [String] = []
    var local: [String] = []
    for key in table.keys where key != "version" {
      if key == "dispensing", let inner = table[key]?.table {
        for name in inner.keys {
          if Self.clinicalDispensingKeys.contains(name) {
            clinical.append("dispensing.\(name)")
          } else {
            local.append("dispensing.\(name)")
          }
        }
      } else if Self.clinicalTables.contains(key) {
        clinical.append(key)
      } else {
        local.append(key)
      }
    }
    switch self {
    case .local:
      if let first = clinical.first {
        throw SettingsError(
          "\(first) is a clinical rule, which a settings file cannot change: a pharmacist imports rules with 'compound rules import --file RULES.toml --by PHARMACIST' (see Config/rules.toml)"
        )
      }
    case .clinical:
      if let first = local.first {
        throw SettingsError(
          "\(first) is a local setting, not a clinical rule: put it in the settings file (see Config/compound.toml)")
      }
    }
  }
}
