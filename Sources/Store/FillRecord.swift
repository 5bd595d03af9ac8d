import Dispensing
import Formulation
import Foundation
import Pricing
import Quantities

/// A fill with everything its label and its record need.
public struct FillRecord: Sendable, Codable {
  public var id: Int64
  public var rxNumber: String
  public var fillNumber: Int
  public var patient: Patient
  public var prescriber: Prescriber
  public var formula: Formula
  public var lotNumber: String
  public var quantity: Int
  public var directions: String
  public var daysSupply: Int
  public var filledOn: CalendarDate
  public var filledAt: String
  public var filledBy: String
  public var beyondUseDate: CalendarDate
  /// Refills left after this fill.
  public var refillsRemaining: Int
  public var decision: FillDecision
  /// The price charged and how it was made, from the batch's actual costs.
  public var price: PriceBreakdown?
}
