import Foundation
import Pricing
import Quantities
import Testing

@Suite("Pricing: rounding, tiers and the breakdown")
struct PriceModelTests {
  @Test(
    "rounding rules always round up",
    arguments: [
      ("none", 2436, 2436), ("up-0.05", 2436, 2440), ("up-0.05", 2440, 2440), ("up-0.25", 2401, 2425),
      ("up-1.00", 2401, 2500), ("to-0.99", 2436, 2499), ("to-0.99", 2499, 2499), ("to-0.99", 2500, 2599),
    ] as [(String, Int64, Int64)])
  func rounding(rule: String, cents: Int64, rounded: Int64) throws {
    let parsed = try #require(PriceModel.Rounding.parse(rule))
    #expect(parsed.apply(cents) == rounded)
  }

  @Test("an unknown rounding rule is refused")
  func badRounding() {
    #expect(PriceModel.Rounding.parse("down-0.05") == nil)
    #expect(PriceModel.Rounding.parse("up-0") == nil)
  }
}

@Suite("Quotes and prices on fills, end to end", .serialized)
struct PricingEndToEndTests {
  /// A seeded pharmacy with the given pricing settings.
  ///
  /// Every lot cost $20.00: naltrexone 5 g (assay 99.1 % as-is), Avicel 500 g, 1000 shells. Labour:
  /// 15 min at $40.00/h = $10.00; fees $8.00 + $4.00; markup 1.5.
  func pharmacy(_ pricing: String = "") throws -> Pharmacy {
    let pharmacy = try Pharmacy(settings: pricing, rules: Pharmacy.noAssay)
    try pharmacy.seed()
    return pharmacy
  }

