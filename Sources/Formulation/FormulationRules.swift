import Foundation
import Quantities

/// The pharmacy's formulation rules, taken from its settings: what a formula and a batch must meet.
public struct FormulationRules: Sendable, Hashable {
  /// Allowed strength per capsule.
  public var strengthMin: Mass
  public var strengthMax: Mass
  /// A pack stat is plausible between these factors of nominal volume x bulk density.
  public var packStatMinFactor: ExactNumber
  public var packStatMaxFactor: ExactNumber
  public var capsuleSizes: [CapsuleSize]
  public var fillers: [FillerRule]
  public var rejected: [RejectedExcipient]
  public var budCategories: [BudCategory]
  public var dayConvention: DayConvention
  /// Allowed difference of a weighed mass from the plan, in percent, for APIs and for excipients.
  public var apiTolerancePercent: ExactNumber
  public var excipientTolerancePercent: ExactNumber
  /// Capsules filled as a percent of the capsules the powder was made for; outside it a deviation is recorded.
  public var yieldRange: InclusiveRange
  /// First-expiry-first-out skips a lot that would bring a batch's BUD under this many days.
  public var minimumBudDays: Int
  /// Fewest filled capsules a weight check may weigh.
  public var weightCheckMinimum: Int
  /// The widest assay limits a formula may set, % of label claim (a formula may only tighten them).
  public var preparationAssay: InclusiveRange

  public init(
    strengthMin: Mass, strengthMax: Mass, packStatMinFactor: ExactNumber, packStatMaxFactor: ExactNumber,
    capsuleSizes: [CapsuleSize], fillers: [FillerRule], rejected: [RejectedExcipient],
    budCategories: [BudCategory], dayConvention: DayConvention, apiTolerancePercent: ExactNumber,
    excipientTolerancePercent: ExactNumber, yieldRange: InclusiveRange, weightCheckMinimum: Int,
    preparationAssay: InclusiveRange, minimumBudDays: Int = 30
  ) {
    self.minimumBudDays = minimumBudDays
    self.strengthMin = strengthMin
    self.strengthMax = strengthMax
    self.packStatMinFactor = packStatMinFactor
    self.packStatMaxFactor = packStatMaxFactor
    self.capsuleSizes = capsuleSizes
    self.fillers = fillers
    self.rejected = rejected
    self.budCategories = budCategories
    self.dayConvention = dayConvention
    self.apiTolerancePercent = apiTolerancePercent
    self.excipientTolerancePercent = excipientTolerancePercent
    self.yieldRange = yieldRange
    self.weightCheckMinimum = weightCheckMinimum
    self.preparationAssay = preparationAssay
  }

  /// The capsule size named `size`, if configured.
  public func capsule(_ size: String) -> CapsuleSize? { capsuleSizes.first { $0.size == size } }

  /// The BUD category with `id`, if configured.
  public func budCategory(_ id: String) -> BudCategory? { budCategories.first { $0.id == id } }

  /// The rejection that applies to `ingredient`, if any.
  public func rejection(of ingredient: Ingredient) -> RejectedExcipient? {
    rejected.first { NameMatcher.matches(name: ingredient.name, code: ingredient.code, patterns: $0.match) }
  }

  /// The accepted filler `ingredient` is, if any.
  public func filler(for ingredient: Ingredient) -> FillerRule? {
    fillers.first { NameMatcher.matches(name: ingredient.name, code: ingredient.code, patterns: $0.match) }
  }
}
