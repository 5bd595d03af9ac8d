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

  @Test("30 of a batch of 60: ingredients 6.50 x 1.5 + the whole labour 10.00 + fees 12.00 = 31.75")
  func plain() {
    let price = PriceBreakdown.price(
      quantity: 30, ingredientLines: lines, linesCover: 60, labourMinutes: 15, model: model())
    #expect(price.ingredientCost == Money(cents: 650))
    #expect(price.labourCost == Money(cents: 1000))
    #expect(price.ingredientPrice == Money(cents: 975))
    #expect(price.discount == Money(cents: 0))
    #expect(price.total == Money(cents: 3175))
    #expect(price.perCapsule == Money(cents: 106))
    #expect(price.complete)
    #expect(price.lines.count == 3)
  }

  @Test("90 capsules take the 5 % tier (51.25 - 2.5625 = 48.6875 -> 48.69), then the .99 rounding: 48.99")
  func tierAndRounding() {
    let price = PriceBreakdown.price(
      quantity: 90, ingredientLines: lines, linesCover: 60, labourMinutes: 15, model: model(.charm99))
    #expect(price.discountPercent == 5)
    #expect(price.discount == Money(cents: 256))
    #expect(price.subtotal == Money(cents: 4869))
    #expect(price.total == Money(cents: 4899))
  }

  @Test("the same capsules cost the same from a batch of 30 or of 300: the price depends on the quantity only")
  func batchSizeDoesNotMatter() {
    let ten = lines.map {
      CostLine(what: $0.what, lotNumber: $0.lotNumber, quantity: $0.quantity, cents: $0.cents.map { $0 * 10 })
    }
    let small = PriceBreakdown.price(
      quantity: 30, ingredientLines: lines, linesCover: 30, labourMinutes: 15, model: model())
    let large = PriceBreakdown.price(
      quantity: 30, ingredientLines: ten, linesCover: 300, labourMinutes: 15, model: model())
    #expect(small.total == large.total && small.total == Money(cents: 4150))
  }

  @Test("a tiny quantity is raised to the minimum price and says so; an unknown cost makes it incomplete")
  func minimumAndMissing() {
    // 1 of 100: ingredients 0.13 x 1.5 = 0.195, no labour, fees 12.00: 12.195 -> 12.20, under the minimum 15.00.
    let small = PriceBreakdown.price(
      quantity: 1, ingredientLines: lines, linesCover: 100, labourMinutes: 0, model: model(.up(5)))
    #expect(small.subtotal == Money(cents: 1220))
    #expect(small.minimumApplied)
    #expect(small.total == Money(cents: 1500))
    let unknown = lines + [CostLine(what: "CAPS-1", lotNumber: "R3", quantity: 33, cents: nil)]
    let partial = PriceBreakdown.price(
      quantity: 30, ingredientLines: unknown, linesCover: 60, labourMinutes: 15, model: model())
    #expect(!partial.complete)
    #expect(partial.missing == ["CAPS-1 lot R3 has no cost recorded"])
    #expect(partial.total == Money(cents: 3175))
  }
}
