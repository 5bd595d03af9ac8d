import Dispensing
import Formulation
import Foundation
import LabelRendering
import Labeling
import Quantities
import Settings
import Testing

@Suite("Labels rendered, read back and scanned")
struct LabelRenderingTests {
  static func layout(_ name: String) throws -> LabelLayout {
    let url = Pharmacy.repository.appendingPathComponent("Labels/\(name).toml")
    return try LabelLayoutFile.parse(try String(contentsOf: url, encoding: .utf8), file: url.path)
  }

  static func formula(_ code: String = "LDN45") throws -> Formula {
    let url = Pharmacy.repository.appendingPathComponent("Config/formulas/\(code).toml")
    return try FormulaFile.parse(try String(contentsOf: url, encoding: .utf8), file: url.path)
  }

  static let pharmacy = LabelContent.Pharmacy(
    name: "Riverside Compounding Pharmacy", address: "120 Main Street, Springfield, IL 62701", phone: "(217) 555-0142")

  static func content(
    name: String = "Eleanor O'Brien-Šimková", directions: String = "Take 1 capsule by mouth at bedtime",
    formula: Formula? = nil, reprint: Bool = false
  ) throws -> LabelContent {
    try LabelContent.patient(
      pharmacy: pharmacy, rxNumber: "600001", filled: try CalendarDate.parse("2026-11-22"),
      patient: Patient(
        id: 1, name: name, dateOfBirth: try CalendarDate.parse("1961-04-12"), address: "", phone: ""),
      prescriber: Prescriber(id: 1, name: "Dr. Ana Ruiz, MD", npi: "1234567893", phone: ""),
      formula: try formula ?? Self.formula(), quantity: 30, directions: directions, refillsRemaining: 2,
      discardAfter: try CalendarDate.parse("2027-05-21"), lotNumber: "LDN45-261122-01", reprint: reprint)
  }

