import Foundation
import Pricing
import Quantities

/// Prices as a person reads them.
enum PricingText {
  static func oneLine(_ price: PriceBreakdown) -> String {
    "ingredients \(price.ingredientCost) x \(price.markup.trimmed(maximum: 3)) + labour \(price.labourCost) + fees \(price.compoundingFee) + \(price.dispensingFee)"
      + (price.discount.cents > 0 ? " - \(price.discountPercent.trimmed(maximum: 2)) %" : "")
  }

  static func breakdown(_ price: PriceBreakdown, title: String) -> String {
    var lines = [title]
    for line in price.lines {
      let cents = line.cents.map { (($0 / 100).rounded(scale: 2)).fixed(2) } ?? "UNKNOWN"
      lines.append("  \(line.what)\(line.lotNumber.map { " (lot \($0))" } ?? ""): \(cents)")
    }
    lines += [
      "  ingredient cost \(price.ingredientCost) x markup \(price.markup.trimmed(maximum: 3)) = \(price.ingredientPrice)",
      "  labour \(price.labourCost)",
      "  compounding fee \(price.compoundingFee), dispensing fee \(price.dispensingFee)",
    ]
    if price.discount.cents > 0 {
      lines.append("  quantity discount \(price.discountPercent.trimmed(maximum: 2)) %: -\(price.discount)")
    }
    lines.append("  subtotal \(price.subtotal)\(price.minimumApplied ? " (below the minimum price)" : "")")
    lines.append(
      "Total \(price.currency) \(price.total) for \(price.quantity) capsules (\(price.perCapsule) a capsule)"
        + (price.complete ? "" : " - INCOMPLETE"))
    lines += price.missing.map { "missing cost: \($0)" }
    return lines.joined(separator: "\n")
  }
}
