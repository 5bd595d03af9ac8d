import Foundation
import Testing

@Suite("The stock ledger: corrections, as-of stock, expiring, reorder")
struct InventoryTests {
  func stock(_ pharmacy: Pharmacy, asOf: String? = nil) throws -> [String: Int64] {
    var result: [String: Int64] = [:]
    for line in try pharmacy.ok(["inventory", "show", "--json"] + (asOf.map { ["--as-of", $0] } ?? [])).jsonArray() {
      if let lot = line["lotNumber"] as? String { result[lot] = (line["onHand"] as? NSNumber)?.int64Value }
    }
    return result
  }

  @Test("adjustments and waste are movements; on hand is their sum; waste needs another user as witness")
  func corrections() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let lots = try pharmacy.lotNumbers()
    let avicel = try #require(lots["AV-1"])
    let shells = try #require(lots["CP-1"])
    try pharmacy.ok(["stock", "adjust", avicel, "--quantity", "-1.5g", "--reason", "recount", "--by", "mtorres"])
    try pharmacy.ok(["stock", "adjust", avicel, "--quantity", "+250mg", "--reason", "found a jar", "--by", "mtorres"])
    try pharmacy.ok([
      "stock", "waste", shells, "--quantity", "5count", "--reason", "crushed", "--by", "mtorres", "--witness", "dchen",
    ])
    let now = try stock(pharmacy)
    let expectedAvicel: Int64 = 500_000_000 - 1_500_000 + 250_000
    #expect(now[avicel] == expectedAvicel)
    #expect(now[shells] == Int64(995))
    #expect(
      try pharmacy.refused(["stock", "waste", shells, "--quantity", "5count", "--reason", "x", "--by", "mtorres"])
        .contains("witness"))
    #expect(
      try pharmacy.refused([
        "stock", "waste", shells, "--quantity", "5count", "--reason", "x", "--by", "mtorres", "--witness", "mtorres",
      ])
      .contains("someone other"))
    #expect(
      try pharmacy.refused(["stock", "adjust", avicel, "--quantity", "-600g", "--reason", "x", "--by", "mtorres"])
        .contains("below zero"))
    #expect(
      try pharmacy.refused(["stock", "adjust", avicel, "--quantity", "-1.5", "--reason", "x", "--by", "mtorres"])
        .contains("--quantity '-1.5' has no unit: write it as -1.5mg or -1.5g"))
    #expect(
      try pharmacy.refused(["stock", "adjust", avicel, "--quantity", "-1g", "--reason", " ", "--by", "mtorres"])
        .contains("--reason"))
    #expect(
      try pharmacy.refused(["stock", "adjust", "R-NOPE", "--quantity", "-1g", "--reason", "x", "--by", "mtorres"])
        .contains("does not exist"))
  }

  @Test("stock as of a past day stays the same whatever happens after it")
  func asOf() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let avicel = try #require(try pharmacy.lotNumbers()["AV-1"])
    pharmacy.now = "2026-11-23T10:00:00-06:00"
    try pharmacy.ok(["stock", "adjust", avicel, "--quantity", "-10g", "--reason", "spill", "--by", "mtorres"])
    let before = try stock(pharmacy, asOf: "2026-11-22")
    #expect(before[avicel] == 500_000_000)
    pharmacy.now = "2026-11-24T10:00:00-06:00"
    try pharmacy.ok(["stock", "adjust", avicel, "--quantity", "-20g", "--reason", "spill", "--by", "mtorres"])
    #expect(try stock(pharmacy, asOf: "2026-11-22") == before)
    #expect(try stock(pharmacy, asOf: "2026-11-23")[avicel] == 490_000_000)
    #expect(try stock(pharmacy)[avicel] == 470_000_000)
    #expect(try stock(pharmacy, asOf: "2026-11-01").isEmpty)
    // Status too: a lot put on hold on the 25th was released on the 24th, and is on hold now.
    pharmacy.now = "2026-11-25T10:00:00-06:00"
    try pharmacy.ok(["lot", "hold", avicel, "--reason", "supplier notice", "--by", "dchen"])
    func status(_ asOf: String?) throws -> String? {
      try pharmacy.ok(["inventory", "show", "--json"] + (asOf.map { ["--as-of", $0] } ?? [])).jsonArray()
        .first { $0["lotNumber"] as? String == avicel }?["status"] as? String
    }
    #expect(try status("2026-11-24") == "released")
    #expect(try status(nil) == "on_hold")
    #expect(try status("2026-11-25") == "on_hold")
  }

  @Test("expiring lists what expires within the window; reorder lists what fell below its level")
  func expiringAndReorder() throws {
    let pharmacy = try Pharmacy(
      settings:
        "[[inventory.reorder]]\nitem = \"NALTREXONE-HCL\"\nbelow = \"6g\"\n[[inventory.reorder]]\nitem = \"AVICEL-PH102\"\nbelow = \"100g\"\n"
    )
    try pharmacy.seed()
    try pharmacy.receive("AVICEL-PH102", lot: "AV-SOON", expiry: "2027-01-10", quantity: "50g")
    let expiring = try pharmacy.ok(["inventory", "expiring", "--within", "60d"]).stdout
    #expect(expiring.contains("AVICEL-PH102"))
    #expect(expiring.contains("2027-01-10"))
    #expect(!expiring.split(separator: "\n").contains { $0.split(separator: " ").contains("NALTREXONE-HCL") })
    let reorder = try pharmacy.ok(["inventory", "reorder"]).stdout
    #expect(reorder.contains("NALTREXONE-HCL"))
    #expect(!reorder.contains("AVICEL-PH102"))
  }

  @Test("today lists what needs someone, most urgent first, with the command for each, and writes nothing")
  func today() throws {
    let pharmacy = try Pharmacy(settings: "[[inventory.reorder]]\nitem = \"NALTREXONE-HCL\"\nbelow = \"10g\"\n")
    try pharmacy.seed()
    let lot = try pharmacy.recordStandardBatch()
    try pharmacy.receive("AVICEL-PH102", lot: "AV-2", expiry: "2029-03-31", quantity: "500g")
    let before = try pharmacy.digest()
    let items = try pharmacy.ok(["today", "--json"]).jsonArray()
    #expect(try pharmacy.digest() == before, "today wrote to the database")
    #expect(items.compactMap { $0["urgency"] as? String } == ["bench", "receiving", "stock"])
    #expect(items.first?["subject"] as? String == "batch \(lot)")
    #expect(items.first?["command"] as? String == "compound batch weights \(lot) --mg ... --by USER")
    #expect((items.last?["what"] as? String)?.contains("is below its reorder level") == true, "\(items)")
    let text = try pharmacy.ok(["today"]).stdout
    #expect(text.contains("Batches on the bench") && text.contains("Deliveries to release"))
  }

  @Test("every reading command prints JSON: expiring, reorder, valuation, doctor, audit verify, config show")
  func readingCommandsPrintJSON() throws {
    let pharmacy = try Pharmacy(settings: "[[inventory.reorder]]\nitem = \"NALTREXONE-HCL\"\nbelow = \"10g\"\n")
    try pharmacy.seed()
    let expiring = try pharmacy.ok(["inventory", "expiring", "--within", "3650", "--json"]).jsonArray()
    #expect(Set(expiring.compactMap { $0["item"] as? String }) == ["NALTREXONE-HCL", "AVICEL-PH102", "CAPS-1-WHITE"])
    let reorder = try pharmacy.ok(["inventory", "reorder", "--json"]).jsonArray()
    #expect(reorder.first?["item"] as? String == "NALTREXONE-HCL" && reorder.first?["level"] as? Int == 10_000_000)
    let valuation = try pharmacy.ok(["price", "valuation", "--json"]).jsonArray()
    let naltrexone = try #require(valuation.first { $0["ingredient"] as? String == "NALTREXONE-HCL" })
    #expect(naltrexone["unit"] as? String == "mass" && naltrexone["onHand"] as? Int == 5_000_000)
    #expect(naltrexone["value"] as? String == "20.00")
    // The text shows the quantity with its unit, never bare micrograms.
    #expect(try pharmacy.ok(["price", "valuation"]).stdout.contains("5.0 g"))
    let doctor = try pharmacy.ok(["doctor", "--json"]).json()
    #expect(doctor["passed"] as? Bool == true && (doctor["problems"] as? [Any])?.isEmpty == true)
    let audit = try pharmacy.ok(["audit", "verify", "--json"]).json()
    #expect((audit["entries"] as? Int ?? 0) > 0 && (audit["head"] as? String)?.count == 64)
    #expect((audit["problems"] as? [Any])?.isEmpty == true)
    let settings = try pharmacy.ok(["config", "show", "--json"]).jsonArray()
    #expect(settings.contains { $0["key"] as? String == "labels.zpl_dpi" && $0["source"] as? String == "default" })
  }

  @Test("stock reads the same in every command: lot list, inventory show and valuation, by display.grams_from")
  func oneDisplayRule() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    for command in [["lot", "list"], ["inventory", "show"], ["price", "valuation"]] {
      let text = try pharmacy.ok(command).stdout
      #expect(text.contains("500.0 g") && text.contains("5.0 g") && !text.contains("500000"), "\(command): \(text)")
    }
    let milligrams = try Pharmacy(settings: "[display]\ngrams_from = \"1000g\"\n")
    try milligrams.seed()
    #expect(try milligrams.ok(["inventory", "show"]).stdout.contains("5000.0 mg"))
    let zero = try Pharmacy(settings: "[display]\ngrams_from = \"0g\"\n")
    #expect(try zero.refused(["config", "show"]).contains("display.grams_from '0g' must be a mass above zero"))
  }
}
