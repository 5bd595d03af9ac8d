import Formulation
import Foundation
import Quality
import Quantities

/// The whole compounding record of a batch, as it is filed for an inspector.
public struct BatchRecord: Sendable, Codable {
  /// A recorded capsule weight check.
  public struct WeightCheckEntry: Sendable, Codable {
    public var checkedAt: String
    public var checkedBy: String
    public var result: WeightCheck
  }

  /// A change of the batch's status.
  public struct StatusEntry: Sendable, Codable {
    public var from: LotStatus?
    public var to: LotStatus
    public var at: String
    public var by: String
    public var reason: String?
  }

  public var lotNumber: String
  public var status: LotStatus
  public var formula: Formula
  public var formulaVersion: Int
  public var formulaSha256: String
  public var quantity: Int
  public var capsulesPlanned: Int
  public var actualYield: Int
  public var yieldPercent: Decimal
  public var theoreticalFill: Mass
  public var fillRange: InclusiveRange
  public var compoundingDate: CalendarDate
  public var compoundedAt: String
  public var compoundedBy: String
  public var compoundedByName: String
  public var verifiedAt: String?
  public var verifiedBy: String?
  public var verifiedByName: String?
  public var beyondUseDate: CalendarDate
  public var budBasis: String
  public var storage: String
  /// Every component lot as planned and as measured.
  public var components: [MeasuredComponent]
  public var deviation: String?
  public var outOfRange: [String]
  public var calculations: [String]
  public var warnings: [String]
  public var weightChecks: [WeightCheckEntry]
  /// Laboratory results, oldest first; the last is the one release looks at.
  public var assays: [AssayEntry]
  public var statusHistory: [StatusEntry]
  /// The clinical rules version the record was checked against; nil for batches made before rules were stored.
  public var rulesVersion: Int?

  /// The latest weight check, which is the one that counts.
  public var latestWeightCheck: WeightCheckEntry? { weightChecks.last }
}
