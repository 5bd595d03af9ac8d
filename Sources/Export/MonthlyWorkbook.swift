import CXlsxWriter
import FileOutput
import Foundation
import Quantities
import Store

/// Writes the month's inventory workbook with libxlsxwriter in constant-memory mode; the Movements sheet's rows
/// are written and compressed apart as they are read (`MovementWriter`) and spliced in (`SheetSplice`).
///
/// Masses are in mg, counts in pieces (capsules for batches), money in dollars. The file is written under
/// a temporary name and renamed, so an interrupted export never leaves a half file under the final name.
public enum MonthlyWorkbook {
  /// Reads the month from the store through `read`, which streams the movements into the workbook's sink and
  /// returns the report, and writes it all to `output`; `progress` reports movement rows on standard error.
  @discardableResult
  public static func write(
    year: Int, month: Int, to output: OutputPath, pharmacy: String, zone: TimeZone, generated: Date, progress: Bool,
    read: (inout MovementWriter) throws -> MonthReport
  ) throws(ExportError) -> (report: MonthReport, items: Int, lots: Int) {
    let path = output.path
    let temporary = URL(
      fileURLWithPath: try ExportError.wrap { () throws(OutputError) in try OutputPath.temporary(beside: path) })
    let written: (report: MonthReport, items: Int, lots: Int)
    do {
      written = try writeFile(
        year: year, month: month, to: temporary.path, pharmacy: pharmacy, zone: zone, generated: generated,
        progress: progress, read: read)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    try ExportError.wrap { () throws(OutputError) in try output.publish(temporary.path) }
    return written
  }

  /// The Movements sheet's part in the zip: the fifth sheet libxlsxwriter adds.
  static let movementsEntry = "xl/worksheets/sheet5.xml"

  private static func writeFile(
    year: Int, month: Int, to path: String, pharmacy: String, zone: TimeZone, generated: Date, progress: Bool,
    read: (inout MovementWriter) throws -> MonthReport
  ) throws(ExportError) -> (report: MonthReport, items: Int, lots: Int) {
    // libxlsxwriter's workbook and the compressed rows, beside the temporary file and gone once it is whole.
    let library = path + ".workbook"
    let rows = path + ".rows"
    defer {
      try? FileManager.default.removeItem(atPath: library)
      try? FileManager.default.removeItem(atPath: rows)
    }
    let written = try writeWorkbook(
      year: year, month: month, to: library, rows: rows, pharmacy: pharmacy, zone: zone, generated: generated,
      progress: progress, read: read)
    try SheetSplice.splice(
      source: library, destination: path, entry: movementsEntry, rows: rows, result: written.rows,
      count: written.count)
    return (written.report, written.report.totals.summary.count, written.report.totals.lots.count)
  }

  private static func writeWorkbook(
    year: Int, month: Int, to path: String, rows: String, pharmacy: String, zone: TimeZone, generated: Date,
    progress: Bool, read: (inout MovementWriter) throws -> MonthReport
  ) throws(ExportError) -> (report: MonthReport, rows: DeflatePipe.Result, count: Int) {
    var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 1)
    guard let workbook = workbook_new_opt(path, &options) else {
      throw ExportError("cannot create \(path): check the folder exists and is writable")
    }
    let monthText = String(format: "%04d-%02d", year, month)
    let written: MonthReport
    let compressed: DeflatePipe.Result
    let count: Int
    do {
      let formats = try Formats(workbook)
      // Sheets in the order a reader meets them; the movements are written first, in the one read that also
      // adds up the month for the summary (each sheet keeps its own rows in order).
      var summarySheet = try Sheet(workbook, name: "Summary", header: Headers.summary, formats: formats)
      var lotsSheet = try Sheet(workbook, name: "Lots at month end", header: Headers.lots, formats: formats)
      var batchesSheet = try Sheet(workbook, name: "Batches compounded", header: Headers.batches, formats: formats)
      var dispensedSheet = try Sheet(workbook, name: "Dispensed", header: Headers.dispensed, formats: formats)
      let movementsSheet = try Sheet(
        workbook, name: "Movements",
        header: [("When (\(zone.identifier))", Headers.movements[0].1)] + Headers.movements.dropFirst(),
        formats: formats)
      var expiringSheet = try Sheet(workbook, name: "Expiring", header: Headers.expiring, formats: formats)
      var writer = MovementWriter(
        sheet: movementsSheet, formats: formats, progress: progress, zone: zone, pipe: try DeflatePipe(path: rows))
      let report: MonthReport
      do {
        report = try read(&writer)
      } catch let error as ExportError {
        throw error
      } catch {
        throw writer.refusal ?? ExportError("cannot read the month's movements: \(error)")
      }
      compressed = try writer.finish()
      count = writer.written
      let anchor = "audit trail of \(report.auditEntries) entries, head \(report.auditHead)"
      properties(workbook, report, pharmacy: pharmacy, monthText: monthText, anchor: anchor, generated: generated)
      summary(
        workbook, &summarySheet, report.totals, formats, monthText: monthText,
        footer: (report.stores.map { ["Store: \($0)"] } ?? []) + [
          "Month \(monthText); generated \(Timestamp.local(Timestamp.string(generated), zone: zone))",
          "Audit: \(anchor)",
        ])
      lots(&lotsSheet, report.totals, report, formats)
      batches(&batchesSheet, report, formats)
      dispensed(&dispensedSheet, report, formats)
      expiring(&expiringSheet, report.totals, formats)
      written = report
    } catch let error as ExportError {
      workbook_close(workbook)
      throw error
    } catch {
      workbook_close(workbook)
      throw ExportError("cannot write the workbook: \(error)")
    }
    let status = workbook_close(workbook)
    guard status == LXW_NO_ERROR else {
      throw ExportError("libxlsxwriter could not write \(path): \(String(cString: lxw_strerror(status)))")
    }
    return (written, compressed, count)
  }

