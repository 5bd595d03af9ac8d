import Formulation
import Foundation
import Quantities

/// What needs a pharmacist or a technician now, most urgent first: the start of the day.
public enum WorkQueue {
  /// A compounded batch as the queue sees it.
  public struct Batch: Sendable, Hashable {
    public var lotNumber: String
    public var status: LotStatus
    public var verified: Bool
    /// The latest weight check: passed, failed, or nil when none.
    public var weightCheckPassed: Bool?
    /// Whether an assay is on record.
    public var assayed: Bool

    public init(lotNumber: String, status: LotStatus, verified: Bool, weightCheckPassed: Bool?, assayed: Bool) {
      self.lotNumber = lotNumber
      self.status = status
      self.verified = verified
      self.weightCheckPassed = weightCheckPassed
      self.assayed = assayed
    }
  }

  /// A fill not yet checked and not voided.
  public struct Fill: Sendable, Hashable {
    public var id: Int64
    public var rxNumber: String
    public var fillNumber: Int
    public var labelsPrinted: Int

    public init(id: Int64, rxNumber: String, fillNumber: Int, labelsPrinted: Int) {
      self.id = id
      self.rxNumber = rxNumber
      self.fillNumber = fillNumber
      self.labelsPrinted = labelsPrinted
    }
  }

  /// The queue for `today`: fills awaiting a label or the final check; batches awaiting weights, verification,
  /// an assay (when the policy requires one) or release; ingredient lots awaiting release; released batches whose
  /// BUD ends within 7 days; usable stock expiring within `expiringDays`; items below their reorder level; and
  /// balances not checked today or whose check today failed (`balanceChecks`: each balance's latest check today,
  /// passed or not, nil when none).
  public static func items(
    fills: [Fill], batches: [Batch], stock: [StockLine], ingredientLots: Set<String>,
    shortages: [ReorderLevel.Shortage], requireAssay: Bool, expiringDays: Int, today: CalendarDate,
    balanceChecks: [(balance: String, passed: Bool?)] = [], display: QuantityDisplay = .standard
  ) -> [WorkItem] {
    var items: [WorkItem] = []
    for (balance, passed) in balanceChecks where passed != true {
      items.append(
        WorkItem(
          urgency: .bench, subject: "balance \(balance)",
          what: passed == false
            ? "failed its check today: nothing may be weighed on it until it passes"
            : "not checked today: nothing may be weighed on it until it is",
          command: "compound balance check \(balance) --test-weight 100g --reading MASS --by USER"))
    }
    for fill in fills {
      let subject = "Rx \(fill.rxNumber) fill \(fill.fillNumber) (id \(fill.id))"
      items.append(
        fill.labelsPrinted == 0
          ? WorkItem(
            urgency: .patient, subject: subject, what: "awaiting its label",
            command: "compound label print --fill \(fill.id) --by USER")
          : WorkItem(
            urgency: .patient, subject: subject, what: "awaiting the final check",
            command: "compound rx check \(fill.id) --by PHARMACIST"))
    }
    for batch in batches where batch.status == .quarantined {
      let lot = batch.lotNumber
      let (what, command): (String, String)
      switch (batch.weightCheckPassed, batch.verified) {
      case (nil, _):
        (what, command) = ("awaiting its capsule weight check", "compound batch weights \(lot) --mg ... --by USER")
      case (false?, _):
        (what, command) = (
          "failed its weight check: weigh again or reject it", "compound batch weights \(lot) --mg ..."
        )
      case (true?, false):
        (what, command) = ("awaiting a pharmacist's verification", "compound batch verify \(lot) --by PHARMACIST")
      case (true?, true) where requireAssay && !batch.assayed:
        (what, command) = ("awaiting its assay", "compound assay record \(lot) ... --by USER")
      default:
        (what, command) = ("ready for release", "compound batch release \(lot) --by PHARMACIST")
      }
      items.append(WorkItem(urgency: .bench, subject: "batch \(lot)", what: what, command: command))
    }
    for line in stock where ingredientLots.contains(line.lotNumber) && line.status == .quarantined {
      items.append(
        WorkItem(
          urgency: .receiving, subject: "lot \(line.lotNumber) (\(line.item))",
          what: "received, awaiting a pharmacist's release",
          command: "compound lot release \(line.lotNumber) --by PHARMACIST"))
    }
    let week = today.adding(days: 7)
    let horizon = today.adding(days: expiringDays)
    for line in stock.sorted(by: { ($0.expires, $0.lotNumber) < ($1.expires, $1.lotNumber) })
    where line.onHand > 0 && line.isUsable(on: today) {
      let isBatch = !ingredientLots.contains(line.lotNumber)
      if isBatch, line.expires <= week {
        items.append(
          WorkItem(
            urgency: .dates, subject: "batch \(line.lotNumber)",
            what: "BUD \(line.expires) ends this week with \(line.unit.format(line.onHand, display: display)) left",
            command: "compound inventory expiring --within 7"))
      } else if line.expires <= horizon {
        items.append(
          WorkItem(
            urgency: .dates, subject: "\(isBatch ? "batch" : "lot") \(line.lotNumber) (\(line.item))",
            what: "expires \(line.expires) with \(line.unit.format(line.onHand, display: display)) left",
            command: "compound inventory expiring --within \(expiringDays)"))
      }
    }
    for shortage in shortages {
      items.append(
        WorkItem(
          urgency: .stock, subject: shortage.item,
          what:
            "usable stock \(shortage.unit.format(shortage.stock, display: display)) is below its reorder level \(shortage.unit.format(shortage.level, display: display))",
          command: "compound inventory reorder"))
    }
    return items.enumerated().sorted { ($0.element.urgency, $0.offset) < ($1.element.urgency, $1.offset) }.map(
      \.element)
  }
}
