import Foundation

/// One step of a prescription: a formula, a quantity, its days' supply and directions.
///
/// A plain prescription has one step; a titration has several, filled in order, each from a lot of
/// its own strength with its own label.
public struct PrescriptionStep: Sendable, Hashable, Codable {
  public var formulaCode: String
  public var quantity: Int
  public var daysSupply: Int
  public var directions: String

  public init(formulaCode: String, quantity: Int, daysSupply: Int, directions: String) {
    self.formulaCode = formulaCode
    self.quantity = quantity
    self.daysSupply = daysSupply
    self.directions = directions
  }
}
