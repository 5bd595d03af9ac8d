import Foundation

/// The rule for a pharmacist's verification of a compounding record (who may sign it is `SigningRules`).
public enum BatchVerification {
  /// Why batch `lotNumber` cannot be verified, or nil when it can: it is verified once, and only after its
  /// capsule weight check is on record.
  public static func refusal(lotNumber: String, verifiedBy: String?, weightChecks: Int) -> String? {
    if let verifiedBy { return "batch \(lotNumber) was already verified by \(verifiedBy)" }
    guard weightChecks > 0 else {
      return
        "batch \(lotNumber) has no capsule weight check: record it first with 'compound batch weights \(lotNumber) --mg ...'"
    }
    return nil
  }
}
