import CXlsxWriter
import Formulation
import Foundation
import Quantities
import Store

/// The workbook's sink for the month's movements: each value row becomes a row of the Movements sheet.
public struct MovementWriter: MovementSink {
  private var sheet: Sheet
  private let formats: Formats
  private let progress: Bool
  private var count = 0
  private var written = 0
  private var time: LocalTime

  init(sheet: Sheet, formats: Formats, progress: Bool, zone: TimeZone) {
    self.sheet = sheet
    self.formats = formats
    self.progress = progress
    time = LocalTime(zone: zone)
  }

  public mutating func start(count: Int) { self.count = count }

  public mutating func add(_ movement: MonthReport.MovementRow) throws {
    let row = sheet.row
    let handle = sheet.handle
    // When, as a date-time in the pharmacy's zone (the stored UTC text if it is not one).
    if var local = time.datetime(movement.at) {
      worksheet_write_datetime(handle, row, 0, &local, formats.dateTime)
    } else {
      worksheet_write_string(handle, row, 0, movement.at, nil)
    }
    worksheet_write_string(handle, row, 1, movement.lotNumber, nil)
    worksheet_write_string(handle, row, 2, movement.item, nil)
    worksheet_write_string(handle, row, 3, movement.kind.rawValue, nil)
    worksheet_write_string(handle, row, 4, movement.unit == .mass ? "mg" : "pcs", nil)
    worksheet_write_number(
      handle, row, 5, movement.unit == .mass ? Double(movement.quantity) / 1000 : Double(movement.quantity),
      movement.unit == .mass ? formats.milligrams : formats.count)
    worksheet_write_string(handle, row, 6, movement.by, nil)
    if !movement.reason.isEmpty { worksheet_write_string(handle, row, 7, movement.reason, nil) }
    sheet.skip(to: row + 1)
    written += 1
    if progress, written % 50_000 == 0 {
      FileHandle.standardError.write(Data("\rexporting movements: \(written) of \(count)".utf8))
    }
  }

  /// Ends the sheet (its autofilter over the rows written) and the progress line.
  mutating func finish() {
    if progress, written >= 50_000 { FileHandle.standardError.write(Data("\n".utf8)) }
    sheet.finish()
  }
}
