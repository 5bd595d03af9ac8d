import Foundation
import Pricing
import Quantities
import Testing

@Suite("Pricing: a price from its parts, computed by hand")
struct PriceBreakdownTests {
  func model(_ rounding: PriceModel.Rounding = .none) -> PriceModel {
    PriceModel(
      currency: "USD", hourlyRate: Money(cents: 4000), defaultLabourMinutes: 15, ingredientMarkup: 1.5,
      compoundingFee: Money(cents: 800), dispensingFee: Money(cents: 400), minimumPrice: Money(cents: 1500),
      tiers: [(minimumQuantity: 90, discountPercent: 5), (minimumQuantity: 180, discountPercent: 10)],
      rounding: rounding)
  }

  let lines = [
    CostLine(what: "NALTREXONE-HCL", lotNumber: "R1", quantity: 150_000, cents: 1000),
    CostLine(what: "AVICEL-PH102", lotNumber: "R2", quantity: 7_770_000, cents: 300),
  ]

  @Test("half a batch's costs: ingredients 6.50 x 1.5 + labour 5.00 + fees 12.00 = 26.75")
  func plain() {
    let price = PriceBreakdown.price(
      quantity: 30, ingredientLines: lines, labourMinutes: 15, share: 0.5, model: model())
    #expect(price.ingredientCost == Money(cents: 650))
    #expect(price.labourCost == Money(cents: 500))
    #expect(price.ingredientPrice == Money(cents: 975))
    #expect(price.discount == Money(cents: 0))
    #expect(price.total == Money(cents: 2675))
    #expect(price.perCapsule == Money(cents: 89))
    #expect(price.complete)
    #expect(price.lines.count == 3)
  }

  @Test("90 capsules take the 5 % tier (56.25 - 2.8125 = 53.4375 -> 53.44), then the .99 rounding: 53.99")
  func tierAndRounding() {
    let price = PriceBreakdown.price(
      quantity: 90, ingredientLines: lines, labourMinutes: 15, share: 1.5, model: model(.charm99))
    #expect(price.discountPercent == 5)
    #expect(price.discount == Money(cents: 281))
    #expect(price.subtotal == Money(cents: 5344))
    #expect(price.total == Money(cents: 5399))
  }

  @Test("a tiny quantity is raised to the minimum price and says so; an unknown cost makes it incomplete")
  func minimumAndMissing() {
    let small = PriceBreakdown.price(
      quantity: 1, ingredientLines: lines, labourMinutes: 15, share: 0.01, model: model(.up(5)))
    #expect(small.subtotal == Money(cents: 1230))
    #expect(small.minimumApplied)
    #expect(small.total == Money(cents: 1500))
    let unknown = lines + [CostLine(what: "CAPS-1", lotNumber: "R3", quantity: 33, cents: nil)]
    let partial = PriceBreakdown.price(
      quantity: 30, ingredientLines: unknown, labourMinutes: 15, share: 0.5, model: model())
    #expect(!partial.complete)
    #expect(partial.missing == ["CAPS-1 lot R3 has no cost recorded"])
    #expect(partial.total == Money(cents: 2675))
  }
}
