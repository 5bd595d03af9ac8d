import Formulation
import Foundation
import Quantities

/// A batch as `compound batch list` shows it.
public struct BatchSummary: Sendable, Codable {
  public var lotNumber: String
  public var formulaCode: String
  public var formulaVersion: Int
  public var compoundingDate: CalendarDate
  public var actualYield: Int
  public var beyondUseDate: CalendarDate
  public var status: LotStatus
  public var compoundedBy: String
  public var verifiedBy: String?
  /// Whether the latest weight check passed; nil when none was recorded.
  public var weightCheckPassed: Bool?
}