  /// The workbook's title, author and comments, and the audit anchor as custom properties.
  private static func properties(
    _ workbook: UnsafeMutablePointer<lxw_workbook>, _ report: MonthReport, pharmacy: String, monthText: String,
    anchor: String, generated: Date
  ) {
    let title = strdup("\(pharmacy) inventory \(monthText)\(report.stores.map { ", \($0)" } ?? "")")
    let author = strdup(pharmacy.isEmpty ? "compound" : pharmacy)
    let comments = strdup(
      "Generated by compound at \(Timestamp.string(generated)) from the ledger as of \(report.monthEnd); \(anchor)")
    defer {
      free(title)
      free(author)
      free(comments)
    }
    var properties = lxw_doc_properties()
    properties.title = title
    properties.author = author
    properties.company = author
    properties.comments = comments
    properties.created = time_t(generated.timeIntervalSince1970)
    workbook_set_properties(workbook, &properties)
    // The head hash makes the workbook the owner or the inspector keeps an anchor of the audit trail.
    workbook_set_custom_property_string(workbook, "Audit head", report.auditHead)
    workbook_set_custom_property_string(workbook, "Audit entries", "\(report.auditEntries)")
    if let stores = report.stores { workbook_set_custom_property_string(workbook, "Store", stores) }
  }

  /// Each sheet's columns and widths.
  enum Headers {
    static let summary: [(String, Double)] = [
      ("Item", 18), ("Kind", 11), ("Unit", 6), ("Opening", 14), ("Received", 14), ("Produced", 12), ("Consumed", 14),
      ("Dispensed", 12), ("Wasted/adjusted", 15), ("Closing", 14), ("Closing value at cost", 20), ("Check", 9),
    ]
    static let lots: [(String, Double)] = [
      ("Lot", 18), ("Item", 18), ("Kind", 11), ("Supplier", 14), ("Expiry or BUD", 13), ("Status", 12), ("Unit", 6),
      ("Quantity", 14), ("Unit cost ($ per mg or piece)", 28), ("Value", 12),
    ]
    static let batches: [(String, Double)] = [
      ("Lot", 18), ("Formula", 12), ("Compounded", 12), ("Quantity", 10), ("Yield", 8), ("BUD", 12), ("Assay", 18),
      ("Uniformity", 12), ("Status", 12), ("Compounded by", 14), ("Verified by", 12),
    ]
    static let dispensed: [(String, Double)] = [
      ("Date", 12), ("Rx", 10), ("Patient", 26), ("Lot", 18), ("Quantity", 10), ("Price", 10),
    ]
    static let movements: [(String, Double)] = [
      ("When", 25), ("Lot", 18), ("Item", 18), ("Movement", 11), ("Unit", 6), ("Quantity", 14), ("By", 10),
      ("Reason", 30),
    ]
    static let expiring: [(String, Double)] = [
      ("Lot", 18), ("Item", 18), ("Kind", 11), ("Expiry or BUD", 13), ("Unit", 6), ("Quantity", 14),
    ]
  }

  private static func mg(_ micrograms: Int64) -> Double { Double(micrograms) / 1000 }

  private static func amount(_ value: Int64, _ unit: StockUnit, _ formats: Formats) -> Sheet.Cell {
    unit == .mass ? .number(mg(value), formats.milligrams) : .number(Double(value), formats.count)
  }

