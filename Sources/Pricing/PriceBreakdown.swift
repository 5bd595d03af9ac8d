import Foundation
import Quantities

/// A price with every part that made it, as a quote prints it and a fill records it.
public struct PriceBreakdown: Sendable, Hashable, Codable {
  public var currency: String
  public var quantity: Int
  /// Ingredient lines and labour, scaled to the capsules priced.
  public var lines: [CostLine]
  /// Known ingredient cost, cents.
  public var ingredientCost: Money
  public var labourCost: Money
  public var markup: Decimal
  public var ingredientPrice: Money
  public var compoundingFee: Money
  public var dispensingFee: Money
  public var discountPercent: Decimal
  public var discount: Money
  public var subtotal: Money
  public var minimumApplied: Bool
  public var total: Money
  public var perCapsule: Money
  /// Costs that are not known: the price leaves them out and is incomplete.
  public var missing: [String]

  /// Makes the value from every stored property.
  public init(
    currency: String, quantity: Int, lines: [CostLine], ingredientCost: Money, labourCost: Money, markup: Decimal,
    ingredientPrice: Money, compoundingFee: Money, dispensingFee: Money, discountPercent: Decimal, discount: Money,
    subtotal: Money, minimumApplied: Bool, total: Money, perCapsule: Money, missing: [String]
  ) {
    self.currency = currency
    self.quantity = quantity
    self.lines = lines
    self.ingredientCost = ingredientCost
    self.labourCost = labourCost
    self.markup = markup
    self.ingredientPrice = ingredientPrice
    self.compoundingFee = compoundingFee
    self.dispensingFee = dispensingFee
    self.discountPercent = discountPercent
    self.discount = discount
    self.subtotal = subtotal
    self.minimumApplied = minimumApplied
    self.total = total
    self.perCapsule = perCapsule
    self.missing = missing
  }

  /// Whether every cost was known.
  public var complete: Bool { missing.isEmpty }

  /// Prices `quantity` capsules: the one pricing rule, for a quote and a fill alike.
  ///
  /// `ingredientLines` are what making `linesCover` capsules consumes; the price takes `quantity` of them
  /// (ingredient cost per capsule x quantity), plus the formula's labour once for the preparation dispensed,
  /// so a quote and a fill of the same quantity give the same price whatever size of batch the fill came from.
  public static func price(
    quantity: Int, ingredientLines: [CostLine], linesCover: Int, labourMinutes: Int, model: PriceModel
  ) -> PriceBreakdown {
    func cents(_ value: Decimal) -> Int64 { Money.rounding(cents: value).cents }
    let share = Decimal(quantity) / Decimal(max(linesCover, 1))
    let scaled = ingredientLines.map { line in
      CostLine(
        what: line.what, lotNumber: line.lotNumber, quantity: line.quantity, cents: line.cents.map { $0 * share })
    }
    let missing = scaled.filter { $0.cents == nil }.map {
      "\($0.what) lot \($0.lotNumber ?? "?") has no cost recorded"
    }
    let ingredient = scaled.compactMap(\.cents).reduce(0, +)
    let labour = model.labour(minutes: labourMinutes)
    let lines =
      scaled + [
        CostLine(
          what: "labour \(labourMinutes) min at \(model.hourlyRate)/h", lotNumber: nil, quantity: nil, cents: labour)
      ]
    let ingredientPrice = ingredient * model.ingredientMarkup
    let before =
      ingredientPrice + labour + Decimal(model.compoundingFee.cents) + Decimal(model.dispensingFee.cents)
    let percent = model.discount(for: quantity)
    let discount = before * percent / 100
    let subtotal = cents(before - discount)
    let floored = max(subtotal, model.minimumPrice.cents)
    let total = model.rounding.apply(floored)
    return PriceBreakdown(
      currency: model.currency, quantity: quantity, lines: lines, ingredientCost: Money(cents: cents(ingredient)),
      labourCost: Money(cents: cents(labour)), markup: model.ingredientMarkup,
      ingredientPrice: Money(cents: cents(ingredientPrice)), compoundingFee: model.compoundingFee,
      dispensingFee: model.dispensingFee, discountPercent: percent, discount: Money(cents: cents(discount)),
      subtotal: Money(cents: subtotal), minimumApplied: floored > subtotal, total: Money(cents: total),
      perCapsule: Money(cents: cents(Decimal(total) / Decimal(max(quantity, 1)))), missing: missing)
  }
}
