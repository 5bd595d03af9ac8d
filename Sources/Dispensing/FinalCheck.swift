import Foundation

/// The rule for a pharmacist's final check of a fill (who may sign it is `SigningRules`).
public enum FinalCheck {
  /// Why fill `id` cannot be checked, or nil when it can: not voided, checked once, and only once its label
  /// is printed, so that the labelled product is what the pharmacist checks.
  public static func refusal(id: Int64, voidedBy: String?, checked: (by: String, at: String)?, labelsPrinted: Int)
    -> String?
  {
    if let voidedBy { return "fill \(id) was voided by \(voidedBy): there is nothing to check" }
    if let checked { return "fill \(id) was already checked by \(checked.by) at \(checked.at)" }
    guard labelsPrinted > 0 else {
      return
        "fill \(id) has no printed label yet: print it with 'compound label print --fill \(id)', then check the labelled product"
    }
    return nil
  }
}