  /// Runs a tool on a file and returns its standard output.
  static func tool(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return output
  }

  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("compound-label-\(UUID().uuidString)-\(name)")
  }

  @Test("a filler with a warning puts it on the patient label: lactose says so")
  func excipientWarning() throws {
    let lactose = FillerRule(
      id: "lactose-monohydrate", name: "Lactose monohydrate", match: ["lactose"],
      bulkDensityMin: ExactNumber(Decimal(string: "0.5") ?? 0, decimals: 1),
      bulkDensityMax: ExactNumber(Decimal(string: "0.8") ?? 0, decimals: 1), warning: "contains lactose")
    #expect(lactose.labelWarning == "Contains lactose monohydrate")
    var avicel = lactose
    avicel.warning = ""
    #expect(avicel.labelWarning == nil)
    let formula = try Self.formula()
    let content = try LabelContent.patient(
      pharmacy: Self.pharmacy, rxNumber: "600001", filled: try CalendarDate.parse("2026-11-22"),
      patient: Patient(
        id: 1, name: "A Patient", dateOfBirth: try CalendarDate.parse("1961-04-12"), address: "", phone: ""),
      prescriber: Prescriber(id: 1, name: "Dr. Ana Ruiz, MD", npi: "1234567893", phone: ""), formula: formula,
      quantity: 30, directions: "Take 1 capsule by mouth at bedtime", refillsRemaining: 2,
      discardAfter: try CalendarDate.parse("2027-05-21"), lotNumber: "LDN45-261122-01", reprint: false,
      excipientWarnings: [lactose.labelWarning ?? ""])
    let text = content.text(layout: try Self.layout("patient-3x4"))
    #expect(text.contains("• Contains lactose monohydrate"), "\(text)")
  }

  @Test("the PDF carries every required item, in embedded fonts")
  func pdfItems() throws {
    let rendered = try CairoRenderer.render(try Self.content(), layout: try Self.layout("patient-3x4"), format: .pdf)
    let pdf = temporary("label.pdf")
    try Data(rendered.bytes).write(to: pdf)
    defer { try? FileManager.default.removeItem(at: pdf) }
    let text = try Self.tool("/usr/bin/pdftotext", ["-raw", pdf.path, "-"]).split(whereSeparator: \.isWhitespace)
      .joined(separator: " ")
    for item in [
      "Riverside Compounding Pharmacy", "120 Main Street, Springfield, IL 62701", "(217) 555-0142", "Rx 600001",
      "Filled 2026-11-22", "Eleanor O'Brien-Šimková", "Dr. Ana Ruiz, MD", "Naltrexone HCl 4.5 mg capsule", "Qty 30",
      "Take 1 capsule by mouth at bedtime", "Refills 2", "Discard after 2027-05-21", "Lot LDN45-261122-01",
      "Compounded by Riverside Compounding Pharmacy", "Store at 20-25", "Do not take opioid medicines",
      "Carry a card saying you take naltrexone", "pregnant or breast-feeding", "Stop 7 days before planned surgery",
    ] {
      #expect(text.contains(item), "the label PDF lacks \(item)")
    }
    let fonts = try Self.tool("/usr/bin/pdffonts", [pdf.path]).split(separator: "\n").dropFirst(2)
    #expect(!fonts.isEmpty)
    for line in fonts {
      #expect(line.contains(" yes yes "), "a font is not embedded: \(line)")
    }
    let size = try Self.tool("/usr/bin/pdfinfo", [pdf.path])
    #expect(size.contains("288 x 216 pts"), "not a 4 x 3 in page: \(size)")
  }

  @Test("the barcode decoded from the rendered page is the Rx number", arguments: ["png", "pdf"])
  func barcodeScans(format: String) throws {
    let layout = try Self.layout("patient-3x4")
    let image = temporary("label.png")
    defer { try? FileManager.default.removeItem(at: image) }
    if format == "png" {
      try Data(try CairoRenderer.render(try Self.content(), layout: layout, format: .png).bytes).write(to: image)
    } else {
      let pdf = temporary("label.pdf")
      defer { try? FileManager.default.removeItem(at: pdf) }
      try Data(try CairoRenderer.render(try Self.content(), layout: layout, format: .pdf).bytes).write(to: pdf)
      let stem = image.deletingPathExtension().path
      _ = try Self.tool("/usr/bin/pdftoppm", ["-r", "150", "-png", "-singlefile", pdf.path, stem])
    }
    let decoded = try Self.tool("/usr/bin/zbarimg", ["--quiet", "--raw", image.path])
    #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == "600001")
  }

  @Test(
    "every layout's barcode scans from the PNG and the PDF at a thermal printer's 203 and 300 dpi",
    arguments: [203, 300])
  func scansAtPrinterResolutions(dpi: Int) throws {
    var short = try Self.formula()
    short.warnings = ["Do not take opioid medicines"]
    let batch = try LabelContent.batch(
      pharmacy: Self.pharmacy, formula: try Self.formula(), lotNumber: "LDN45-261122-01", capsules: 30,
      compounded: try CalendarDate.parse("2026-11-22"), beyondUseDate: try CalendarDate.parse("2027-05-21"))
    let cases: [(String, LabelContent, String)] = [
      ("patient-3x4", try Self.content(), "600001"), ("patient-2x3", try Self.content(formula: short), "600001"),
      ("batch-container", batch, "LDN45-261122-01"),
    ]
    for (name, content, expected) in cases {
      let layout = try Self.layout(name)
      let image = temporary("\(name)-\(dpi).png")
      defer { try? FileManager.default.removeItem(at: image) }
      try Data(try CairoRenderer.render(content, layout: layout, format: .png, dpi: Double(dpi)).bytes).write(to: image)
      let fromPNG = try Self.tool("/usr/bin/zbarimg", ["--quiet", "--raw", image.path])
      #expect(fromPNG.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "\(name) PNG at \(dpi) dpi")
      let pdf = temporary("\(name)-\(dpi).pdf")
      defer { try? FileManager.default.removeItem(at: pdf) }
      try Data(try CairoRenderer.render(content, layout: layout, format: .pdf, dpi: Double(dpi)).bytes).write(to: pdf)
      let stem = temporary("\(name)-\(dpi)-pdf").path
      defer { try? FileManager.default.removeItem(atPath: stem + ".png") }
      _ = try Self.tool("/usr/bin/pdftoppm", ["-r", "\(dpi)", "-aa", "no", "-png", "-singlefile", pdf.path, stem])
      let fromPDF = try Self.tool("/usr/bin/zbarimg", ["--quiet", "--raw", stem + ".png"])
      #expect(fromPDF.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "\(name) PDF at \(dpi) dpi")
      // ZPL: every layout renders its Code 128 (whole-dot modules by ^BY), none refused as too wide.
      let zpl = try ZPLRenderer.render(content, layout: layout, dpi: dpi)
      #expect(zpl.contains("^BCN,"), "\(name) ZPL at \(dpi)")
    }
  }

  @Test("a long record is paginated: every page has its footer with the page number and the audit head")
  func recordPages() throws {
    let lines = (1...400).map { "line \($0): " + String(repeating: "x", count: $0 % 7 == 0 ? 300 : 20) }
    let bytes = try RecordDocument.pdf(title: "Compounding record TEST", lines: lines, footer: "TEST · head abc123")
    let pdf = temporary("record.pdf")
    defer { try? FileManager.default.removeItem(at: pdf) }
    try Data(bytes).write(to: pdf)
    let info = try Self.tool("/usr/bin/pdfinfo", [pdf.path])
    let pages = try #require(
      info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") })
    #expect(pages > 5)
    for page in 1...pages {
      let text = try Self.tool("/usr/bin/pdftotext", ["-f", "\(page)", "-l", "\(page)", "-layout", pdf.path, "-"])
      #expect(text.contains("TEST · head abc123") && text.contains("page \(page) of \(pages)"), "page \(page)")
      #expect(text.contains("Compounding record TEST"))
    }
    // Every line is there once, none cut between pages.
    let all = try Self.tool("/usr/bin/pdftotext", ["-layout", pdf.path, "-"])
    #expect(all.contains("line 1:") && all.contains("line 400:"))
    let fonts = try Self.tool("/usr/bin/pdffonts", [pdf.path]).split(separator: "\n").dropFirst(2)
    #expect(
      !fonts.isEmpty && fonts.allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true).contains("yes") })
  }

  @Test("the batch container label's barcode scans as the lot number")
  func batchBarcode() throws {
    let content = try LabelContent.batch(
      pharmacy: Self.pharmacy, formula: try Self.formula(), lotNumber: "LDN45-261122-01", capsules: 30,
      compounded: try CalendarDate.parse("2026-11-22"), beyondUseDate: try CalendarDate.parse("2027-05-21"))
    let image = temporary("batch.png")
    defer { try? FileManager.default.removeItem(at: image) }
    try Data(try CairoRenderer.render(content, layout: try Self.layout("batch-container"), format: .png).bytes)
      .write(to: image)
    let decoded = try Self.tool("/usr/bin/zbarimg", ["--quiet", "--raw", image.path])
    #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == "LDN45-261122-01")
  }

  @Test("a 60-character name and four lines of directions fit their boxes, and no text box overlaps another")
  func measuredBoxes() throws {
    let name = "Maria-Fernanda Alejandra Gutiérrez de la Concepción-Ostrowsk"
    #expect(name.count == 60)
    let directions =
      "Take 1 capsule by mouth at bedtime for 14 days, then 2 capsules by mouth at bedtime. If vivid dreams occur, take the dose in the morning instead, with water."
    let layout = try Self.layout("patient-3x4")
    for format in [CairoRenderer.Format.pdf, .png] {
      let rendered = try CairoRenderer.render(
        try Self.content(name: name, directions: directions), layout: layout, format: format)
      for placement in rendered.placements {
        let box = try #require(layout.blocks.first { $0.field == placement.field })
        #expect(placement.width <= box.widthIn * 72 + 0.01, "\(placement.field) is wider than its box")
        #expect(placement.height <= box.heightIn * 72 + 0.01, "\(placement.field) is taller than its box")
        if ["patient", "drug", "directions"].contains(placement.field) {
          #expect(placement.sizePt >= 12, "\(placement.field) printed below 12 pt")
        }
      }
      for (index, first) in rendered.placements.enumerated() {
        for second in rendered.placements[(index + 1)...] {
          let apart =
            first.x + first.width <= second.x || second.x + second.width <= first.x
            || first.y + first.height <= second.y || second.y + second.height <= first.y
          #expect(apart, "\(first.field) overlaps \(second.field)")
        }
      }
      let directionsLines = try #require(rendered.placements.first { $0.field == "directions" })
      #expect(directionsLines.height > 12 * 3.5, "the directions did not take four lines")
    }
  }

  @Test("letters are placed where the font puts them, not each rounded to a whole point")
  func glyphsUnrounded() throws {
    // Text is laid out at 10 pt and scaled. Rounded glyphs would make every field's width, brought back to
    // 10 pt, a whole number of points ("Pharmac y" at 5 pt); the font's own advances almost never are.
    let rendered = try CairoRenderer.render(try Self.content(), layout: try Self.layout("patient-3x4"), format: .pdf)
    let atTen = rendered.placements.map { $0.width * 10 / $0.sizePt }
    #expect(atTen.count >= 5)
    let whole = atTen.filter { abs($0 - $0.rounded()) < 0.001 }
    #expect(whole.count < atTen.count / 2, "widths at 10 pt: \(atTen)")
  }

  @Test("text that cannot fit is refused, never clipped")
  func refusedWhenTooLong() throws {
    let long = String(repeating: "Take 1 capsule by mouth at bedtime. ", count: 12)
    #expect(throws: LabelError.self) {
      try CairoRenderer.render(try Self.content(directions: long), layout: try Self.layout("patient-3x4"), format: .pdf)
    }
    #expect(throws: LabelError.self) {
      try ZPLRenderer.render(try Self.content(directions: long), layout: try Self.layout("patient-3x4"), dpi: 203)
    }
    // Low-dose naltrexone's five warnings do not fit the small stock: a clear refusal.
    #expect {
      try CairoRenderer.render(try Self.content(), layout: try Self.layout("patient-2x3"), format: .pdf)
    } throws: { ($0 as? LabelError)?.message.contains("use a larger label stock") == true }
  }

  @Test("the 2x3 stock prints a label with fewer warnings")
  func smallStock() throws {
    var formula = try Self.formula()
    formula.warnings = ["Do not take opioid medicines", "Carry a card saying you take naltrexone"]
    let rendered = try CairoRenderer.render(
      try Self.content(formula: formula), layout: try Self.layout("patient-2x3"), format: .png)
    let image = temporary("small.png")
    defer { try? FileManager.default.removeItem(at: image) }
    try Data(rendered.bytes).write(to: image)
    #expect(try Self.tool("/usr/bin/zbarimg", ["--quiet", "--raw", image.path]).contains("600001"))
  }

  @Test("control characters in label text are refused")
  func controlCharacters() throws {
    #expect(throws: LabelError.self) { try Self.content(name: "Eleanor\u{7}O'Brien") }
  }

  @Test("every shipped layout is valid, and a broken one is refused")
  func layouts() throws {
    for name in ["patient-3x4", "patient-2x3", "batch-container"] { _ = try Self.layout(name) }
    var broken = try Self.layout("patient-3x4")
    broken.blocks[3].yIn = broken.blocks[2].yIn
    #expect(throws: LabelError.self) { try broken.validate() }
    broken = try Self.layout("patient-3x4")
    broken.blocks.removeAll { $0.field == "warnings" }
    #expect(throws: LabelError.self) { try broken.validate() }
  }
}

