import Foundation
import Quantities

/// A balance's daily check with a test weight: the reading within the tolerance of the weight's mass.
public struct BalanceCheck: Sendable, Hashable, Codable {
  public var balanceID: String
  public var testWeight: Mass
  public var reading: Mass
  /// The reading's error as a percent of the test weight, four decimals.
  public var errorPercent: Decimal
  public var tolerancePercent: Decimal
  public var passed: Bool

  /// Makes the value from every stored property.
  public init(
    balanceID: String, testWeight: Mass, reading: Mass, errorPercent: Decimal, tolerancePercent: Decimal,
    passed: Bool
  ) {
    self.balanceID = balanceID
    self.testWeight = testWeight
    self.reading = reading
    self.errorPercent = errorPercent
    self.tolerancePercent = tolerancePercent
    self.passed = passed
  }

  /// Judges `reading` of `testWeight` on `balance`; refuses a test weight outside 5 % to 100 % of capacity.
  public static func evaluate(
    balance: Balance, testWeight: Mass, reading: Mass, tolerancePercent: Decimal
  ) throws(FormulationError) -> BalanceCheck {
    let capacity = Decimal(balance.capacity.micrograms)
    let weight = Decimal(testWeight.micrograms)
    guard weight * 20 >= capacity, weight <= capacity else {
      throw FormulationError(
        "test weight \(testWeight) is outside 5 % to 100 % of balance \(balance.id)'s capacity \(balance.capacity): use a weight from \(Mass(micrograms: balance.capacity.micrograms / 20)) to \(balance.capacity)"
      )
    }
    let error = (Decimal(reading.micrograms) - weight) * 100 / weight
    let magnitude = error < 0 ? -error : error
    return BalanceCheck(
      balanceID: balance.id, testWeight: testWeight, reading: reading, errorPercent: error.rounded(scale: 4),
      tolerancePercent: tolerancePercent, passed: magnitude <= tolerancePercent)
  }

  /// One line for the pharmacist, masses shown by `display`.
  public func summary(display: QuantityDisplay = .standard) -> String {
    let sign = errorPercent > 0 ? "+" : ""
    return
      "balance \(balanceID) read \(display.mass(reading)) for the \(display.mass(testWeight)) test weight (\(sign)\(errorPercent.fixed(4)) %, tolerance \(tolerancePercent.trimmed(minimum: 2, maximum: 3)) %): \(passed ? "PASS" : "FAIL")"
  }
}
