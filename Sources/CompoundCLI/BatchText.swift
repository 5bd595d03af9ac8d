import Formulation
import Foundation
import Quality
import Quantities
import Settings
import Store

/// The worksheet and the compounding record as a person reads them.
enum BatchText {
  static func plan(_ plan: WeighingPlan, zone: TimeZone, display: QuantityDisplay = .standard) -> String {
    var lines = [
      "WEIGHING WORKSHEET  \(plan.formulaCode) version \(plan.formulaVersion): \(plan.formulaName)",
      "Capsules: \(plan.quantity) ordered + \(plan.extraCapsules) extra for loss = \(plan.capsules) (size \(plan.capsuleSize))",
      "Compounding date: \(plan.compoundingDate) (\(zone.identifier)). Nothing is recorded by this command.",
      "",
      Output.table(
        ["ROLE", "INGREDIENT", "LOT", "SUPPLIER LOT", "EXPIRY", "WEIGH/COUNT", "ACCEPTED"],
        plan.components.map { component in
          [
            component.role.rawValue, component.ingredientCode, component.lotNumber,
            "\(component.supplier) \(component.supplierLot)", component.expiry.description,
            component.unit.format(component.quantity, display: display),
            component.unit == .mass
              ? "\(display.mass(Mass(micrograms: component.minimum))) to \(display.mass(Mass(micrograms: component.maximum)))"
              : "-",
          ]
        }),
      "",
      "Theoretical fill per capsule: \(plan.theoreticalFill); accepted \(plan.fillRange): \(plan.fillMinimum) to \(plan.fillMaximum)",
      "BUD: \(plan.beyondUseDate.date) (\(plan.beyondUseDate.basis))",
      "Storage: \(plan.storage)",
      "",
      "Calculations:",
    ]
    lines += plan.calculations.map { "  \($0)" }
    lines += plan.warnings.map { "warning: \($0)" }
    lines += plan.belowMinimum.map { "BELOW MINIMUM WEIGHT: \($0)" }
    return lines.joined(separator: "\n")
  }

  static func weightCheck(_ check: WeightCheck) -> String {
    var lines = [
      "Capsule weight check: \(check.capsules.count) capsules, empty shell \(check.shell) (\(check.shellSource))",
      "Theoretical fill \(check.theoreticalFill); each net fill within \(check.range)",
      "Mean net fill \(check.meanNet), SD \(check.standardDeviationMg.fixed(3)) mg, RSD \(check.rsdPercent.fixed(2)) %",
    ]
    for (index, capsule) in check.capsules.enumerated() {
      lines.append(
        "  \(index + 1). gross \(capsule.gross)  net \(capsule.net)  \(capsule.percent.fixed(2)) %\(capsule.within ? "" : "  OUTSIDE")"
      )
    }
    let outside = check.capsules.filter { !$0.within }.count
    lines.append(check.passed ? "Result: PASS" : "Result: FAIL (\(outside) capsule(s) outside \(check.range))")
    return lines.joined(separator: "\n")
  }

  static func record(_ record: BatchRecord, settings: Settings, zone: TimeZone, today: CalendarDate) -> String {
    let display = settings.quantityDisplay
    let pharmacy = settings.pharmacy
    let formula = record.formula
    let local = { (text: String) in Timestamp.local(text, zone: zone) }
    var lines = [
      "COMPOUNDING RECORD  \(record.lotNumber)   status: "
        + BatchGate.effectiveStatus(record.status, beyondUseDate: record.beyondUseDate, today: today).rawValue,
      "Pharmacy: \([pharmacy.name, pharmacy.address, pharmacy.phone].filter { !$0.isEmpty }.joined(separator: ", "))"
        + (pharmacy.licenseNumber.isEmpty ? "" : "; licence \(pharmacy.licenseNumber)"),
      "Preparation: \(formula.name); \(formula.dosageForm), size \(formula.capsuleSize)",
      "Strength: \(formula.strength) per capsule as \(formula.strengthBasis.rawValue) (\(formula.api))",
      "Master formula: \(formula.code) version \(record.formulaVersion) (sha256 \(record.formulaSha256.prefix(16)))",
      "Clinical rules: \(record.rulesVersion.map { "version \($0)" } ?? "recorded before rules were stored")",
      "Compounded: \(local(record.compoundedAt)) by \(record.compoundedByName) (\(record.compoundedBy))",
      "Verified: "
        + (record.verifiedBy.map { "\(local(record.verifiedAt ?? "")) by \(record.verifiedByName ?? $0) (\($0))" }
          ?? "NOT YET VERIFIED by a pharmacist"),
      "Quantity: \(record.quantity) ordered, powder for \(record.capsulesPlanned); actual yield \(record.actualYield) (\((Decimal(record.actualYield) * 100 / Decimal(max(record.capsulesPlanned, 1))).rounded(scale: 2).fixed(2)) % of the powder's capsules)",
      "BUD: \(record.beyondUseDate) (\(record.budBasis))",
      "Storage: \(record.storage)",
      "Container: \(formula.container)",
      "Description: \(formula.description)",
      "",
      "Components:",
      Output.table(
        ["ROLE", "INGREDIENT", "LOT", "SUPPLIER", "SUPPLIER LOT", "EXPIRY", "PLANNED", "MEASURED", "% PLAN", "SOURCE"],
        record.components.map { component in
          let planned = component.planned
          return [
            planned.role.rawValue, "\(planned.ingredientCode) (\(planned.ingredientName))", planned.lotNumber,
            planned.supplier, planned.supplierLot, planned.expiry.description,
            planned.unit.format(planned.quantity, display: display),
            planned.unit.format(component.measured, display: display),
            planned.unit == .mass
              ? "\(component.percentOfPlan.fixed(2))\(component.withinTolerance ? "" : " OUT")" : "-",
            component.source ?? (planned.unit == .mass ? "typed" : "counted"),
          ]
        }),
      "",
      "Theoretical fill: \(record.theoreticalFill) per capsule; accepted \(record.fillRange)",
      "Calculations:",
    ]
    lines += record.calculations.map { "  \($0)" }
    lines.append("")
    if record.weightChecks.isEmpty {
      lines.append("Capsule weight check: NOT YET RECORDED")
    }
    for entry in record.weightChecks {
      lines.append("Capsule weight check at \(local(entry.checkedAt)) by \(entry.checkedBy):")
      lines += weightCheck(entry.result).split(separator: "\n").map { "  \($0)" }
    }
    if record.assays.isEmpty { lines.append("Assay: none recorded") }
    for entry in record.assays {
      lines += QualityText.assay(entry, zone: zone).split(separator: "\n").map(String.init)
    }
    lines.append("Deviations: \(record.deviation ?? "none")")
    lines += record.outOfRange.map { "  outside range: \($0)" }
    lines += record.warnings.map { "Warning: \($0)" }
    lines.append("QC procedure: \(formula.qualityControl.procedure)")
    lines.append("Labeling: \(formula.labeling)")
    lines.append("Status history:")
    lines += record.statusHistory.map {
      "  \(local($0.at)) \($0.from?.rawValue ?? "-") -> \($0.to.rawValue) by \($0.by)\($0.reason.map { " (\($0))" } ?? "")"
    }
    return lines.joined(separator: "\n")
  }
}