  /// A patient, a prescriber and Rx 600001 for 30 capsules of LDN 4.5 mg.
  func prescribeThirty(_ pharmacy: Pharmacy) throws {
    try pharmacy.ok(["patient", "add", "--name", "A Patient", "--dob", "1970-01-01"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. B", "--npi", "1234567893"])
    try pharmacy.ok([
      "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "30", "--written",
      "2026-11-20", "--by", "dchen",
    ])
  }

  func total(_ pharmacy: Pharmacy, _ formula: String, _ quantity: Int) throws -> String? {
    try pharmacy.ok(["price", "quote", "--formula", formula, "--quantity", "\(quantity)", "--json"]).json()["total"]
      as? String
  }

  // Hand-computed, 30 capsules (powder for 33 made, 30 shells filled, as a batch of 30 consumes them):
  // LDN45: API 149.849 mg -> 59.9396 c; filler 7770.151 mg -> 31.080604 c; shells 60 c: 59.9396 + 31.080604 + 60
  //   = 151.020204 c; x 1.5 = 226.530306; + 1000 labour + 1200 fees = 2426.53 -> 2427 c.
  // LDN30: API 99.899 mg -> 39.9596; filler 7820.101 mg -> 31.280404; shells 60 = 131.240004; x 1.5 = 196.860006
  //   + 2200 = 2396.86 -> 2397 c.
  // LDN15: API 49.950 mg -> 19.98; filler 7870.050 mg -> 31.4802; shells 60 = 111.4602; x 1.5 = 167.1903
  //   + 2200 = 2367.19 -> 2367 c.
  @Test(
    "hand-computed quotes for 1.5, 3.0 and 4.5 mg under each rounding rule",
    arguments: [
      ("none", ["LDN15": "23.67", "LDN30": "23.97", "LDN45": "24.27"]),
      ("up-0.05", ["LDN15": "23.70", "LDN30": "24.00", "LDN45": "24.30"]),
      ("to-0.99", ["LDN15": "23.99", "LDN30": "23.99", "LDN45": "24.99"]),
    ])
  func quotes(rounding: String, expected: [String: String]) throws {
    let pharmacy = try pharmacy("[pricing]\nrounding = \"\(rounding)\"\n")
    for (formula, price) in expected {
      #expect(try total(pharmacy, formula, 30) == price, "\(formula) under \(rounding)")
    }
  }

  // 90 capsules of LDN45 (99 made, 90 shells): API 449.547 mg -> 179.8188; filler 23310.453 mg -> 93.241812;
  //   shells 180 = 453.060612; x 1.5 = 679.590918; + 2200 = 2879.590918; less 5 % (143.979546) = 2735.61
  //   -> 2736 c.
  @Test("a quantity tier discounts the subtotal, and the minimum price holds")
  func tiersAndMinimum() throws {
    let pharmacy = try pharmacy("[pricing]\nrounding = \"none\"\n")
    let quote = try pharmacy.ok(["price", "quote", "--formula", "LDN45", "--quantity", "90", "--json"]).json()
    #expect(quote["discountPercent"] as? NSNumber == 5)
    #expect(quote["total"] as? String == "27.36")
    let minimum = try self.pharmacy("[pricing]\nrounding = \"none\"\nminimum_price = 40.0\n")
    let floored = try minimum.ok(["price", "quote", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    #expect(floored["total"] as? String == "40.00")
    #expect(floored["minimumApplied"] as? Bool == true)
  }

  @Test("a lot with no cost makes the quote incomplete: named, and a non-zero exit unless allowed")
  func missingCost() throws {
    let pharmacy = try pharmacy()
    try pharmacy.ok([
      "lot", "receive", "--ingredient", "AVICEL-PH102", "--supplier", "Medisca", "--supplier-lot", "AV-FREE",
      "--expiry",
      "2027-06-30", "--quantity", "100g", "--by", "mtorres",
    ])
    let free = try #require(try pharmacy.lotNumbers()["AV-FREE"])
    try pharmacy.ok(["lot", "release", free, "--by", "dchen"])
    let outcome = try pharmacy.run(["price", "quote", "--formula", "LDN45", "--quantity", "30"])
    #expect(outcome.status == 3)
    #expect(outcome.stdout.contains("INCOMPLETE"))
    #expect(outcome.stderr.contains("AVICEL-PH102 lot \(free) has no cost recorded"))
    try pharmacy.ok(["price", "quote", "--formula", "LDN45", "--quantity", "30", "--allow-incomplete"])
  }

  @Test("a fill records its price from the batch; a later markup changes new quotes but not the fill")
  func fillPrice() throws {
    let pharmacy = try pharmacy("[pricing]\nrounding = \"none\"\n")
    try pharmacy.verifiedBatch()
    try prescribeThirty(pharmacy)
    // The batch used 149.8 mg (59.92 c), 7770.2 mg (31.0808 c) and 30 shells (60 c) = 151.0008 c for 30
    // capsules; x 1.5 = 226.5012 + 1000 + 1200 = 2426.5012 -> 2427 c.
    let fill = try pharmacy.ok(["rx", "fill", "600001", "--by", "dchen", "--json"]).json()
    #expect((fill["price"] as? [String: Any])?["total"] as? String == "24.27")
    let settings = try String(contentsOfFile: pharmacy.settings, encoding: .utf8)
    try (settings + "ingredient_markup = 3.0\n").write(toFile: pharmacy.settings, atomically: true, encoding: .utf8)
    let record = try pharmacy.ok(["rx", "show", "600001", "--json"]).json()
    let fills = try #require(record["fills"] as? [[String: Any]])
    #expect((fills.first?["price"] as? [String: Any])?["total"] as? String == "24.27")
    let quote = try pharmacy.ok(["price", "quote", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    #expect(quote["markup"] as? NSNumber == 3)
    try (settings + "ingredient_markup = 3.0\nshow_price_on_label = true\n").write(
      toFile: pharmacy.settings, atomically: true, encoding: .utf8)
    #expect(try pharmacy.ok(["label", "print", "--fill", "1", "--by", "dchen"]).stdout.contains("Price $24.27"))
  }

  @Test("one pricing rule: 30 capsules quote and fill at the same price, from a batch of 30 or of 90")
  func quoteEqualsFill() throws {
    let pharmacy = try pharmacy("[pricing]\nrounding = \"none\"\n")
    let quoted = try total(pharmacy, "LDN45", 30)
    #expect(quoted == "24.27")
    // A batch of 90 weighed exactly as planned (three times the 30's masses), 90 filled.
    let record = try pharmacy.ok([
      "batch", "record", "--formula", "LDN45", "--quantity", "90", "--weighed", "NALTREXONE-HCL=449.547mg",
      "--weighed", "AVICEL-PH102=23310.453mg", "--yield", "90", "--by", "mtorres", "--json",
    ]).json()
    let lot = try #require(record["lotNumber"] as? String)
    try pharmacy.ok(["batch", "weights", lot, "--mg", Pharmacy.goodWeights])
    try pharmacy.ok(["batch", "verify", lot, "--by", "dchen"])
    try pharmacy.ok(["batch", "release", lot, "--by", "dchen"])
    try prescribeThirty(pharmacy)
    let fill = try pharmacy.ok(["rx", "fill", "600001", "--by", "dchen", "--json"]).json()
    #expect((fill["price"] as? [String: Any])?["total"] as? String == quoted)
  }

  @Test("Config/pricing.toml documents exactly the built-in price model")
  func shippedPricing() throws {
    let pharmacy = try Pharmacy()
    let folder = URL(fileURLWithPath: pharmacy.settings).deletingLastPathComponent()
    try FileManager.default.copyItem(
      at: Pharmacy.repository.appendingPathComponent("Config/pricing.toml"),
      to: folder.appendingPathComponent("pricing.toml"))
    let shown = try pharmacy.ok(["config", "show"]).stdout
    #expect(shown.contains("pricing.rounding = \"to-0.99\"  # file \(folder.path)/pricing.toml"))
    #expect(shown.contains("pricing.hourly_rate = 40.0"))
  }
}

@Suite("Batch cost and stock valuation end to end")
struct CostTests {
  @Test("price batch: each consumed lot at its share of the lot's cost, plus the formula's labour")
  func batchCost() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    let cost = try pharmacy.ok(["price", "batch", lot, "--json"]).json()
    let lines = try #require(cost["lines"] as? [[String: Any]])
    func cents(_ what: String) -> Double? {
      (lines.first { $0["what"] as? String == what }?["cents"] as? NSNumber)?.doubleValue
    }
    // 149.8 mg of a 5 g lot that cost $20.00; 7770.2 mg of a 500 g lot that cost $20.00.
    #expect(cents("NALTREXONE-HCL") == 59.92)
    #expect(cents("AVICEL-PH102") == 31.0808)
    #expect(cost["labourMinutes"] as? Int == 15)
    let total = try #require((cost["totalCents"] as? NSNumber)?.doubleValue)
    let parts = lines.compactMap { ($0["cents"] as? NSNumber)?.doubleValue }.reduce(0, +) + 1000
    #expect(abs(total - parts) < 0.01, "total \(total), parts \(parts)")
    #expect(cost["complete"] as? Bool == true)
  }

  @Test("price valuation: what is left of each lot at its cost, and the total of the rows")
  func valuation() throws {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay)
    try pharmacy.seed()
    try pharmacy.recordStandardBatch()
    let lots = try pharmacy.lotNumbers()
    let text = try pharmacy.ok(["price", "valuation"]).stdout
    func value(_ supplierLot: String) -> String? {
      guard let number = lots[supplierLot] else { return nil }
      return text.split(separator: "\n").first { $0.hasPrefix(number) }?.split(separator: " ").last.map(String.init)
    }
    // (5000 - 149.8) / 5000 x $20.00 = $19.4008; (500000 - 7770.2) / 500000 x $20.00 = $19.689192.
    #expect(value("NX-1") == "19.40")
    #expect(value("AV-1") == "19.69")
    let rows = text.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("total") }
      .compactMap { $0.split(separator: " ").last.flatMap { Decimal(string: String($0)) } }
    let total = rows.reduce(Decimal(0), +)
    #expect(text.contains("total \(total)"), "\(text)")
  }
}
