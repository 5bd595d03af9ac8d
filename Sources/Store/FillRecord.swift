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
  /// The clinical rules version the fill was checked against; nil for fills made before rules were stored.
  public var rulesVersion: Int?
  /// Set when a pharmacist voided the fill.
  public var voided: Signed?
  /// The pharmacist's final check of the labelled product.
  public var finalCheck: Signed?
  /// Patient labels printed for it (reprints included).
  public var labelsPrinted: Int

  /// Who signed an action on the fill, when, and why.
  public struct Signed: Sendable, Codable, Equatable {
    public var by: String
    public var at: String
    public var reason: String
  }

  /// Where the fill stands: voided, awaiting its label, awaiting the final check, or ready for the patient.
  public var status: String {
    if voided != nil { return "voided" }
    if labelsPrinted == 0 { return "awaiting label" }
    if finalCheck == nil { return "awaiting final check" }
    return "ready for the patient"
  }

  /// The directions as the label prints them, with a titration fill's step.
  public var labelDirections: String {
    guard let note = decision.stepNote else { return directions }
    return "\(directions). \(note)"
  }
}
