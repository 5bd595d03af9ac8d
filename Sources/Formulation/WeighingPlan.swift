import Foundation
import Quantities

/// The weighing worksheet for one batch: capsules, lots, masses, fill window and BUD.
public struct WeighingPlan: Sendable, Hashable, Codable {
  public var formulaCode: String
  public var formulaVersion: Int
  public var formulaName: String
  public var strength: Mass
  public var strengthBasis: StrengthBasis
  public var capsuleSize: String
  /// Capsules ordered.
  public var quantity: Int
  /// Extra capsules for loss.
  public var extraCapsules: Int
  /// Capsules the powder is made for: quantity + extra.
  public var capsules: Int
  public var saltFactor: Decimal
  public var components: [PlannedComponent]
  /// Theoretical net fill of one capsule (API + filler).
  public var theoreticalFill: Mass
  /// Accepted net fill of one capsule.
  public var fillMinimum: Mass
  public var fillMaximum: Mass
  public var fillRange: InclusiveRange
  public var compoundingDate: CalendarDate
  public var beyondUseDate: BeyondUseDate
  public var storage: String
  /// The calculations, line by line, as the compounding record keeps them.
  public var calculations: [String]
  public var warnings: [String]
  /// The balance the plan was checked against, and its minimum weight.
  public var balance: String?
  public var minimumWeight: Mass?
  /// Masses below that minimum weight, each with the trituration that fixes it; a record refuses them.
  public var belowMinimum: [String]

  public init(
    formulaCode: String, formulaVersion: Int, formulaName: String, strength: Mass, strengthBasis: StrengthBasis,
    capsuleSize: String, quantity: Int, extraCapsules: Int, capsules: Int, saltFactor: Decimal,
    components: [PlannedComponent], theoreticalFill: Mass, fillMinimum: Mass, fillMaximum: Mass,
    fillRange: InclusiveRange, compoundingDate: CalendarDate, beyondUseDate: BeyondUseDate, storage: String,
    calculations: [String], warnings: [String], balance: String? = nil, minimumWeight: Mass? = nil,
    belowMinimum: [String] = []
  ) {
    self.balance = balance
    self.minimumWeight = minimumWeight
    self.belowMinimum = belowMinimum
    self.formulaCode = formulaCode
    self.formulaVersion = formulaVersion
    self.formulaName = formulaName
    self.strength = strength
    self.strengthBasis = strengthBasis
    self.capsuleSize = capsuleSize
    self.quantity = quantity
    self.extraCapsules = extraCapsules
    self.capsules = capsules
    self.saltFactor = saltFactor
    self.components = components
    self.theoreticalFill = theoreticalFill
    self.fillMinimum = fillMinimum
    self.fillMaximum = fillMaximum
    self.fillRange = fillRange
    self.compoundingDate = compoundingDate
    self.beyondUseDate = beyondUseDate
    self.storage = storage
    self.calculations = calculations
    self.warnings = warnings
  }

  /// The component playing `role`, if the plan has one.
  public func component(_ role: ComponentRole) -> PlannedComponent? { components.first { $0.role == role } }
}
