import Digest
import Foundation
import Testing

@Suite("Printing labels: files, CUPS, raw TCP, the log and reprints", .serialized)
struct LabelPrintTests {
  func logged(_ pharmacy: Pharmacy) throws -> [String] {
    try pharmacy.sqlite("SELECT sha256 || ' ' || reprint || ' ' || destination FROM label_print ORDER BY id").output
      .split(separator: "\n").map(String.init)
  }

  @Test("a PDF to a file is logged with the SHA-256 of its bytes; a second print is a REPRINT that needs a reason")
  func fileAndReprint() throws {
    let pharmacy = try Pharmacy.filled()
    let pdf = pharmacy.folder.appendingPathComponent("label.pdf")
    try pharmacy.ok(["label", "print", "--fill", "1", "--format", "pdf", "--out", pdf.path, "--by", "mtorres"])
    let bytes = Array(try Data(contentsOf: pdf))
    #expect(try logged(pharmacy) == ["\(SHA256.hex(bytes)) 0 file \(pdf.path)"])
    #expect(
      try pharmacy.refused([
        "label", "print", "--fill", "1", "--format", "pdf", "--out", pdf.path, "--force", "--by", "mtorres",
      ]).contains("--reason"))
    try pharmacy.ok([
      "label", "print", "--rx", "600001", "--format", "pdf", "--out", pdf.path, "--force", "--reason",
      "torn at the counter", "--by", "mtorres",
    ])
    let reprinted = try LabelRenderingTests.tool("/usr/bin/pdftotext", [pdf.path, "-"])
    #expect(reprinted.contains("REPRINT"))
    #expect(try logged(pharmacy).count == 2)
    #expect(try logged(pharmacy)[1].contains(" 1 file "))
  }

  @Test("two first prints racing: exactly one is the first print; the other is refused or a reprint, never both first")
  func racingFirstPrints() throws {
    let pharmacy = try Pharmacy.filled()
    let processes = (0..<2).map { index -> Process in
      let process = pharmacy.command([
        "label", "print", "--fill", "1", "--format", "pdf", "--out",
        pharmacy.folder.appendingPathComponent("race-\(index).pdf").path, "--by", "mtorres",
      ])
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      return process
    }
    for process in processes { try process.run() }
    for process in processes { process.waitUntilExit() }
    let statuses = processes.map(\.terminationStatus).sorted()
    #expect(statuses == [0, 1], "\(statuses)")
    #expect(try pharmacy.sqlite("SELECT count(*), sum(reprint) FROM label_print").output.hasPrefix("1|0"))
  }

  @Test("the raw TCP transport delivers exactly the rendered ZPL")
  func tcp() throws {
    let pharmacy = try Pharmacy.filled()
    let printer = try ByteListener()
    try pharmacy.ok([
      "label", "print", "--fill", "1", "--format", "zpl", "--tcp", "127.0.0.1:\(printer.port)", "--by", "mtorres",
    ])
    let received = try printer.bytes()
    #expect(String(decoding: received, as: UTF8.self).hasPrefix("^XA\n^CI28\n"))
    #expect(try logged(pharmacy) == ["\(SHA256.hex(received)) 0 tcp 127.0.0.1:\(printer.port)"])
  }

  @Test("a printer that does not answer gives a clear error; the attempt was logged first, then marked failed")
  func unreachable() throws {
    let pharmacy = try Pharmacy.filled()
    let port = ByteListener.closedPort()
    let error = try pharmacy.run([
      "label", "print", "--fill", "1", "--format", "zpl", "--tcp", "127.0.0.1:\(port)", "--by", "mtorres",
    ])
    #expect(error.status != 0)
    #expect(error.stderr.contains("127.0.0.1:\(port)"))
    #expect(error.stderr.contains("logged as print 1, failed"))
    #expect(try logged(pharmacy).count == 1)
    #expect(try pharmacy.sqlite("SELECT label_print_id FROM label_delivery_failure").output.hasPrefix("1"))
    let cups = try pharmacy.run(
      [
        "label", "print", "--fill", "1", "--printer", "nosuchqueue", "--reason", "the Zebra was off", "--by", "mtorres",
      ],
      environment: ["CUPS_SERVER": "127.0.0.1:\(port)"])
    #expect(cups.stderr.contains("CUPS did not take the label"))
    #expect(try pharmacy.sqlite("SELECT count(*) FROM label_delivery_failure").output.hasPrefix("2"))
  }

  @Test("a printer that resets mid-send is one error line, never a SIGPIPE; the attempt is logged as failed")
  func resetMidSend() throws {
    let pharmacy = try Pharmacy.filled()
    let printer = try ResettingPrinter()
    let outcome = try pharmacy.run([
      "label", "print", "--fill", "1", "--format", "png", "--tcp", "127.0.0.1:\(printer.port)", "--by", "mtorres",
    ])
    #expect(!outcome.signaled, "compound died of a signal")
    #expect(outcome.status == 1)
    #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
    #expect(outcome.stderr.contains("reset the connection before it took the whole label"), "\(outcome.stderr)")
    #expect(try pharmacy.sqlite("SELECT count(*) FROM label_delivery_failure").output.hasPrefix("1"))
  }

  @Test("a real CUPS server on loopback delivers exactly the rendered bytes to the printer")
  func cups() throws {
    let pharmacy = try Pharmacy.filled()
    let printer = try ByteListener()
    let server = try CupsServer()
    try server.addRawQueue("zebra", printerPort: printer.port)
    try pharmacy.ok(
      ["label", "print", "--fill", "1", "--format", "zpl", "--printer", "zebra", "--by", "mtorres"],
      environment: ["CUPS_SERVER": "127.0.0.1:\(server.port)"])
    let received = try printer.bytes()
    #expect(!received.isEmpty, "the CUPS queue delivered nothing")
    #expect(try logged(pharmacy) == ["\(SHA256.hex(received)) 0 cups zebra"])
  }

  @Test("no label for a lot that is not released or is past its BUD")
  func gate() throws {
    let pharmacy = try Pharmacy.filled()
    try pharmacy.ok(["batch", "hold", "LDN45-261122-01", "--by", "mtorres", "--reason", "complaint"])
    let out = pharmacy.folder.appendingPathComponent("x.pdf").path
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "1", "--out", out, "--by", "mtorres"]).contains("on_hold"))
    #expect(
      try pharmacy.refused(["label", "print", "--batch", "LDN45-261122-01", "--out", out, "--by", "mtorres"]).contains(
        "on_hold"))
    #expect(!FileManager.default.fileExists(atPath: out))
    try pharmacy.ok(["batch", "release", "LDN45-261122-01", "--by", "dchen"])
    let expired = try pharmacy.refused(
      ["label", "print", "--fill", "1", "--out", out, "--by", "mtorres"],
      environment: ["COMPOUND_NOW": "2027-06-01T10:00:00-05:00"])
    #expect(expired.contains("past its beyond-use date"))
  }

  @Test("the 2 x 3 in vial label prints LDN: its warnings go on the auxiliary warning label printed with it")
  func vialWithWarningLabel() throws {
    let pharmacy = try Pharmacy.filled()
    let pdf = pharmacy.folder.appendingPathComponent("vial.pdf").path
    try pharmacy.ok([
      "label", "print", "--fill", "1", "--layout", "patient-2x3", "--format", "pdf", "--out", pdf, "--by", "mtorres",
    ])
    func page(_ number: Int) throws -> String {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
      process.arguments = ["-f", "\(number)", "-l", "\(number)", pdf, "-"]
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
    let label = try page(1)
    let warnings = try page(2)
    #expect(label.contains("See the attached warning label (5 warnings)") && !label.contains("vivid dreams"))
    #expect(warnings.contains("WARNINGS") && warnings.contains("Eleanor O'Brien") && warnings.contains("Rx 600001"))
    for warning in ["Do not take opioid medicines", "Carry a card", "pregnant", "vivid dreams", "Stop 7 days"] {
      #expect(warnings.contains(warning), "the warning label lacks \(warning)")
    }
    let zpl = pharmacy.folder.appendingPathComponent("vial.zpl").path
    try pharmacy.ok([
      "label", "print", "--fill", "1", "--layout", "patient-2x3", "--format", "zpl", "--out", zpl, "--reason",
      "the Zebra copy", "--by", "mtorres",
    ])
    let formats = try String(contentsOfFile: zpl, encoding: .utf8).components(separatedBy: "^XA").count - 1
    #expect(formats == 2)
  }

  @Test("bad print requests are refused")
  func badRequests() throws {
    let pharmacy = try Pharmacy.filled()
    #expect(try pharmacy.refused(["label", "print", "--by", "mtorres"]).contains("exactly one"))
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "1", "--format", "docx", "--out", "x", "--by", "mtorres"])
        .contains("docx"))
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "1", "--copies", "0", "--out", "x", "--by", "mtorres"])
        .contains("--copies"))
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "9", "--out", "x", "--by", "mtorres"]).contains("fill 9"))
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "1", "--tcp", "nohostport", "--by", "mtorres"]).contains(
        "HOST:PORT"))
    let text = try pharmacy.ok(["label", "print", "--fill", "1", "--by", "mtorres"]).stdout
    #expect(text.contains("Eleanor O'Brien"))
    #expect(text.contains("[barcode: 600001]"))
    #expect(try pharmacy.ok(["rx", "show", "600001"]).stdout.contains("LDN45 x 30; 1 refill; 1 of 2 fills done"))
    // The stock is chosen per print: a layout of the label's kind, by its name in the Labels folder.
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "1", "--layout", "batch-container", "--by", "mtorres"])
        .contains("--layout batch-container is a batch label: a patient label needs a patient layout"))
    #expect(
      try pharmacy.refused(["label", "print", "--fill", "1", "--layout", "../../etc/passwd", "--by", "mtorres"])
        .contains("is not a layout name"))
    let lot = try #require(try pharmacy.ok(["batch", "list", "--json"]).jsonArray().first?["lotNumber"] as? String)
    let zpl = pharmacy.folder.appendingPathComponent("batch.zpl").path
    try pharmacy.ok([
      "label", "print", "--batch", lot, "--layout", "batch-container", "--format", "zpl", "--out", zpl, "--by",
      "mtorres",
    ])
    #expect(try String(contentsOfFile: zpl, encoding: .utf8).contains("^FD\(lot)^FS"))
  }
}
