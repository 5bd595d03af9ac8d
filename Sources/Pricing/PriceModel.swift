import Foundation
import Quantities

/// How the pharmacy prices a fill, from `Config/pricing.toml`.
///
/// price = ingredient cost x markup + labour + compounding fee + dispensing fee, less the quantity tier's
/// discount, at least the minimum price, then rounded by the rounding rule. Money is whole cents.
public struct PriceModel: Sendable, Hashable {
  public var currency: String
  /// Labour is the formula's minutes at this hourly rate.
  public var hourlyRate: Money
  /// Minutes of work for a batch when the formula does not say.
  public var defaultLabourMinutes: Int
  public var ingredientMarkup: Decimal
  public var compoundingFee: Money
  public var dispensingFee: Money
  public var minimumPrice: Money
  /// Discounts by quantity: the tier with the largest minimum the quantity reaches applies.
  public var tiers: [(minimumQuantity: Int, discountPercent: Decimal)]
  public var rounding: Rounding

  /// How a price is rounded, always up so a quote never drops below cost plus fees.
  public enum Rounding: Sendable, Hashable {
    case none
    /// Up to the next multiple of the step in cents (5 = the next 0.05).
    case up(Int64)
    /// Up to the next price ending in .99.
    case charm99

    /// Parses `none`, `up-0.05`, `up-0.25`, `up-1.00` or `to-0.99`.
    public static func parse(_ text: String) -> Rounding? {
      if text == "none" { return Rounding.none }
      if text == "to-0.99" { return .charm99 }
      guard text.hasPrefix("up-"), let step = try? Money.parse(String(text.dropFirst(3))), step.cents > 0 else {
        return nil
      }
      return .up(step.cents)
    }

    /// `cents` rounded by this rule.
    public func apply(_ cents: Int64) -> Int64 {
      switch self {
      case .none: return cents
      case .up(let step): return (cents + step - 1) / step * step
      case .charm99: return cents / 100 * 100 + 99
      }
    }
  }

  public init(
    currency: String, hourlyRate: Money, defaultLabourMinutes: Int, ingredientMarkup: Decimal, compoundingFee: Money,
    dispensingFee: Money, minimumPrice: Money, tiers: [(minimumQuantity: Int, discountPercent: Decimal)],
    rounding: Rounding
  ) {
    self.currency = currency
    self.hourlyRate = hourlyRate
    self.defaultLabourMinutes = defaultLabourMinutes
    self.ingredientMarkup = ingredientMarkup
    self.compoundingFee = compoundingFee
    self.dispensingFee = dispensingFee
    self.minimumPrice = minimumPrice
    self.tiers = tiers
    self.rounding = rounding
  }

  public static func == (lhs: PriceModel, rhs: PriceModel) -> Bool {
    lhs.currency == rhs.currency && lhs.hourlyRate == rhs.hourlyRate && lhs.ingredientMarkup == rhs.ingredientMarkup
      && lhs.compoundingFee == rhs.compoundingFee && lhs.dispensingFee == rhs.dispensingFee
      && lhs.minimumPrice == rhs.minimumPrice && lhs.rounding == rhs.rounding
      && lhs.defaultLabourMinutes == rhs.defaultLabourMinutes
      && lhs.tiers.map(\.minimumQuantity) == rhs.tiers.map(\.minimumQuantity)
      && lhs.tiers.map(\.discountPercent) == rhs.tiers.map(\.discountPercent)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(currency)
    hasher.combine(hourlyRate)
    hasher.combine(ingredientMarkup)
  }

  /// The labour cost of `minutes` of work, exactly, in cents (unrounded).
  public func labour(minutes: Int) -> Decimal {
    Decimal(hourlyRate.cents) * Decimal(minutes) / 60
  }

  /// The discount percent for `quantity`.
  public func discount(for quantity: Int) -> Decimal {
    tiers.filter { quantity >= $0.minimumQuantity }.max { $0.minimumQuantity < $1.minimumQuantity }?.discountPercent
      ?? 0
  }
}
