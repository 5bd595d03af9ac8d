import Foundation
import Quantities

/// A prescription with its steps and refills, and how many times it has been filled.
public struct Prescription: Sendable, Hashable, Codable {
  public var rxNumber: String
  public var patientID: Int64
  public var prescriberID: Int64
  public var steps: [PrescriptionStep]
  /// Refills authorized after the steps (they repeat the last step).
  public var refills: Int
  public var written: CalendarDate
  /// Fills made and not voided.
  public var fillsDone: Int
  /// Set when a pharmacist discontinued the prescription: no fill follows.
  public var discontinued: Discontinuation?

  public init(
    rxNumber: String, patientID: Int64, prescriberID: Int64, steps: [PrescriptionStep], refills: Int,
    written: CalendarDate, fillsDone: Int, discontinued: Discontinuation? = nil
  ) {
    self.rxNumber = rxNumber
    self.patientID = patientID
    self.prescriberID = prescriberID
    self.steps = steps
    self.refills = refills
    self.written = written
    self.fillsDone = fillsDone
    self.discontinued = discontinued
  }

  /// Fills allowed in all: one per step, then the refills.
  public var fillsAllowed: Int { steps.count + refills }

  /// The step the next fill dispenses, or why no fill is left.
  public func nextStep() throws(DispensingError) -> (index: Int, step: PrescriptionStep) {
    if let discontinued {
      throw DispensingError(
        "Rx \(rxNumber) was discontinued on \(discontinued.on) by \(discontinued.by) (\(discontinued.reason)): the prescriber must write a new one"
      )
    }
    guard fillsDone < fillsAllowed else {
      throw DispensingError(
        "Rx \(rxNumber) has no refills left (\(fillsDone) of \(fillsAllowed) fills done): the prescriber must authorize more"
      )
    }
    let index = min(fillsDone, steps.count - 1)
    return (index, steps[index])
  }

  /// Refills remaining after the next fill, as the label prints them.
  ///
  /// Refills repeat the last step, so a fill of an earlier titration step has none of its own strength: its
  /// label says which step it is and what follows instead (see `stepNote`).
  public var refillsRemainingAfterNextFill: Int {
    let fillsAfter = fillsDone + 1
    guard fillsAfter >= steps.count else { return 0 }
    return max(0, refills - (fillsAfter - steps.count))
  }

  /// What a titration fill's label says of its step; nil for a prescription of one step.
  ///
  /// "Step 1 of 3: then 3 mg from 2026-12-22": `nextStrength` names the next step's strength, `from` the day
  /// it starts.
  public func stepNote(index: Int, nextStrength: String?, from: CalendarDate) -> String? {
    guard steps.count > 1 else { return nil }
    let position = "Step \(index + 1) of \(steps.count)"
    guard index + 1 < steps.count, let nextStrength else { return "\(position): the last step" }
    return "\(position): then \(nextStrength) from \(from)"
  }

  /// Checks the prescription is complete; throws naming what is wrong.
  public func validate(today: CalendarDate) throws(DispensingError) {
    guard !steps.isEmpty else { throw DispensingError("a prescription needs a formula and a quantity") }
    guard (0...11).contains(refills) else { throw DispensingError("refills must be 0 to 11, not \(refills)") }
    guard written <= today else { throw DispensingError("the date written \(written) is in the future") }
    guard written.days(to: today) <= 365 else {
      throw DispensingError("a prescription written on \(written) is more than a year old")
    }
    for step in steps {
      guard (1...1000).contains(step.quantity) else {
        throw DispensingError("quantity must be 1 to 1000 capsules, not \(step.quantity)")
      }
      guard (1...366).contains(step.daysSupply) else {
        throw DispensingError("days' supply must be 1 to 366, not \(step.daysSupply)")
      }
      guard !step.directions.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw DispensingError("directions are empty: write them like \"Take 1 capsule by mouth at bedtime\"")
      }
    }
  }
}
