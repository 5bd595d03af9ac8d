import CMinizip
import Foundation

/// Puts rows compressed apart (`DeflatePipe`) into one sheet of a workbook libxlsxwriter wrote with only that
/// sheet's header row, copying every other part of the zip as it is (minizip's raw mode: nothing is
/// recompressed).
///
/// The sheet's entry becomes three deflate pieces in a row: the sheet's XML up to the end of its header row,
/// the rows, and the rest of the sheet. Each piece but the last ends on a byte boundary without a final block,
/// so together they are one valid deflate stream; their CRC-32s combine with zlib's `crc32_combine`.
enum SheetSplice {
  /// Writes `destination`: `source` with `rows` (`result`, `count` rows after the header) inside `entry`.
  static func splice(
    source: String, destination: String, entry: String, rows: String, result: DeflatePipe.Result, count: Int
  ) throws(ExportError) {
    guard let reader = unzOpen64(source) else { throw ExportError("cannot read back the workbook \(source)") }
    defer { unzClose(reader) }
    guard let writer = zipOpen64(destination, APPEND_STATUS_CREATE) else {
      throw ExportError("cannot create \(destination): check the folder exists and is writable")
    }
    var closed = false
    defer { if !closed { zipClose(writer, nil) } }
    var found = false
    var status = unzGoToFirstFile(reader)
    while status == UNZ_OK {
      var info = unz_file_info64()
      var nameBytes = [CChar](repeating: 0, count: 512)
      guard unzGetCurrentFileInfo64(reader, &info, &nameBytes, UInt(nameBytes.count), nil, 0, nil, 0) == UNZ_OK else {
        throw ExportError("cannot read back the workbook \(source)")
      }
      let name = String(decoding: nameBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      var fileInfo = zip_fileinfo()
      fileInfo.dosDate = info.dosDate
      fileInfo.internal_fa = info.internal_fa
      fileInfo.external_fa = info.external_fa
      if name == entry {
        found = true
        try spliceEntry(reader, writer, name: name, info: fileInfo, rows: rows, result: result, count: count)
      } else {
        try copyEntry(reader, writer, name: name, info: fileInfo, uncompressed: info.uncompressed_size, crc: info.crc)
      }
      status = unzGoToNextFile(reader)
    }
    guard status == UNZ_END_OF_LIST_OF_FILE, found else {
      throw ExportError("the workbook libxlsxwriter wrote has no \(entry): the movements were not written")
    }
    closed = true
    guard zipClose(writer, nil) == ZIP_OK else { throw ExportError("cannot write \(destination): is the disk full?") }
  }

  /// Copies the current entry's compressed bytes as they are.
  private static func copyEntry(
    _ reader: unzFile, _ writer: zipFile, name: String, info: zip_fileinfo, uncompressed: UInt64, crc: UInt
  ) throws(ExportError) {
    var method: Int32 = 0
    var level: Int32 = 0
    guard unzOpenCurrentFile2(reader, &method, &level, 1) == UNZ_OK else {
      throw ExportError("cannot read back the workbook's \(name)")
    }
    defer { unzCloseCurrentFile(reader) }
    try openRaw(writer, name, info, method: method, level: level, size: uncompressed)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let read = unzReadCurrentFile(reader, &buffer, UInt32(buffer.count))
      guard read >= 0 else { throw ExportError("cannot read back the workbook's \(name)") }
      if read == 0 { break }
      guard zipWriteInFileInZip(writer, buffer, UInt32(read)) == ZIP_OK else {
        throw ExportError("cannot write the workbook's \(name): is the disk full?")
      }
    }
    guard zipCloseFileInZipRaw64(writer, uncompressed, crc) == ZIP_OK else {
      throw ExportError("cannot write the workbook's \(name)")
    }
  }

  /// Starts an entry whose compressed bytes are written as they are (zip64 when `size` needs it).
  private static func openRaw(
    _ writer: zipFile, _ name: String, _ info: zip_fileinfo, method: Int32, level: Int32, size: UInt64
  ) throws(ExportError) {
    var info = info
    guard
      zipOpenNewFileInZip2_64(writer, name, &info, nil, 0, nil, 0, nil, method, level, 1, size >= 0xFFFF_FFFF ? 1 : 0)
        == ZIP_OK
    else { throw ExportError("cannot write the workbook's \(name)") }
  }

  /// Writes the sheet with the rows after its header row.
  private static func spliceEntry(
    _ reader: unzFile, _ writer: zipFile, name: String, info: zip_fileinfo, rows: String, result: DeflatePipe.Result,
    count: Int
  ) throws(ExportError) {
    guard unzOpenCurrentFile(reader) == UNZ_OK else { throw ExportError("cannot read back the workbook's \(name)") }
    var xml: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let read = unzReadCurrentFile(reader, &buffer, UInt32(buffer.count))
      guard read >= 0 else { throw ExportError("cannot read back the workbook's \(name)") }
      if read == 0 { break }
      xml += buffer[0..<Int(read)]
    }
    unzCloseCurrentFile(reader)
    // libxlsxwriter's sheet with its header row alone: `<dimension ref="A1:H1"/>` ... `</row></sheetData>` ...
    let text = String(decoding: xml, as: UTF8.self)
    guard let headerEnd = text.range(of: "</row>"), text[headerEnd.upperBound...].hasPrefix("</sheetData>"),
      let dimension = text.range(of: "<dimension ref=\"A1:"),
      let dimensionEnd = text[dimension.upperBound...].range(of: "\"/>")
    else { throw ExportError("the workbook's \(name) is not the header-only sheet libxlsxwriter writes") }
    // The dimension names the last row, as libxlsxwriter would: its column letter, then the last row's number.
    let lastCell = String(text[dimension.upperBound..<dimensionEnd.lowerBound].prefix { $0.isLetter })
    let head = Array(
      (text[..<dimension.upperBound] + lastCell + String(count + 1)
        + text[dimensionEnd.lowerBound..<headerEnd.upperBound])
        .utf8)
    let tail = Array(text[headerEnd.upperBound...].utf8)
    let headDeflated = try DeflatePipe.deflated(head, final: false)
    let tailDeflated = try DeflatePipe.deflated(tail, final: true)
    let headCRC = crc32(0, head, UInt32(head.count))
    let tailCRC = crc32(0, tail, UInt32(tail.count))
    let crc = crc32_combine(crc32_combine(headCRC, result.crc, Int(result.length)), tailCRC, tail.count)
    let total = UInt64(head.count) + result.length + UInt64(tail.count)
    try openRaw(writer, name, info, method: Z_DEFLATED, level: Z_DEFAULT_COMPRESSION, size: total)
    guard zipWriteInFileInZip(writer, headDeflated, UInt32(headDeflated.count)) == ZIP_OK else {
      throw ExportError("cannot write the workbook's \(name): is the disk full?")
    }
    guard let file = fopen(rows, "rb") else { throw ExportError("cannot read back the movements from \(rows)") }
    defer { fclose(file) }
    buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let read = fread(&buffer, 1, buffer.count, file)
      if read == 0 { break }
      guard zipWriteInFileInZip(writer, buffer, UInt32(read)) == ZIP_OK else {
        throw ExportError("cannot write the workbook's \(name): is the disk full?")
      }
    }
    guard ferror(file) == 0 else { throw ExportError("cannot read back the movements from \(rows)") }
    guard zipWriteInFileInZip(writer, tailDeflated, UInt32(tailDeflated.count)) == ZIP_OK,
      zipCloseFileInZipRaw64(writer, total, crc) == ZIP_OK
    else { throw ExportError("cannot write the workbook's \(name): is the disk full?") }
  }
}
