import Formulation
import Foundation
import Quantities

extension Settings {
  /// The built-in defaults, documented key by key in `Config/compound.toml`.
  public static let defaults = Settings(
    version: 1,
    database: "",
    pharmacy: Pharmacy(name: "", address: "", phone: "", licenseNumber: "", npi: "", timeZone: "", store: ""),
    capsules: [
      capsule("000", "1.37", "163"), capsule("00", "0.95", "118"), capsule("0", "0.68", "96"),
      capsule("1", "0.5", "76"), capsule("2", "0.37", "61"), capsule("3", "0.3", "48"),
      capsule("4", "0.21", "38"), capsule("5", "0.13", "28"),
    ],
    excipients: Excipients(
      fillers: [
        filler(
          "avicel-ph101", "Avicel PH-101 (microcrystalline cellulose)",
          ["avicel ph101", "microcrystalline cellulose ph101", "mcc ph101"], "0.26", "0.31"),
        filler(
          "avicel-ph102", "Avicel PH-102 (microcrystalline cellulose)",
          ["avicel ph102", "microcrystalline cellulose ph102", "mcc ph102"], "0.28", "0.33"),
        filler(
          "lactose-monohydrate", "Lactose monohydrate", ["lactose"], "0.5", "0.8",
          warning: "contains lactose: unsuitable for lactose-intolerant patients (use Avicel for them)"),
        filler("sucrose", "Sucrose", ["sucrose"], "0.5", "0.95"),
      ],
      rejected: [
        RejectedExcipient(
          name: "Calcium carbonate", match: ["calcium carbonate", "caco3"],
          reason:
            "calcium carbonate is reported to reduce naltrexone absorption (tightly packed, it may not dissolve); use Avicel, lactose or sucrose"
        ),
        RejectedExcipient(
          name: "Slow-release excipients",
          match: [
            "hpmc", "hypromellose", "hydroxypropyl methylcellulose", "methylcellulose", "methocel", "sr",
            "slow release", "sustained release", "extended release", "controlled release",
          ],
          reason:
            "slow-release excipients (HPMC, methylcellulose, SR grades) defeat the immediate-release peak low-dose naltrexone relies on; use Avicel, lactose or sucrose"
        ),
      ]),
    bud: Bud(
      dayConvention: .day0,
      categories: [
        BudCategory(
          id: "aqueous-unpreserved", name: "aqueous, no preservative", days: 14, storage: "refrigerator 2-8 °C"),
        BudCategory(
          id: "aqueous-preserved", name: "aqueous, preserved", days: 35,
          storage: "room temperature or refrigerator"),
        BudCategory(
          id: "nonaqueous-oral-liquid", name: "nonaqueous oral liquid", days: 90,
          storage: "room temperature or refrigerator"),
        BudCategory(
          id: "other-nonaqueous", name: "other nonaqueous (capsules, tablets, powders)", days: 180,
          storage: "room temperature or refrigerator"),
      ]),
    lots: LotNumbers(batchFormat: "{formula}-{yy}{MM}{dd}-{seq:2}", receivingFormat: "R{yy}{MM}{dd}-{seq:3}"),
    weighing: Weighing(
      apiTolerancePercent: number("5.0"), excipientTolerancePercent: number("5.0"),
      yieldMinPercent: number("90.0"), yieldMaxPercent: number("100.0"), weightCheckMinCapsules: 10, minBudDays: 30,
      balanceCheckTolerancePercent: number("0.1")),
    formulation: Limits(
      strengthMinMg: number("0.1"), strengthMaxMg: number("50"), packStatMinFactor: number("0.5"),
      packStatMaxFactor: number("2.5")),
    certificates: [
      Certificate(
        name: "Naltrexone hydrochloride USP", match: ["naltrexone hydrochloride", "naltrexone hcl"],
        minPercent: number("98.0"), maxPercent: number("102.0"), basis: .anhydrous)
    ],
    quality: Quality(
      requireAssayBeforeRelease: true, preparationAssayMinPercent: number("90.0"),
      preparationAssayMaxPercent: number("110.0"), preparationWarningMinPercent: number("95.0"),
      preparationWarningMaxPercent: number("105.0"), uniformityL1: number("15.0"), uniformityL2: number("25.0"),
      uniformityTargetPercent: number("100.0")),
    dispensing: Dispensing(rxNumberStart: 600_001, refillTooSoonPercent: 75),
    labels: Labels(
      folder: "", patientStock: "patient-3x4", batchStock: "batch-container", zplDpi: 203, printerTimeoutSeconds: 5),
    pricingFile: "pricing.toml",
    pricing: Pricing(
      currency: "USD", hourlyRate: number("40.0"), defaultLabourMinutes: 15, ingredientMarkup: number("1.5"),
      compoundingFee: number("8.0"), dispensingFee: number("4.0"), minimumPrice: number("15.0"), rounding: "to-0.99",
      showPriceOnLabel: false,
      tiers: [
        Pricing.Tier(minQuantity: 90, discountPercent: number("5.0")),
        Pricing.Tier(minQuantity: 180, discountPercent: number("10.0")),
      ]),
    inventory: Inventory(expiringDays: 60, reorder: []),
    signing: Signing(lockoutAttempts: 5, lockoutMinutes: 15),
    display: Display(gramsFrom: "1g"),
    balances: [
      BalanceEntry(
        id: "B1", model: "Analytical balance, 220 g x 0.1 mg", readabilityMg: number("0.1"), capacityG: number("220"),
        repeatabilitySdMg: number("0.03"))
    ],
    bench: Bench(balance: "B1", devices: [:]))

  private static func number(_ text: String) -> ExactNumber {
    ExactNumber(text) ?? ExactNumber(0, decimals: 0)
  }

  private static func capsule(_ size: String, _ volume: String, _ shell: String) -> CapsuleSize {
    CapsuleSize(size: size, volumeMl: number(volume), emptyShellMg: number(shell))
  }

  private static func filler(
    _ id: String, _ name: String, _ match: [String], _ low: String, _ high: String, warning: String = ""
  ) -> FillerRule {
    FillerRule(
      id: id, name: name, match: match, bulkDensityMin: number(low), bulkDensityMax: number(high), warning: warning)
  }
}
