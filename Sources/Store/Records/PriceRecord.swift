import Foundation
import Pricing
import Quantities

/// A price with every part that made it (`fill.price`), as stored.
///
/// Format 1: the first releases' keys, money as text and other numbers as JSON numbers. Format 2: every number
/// as exact text, and `format`.
struct PriceRecord: StoredFormat {
  static let kind = "price"

  /// One ingredient or labour line.
  struct Line: Codable {
    var what: String
    var lotNumber: String?
    var quantity: StoredNumber?
    var cents: StoredNumber?
  }

  var format: Int?
  var currency: String
  var quantity: Int
  var lines: [Line]
  var ingredientCost: StoredNumber
  var labourCost: StoredNumber
  var markup: StoredNumber
  var ingredientPrice: StoredNumber
  var compoundingFee: StoredNumber
  var dispensingFee: StoredNumber
  var discountPercent: StoredNumber
  var discount: StoredNumber
  var subtotal: StoredNumber
  var minimumApplied: Bool
  var total: StoredNumber
  var perCapsule: StoredNumber
  var missing: [String]

  init(_ value: PriceBreakdown) {
    format = Self.current
    currency = value.currency
    quantity = value.quantity
    lines = value.lines.map {
      Line(
        what: $0.what, lotNumber: $0.lotNumber, quantity: $0.quantity.map { StoredNumber(Decimal($0)) },
        cents: $0.cents.map(StoredNumber.init))
    }
    ingredientCost = StoredNumber(money: value.ingredientCost)
    labourCost = StoredNumber(money: value.labourCost)
    markup = StoredNumber(value.markup)
    ingredientPrice = StoredNumber(money: value.ingredientPrice)
    compoundingFee = StoredNumber(money: value.compoundingFee)
    dispensingFee = StoredNumber(money: value.dispensingFee)
    discountPercent = StoredNumber(value.discountPercent)
    discount = StoredNumber(money: value.discount)
    subtotal = StoredNumber(money: value.subtotal)
    minimumApplied = value.minimumApplied
    total = StoredNumber(money: value.total)
    perCapsule = StoredNumber(money: value.perCapsule)
    missing = value.missing
  }

  func value() throws -> PriceBreakdown {
    PriceBreakdown(
      currency: currency, quantity: quantity,
      lines: lines.map {
        CostLine(
          what: $0.what, lotNumber: $0.lotNumber, quantity: $0.quantity.map { Int64($0.integer) },
          cents: $0.cents?.decimal)
      }, ingredientCost: ingredientCost.money, labourCost: labourCost.money, markup: markup.decimal,
      ingredientPrice: ingredientPrice.money, compoundingFee: compoundingFee.money, dispensingFee: dispensingFee.money,
      discountPercent: discountPercent.decimal, discount: discount.money, subtotal: subtotal.money,
      minimumApplied: minimumApplied, total: total.money, perCapsule: perCapsule.money, missing: missing)
  }
}
