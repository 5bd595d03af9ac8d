import Accounts
import Formulation
import Foundation
import Quantities

/// What the technician reports after compounding: the masses weighed and the capsules filled.
public struct BatchRequest: Sendable {
  public var formulaCode: String
  public var quantity: Int
  /// Masses weighed, keyed by ingredient code or role (`api`, `filler`).
  public var weighed: [String: Mass]
  /// Lots named by the technician, keyed by ingredient code or role.
  public var lotChoices: [String: String]
  public var actualYield: Int
  public var deviation: String?
  public var by: User

  public init(
    formulaCode: String, quantity: Int, weighed: [String: Mass], lotChoices: [String: String], actualYield: Int,
    deviation: String?, by: User
  ) {
    self.formulaCode = formulaCode
    self.quantity = quantity
    self.weighed = weighed
    self.lotChoices = lotChoices
    self.actualYield = actualYield
    self.deviation = deviation
    self.by = by
  }
}
