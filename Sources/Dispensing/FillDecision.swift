import Formulation
import Foundation
import Quality
import Quantities

/// Which lot a fill uses and what the pharmacist must override, decided before anything is written.
public struct FillDecision: Sendable, Hashable, Codable {
  public var stepIndex: Int
  public var step: PrescriptionStep
  public var lotNumber: String
  /// The lot first-expiry-first-out suggested, when another was chosen.
  public var suggestedLot: String?
  public var skipReason: String?
  /// Refusals a pharmacist overrode, with the reason.
  public var overridden: [String]
  public var overrideReason: String?
  public var warnings: [String]
  public var beyondUseDate: CalendarDate
  /// The last day of the days' supply.
  public var lastDayOfSupply: CalendarDate
  /// The titration step as the label says it ("Step 1 of 3: then 3 mg from 2026-12-22"); nil for one step.
  public var stepNote: String?

  /// Makes the value from every stored property.
  public init(
    stepIndex: Int, step: PrescriptionStep, lotNumber: String, suggestedLot: String?, skipReason: String?,
    overridden: [String], overrideReason: String?, warnings: [String], beyondUseDate: CalendarDate,
    lastDayOfSupply: CalendarDate, stepNote: String?
  ) {
    self.stepIndex = stepIndex
    self.step = step
    self.lotNumber = lotNumber
    self.suggestedLot = suggestedLot
    self.skipReason = skipReason
    self.overridden = overridden
    self.overrideReason = overrideReason
    self.warnings = warnings
    self.beyondUseDate = beyondUseDate
    self.lastDayOfSupply = lastDayOfSupply
    self.stepNote = stepNote
  }

  /// Decides the next fill of `prescription`, or refuses it.
  ///
  /// The lot is a released batch of the step's formula within its BUD with enough capsules,
  /// first-expiry-first-out unless one is named with a reason. A medication or allergy nobody could
  /// classify blocks the fill outright. Interactions, allergies, a refill before `refillPercent` of the
  /// previous fill's supply has passed, and a BUD that ends before the days' supply refuse the fill unless a
  /// pharmacist overrides them with a reason.
  public static func decide(
    prescription: Prescription, candidates: [BatchCandidate], chosenLot: String?, skipReason: String?,
    interactions: InteractionCheck, previous: PreviousFill?, refillPercent: Int, nextStrength: String?,
    byPharmacist: Bool, overrideReason: String?, today: CalendarDate
  ) throws(DispensingError) -> FillDecision {
    let (index, step) = try prescription.nextStep()
    if let block = interactions.blocks.first { throw DispensingError(block) }
    let reason = overrideReason?.trimmingCharacters(in: .whitespaces)
    var early: [String] = []
    if let previous, today < previous.nextAllowed(percent: refillPercent) {
      early.append(
        "refill too soon: Rx \(previous.rxNumber) fill \(previous.fillNumber) on \(previous.filledOn) was a \(previous.daysSupply)-day supply, so the next fill is due from \(previous.nextAllowed(percent: refillPercent)) (\(refillPercent) % of it passed)"
      )
    }
    try requireOverride(interactions.refusals + early, reason: reason, byPharmacist: byPharmacist)
    let usable = candidates.filter {
      $0.formulaCode.uppercased() == step.formulaCode.uppercased() && $0.onHand >= step.quantity
        && BatchGate.refusal(lotNumber: $0.lotNumber, status: $0.status, beyondUseDate: $0.beyondUseDate, today: today)
          == nil
    }
    .sorted {
      ($0.beyondUseDate, $0.compoundingDate, $0.lotNumber) < ($1.beyondUseDate, $1.compoundingDate, $1.lotNumber)
    }
    let suggestion = usable.first
    let lot: BatchCandidate
    var suggested: String?
    if let chosenLot {
      guard let named = candidates.first(where: { $0.lotNumber.uppercased() == chosenLot.uppercased() }) else {
        throw DispensingError("batch '\(chosenLot)' does not exist: 'compound batch list' shows the batches")
      }
      guard named.formulaCode.uppercased() == step.formulaCode.uppercased() else {
        throw DispensingError(
          "batch \(named.lotNumber) is \(named.formulaCode), the prescription needs \(step.formulaCode)")
      }
      if let refusal = BatchGate.refusal(
        lotNumber: named.lotNumber, status: named.status, beyondUseDate: named.beyondUseDate, today: today)
      {
        throw DispensingError(refusal)
      }
      guard named.onHand >= step.quantity else {
        throw DispensingError("batch \(named.lotNumber) has \(named.onHand) capsules, the fill needs \(step.quantity)")
      }
      if let suggestion, suggestion.lotNumber != named.lotNumber {
        guard let skipReason, !skipReason.trimmingCharacters(in: .whitespaces).isEmpty else {
          throw DispensingError(
            "first-expiry-first-out suggests batch \(suggestion.lotNumber) (BUD \(suggestion.beyondUseDate)): to use \(named.lotNumber) instead, give --reason"
          )
        }
        suggested = suggestion.lotNumber
      }
      lot = named
    } else {
      guard let suggestion else {
        throw DispensingError(
          "no released batch of \(step.formulaCode) within its BUD has \(step.quantity) capsules: compound and release one"
        )
      }
      lot = suggestion
    }

    var refusals = interactions.refusals + early
    let lastDay = today.adding(days: step.daysSupply - 1)
    if lot.beyondUseDate < lastDay {
      refusals.append(
        "batch \(lot.lotNumber)'s BUD \(lot.beyondUseDate) falls before the end of the \(step.daysSupply)-day supply (\(lastDay))"
      )
    }
    try requireOverride(refusals, reason: reason, byPharmacist: byPharmacist)
    return FillDecision(
      stepIndex: index, step: step, lotNumber: lot.lotNumber, suggestedLot: suggested,
      skipReason: suggested == nil ? nil : skipReason, overridden: refusals,
      overrideReason: refusals.isEmpty ? nil : reason, warnings: interactions.warnings,
      beyondUseDate: lot.beyondUseDate, lastDayOfSupply: lastDay,
      stepNote: prescription.stepNote(
        index: index, nextStrength: nextStrength, from: today.adding(days: step.daysSupply)))
  }

  /// Refuses on the first of `refusals` unless a pharmacist gave a reason to override them.
  private static func requireOverride(
    _ refusals: [String], reason: String?, byPharmacist: Bool
  ) throws(DispensingError) {
    guard let first = refusals.first else { return }
    guard let reason, !reason.isEmpty else {
      throw DispensingError("\(first): a pharmacist may override with --override \"reason\"")
    }
    guard byPharmacist else { throw DispensingError("\(first): only a pharmacist may override it") }
  }
}
