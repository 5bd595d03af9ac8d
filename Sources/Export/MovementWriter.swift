import CXlsxWriter
import Formulation
import Foundation
import Quantities
import Store

/// The workbook's sink for the month's movements: each value row becomes a row of the Movements sheet.
///
/// The rows are written as the sheet's XML by this type (the cells libxlsxwriter would write, with its cell
/// formats) and compressed on another core as they come (`DeflatePipe`); `SheetSplice` puts them into the
/// workbook libxlsxwriter writes around them. A million movements take about as long as zlib alone needs.
public struct MovementWriter: MovementSink {
  private var sheet: Sheet
  private let pipe: DeflatePipe
  private let progress: Bool
  private var count = 0
  private(set) var written = 0
  private var time: LocalTime
  private var buffer: [UInt8] = []
  /// The cell formats' style numbers, as libxlsxwriter numbers them in this workbook.
  private let dateTime: [UInt8]
  private let milligrams: [UInt8]
  private let pieces: [UInt8]
  /// The digits of the row being written, for each cell's reference.
  private var rowDigits: [UInt8] = []
  /// Why the writer stopped the read, when it did (the store hands the error back wrapped as its own).
  private(set) var refusal: ExportError?

  /// Chunks of about this many bytes go to the compressor.
  private static let chunk = 1 << 20
  /// The rows an Excel sheet holds below its header (1,048,576 in all).
  static let sheetRows = 1_048_575

  init(sheet: Sheet, formats: Formats, progress: Bool, zone: TimeZone, pipe: DeflatePipe) {
    self.sheet = sheet
    self.progress = progress
    self.pipe = pipe
    time = LocalTime(zone: zone)
    dateTime = Array(String(lxw_format_get_xf_index(formats.dateTime)).utf8)
    milligrams = Array(String(lxw_format_get_xf_index(formats.milligrams)).utf8)
    pieces = Array(String(lxw_format_get_xf_index(formats.count)).utf8)
    buffer.reserveCapacity(Self.chunk + 4096)
  }

  public mutating func start(count: Int) { self.count = count }

  public mutating func add(_ movement: MonthReport.MovementRow) throws {
    // Rows past Excel's last would make a file Excel calls damaged: refused before the first is written.
    guard count <= Self.sheetRows, written < Self.sheetRows else {
      let refusal = ExportError(
        "the month has \(max(count, written + 1)) movements, more than the \(Self.sheetRows) rows an Excel sheet"
          + " holds below its header: nothing was written")
      self.refusal = refusal
      throw refusal
    }
    // Row 1 is the header.
    rowDigits.removeAll(keepingCapacity: true)
    Self.digits(UInt64(written + 2), into: &rowDigits)
    append("<row r=\"")
    buffer += rowDigits
    append("\">")
    // When, as a date-time in the pharmacy's zone (the stored UTC text if it is not one).
    if var local = time.datetime(movement.at) {
      number(0x41, style: dateTime, lxw_datetime_to_excel_datetime(&local).description)
    } else {
      text(0x41, movement.at)
    }
    text(0x42, movement.lotNumber)
    text(0x43, movement.item)
    text(0x44, movement.kind.rawValue)
    // Masses in mg from whole micrograms, exactly; counts in pieces.
    if movement.unit == .mass {
      text(0x45, "mg")
      number(0x46, style: milligrams, Self.milligramText(movement.quantity))
    } else {
      text(0x45, "pcs")
      number(0x46, style: pieces, String(movement.quantity))
    }
    text(0x47, movement.by)
    if !movement.reason.isEmpty { text(0x48, movement.reason) }
    append("</row>")
    written += 1
    if buffer.count >= Self.chunk {
      pipe.send(buffer)
      buffer = []
      buffer.reserveCapacity(Self.chunk + 4096)
    }
    if progress, written % 50_000 == 0 {
      FileHandle.standardError.write(Data("\rexporting movements: \(written) of \(count)".utf8))
    }
  }

  /// Ends the rows (their compression too), the sheet's autofilter over them and the progress line.
  mutating func finish() throws(ExportError) -> DeflatePipe.Result {
    if !buffer.isEmpty { pipe.send(buffer) }
    buffer = []
    let result = try pipe.finish()
    if progress, written >= 50_000 { FileHandle.standardError.write(Data("\n".utf8)) }
    sheet.skip(to: UInt32(written) + 1)
    sheet.finish()
    return result
  }

  /// Whole micrograms as mg, to the microgram, without trailing zeros: 1 -> 0.001, -150000 -> -150.
  static func milligramText(_ micrograms: Int64) -> String {
    let whole = micrograms.magnitude / 1000
    var fraction = micrograms.magnitude % 1000
    var text = (micrograms < 0 ? "-" : "") + String(whole)
    if fraction != 0 {
      var decimals = 3
      while fraction % 10 == 0 {
        fraction /= 10
        decimals -= 1
      }
      let digits = String(fraction)
      text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return text
  }

  private mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { buffer.append(contentsOf: $0) }
  }

  /// `<c r="X9" s="N"><v>value</v></c>`.
  private mutating func number(_ column: UInt8, style: [UInt8], _ value: String) {
    append("<c r=\"")
    buffer.append(column)
    buffer += rowDigits
    append("\" s=\"")
    buffer += style
    append("\"><v>")
    buffer += value.utf8
    append("</v></c>")
  }

  /// An inline string cell, escaped as XML text (and control characters as Excel's `_xHHHH_`).
  private mutating func text(_ column: UInt8, _ value: String) {
    append("<c r=\"")
    buffer.append(column)
    buffer += rowDigits
    let edges =
      value.utf8.first.map { [9, 10, 13, 32].contains($0) } == true
      || value.utf8.last.map { [9, 10, 13, 32].contains($0) } == true
    if edges {
      append("\" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
    } else {
      append("\" t=\"inlineStr\"><is><t>")
    }
    for byte in value.utf8 {
      switch byte {
      case 0x26: append("&amp;")
      case 0x3C: append("&lt;")
      case 0x3E: append("&gt;")
      case 9, 10: buffer.append(byte)
      case 0..<0x20:
        let hex = Array("0123456789ABCDEF".utf8)
        append("_x00")
        buffer.append(hex[Int(byte >> 4)])
        buffer.append(hex[Int(byte & 0xF)])
        append("_")
      default: buffer.append(byte)
      }
    }
    append("</t></is></c>")
  }

  private static func digits(_ value: UInt64, into bytes: inout [UInt8]) {
    if value >= 10 { digits(value / 10, into: &bytes) }
    bytes.append(UInt8(48 + value % 10))
  }
}
