import Formulation
import Foundation
import Quantities
import Store

/// Lots and triturations as a person reads them.
enum LotText {
  /// One lot: its receipt, certificate, history and, for a trituration, its compounding record.
  static func detail(_ detail: LotDetail, context: Context) -> String {
    let lot = detail.lot.lot
    let display = context.display
    let unit = detail.lot.unit
    var lines = [
      "LOT \(lot.lotNumber): \(lot.ingredientCode) (\(detail.lot.ingredientName))",
      "Status: \(lot.status.rawValue)\(lot.isExpired(on: context.today) ? " (EXPIRED)" : "")",
      "Supplier: \(lot.supplier), lot \(lot.supplierLot); expires \(lot.expiry)",
      "Received: \(unit.format(detail.lot.receivedQuantity, display: display)) at \(context.local(detail.receivedAt)) by \(detail.lot.receivedBy); on hand \(unit.format(lot.onHand, display: display))",
      "Cost: \(detail.lot.cost.map { "$\($0)" } ?? "unknown")",
    ]
    if let gtin = lot.gtin {
      lines.append("GTIN: \(gtin)\(detail.serial.map { ", serial \($0)" } ?? "") (scanned at receiving)")
    }
    if let assay = lot.assayPercent {
      let water = lot.waterPercent.map { ", water \($0) %" } ?? ""
      lines.append("Assay: \(assay) % \(lot.assayBasis?.rawValue ?? "as-is")\(water)")
    }
    if let hash = detail.certificateSha256 {
      let state =
        detail.certificateIntact == true
        ? "intact" : "DOES NOT MATCH its SHA-256: the stored file was changed outside compound; run 'compound doctor'"
      lines.append(
        "Certificate of analysis: \(detail.certificateName ?? "?") (\(detail.certificateBytes ?? 0) bytes), sha256 \(hash), \(state)"
      )
    } else if lot.triturationParts == nil {
      lines.append("Certificate of analysis: none on file")
    }
    if !detail.sameSupplierLot.isEmpty {
      lines.append("Other containers of this supplier lot: \(detail.sameSupplierLot.joined(separator: ", "))")
    }
    if let trituration = detail.trituration { lines += ["", triturationRecord(trituration, context: context)] }
    lines.append("")
    lines.append("Status history:")
    lines += detail.history.map {
      "  \(context.local($0.at)) \($0.from ?? "-") -> \($0.to) by \($0.by)\($0.reason.map { ": \($0)" } ?? "")"
    }
    return lines.joined(separator: "\n")
  }

  /// A trituration's compounding record.
  static func triturationRecord(_ entry: TriturationEntry, context: Context) -> String {
    let record = entry.record
    let plan = record.plan
    var lines = [
      "TRITURATION RECORD \(entry.lotNumber): \(plan.code) version \(plan.version), \(plan.name)",
      "1 part in \(plan.parts); made \(record.mass) at \(context.local(entry.compoundedAt)) by \(entry.compoundedByName) (\(entry.compoundedBy)); status \(entry.status.rawValue)",
      "Potency: \(record.potencyPercent.trimmed(maximum: 4)) % \(plan.components.first?.ingredientCode ?? "API") by weight (API lot potency x API weighed / all weighed)",
      "BUD: \(plan.beyondUseDate.date) (\(plan.beyondUseDate.basis))",
      "Storage: \(plan.storage)",
      Output.table(
        ["ROLE", "INGREDIENT", "LOT", "SUPPLIER LOT", "PLANNED", "WEIGHED", "% PLAN", "SOURCE"],
        record.components.map {
          [
            $0.planned.role == .api ? "api" : "diluent", $0.planned.ingredientCode, $0.planned.lotNumber,
            "\($0.planned.supplier) \($0.planned.supplierLot)",
            context.display.mass(Mass(micrograms: $0.planned.quantity)),
            context.display.mass(Mass(micrograms: $0.measured)),
            "\($0.percentOfPlan.fixed(2))\($0.withinTolerance ? "" : " OUT")", $0.source ?? "typed",
          ]
        }),
      "Calculations:",
    ]
    lines += plan.calculations.map { "  \($0)" }
    lines += plan.warnings.map { "warning: \($0)" }
    if let deviation = record.deviation { lines.append("Deviation: \(deviation)") }
    lines.append(entry.assays.isEmpty ? "Assay: none recorded" : "Assays:")
    lines += entry.assays.map {
      "  \($0.tested) \($0.lab), \($0.method): \($0.percent) % of the stated potency, \(($0.verdict == "fail" ? "FAIL" : $0.verdict == "pass" ? "PASS" : "PASS WITH WARNING")) (\($0.limits)); recorded by \($0.recordedBy)"
    }
    lines += record.outOfRange.map { "deviation recorded: \($0)" }
    return lines.joined(separator: "\n")
  }

  /// A trituration's worksheet.
  static func triturationPlan(_ plan: TriturationPlan, context: Context) -> String {
    var lines = [
      "TRITURATION WORKSHEET \(plan.code) version \(plan.version): \(plan.name)",
      "Make \(context.display.mass(plan.mass)): 1 part API in \(plan.parts); nothing is recorded by this command.",
      Output.table(
        ["ROLE", "INGREDIENT", "LOT", "EXPIRY", "WEIGH", "ACCEPTED"],
        plan.components.map {
          [
            $0.role == .api ? "api" : "diluent", $0.ingredientCode, $0.lotNumber, $0.expiry.description,
            context.display.mass(Mass(micrograms: $0.quantity)),
            "\(context.display.mass(Mass(micrograms: $0.minimum))) to \(context.display.mass(Mass(micrograms: $0.maximum)))",
          ]
        }),
      "BUD: \(plan.beyondUseDate.date) (\(plan.beyondUseDate.basis))",
      "Calculations:",
    ]
    lines += plan.calculations.map { "  \($0)" }
    lines += plan.warnings.map { "warning: \($0)" }
    return lines.joined(separator: "\n")
  }
}
