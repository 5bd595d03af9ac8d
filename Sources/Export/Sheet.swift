import CXlsxWriter
import Foundation
import Quantities

/// One worksheet written row by row (libxlsxwriter's constant-memory mode writes rows in order).
struct Sheet {
  let handle: UnsafeMutablePointer<lxw_worksheet>
  let formats: Formats
  private(set) var row: UInt32 = 0
  let columns: Int

  /// A sheet with a bold, frozen header row, an autofilter over its rows and column widths.
  init(_ workbook: UnsafeMutablePointer<lxw_workbook>, name: String, header: [(String, Double)], formats: Formats)
    throws(ExportError)
  {
    guard let sheet = workbook_add_worksheet(workbook, name) else { throw ExportError("cannot add the \(name) sheet") }
    handle = sheet
    self.formats = formats
    columns = header.count
    for (index, column) in header.enumerated() {
      worksheet_set_column(sheet, UInt16(index), UInt16(index), column.1, nil)
      worksheet_write_string(sheet, 0, UInt16(index), column.0, formats.header)
    }
    worksheet_freeze_panes(sheet, 1, 0)
    // Printed: landscape, one page wide, the header row on every page.
    worksheet_set_landscape(sheet)
    worksheet_fit_to_pages(sheet, 1, 0)
    worksheet_repeat_rows(sheet, 0, 0)
    row = 1
  }

  /// A decimal number as the nearest double to its exact text, rounded first to `scale` decimals: the cell
  /// shows 0.085, never 0.08499999999999999.
  static func number(_ value: Decimal, scale: Int) -> Double { Double(value.rounded(scale: scale).description) ?? 0 }

  /// A cell of the current row.
  enum Cell {
    case text(String)
    case number(Double, UnsafeMutablePointer<lxw_format>?)
    case date(Int, Int, Int)
    /// A formula with its cached result, in `format` (the check column's when nil).
    case formula(String, Double, format: UnsafeMutablePointer<lxw_format>? = nil)
    case empty
  }

  /// Writes one row; `highlight` paints it as needing attention.
  mutating func write(_ cells: [Cell], highlight: Bool = false) {
    for (index, cell) in cells.enumerated() {
      let column = UInt16(index)
      switch cell {
      case .text(let text): worksheet_write_string(handle, row, column, text, highlight ? formats.flagged : nil)
      case .number(let value, let format): worksheet_write_number(handle, row, column, value, format)
      case .date(let year, let month, let day):
        var date = lxw_datetime(year: Int32(year), month: Int32(month), day: Int32(day), hour: 0, min: 0, sec: 0)
        worksheet_write_datetime(handle, row, column, &date, formats.date)
      case .formula(let formula, let value, let format):
        worksheet_write_formula_num(handle, row, column, formula, format ?? formats.check, value)
      case .empty: worksheet_write_blank(handle, row, column, highlight ? formats.flagged : nil)
      }
    }
    row += 1
  }

  /// Moves on past rows written straight to the handle.
  mutating func skip(to next: UInt32) { row = max(row, next) }

  /// Turns on the autofilter over the header and the rows written.
  func finish() {
    worksheet_autofilter(handle, 0, 0, max(row - 1, 0), UInt16(max(columns - 1, 0)))
  }
}

/// The workbook's cell formats.
struct Formats {
  let header: UnsafeMutablePointer<lxw_format>
  let date: UnsafeMutablePointer<lxw_format>
  let dateTime: UnsafeMutablePointer<lxw_format>
  let milligrams: UnsafeMutablePointer<lxw_format>
  let count: UnsafeMutablePointer<lxw_format>
  let money: UnsafeMutablePointer<lxw_format>
  let unitCost: UnsafeMutablePointer<lxw_format>
  let check: UnsafeMutablePointer<lxw_format>
  let flagged: UnsafeMutablePointer<lxw_format>

  init(_ workbook: UnsafeMutablePointer<lxw_workbook>) throws(ExportError) {
    func make(_ setup: (UnsafeMutablePointer<lxw_format>) -> Void) throws(ExportError) -> UnsafeMutablePointer<
      lxw_format
    > {
      guard let format = workbook_add_format(workbook) else { throw ExportError("cannot create a cell format") }
      setup(format)
      return format
    }
    header = try make {
      format_set_bold($0)
      format_set_bg_color($0, 0xDDE7F0)
      format_set_bottom($0, UInt8(LXW_BORDER_THIN.rawValue))
    }
    date = try make { format_set_num_format($0, "yyyy-mm-dd") }
    dateTime = try make { format_set_num_format($0, "yyyy-mm-dd hh:mm") }
    milligrams = try make { format_set_num_format($0, "#,##0.000") }
    count = try make { format_set_num_format($0, "#,##0") }
    money = try make { format_set_num_format($0, "$#,##0.00") }
    unitCost = try make { format_set_num_format($0, "$#,##0.000000") }
    check = try make { format_set_num_format($0, "0.000") }
    flagged = try make { format_set_bg_color($0, 0xFFE699) }
  }

  /// The format of a quantity in `unit`.
  func quantity(_ isMass: Bool) -> UnsafeMutablePointer<lxw_format> { isMass ? milligrams : count }
}
