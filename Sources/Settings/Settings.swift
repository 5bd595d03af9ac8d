import Dispensing
import Formulation
import Foundation
import Pricing
import Quality
import Quantities

/// The pharmacy's settings, as read from `compound.toml`; every key has a documented default.
///
/// `Config/compound.toml` lists every key with its default and what it means; a test keeps the two
/// equal. A settings file need only name the keys it changes.
public struct Settings: Sendable, Equatable, Codable {
  public var version: Int
  /// Database file; empty means the default in the user's data folder.
  public var database: String
  public var pharmacy: Pharmacy
  public var capsules: [CapsuleSize]
  public var excipients: Excipients
  public var bud: Bud
  public var lots: LotNumbers
  public var weighing: Weighing
  public var formulation: Limits
  public var certificates: [Certificate]
  public var quality: Quality
  public var dispensing: Dispensing
  public var labels: Labels
  /// The settings file that holds the price model, relative to this file (`Config/pricing.toml` documents it).
  public var pricingFile: String
  public var pricing: Pricing
  public var inventory: Inventory
  public var signing: Signing
  public var display: Display
  /// The bench's balances and what was measured of them (`[[balances]]`): a clinical rule, since the minimum
  /// weight follows from them.
  public var balances: [BalanceEntry]
  /// Which balance this station weighs on by default, and where each balance answers.
  public var bench: Bench

  enum CodingKeys: String, CodingKey {
    case version, database, pharmacy, capsules, excipients, bud, lots, weighing, formulation, certificates
    case quality, dispensing, labels, pricing, inventory, signing, display, balances, bench
    case pricingFile = "pricing_file"
  }

  /// Who the pharmacy is, and the time zone that decides which calendar day it is.
  public struct Pharmacy: Sendable, Equatable, Codable {
    public var name: String
    public var address: String
    public var phone: String
    public var licenseNumber: String
    public var npi: String
    /// An IANA zone such as `America/Chicago`; empty means the machine's own zone.
    public var timeZone: String
    /// The store this station works at, in a chain whose stores share one database; empty in a single store.
    public var store: String

    enum CodingKeys: String, CodingKey {
      case name, address, phone, npi, store
      case licenseNumber = "license_number"
      case timeZone = "time_zone"
    }
  }

  /// Accepted fillers and refused excipients.
  public struct Excipients: Sendable, Equatable, Codable {
    public var fillers: [FillerRule]
    public var rejected: [RejectedExcipient]
  }

  /// USP <795> beyond-use-date rules.
  public struct Bud: Sendable, Equatable, Codable {
    public var dayConvention: DayConvention
    public var categories: [BudCategory]

    enum CodingKeys: String, CodingKey {
      case categories
      case dayConvention = "day_convention"
    }
  }

  /// Lot-number patterns (see `LotNumberFormat`).
  public struct LotNumbers: Sendable, Equatable, Codable {
    public var batchFormat: String
    public var receivingFormat: String

    enum CodingKeys: String, CodingKey {
      case batchFormat = "batch_format"
      case receivingFormat = "receiving_format"
    }
  }

  /// Tolerances for weighing and yield.
  public struct Weighing: Sendable, Equatable, Codable {
    public var apiTolerancePercent: ExactNumber
    public var excipientTolerancePercent: ExactNumber
    public var yieldMinPercent: ExactNumber
    public var yieldMaxPercent: ExactNumber
    public var weightCheckMinCapsules: Int
    /// First-expiry-first-out skips a lot that would bring a batch's BUD under this many days.
    public var minBudDays: Int
    /// A balance's daily check passes when the reading is within this percent of the test weight.
    public var balanceCheckTolerancePercent: ExactNumber

