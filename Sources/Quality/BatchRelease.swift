import Formulation
import Foundation
import Quantities

/// The one rule for releasing a compounded batch.
public enum BatchRelease {
  /// Why the batch may not be released on `today`, or nil when it may.
  ///
  /// It needs a verified record, a passing latest weight check, a beyond-use date not yet past, every
  /// ingredient lot it consumed still usable (not on hold, recalled or rejected: a batch leaves a recall hold
  /// only once its ingredient lots do), and, when the policy says so, a passing latest assay.
  public static func refusal(_ facts: ReleaseFacts, policy: QualityPolicy, today: CalendarDate) -> String? {
    let number = facts.lotNumber
    guard facts.verified else {
      return
        "batch \(number) cannot be released: its compounding record is not verified ('compound batch verify \(number) --by PHARMACIST')"
    }
    guard facts.weightCheckPassed == true else {
      return
        "batch \(number) cannot be released: its latest capsule weight check \(facts.weightCheckPassed == nil ? "is missing" : "failed")"
    }
    if BatchGate.isPast(facts.beyondUseDate, today: today) {
      return "batch \(number) cannot be released: it is past its beyond-use date \(facts.beyondUseDate)"
    }
    let unusable: Set<LotStatus> = [.onHold, .recalled, .rejected]
    if let lot = facts.consumed.first(where: { unusable.contains($0.status) }) {
      return
        "batch \(number) cannot be released: it used \(lot.ingredient) lot \(lot.lotNumber), which is \(lot.status == .onHold ? "on hold" : lot.status.rawValue); release that lot first, or reject the batch"
    }
    guard policy.requireAssayBeforeRelease else { return nil }
    guard let latest = facts.latestAssay else {
      return
        "batch \(number) cannot be released: no assay is on record ('compound assay record \(number) ...'; quality.require_assay_before_release)"
    }
    guard latest.allowsRelease else {
      let what =
        latest.verdict == .fail
        ? "failed (\(latest.percent.fixed(1)) %)"
        : "has content uniformity \(latest.uniformity?.verdict ?? "") (\(latest.uniformity?.nextStep ?? "see the record"))"
      return "batch \(number) cannot be released: its latest assay \(what)"
    }
    return nil
  }
}
