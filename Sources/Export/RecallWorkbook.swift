import CXlsxWriter
import FileOutput
import Foundation
import Quantities
import Store

/// Writes a recall trace as a workbook: batches, the fills with whom to contact, stock to quarantine.
public enum RecallWorkbook {
  /// Writes `report` to `output` under a temporary name, then puts it in place in one step.
  public static func write(_ report: RecallReport, to output: OutputPath) throws(ExportError) {
    let path = output.path
    let temporary = URL(
      fileURLWithPath: try ExportError.wrap { () throws(OutputError) in try OutputPath.temporary(beside: path) })
    guard let workbook = workbook_new(temporary.path) else { throw ExportError("cannot create \(path)") }
    do {
      let formats = try Formats(workbook)
      // In a chain of stores, each batch, fill and lot on hand with the store that holds it.
      let store: [(String, Double)] = report.stores.isEmpty ? [] : [("Store", 8)]
      func at(_ lot: String) -> [Sheet.Cell] { report.stores.isEmpty ? [] : [.text(report.stores[lot] ?? "")] }
      var components = try Sheet(
        workbook, name: "Component lots",
        header: [("Lot", 16), ("Ingredient", 18), ("Supplier", 14), ("Supplier lot", 14), ("Unit", 6), ("Used", 14)],
        formats: formats)
      for item in report.components {
        let mass = item.unit == .mass
        components.write([
          .text(item.lotNumber), .text(item.ingredient), .text(item.supplier), .text(item.supplierLot),
          .text(mass ? "mg" : "pcs"),
          .number(mass ? Double(item.used) / 1000 : Double(item.used), formats.quantity(mass)),
        ])
      }
      components.finish()
      var batches = try Sheet(
        workbook, name: "Batches",
        header: [("Batch", 18), ("Formula", 10), ("Compounded", 12), ("Status", 12), ("Capsules on hand", 16)]
          + store,
        formats: formats)
      for batch in report.batches {
        batches.write(
          [
            .text(batch.lotNumber), .text(batch.formulaCode),
            .date(batch.compounded.year, batch.compounded.month, batch.compounded.day), .text(batch.status),
            .number(Double(batch.onHand), formats.count),
          ] + at(batch.lotNumber))
      }
      batches.finish()
      var fills = try Sheet(
        workbook, name: "Fills to contact",
        header: [
          ("Rx", 10), ("Fill", 6), ("Batch", 18), ("Quantity", 9), ("Filled", 12), ("Patient", 24), ("Phone", 16),
          ("Address", 30), ("Prescriber", 22), ("Prescriber phone", 16),
        ] + store, formats: formats)
      for fill in report.fills {
        fills.write(
          [
            .text(fill.rxNumber), .number(Double(fill.fillNumber), formats.count), .text(fill.lotNumber),
            .number(Double(fill.quantity), formats.count), .date(fill.filled.year, fill.filled.month, fill.filled.day),
            .text(fill.patient), .text(fill.patientPhone), .text(fill.patientAddress), .text(fill.prescriber),
            .text(fill.prescriberPhone),
          ] + at(fill.lotNumber))
      }
      fills.finish()
      var stock = try Sheet(
        workbook, name: "On hand to quarantine",
        header: [("Lot", 18), ("Unit", 6), ("On hand", 14), ("Status now", 12), ("Held", 22)] + store,
        formats: formats)
      for (lot, quantity) in report.onHand.sorted(by: { $0.key < $1.key }) {
        let mass = report.onHandUnits[lot] == .mass
        stock.write(
          [
            .text(lot), .text(mass ? "mg" : "pcs"),
            .number(mass ? Double(quantity) / 1000 : Double(quantity), formats.quantity(mass)),
            .text(report.onHandStatus[lot] ?? ""),
            .text(
              report.held.contains(lot)
                ? "yes, by this recall" : report.onHandStatus[lot] == "on_hold" ? "yes, already" : "no"),
          ] + at(lot))
      }
      stock.finish()
    } catch {
      workbook_close(workbook)
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    let status = workbook_close(workbook)
    guard status == LXW_NO_ERROR else {
      try? FileManager.default.removeItem(at: temporary)
      throw ExportError("cannot write \(path): \(String(cString: lxw_strerror(status)))")
    }
    try ExportError.wrap { () throws(OutputError) in try output.publish(temporary.path) }
  }
}