  private static func summary(
    _ workbook: UnsafeMutablePointer<lxw_workbook>, _ sheet: inout Sheet, _ report: MonthReport.Totals,
    _ formats: Formats, monthText: String, footer: [String]
  ) {
    for line in report.summary {
      let row = sheet.row + 1
      let check = "=ROUND(D\(row)+E\(row)+F\(row)-G\(row)-H\(row)+I\(row)-J\(row),3)"
      sheet.write([
        .text(line.item), .text(line.kind), .text(line.unit == .mass ? "mg" : "pcs"),
        amount(line.opening, line.unit, formats), amount(line.received, line.unit, formats),
        amount(line.produced, line.unit, formats), amount(line.consumed, line.unit, formats),
        amount(line.dispensed, line.unit, formats), amount(line.other, line.unit, formats),
        amount(line.closing, line.unit, formats),
        line.closingValue.map { .number(Double($0.cents) / 100, formats.money) } ?? .text("unknown cost"),
        .formula(check, 0),
      ])
    }
    let last = sheet.row
    sheet.finish()
    sheet.write([
      .text("Total"), .empty, .empty, .empty, .empty, .empty, .empty, .empty, .empty, .empty,
      .formula(
        last > 1 ? "=SUM(K2:K\(last))" : "=0",
        Double(report.summary.compactMap(\.closingValue).reduce(0) { $0 + $1.cents }) / 100, format: formats.money),
      .formula(last > 1 ? "=SUMPRODUCT(ABS(L2:L\(last)))" : "=0", 0),
    ])
    // Below the table, inside the printed width: the month, when it was generated, and the audit anchor.
    for (offset, line) in footer.enumerated() {
      worksheet_write_string(sheet.handle, sheet.row + 1 + UInt32(offset), 0, line, nil)
    }
    // One measure every item shares: the value of its stock at the month's end, in the currency.
    if last > 1, let chart = workbook_add_chart(workbook, UInt8(LXW_CHART_BAR.rawValue)) {
      chart_title_set_name(chart, "Value of stock at the end of \(monthText), by item")
      let value = chart_add_series(chart, "=Summary!$A$2:$A$\(last)", "=Summary!$K$2:$K$\(last)")
      chart_series_set_name(value, "Closing value at cost ($)")
      chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
      worksheet_insert_chart(sheet.handle, sheet.row + 2 + UInt32(footer.count), 0, chart)
    }
  }

  private static func lots(
    _ sheet: inout Sheet, _ totals: MonthReport.Totals, _ report: MonthReport, _ formats: Formats
  ) {
    for lot in totals.lots {
      let flagged =
        lot.expires < report.monthEnd || ["on_hold", "quarantined", "expired", "recalled"].contains(lot.status)
      sheet.write(
        [
          .text(lot.lotNumber), .text(lot.item), .text(lot.kind), .text(lot.supplier),
          .date(lot.expires.year, lot.expires.month, lot.expires.day),
          .text(lot.expires < report.monthEnd ? "expired" : lot.status), .text(lot.unit == .mass ? "mg" : "pcs"),
          amount(lot.quantity, lot.unit, formats),
          lot.unitCost.map { cents in
            // Cents per microgram or per piece, as dollars per mg or per piece: the Quantity's own unit, so
            // Quantity x Unit cost is the Value (to the cent).
            let dollars = lot.unit == .mass ? cents * 1000 / 100 : cents / 100
            return .number(Sheet.number(dollars, scale: 12), formats.unitCost)
          } ?? .text("unknown"),
          lot.value.map { .number(Double($0.cents) / 100, formats.money) } ?? .text("unknown"),
        ], highlight: flagged)
    }
    sheet.finish()
  }

  private static func batches(_ sheet: inout Sheet, _ report: MonthReport, _ formats: Formats) {
    for batch in report.batches {
      sheet.write([
        .text(batch.lotNumber), .text(batch.formula),
        .date(batch.compounded.year, batch.compounded.month, batch.compounded.day),
        .number(Double(batch.quantity), formats.count), .number(Double(batch.yield), formats.count),
        .date(batch.beyondUseDate.year, batch.beyondUseDate.month, batch.beyondUseDate.day), .text(batch.assay),
        .text(batch.uniformity), .text(batch.status), .text(batch.compoundedBy), .text(batch.verifiedBy),
      ])
    }
    sheet.finish()
  }

  private static func dispensed(_ sheet: inout Sheet, _ report: MonthReport, _ formats: Formats) {
    for fill in report.dispensed {
      sheet.write([
        .date(fill.filled.year, fill.filled.month, fill.filled.day), .text(fill.rxNumber), .text(fill.patient),
        .text(fill.lotNumber), .number(Double(fill.quantity), formats.count),
        fill.price.map { .number(Double($0.cents) / 100, formats.money) } ?? .text("unknown"),
      ])
    }
    sheet.finish()
  }

  private static func expiring(_ sheet: inout Sheet, _ totals: MonthReport.Totals, _ formats: Formats) {
    for lot in totals.expiring {
      sheet.write([
        .text(lot.lotNumber), .text(lot.item), .text(lot.kind),
        .date(lot.expires.year, lot.expires.month, lot.expires.day),
        .text(lot.unit == .mass ? "mg" : "pcs"), amount(lot.quantity, lot.unit, formats),
      ])
    }
    sheet.finish()
  }
}
