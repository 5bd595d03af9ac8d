import Formulation
import Foundation
import Quantities

/// A compounding plan (`batch.plan`) in its stored format.
///
/// Format 1: the first releases' keys, numbers as JSON numbers. Format 2: the same keys, numbers as exact
/// text, and `format`.
struct PlanRecord: StoredFormat {
  static let kind = "compounding plan"

  /// One planned component.
  struct Component: Codable {
    var role: String
    var ingredientCode: String
    var ingredientName: String
    var lotNumber: String
    var supplier: String
    var supplierLot: String
    var expiry: String
    var unit: String
    var quantity: StoredNumber
    var minimum: StoredNumber
    var maximum: StoredNumber
    var perCapsule: StoredNumber?
    var calculation: String

    init(_ value: PlannedComponent) {
      role = value.role.rawValue
      ingredientCode = value.ingredientCode
      ingredientName = value.ingredientName
      lotNumber = value.lotNumber
      supplier = value.supplier
      supplierLot = value.supplierLot
      expiry = value.expiry.description
      unit = value.unit.rawValue
      quantity = StoredNumber(Decimal(value.quantity))
      minimum = StoredNumber(Decimal(value.minimum))
      maximum = StoredNumber(Decimal(value.maximum))
      perCapsule = value.perCapsule.map { StoredNumber(milligrams: $0) }
      calculation = value.calculation
    }

    func value() throws(StoreError) -> PlannedComponent {
      PlannedComponent(
        role: try StoredValue.known(ComponentRole.self, role, in: PlanRecord.kind), ingredientCode: ingredientCode,
        ingredientName: ingredientName, lotNumber: lotNumber, supplier: supplier, supplierLot: supplierLot,
        expiry: try StoredValue.date(expiry, in: PlanRecord.kind),
        unit: try StoredValue.known(StockUnit.self, unit, in: PlanRecord.kind),
        quantity: Int64(quantity.integer), minimum: Int64(minimum.integer), maximum: Int64(maximum.integer),
        perCapsule: perCapsule?.mass, calculation: calculation)
    }
  }

  /// The beyond-use date with its reason.
  struct BUD: Codable {
    var date: String
    var basis: String
  }

  var format: Int?
  var formulaCode: String
  var formulaVersion: Int
  var formulaName: String
  var strength: StoredNumber
  var strengthBasis: String
  var capsuleSize: String
  var quantity: Int
  var extraCapsules: Int
  var capsules: Int
  var saltFactor: StoredNumber
  var components: [Component]
  var theoreticalFill: StoredNumber
  var fillMinimum: StoredNumber
  var fillMaximum: StoredNumber
  var fillRange: StoredRange
  var compoundingDate: String
  var beyondUseDate: BUD
  var storage: String
  var calculations: [String]
  var warnings: [String]
  /// The balance, its minimum weight and the masses below it; absent in plans made before balances.
  var balance: String?
  var minimumWeight: StoredNumber?
  var belowMinimum: [String]?

  init(_ value: WeighingPlan) {
    format = Self.current
    formulaCode = value.formulaCode
    formulaVersion = value.formulaVersion
    formulaName = value.formulaName
    strength = StoredNumber(milligrams: value.strength)
    strengthBasis = value.strengthBasis.rawValue
    capsuleSize = value.capsuleSize
    quantity = value.quantity
    extraCapsules = value.extraCapsules
    capsules = value.capsules
    saltFactor = StoredNumber(value.saltFactor)
    components = value.components.map(Component.init)
    theoreticalFill = StoredNumber(milligrams: value.theoreticalFill)
    fillMinimum = StoredNumber(milligrams: value.fillMinimum)
    fillMaximum = StoredNumber(milligrams: value.fillMaximum)
    fillRange = StoredRange(value.fillRange)
    compoundingDate = value.compoundingDate.description
    beyondUseDate = BUD(date: value.beyondUseDate.date.description, basis: value.beyondUseDate.basis)
    storage = value.storage
    calculations = value.calculations
    warnings = value.warnings
    balance = value.balance
    minimumWeight = value.minimumWeight.map { StoredNumber(milligrams: $0) }
    belowMinimum = value.belowMinimum.isEmpty ? nil : value.belowMinimum
  }

  func value() throws -> WeighingPlan {
    WeighingPlan(
      formulaCode: formulaCode, formulaVersion: formulaVersion, formulaName: formulaName, strength: strength.mass,
      strengthBasis: try StoredValue.known(StrengthBasis.self, strengthBasis, in: Self.kind), capsuleSize: capsuleSize,
      quantity: quantity, extraCapsules: extraCapsules, capsules: capsules, saltFactor: saltFactor.decimal,
      components: try components.map { try $0.value() }, theoreticalFill: theoreticalFill.mass,
      fillMinimum: fillMinimum.mass, fillMaximum: fillMaximum.mass, fillRange: fillRange.value,
      compoundingDate: try StoredValue.date(compoundingDate, in: Self.kind),
      beyondUseDate: BeyondUseDate(
        date: try StoredValue.date(beyondUseDate.date, in: Self.kind), basis: beyondUseDate.basis),
      storage: storage, calculations: calculations, warnings: warnings, balance: balance,
      minimumWeight: minimumWeight?.mass, belowMinimum: belowMinimum ?? [])
  }
}