@Suite("ZPL for Zebra printers")
struct ZPLTests {
  static func zpl(
    dpi: Int, name: String = "Eleanor O'Brien-Šimková", directions: String = "Take 1 capsule by mouth at bedtime"
  )
    throws -> String
  {
    try ZPLRenderer.render(
      try LabelRenderingTests.content(name: name, directions: directions),
      layout: try LabelRenderingTests.layout("patient-3x4"),
      dpi: dpi)
  }

  @Test("203 and 300 dpi match their golden files", arguments: [203, 300])
  func golden(dpi: Int) throws {
    let url = Pharmacy.repository.appendingPathComponent("Tests/CompoundTests/Golden/patient-3x4-\(dpi).zpl")
    // COMPOUND_UPDATE_GOLDEN=1 rewrites the golden files after a deliberate change; read the diff.
    if ProcessInfo.processInfo.environment["COMPOUND_UPDATE_GOLDEN"] == "1" {
      try (try Self.zpl(dpi: dpi)).write(to: url, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(try Self.zpl(dpi: dpi) == expected)
  }

  @Test("structure: balanced ^XA/^XZ, UTF-8, every field inside ^PW/^LL", arguments: [203, 300])
  func structure(dpi: Int) throws {
    let zpl = try Self.zpl(dpi: dpi)
    #expect(zpl.components(separatedBy: "^XA").count == 2)
    #expect(zpl.components(separatedBy: "^XZ").count == 2)
    #expect(zpl.hasPrefix("^XA\n^CI28\n"))
    let width = dpi == 203 ? 812 : 1200
    let height = dpi == 203 ? 609 : 900
    #expect(zpl.contains("^PW\(width)\n^LL\(height)\n"))
    for line in zpl.split(separator: "\n") where line.hasPrefix("^FO") {
      let origin = line.dropFirst(3).prefix { $0 != "^" }.split(separator: ",").compactMap { Int($0) }
      #expect(origin.count == 2 && origin[0] < width && origin[1] < height, "field outside the label: \(line)")
      #expect(line.contains("^FH^FD"), "field data not escaped: \(line)")
      if let block = line.range(of: "^FB") {
        let blockWidth = Int(line[block.upperBound...].prefix { $0 != "," }) ?? 0
        #expect(origin[0] + blockWidth <= width, "text block past ^PW: \(line)")
      }
    }
  }

  @Test("user text with ^, ~ and _ is escaped so it cannot break the command stream")
  func escaping() throws {
    let zpl = try Self.zpl(dpi: 203, name: "Ann^XZ~JR_Test", directions: "Take 1 capsule ^FS at bedtime")
    #expect(zpl.contains("Ann_5EXZ_7EJR_5FTest"))
    #expect(zpl.contains("Take 1 capsule _5EFS at bedtime"))
    // The only label start and end are compound's own: one ^XA first, one ^XZ last; user text holds no
    // command character at all.
    let lines = zpl.split(separator: "\n")
    #expect(zpl.components(separatedBy: "^XA").count == 2 && lines.first == "^XA")
    #expect(zpl.components(separatedBy: "^XZ").count == 2 && lines.last == "^XZ")
    #expect(!zpl.contains("~JR"))
    #expect(!zpl.contains("capsule ^FS"))
  }
}
