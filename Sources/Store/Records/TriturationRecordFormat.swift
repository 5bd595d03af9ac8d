import Formulation
import Foundation
import Quantities

/// A trituration's compounding record (`trituration.record`) in its stored format (format 2 from the start).
struct TriturationRecordFormat: StoredFormat {
  static let kind = "trituration record"

  var format: Int?
  var code: String
  var version: Int
  var name: String
  var parts: Int
  var mass: StoredNumber
  var compoundingDate: String
  var beyondUseDate: PlanRecord.BUD
  var storage: String
  var balance: String?
  var minimumWeight: StoredNumber?
  var calculations: [String]
  var warnings: [String]
  var components: [RecordCheckRecord.Measured]
  var potencyPercent: StoredNumber
  var apiFraction: StoredNumber
  var outOfRange: [String]
  var deviation: String?

  init(_ value: TriturationRecord) {
    format = Self.current
    code = value.plan.code
    version = value.plan.version
    name = value.plan.name
    parts = value.plan.parts
    mass = StoredNumber(milligrams: value.plan.mass)
    compoundingDate = value.plan.compoundingDate.description
    beyondUseDate = PlanRecord.BUD(
      date: value.plan.beyondUseDate.date.description, basis: value.plan.beyondUseDate.basis)
    storage = value.plan.storage
    balance = value.plan.balance
    minimumWeight = value.plan.minimumWeight.map { StoredNumber(milligrams: $0) }
    calculations = value.plan.calculations
    warnings = value.plan.warnings
    components = value.components.map {
      RecordCheckRecord.Measured(
        planned: PlanRecord.Component($0.planned), measured: StoredNumber(Decimal($0.measured)),
        percentOfPlan: StoredNumber($0.percentOfPlan), withinTolerance: $0.withinTolerance, source: $0.source)
    }
    potencyPercent = StoredNumber(value.potencyPercent)
    apiFraction = StoredNumber(value.apiFraction)
    outOfRange = value.outOfRange
    deviation = value.deviation
  }

  func value() throws -> TriturationRecord {
    let measured = try components.map {
      MeasuredComponent(
        planned: try $0.planned.value(), measured: Int64($0.measured.integer), percentOfPlan: $0.percentOfPlan.decimal,
        withinTolerance: $0.withinTolerance, source: $0.source)
    }
    let plan = TriturationPlan(
      code: code, version: version, name: name, parts: parts, mass: mass.mass, components: measured.map(\.planned),
      compoundingDate: try StoredValue.date(compoundingDate, in: Self.kind),
      beyondUseDate: BeyondUseDate(
        date: try StoredValue.date(beyondUseDate.date, in: Self.kind), basis: beyondUseDate.basis),
      storage: storage, balance: balance, minimumWeight: minimumWeight?.mass, calculations: calculations,
      warnings: warnings)
    return TriturationRecord(
      plan: plan, components: measured, potencyPercent: potencyPercent.decimal, apiFraction: apiFraction.decimal,
      outOfRange: outOfRange, deviation: deviation)
  }
}