    /// Makes the value from every stored property.
    public init(
      apiTolerancePercent: ExactNumber, excipientTolerancePercent: ExactNumber, yieldMinPercent: ExactNumber,
      yieldMaxPercent: ExactNumber, weightCheckMinCapsules: Int, minBudDays: Int,
      balanceCheckTolerancePercent: ExactNumber
    ) {
      self.balanceCheckTolerancePercent = balanceCheckTolerancePercent
      self.apiTolerancePercent = apiTolerancePercent
      self.excipientTolerancePercent = excipientTolerancePercent
      self.yieldMinPercent = yieldMinPercent
      self.yieldMaxPercent = yieldMaxPercent
      self.weightCheckMinCapsules = weightCheckMinCapsules
      self.minBudDays = minBudDays
    }

    /// Reads the table; rules stored before `min_bud_days` and `balance_check_tolerance_percent` existed take
    /// their defaults, 30 days and 0.10 %.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      apiTolerancePercent = try container.decode(ExactNumber.self, forKey: .apiTolerancePercent)
      excipientTolerancePercent = try container.decode(ExactNumber.self, forKey: .excipientTolerancePercent)
      yieldMinPercent = try container.decode(ExactNumber.self, forKey: .yieldMinPercent)
      yieldMaxPercent = try container.decode(ExactNumber.self, forKey: .yieldMaxPercent)
      weightCheckMinCapsules = try container.decode(Int.self, forKey: .weightCheckMinCapsules)
      minBudDays = try container.decodeIfPresent(Int.self, forKey: .minBudDays) ?? 30
      balanceCheckTolerancePercent =
        try container.decodeIfPresent(ExactNumber.self, forKey: .balanceCheckTolerancePercent)
        ?? ExactNumber(Decimal(string: "0.1") ?? 0, decimals: 1)
    }

    enum CodingKeys: String, CodingKey {
      case minBudDays = "min_bud_days"
      case balanceCheckTolerancePercent = "balance_check_tolerance_percent"
      case apiTolerancePercent = "api_tolerance_percent"
      case excipientTolerancePercent = "excipient_tolerance_percent"
      case yieldMinPercent = "yield_min_percent"
      case yieldMaxPercent = "yield_max_percent"
      case weightCheckMinCapsules = "weight_check_min_capsules"
    }
  }

  /// Bounds every formula must meet.
  public struct Limits: Sendable, Equatable, Codable {
    public var strengthMinMg: ExactNumber
    public var strengthMaxMg: ExactNumber
    public var packStatMinFactor: ExactNumber
    public var packStatMaxFactor: ExactNumber

    enum CodingKeys: String, CodingKey {
      case strengthMinMg = "strength_min_mg"
      case strengthMaxMg = "strength_max_mg"
      case packStatMinFactor = "pack_stat_min_factor"
      case packStatMaxFactor = "pack_stat_max_factor"
    }
  }

  /// Certificate-of-analysis assay limits for an API.
  public struct Certificate: Sendable, Equatable, Codable {
    public var name: String
    public var match: [String]
    public var minPercent: ExactNumber
    public var maxPercent: ExactNumber
    public var basis: AssayBasis
    /// Limits for a certificate that gives the assay as-is with no water content, when the monograph has them.
    public var asIsMinPercent: ExactNumber?
    public var asIsMaxPercent: ExactNumber?

    enum CodingKeys: String, CodingKey {
      case name, match, basis
      case asIsMinPercent = "as_is_min_percent"
      case asIsMaxPercent = "as_is_max_percent"
      case minPercent = "min_percent"
      case maxPercent = "max_percent"
    }
  }

  /// Lot release and the limits compounded preparations are held to.
  public struct Quality: Sendable, Equatable, Codable {
    /// A batch is released only with a passing assay on record.
    public var requireAssayBeforeRelease: Bool
    /// Default assay limits for a compounded preparation, % of label claim; a formula may tighten them.
    public var preparationAssayMinPercent: ExactNumber
    public var preparationAssayMaxPercent: ExactNumber
    /// A result inside the limits but outside this band passes with a warning.
    public var preparationWarningMinPercent: ExactNumber
    public var preparationWarningMaxPercent: ExactNumber
    /// USP <905>: L1 (the acceptance-value limit), L2 (each unit's bound around M), T (target).
    public var uniformityL1: ExactNumber
    public var uniformityL2: ExactNumber
    public var uniformityTargetPercent: ExactNumber

    enum CodingKeys: String, CodingKey {
      case requireAssayBeforeRelease = "require_assay_before_release"
      case preparationAssayMinPercent = "preparation_assay_min_percent"
      case preparationAssayMaxPercent = "preparation_assay_max_percent"
      case preparationWarningMinPercent = "preparation_warning_min_percent"
      case preparationWarningMaxPercent = "preparation_warning_max_percent"
      case uniformityL1 = "uniformity_l1"
      case uniformityL2 = "uniformity_l2"
      case uniformityTargetPercent = "uniformity_target_percent"
    }

    /// The preparation assay limits.
    public var preparationAssay: InclusiveRange {
      InclusiveRange(minimum: preparationAssayMinPercent, maximum: preparationAssayMaxPercent)
    }

    /// The warning band.
    public var preparationWarning: InclusiveRange {
      InclusiveRange(minimum: preparationWarningMinPercent, maximum: preparationWarningMaxPercent)
    }
  }

  /// Prescriptions and fills.
  public struct Dispensing: Sendable, Equatable, Codable {
    /// The first Rx number; later ones count up from it (a local setting).
    public var rxNumberStart: Int
    /// A refill before this percent of the previous fill's days' supply has passed is refused unless a
    /// pharmacist overrides (a clinical rule).
    public var refillTooSoonPercent: Int

    enum CodingKeys: String, CodingKey {
      case rxNumberStart = "rx_number_start"
      case refillTooSoonPercent = "refill_too_soon_percent"
    }
  }

  /// Label stock and printers.
  public struct Labels: Sendable, Equatable, Codable {
    /// Folder of the layout files; empty means the `Labels` folder beside `Config` (found from the
    /// working folder or the program).
    public var folder: String
    /// The layout used for patient labels (the stock loaded in the printer) and for batch containers.
    public var patientStock: String
    public var batchStock: String
    /// Resolution of the Zebra printer for ZPL: 203 or 300 dpi.
    public var zplDpi: Int
    /// Seconds to wait for a raw TCP printer to answer.
    public var printerTimeoutSeconds: Int

    enum CodingKeys: String, CodingKey {
      case folder
      case patientStock = "patient_stock"
      case batchStock = "batch_stock"
      case zplDpi = "zpl_dpi"
      case printerTimeoutSeconds = "printer_timeout_seconds"
    }
  }

  /// Stock reports.
  public struct Inventory: Sendable, Equatable, Codable {
    /// `compound inventory expiring` looks this many days ahead by default.
    public var expiringDays: Int
    /// Items to reorder when their usable stock falls below a level.
    public var reorder: [ReorderPoint]

    /// A reorder level for an ingredient (a mass or a count) or a formula (capsules).
    public struct ReorderPoint: Sendable, Equatable, Codable {
      public var item: String
      public var below: String
    }

    enum CodingKeys: String, CodingKey {
      case reorder
      case expiringDays = "expiring_days"
    }
  }

  /// A balance as the rules describe it: its id, model, readability, capacity and measured repeatability.
  public struct BalanceEntry: Sendable, Equatable, Codable {
    public var id: String
    public var model: String
    public var readabilityMg: ExactNumber
    public var capacityG: ExactNumber
    public var repeatabilitySdMg: ExactNumber?

    enum CodingKeys: String, CodingKey {
      case id, model
      case readabilityMg = "readability_mg"
      case capacityG = "capacity_g"
      case repeatabilitySdMg = "repeatability_sd_mg"
    }
  }

  /// This station's bench: the balance it weighs on unless told otherwise, and where each balance answers.
  public struct Bench: Sendable, Equatable, Codable {
    public var balance: String
    /// Device addresses by balance id: `tcp://HOST:PORT` or `serial:/dev/ttyUSB0`.
    public var devices: [String: String]
  }

  /// The balance named `id` (any case), else the bench's default, with this station's device for it; or a
  /// message naming the known ones.
  public func balance(_ id: String?) throws(SettingsError) -> Balance {
    let wanted = id ?? bench.balance
    guard let entry = balances.first(where: { $0.id.uppercased() == wanted.uppercased() }) else {
      throw SettingsError(
        "balance '\(wanted)' is not in the clinical rules: known \(balances.map(\.id).joined(separator: ", ")) ('compound balance list'; a pharmacist adds one to [[balances]] with 'compound rules import')"
      )
    }
    let device = bench.devices.first { $0.key.uppercased() == entry.id.uppercased() }?.value
    return Balance(
      id: entry.id, model: entry.model, readability: Mass.milligrams(entry.readabilityMg.value),
      capacity: Mass.milligrams(entry.capacityG.value * 1000), repeatabilitySdMg: entry.repeatabilitySdMg?.value,
      device: device.flatMap { $0.isEmpty ? nil : $0 })
  }

  /// How quantities are shown to a person.
  public struct Display: Sendable, Equatable, Codable {
    /// Masses from this one on are shown in grams, smaller ones in milligrams ("1g").
    public var gramsFrom: String

    enum CodingKeys: String, CodingKey {
      case gramsFrom = "grams_from"
    }
  }

  /// The display rule the settings give (`display.grams_from`).
  public var quantityDisplay: QuantityDisplay {
    QuantityDisplay(gramsFrom: (try? Mass.parse(display.gramsFrom)) ?? Mass(micrograms: 1_000_000))
  }

  /// Electronic signatures: wrong PINs in a row lock the user for a while.
  public struct Signing: Sendable, Equatable, Codable {
    /// Wrong PINs in a row that lock a user (3 to 10).
    public var lockoutAttempts: Int
    /// Minutes a locked user waits (5 to 1440), unless a pharmacist resets their PIN.
    public var lockoutMinutes: Int

    enum CodingKeys: String, CodingKey {
      case lockoutAttempts = "lockout_attempts"
      case lockoutMinutes = "lockout_minutes"
    }
  }

  /// The price model (see `Config/pricing.toml`).
  public struct Pricing: Sendable, Equatable, Codable {
    public var currency: String
    public var hourlyRate: ExactNumber
    public var defaultLabourMinutes: Int
    public var ingredientMarkup: ExactNumber
    public var compoundingFee: ExactNumber
    public var dispensingFee: ExactNumber
    public var minimumPrice: ExactNumber
    public var rounding: String
    public var showPriceOnLabel: Bool
    public var tiers: [Tier]

    /// A quantity discount.
    public struct Tier: Sendable, Equatable, Codable {
      public var minQuantity: Int
      public var discountPercent: ExactNumber

      enum CodingKeys: String, CodingKey {
        case minQuantity = "min_quantity"
        case discountPercent = "discount_percent"
      }
    }

    enum CodingKeys: String, CodingKey {
      case currency, rounding, tiers
      case hourlyRate = "hourly_rate"
      case defaultLabourMinutes = "default_labour_minutes"
      case ingredientMarkup = "ingredient_markup"
      case compoundingFee = "compounding_fee"
      case dispensingFee = "dispensing_fee"
      case minimumPrice = "minimum_price"
      case showPriceOnLabel = "show_price_on_label"
    }
  }

  /// The capsule and batch rules for the formulation domain.
  public var formulationRules: FormulationRules {
    FormulationRules(
      strengthMin: Mass.milligrams(formulation.strengthMinMg.value),
      strengthMax: Mass.milligrams(formulation.strengthMaxMg.value),
      packStatMinFactor: formulation.packStatMinFactor, packStatMaxFactor: formulation.packStatMaxFactor,
      capsuleSizes: capsules, fillers: excipients.fillers, rejected: excipients.rejected,
      budCategories: bud.categories, dayConvention: bud.dayConvention,
      apiTolerancePercent: weighing.apiTolerancePercent,
      excipientTolerancePercent: weighing.excipientTolerancePercent,
      yieldRange: InclusiveRange(minimum: weighing.yieldMinPercent, maximum: weighing.yieldMaxPercent),
      weightCheckMinimum: weighing.weightCheckMinCapsules, preparationAssay: quality.preparationAssay,
      minimumBudDays: weighing.minBudDays)
  }

  /// The price model for the pricing domain; throws when an amount or the rounding rule is not valid.
  public func priceModel() throws(SettingsError) -> PriceModel {
    func money(_ number: ExactNumber, _ key: String) throws(SettingsError) -> Money {
      do {
        return try Money.parse(number.description, what: "pricing.\(key)")
      } catch {
        throw SettingsError(error.message)
      }
    }
    guard let rounding = PriceModel.Rounding.parse(pricing.rounding) else {
      throw SettingsError("pricing.rounding '\(pricing.rounding)' must be none, up-0.05 (any step) or to-0.99")
    }
    guard pricing.ingredientMarkup.value > 0, pricing.defaultLabourMinutes >= 0 else {
      throw SettingsError("pricing.ingredient_markup must be above zero and default_labour_minutes zero or more")
    }
    return PriceModel(
      currency: pricing.currency, hourlyRate: try money(pricing.hourlyRate, "hourly_rate"),
      defaultLabourMinutes: pricing.defaultLabourMinutes, ingredientMarkup: pricing.ingredientMarkup.value,
      compoundingFee: try money(pricing.compoundingFee, "compounding_fee"),
      dispensingFee: try money(pricing.dispensingFee, "dispensing_fee"),
      minimumPrice: try money(pricing.minimumPrice, "minimum_price"),
      tiers: pricing.tiers.map { ($0.minQuantity, $0.discountPercent.value) }, rounding: rounding)
  }

  /// The quality rules for the quality domain.
  public var qualityPolicy: QualityPolicy {
    QualityPolicy(
      requireAssayBeforeRelease: quality.requireAssayBeforeRelease, warningBand: quality.preparationWarning,
      l1: quality.uniformityL1.value, l2: quality.uniformityL2.value, target: quality.uniformityTargetPercent.value)
  }

  /// The certificate limits that apply to `ingredient`, if any.
  public func certificateLimit(for ingredient: Ingredient) -> CertificateLimit? {
    certificates.first { NameMatcher.matches(name: ingredient.name, code: ingredient.code, patterns: $0.match) }
      .map { entry in
        var asIs: InclusiveRange?
        if let low = entry.asIsMinPercent, let high = entry.asIsMaxPercent {
          asIs = InclusiveRange(minimum: low, maximum: high)
        }
        return CertificateLimit(
          name: entry.name, match: entry.match,
          range: InclusiveRange(minimum: entry.minPercent, maximum: entry.maxPercent), basis: entry.basis,
          asIsRange: asIs)
      }
  }

  /// The pharmacy's time zone: the configured one, or the machine's.
  public func timeZone() throws(SettingsError) -> TimeZone {
    if pharmacy.timeZone.isEmpty { return TimeZone.current }
    guard let zone = TimeZone(identifier: pharmacy.timeZone) else {
      throw SettingsError(
        "pharmacy.time_zone '\(pharmacy.timeZone)' is not a time zone: use an IANA name such as America/Chicago")
    }
    return zone
  }

  /// Whether `code` can name a store: 1 to 8 ASCII letters or digits.
  public static func isStoreCode(_ code: String) -> Bool {
    (1...8).contains(code.count) && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }

  /// Checks values that decode but make no sense; throws naming the setting.
  public func validate() throws(SettingsError) {
    guard version == 1 else {
      throw SettingsError("settings version \(version) is not supported by this compound: use version = 1")
    }
    _ = try timeZone()
    if !pharmacy.store.isEmpty, !Self.isStoreCode(pharmacy.store) {
      throw SettingsError(
        "pharmacy.store '\(pharmacy.store)' is not a store code: use 1 to 8 letters or digits, as 'compound store list' shows them"
      )
    }
    do {
      _ = try LotNumberFormat(lots.batchFormat)
      _ = try LotNumberFormat(lots.receivingFormat)
    } catch {
      throw SettingsError("lots: \(error.message)")
    }
    let pairs: [(String, ExactNumber, ExactNumber)] = [
      ("weighing.yield_min_percent/yield_max_percent", weighing.yieldMinPercent, weighing.yieldMaxPercent),
      ("formulation.strength_min_mg/strength_max_mg", formulation.strengthMinMg, formulation.strengthMaxMg),
      ("formulation.pack_stat_min_factor/max_factor", formulation.packStatMinFactor, formulation.packStatMaxFactor),
    ]
    for (name, low, high) in pairs where low.value <= 0 || low.value >= high.value {
      throw SettingsError("\(name) must be a range above zero with the minimum below the maximum")
    }
    for tolerance in [weighing.apiTolerancePercent, weighing.excipientTolerancePercent]
    where tolerance.value < 0 || tolerance.value > 50 {
      throw SettingsError("weighing tolerances must be between 0 and 50 %, not \(tolerance)")
    }
    guard weighing.weightCheckMinCapsules >= 1 else {
      throw SettingsError("weighing.weight_check_min_capsules must be at least 1")
    }
    guard (0...365).contains(weighing.minBudDays) else {
      throw SettingsError("weighing.min_bud_days must be 0 to 365 days, not \(weighing.minBudDays)")
    }
    try validateBalances()
    let assay = quality.preparationAssay
    let band = quality.preparationWarning
    guard assay.minimum.value > 0, assay.minimum.value < assay.maximum.value,
      band.minimum.value >= assay.minimum.value, band.maximum.value <= assay.maximum.value,
      band.minimum.value <= band.maximum.value
    else {
      throw SettingsError(
        "quality: the preparation assay limits must be a range, with the warning band inside them")
    }
    guard quality.uniformityL1.value > 0, quality.uniformityL2.value > 0, quality.uniformityL2.value < 100,
      quality.uniformityTargetPercent.value > 0
    else { throw SettingsError("quality: uniformity_l1, uniformity_l2 (below 100) and the target must be above zero") }
    guard labels.zplDpi == 203 || labels.zplDpi == 300 else {
      throw SettingsError("labels.zpl_dpi must be 203 or 300, not \(labels.zplDpi)")
    }
    guard (1...120).contains(labels.printerTimeoutSeconds) else {
      throw SettingsError("labels.printer_timeout_seconds must be 1 to 120")
    }
    guard (try? priceModel()) != nil else {
      throw SettingsError(
        "pricing: rounding must be none, up-0.05 (any step) or to-0.99, and every amount zero or more with a markup above zero"
      )
    }
    guard (1...100).contains(dispensing.refillTooSoonPercent) else {
      throw SettingsError("dispensing.refill_too_soon_percent must be 1 to 100, not \(dispensing.refillTooSoonPercent)")
    }
    guard (3...10).contains(signing.lockoutAttempts), (5...1440).contains(signing.lockoutMinutes) else {
      throw SettingsError(
        "signing: lockout_attempts must be 3 to 10 and lockout_minutes 5 to 1440 (a lockout cannot be switched off)")
    }
    guard dispensing.rxNumberStart >= 1 else {
      throw SettingsError("dispensing.rx_number_start must be 1 or more, not \(dispensing.rxNumberStart)")
    }
    for category in bud.categories where !(1...3650).contains(category.days) {
      throw SettingsError("BUD category \(category.id) must allow 1 to 3650 days, not \(category.days)")
    }
    try validateMaterials()
    guard let threshold = try? Mass.parse(display.gramsFrom, what: "display.grams_from"), threshold.micrograms > 0
    else {
      throw SettingsError("display.grams_from '\(display.gramsFrom)' must be a mass above zero, for example \"1g\"")
    }
    guard (0...3650).contains(inventory.expiringDays) else {
      throw SettingsError("inventory.expiring_days must be 0 to 3650, not \(inventory.expiringDays)")
    }
    for point in inventory.reorder {
      let unit: StockUnit = point.below.allSatisfy(\.isNumber) ? .count : .mass
      guard (try? unit.parse(point.below)) != nil else {
        throw SettingsError(
          "inventory.reorder \(point.item): below = '\(point.below)' is not a quantity: write it like \"5g\" or \"500\""
        )
      }
    }
    if !pharmacy.npi.isEmpty, !Prescriber.isValidNPI(pharmacy.npi) {
      throw SettingsError("pharmacy.npi '\(pharmacy.npi)' is not a valid 10-digit NPI (its check digit is wrong)")
    }
  }

  /// Capsule sizes, fillers and certificate limits: every figure above zero, every range the right way round.
  private func validateBalances() throws(SettingsError) {
    var ids = Set<String>()
    for entry in balances {
      guard !entry.id.isEmpty, ids.insert(entry.id.uppercased()).inserted else {
        throw SettingsError("balances: id '\(entry.id)' is empty or listed twice: give each balance its own id")
      }
      let readability = entry.readabilityMg.value
      guard readability > 0, readability * 1000 == (readability * 1000).rounded(scale: 0) else {
        throw SettingsError(
          "balance \(entry.id): readability_mg must be above zero and a whole number of micrograms, for example 0.1")
      }
      guard entry.capacityG.value > 0, (entry.repeatabilitySdMg?.value ?? 0) >= 0 else {
        throw SettingsError("balance \(entry.id): capacity_g must be above zero and repeatability_sd_mg not negative")
      }
    }
    for (id, device) in bench.devices.sorted(by: { $0.key < $1.key })
    where !device.isEmpty && !device.hasPrefix("tcp://") && !device.hasPrefix("serial:") {
      throw SettingsError("bench.devices.\(id): '\(device)' is neither tcp://HOST:PORT nor serial:/dev/ttyUSB0")
    }
    let tolerance = weighing.balanceCheckTolerancePercent.value
    guard tolerance > 0, tolerance <= 5 else {
      throw SettingsError("weighing.balance_check_tolerance_percent must be above 0 and at most 5 %, not \(tolerance)")
    }
  }

  private func validateMaterials() throws(SettingsError) {
    var sizes = Set<String>()
    for capsule in capsules {
      guard capsule.volumeMl.value > 0, capsule.emptyShellMg.value > 0 else {
        throw SettingsError(
          "capsule size \(capsule.size): volume_ml and empty_shell_mg must be above zero, not \(capsule.volumeMl) and \(capsule.emptyShellMg)"
        )
      }
      guard sizes.insert(capsule.size).inserted else {
        throw SettingsError("capsule size \(capsule.size) is listed twice: keep one")
      }
    }
    for filler in excipients.fillers
    where filler.bulkDensityMin.value <= 0 || filler.bulkDensityMin.value > filler.bulkDensityMax.value {
      throw SettingsError(
        "filler \(filler.id): bulk density must be above zero with the minimum at most the maximum, not \(filler.bulkDensityMin) to \(filler.bulkDensityMax)"
      )
    }
    for certificate in certificates
    where certificate.minPercent.value <= 0 || certificate.minPercent.value >= certificate.maxPercent.value {
      throw SettingsError(
        "certificate limit \(certificate.name): min_percent must be above zero and below max_percent, not \(certificate.minPercent) to \(certificate.maxPercent)"
      )
    }
  }
}
