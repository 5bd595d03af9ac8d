import Accounts
import ArgumentParser
import Digest
import Dispensing
import FileOutput
import Formulation
import Foundation
import LabelRendering
import Labeling
import Pricing
import Printing
import Quantities
import Settings
import Store

/// `compound label`: patient and batch labels, rendered and printed.
struct LabelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "label", abstract: "Render and print patient and batch labels.", subcommands: [Print.self])

  /// `compound label print`.
  struct Print: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "print",
      abstract: "Render a label and send it to a file, a CUPS queue or a raw TCP printer; every print is logged.",
      discussion: """
        Examples: compound label print --fill 1 --format pdf --out label.pdf --by mtorres
                  compound label print --rx 600001 --format zpl --tcp 192.0.2.10:9100 --by mtorres
                  compound label print --batch LDN45-261122-01 --printer office --by mtorres
        A second print of the same fill is a reprint: it needs --reason and the label says REPRINT. Only a
        released lot within its BUD is labeled. Every label is logged before it leaves (--format text to the
        terminal too, though that is not a print); a delivery that fails is logged as failed.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Fill id (from 'compound rx fill').") var fill: Int64?
    @Option(help: "Rx number: its latest fill.") var rx: String?
    @Option(help: "Batch lot number: the container label.") var batch: String?
    @Option(
      help: "pdf, png, zpl or text (default: zpl for --tcp, otherwise pdf).",
      transform: ArgumentTypes.choice(LabelFormat.self, "--format"))
    var format: LabelFormat?
    @Option(
      help:
        "The label stock for this print: a layout in the Labels folder, for example patient-2x3 (default: labels.patient_stock or labels.batch_stock)."
    )
    var layout: String?
    @Option(help: "Write the label to this new file (never the database, a folder or a device).") var out: String?
    @Flag(help: "Replace the --out file if it exists.") var force = false
    @Option(help: "Send the label to this CUPS queue (lp).") var printer: String?
    @Option(help: "Send the label to a raw TCP printer, HOST:PORT (port 9100 on a Zebra).") var tcp: String?
    @Option(parsing: .unconditional, help: "Copies, 1 to 99.", transform: ArgumentTypes.whole("--copies", 1...99))
    var copies: Int = 1
    @Option(help: "Why a label is printed again (a reprint needs it, and the --by user's PIN).") var reason: String?
    @OptionGroup var signer: SignerOption

    func run() throws {
      // A PDF or PNG needs the fonts: their configuration loads beside the settings and the records.
      if format == .pdf || format == .png || (format == nil && (out != nil || printer != nil)) {
        CairoRenderer.prepareFonts()
      }
      let context = try Context(global)
      let user = try context.user(signer.by)
      let database = try context.database()
      let count = copies
      guard [fill != nil, rx != nil, batch != nil].filter({ $0 }).count == 1 else {
        throw CLIError("name exactly one of --fill ID, --rx RX or --batch LOT")
      }
      let destinations = [out != nil, printer != nil, tcp != nil].filter { $0 }.count
      guard destinations <= 1 else { throw CLIError("give one destination: --out, --printer or --tcp") }
      let chosen = format ?? (tcp != nil ? .zpl : (destinations == 0 ? .text : .pdf))

      // What the label is for, and the one check every label goes through.
      var fillID: Int64?
      let lotNumber: String
      let layoutName: String
      var fillRecord: FillRecord?
      if let batch {
        lotNumber = batch
        layoutName = self.layout ?? context.settings.labels.batchStock
      } else {
        let record: FillRecord
        if let fill {
          record = try database.fill(fill)
        } else {
          guard let latest = try database.prescription(rx ?? "").fills.last else {
            throw CLIError("Rx \(rx ?? "") has not been filled yet: 'compound rx fill \(rx ?? "")' first")
          }
          record = latest
        }
        if let voided = record.voided {
          throw CLIError(
            "fill \(record.id) (Rx \(record.rxNumber) fill \(record.fillNumber)) was voided by \(voided.by): it gets no label"
          )
        }
        fillID = record.id
        fillRecord = record
        lotNumber = record.lotNumber
        layoutName = self.layout ?? context.settings.labels.patientStock
      }
      let transport: Transport?
      if let out {
        transport = .file(try OutputPath(out, protected: [context.loaded.databasePath], force: force))
      } else if let printer {
        transport = .cups(queue: printer, raw: chosen == .zpl)
      } else if let tcp {
        transport = try Transport.tcp(tcp)
      } else {
        guard chosen == .text else {
          throw CLIError("say where the label goes: --out FILE, --printer QUEUE or --tcp HOST:PORT")
        }
        transport = nil
      }
      let batchRecord = try database.usableBatch(lotNumber, today: context.today)
      let earlier = try database.labelPrints(fill: fillID, lotNumber: batchRecord.lotNumber).filter {
        !($0.format == "text" && $0.destination == LabelPrint.terminal)
      }
      // A label shown on the terminal is logged but is not a print: it never makes the next one a reprint.
      let reprint = !earlier.isEmpty && transport != nil
      let why = reason?.trimmingCharacters(in: .whitespaces)
      if reprint, why?.isEmpty ?? true {
        throw CLIError(
          "this label was printed \(earlier.count) time(s) before (last \(context.local(earlier[earlier.count - 1].printedAt))): a reprint needs --reason"
        )
      }
      if reprint { _ = try context.signer(user.id, for: "reprint the label of \(lotNumber)") }

      let layout = try loadLayout(layoutName, settings: context.settings)
      let wanted = fillRecord == nil ? "batch" : "patient"
      guard layout.kind == wanted else {
        throw CLIError(
          "--layout \(layoutName) is a \(layout.kind) label: a \(wanted) label needs a \(wanted) layout, for example \(wanted == "batch" ? context.settings.labels.batchStock : context.settings.labels.patientStock)"
        )
      }
      let pharmacy = LabelContent.Pharmacy(
        name: context.settings.pharmacy.name, address: context.settings.pharmacy.address,
        phone: context.settings.pharmacy.phone)
      let content: LabelContent
      if let record = fillRecord {
        // The filler's warning for the patient ("Contains lactose monohydrate"), by the rule that recognises it.
        let rules = try context.rules()
        let filler = try database.ingredients().first { $0.code.uppercased() == record.formula.filler.uppercased() }
        let excipientWarnings = filler.flatMap(rules.filler(for:))?.labelWarning.map { [$0] } ?? []
        content = try LabelContent.patient(
          pharmacy: pharmacy, rxNumber: record.rxNumber, filled: record.filledOn, patient: record.patient,
          prescriber: record.prescriber, formula: record.formula, quantity: record.quantity,
          directions: record.labelDirections, refillsRemaining: record.refillsRemaining,
          discardAfter: record.beyondUseDate, lotNumber: record.lotNumber, reprint: reprint,
          price: context.settings.pricing.showPriceOnLabel ? record.price.map { "$\($0.total)" } : nil,
          excipientWarnings: excipientWarnings)
      } else {
        content = try LabelContent.batch(
          pharmacy: pharmacy, formula: batchRecord.formula, lotNumber: batchRecord.lotNumber,
          capsules: batchRecord.actualYield, compounded: batchRecord.compoundingDate,
          beyondUseDate: batchRecord.beyondUseDate)
      }
      // A small stock prints its warnings on the auxiliary warning label it names, printed with it.
      var labels: [(content: LabelContent, layout: LabelLayout)] = [(content, layout)]
      if fillRecord != nil, let auxiliary = layout.auxiliary {
        let warningLayout = try loadLayout(auxiliary, settings: context.settings)
        guard warningLayout.kind == "warnings" else {
          throw CLIError(
            "layout \(layout.name) names \(auxiliary) as its warning label, but that is a \(warningLayout.kind) label")
        }
        let moved = content.movingWarnings()
        labels = [(moved.label, layout), (moved.warnings, warningLayout)]
      }
      let dpi = context.settings.labels.zplDpi
      let bytes: [UInt8]
      switch chosen {
      case .zpl:
        var zpl = ""
        for label in labels { zpl += try ZPLRenderer.render(label.content, layout: label.layout, dpi: dpi) }
        bytes = Array(zpl.utf8)
      case .text:
        bytes = Array(labels.map { $0.content.text(layout: $0.layout) }.joined(separator: "\n").utf8)
      // The printer's resolution (labels.zpl_dpi) sets the barcode's whole-dot modules in every format.
      case .png: bytes = try CairoRenderer.render(labels, format: .png, dpi: Double(dpi)).bytes
      case .pdf: bytes = try CairoRenderer.render(labels, format: .pdf, dpi: Double(dpi)).bytes
      }

      // Every label is logged before it leaves, in the transaction that decides it may be printed.
      let logged = try database.logLabelPrint(
        LabelPrint(
          id: 0, fillID: fillID, lotNumber: batchRecord.lotNumber, layout: layout.name, layoutVersion: layout.version,
          format: chosen.rawValue, sha256: SHA256.hex(bytes),
          destination: transport?.description ?? LabelPrint.terminal,
          copies: count, reprint: reprint, reason: reprint ? why : nil, printedAt: Timestamp.string(context.now),
          printedBy: user.id), earlier: earlier.count, today: context.today)
      guard let transport else {
        FileHandle.standardOutput.write(Data(bytes))
        return
      }
      do {
        try transport.deliver(bytes, copies: count, timeout: Double(context.settings.labels.printerTimeoutSeconds))
      } catch {
        try database.recordDeliveryFailure(logged.id, error: error.message, by: logged.printedBy, now: context.now)
        throw CLIError("\(error.message) (the attempt is logged as print \(logged.id), failed)")
      }
      print(
        "\(reprint ? "REPRINTED" : "printed") \(layout.name) v\(layout.version) \(chosen.rawValue) to \(transport) (\(count) cop\(count == 1 ? "y" : "ies"), sha256 \(logged.sha256.prefix(16)))"
      )
    }

    private func loadLayout(_ name: String, settings: Settings) throws -> LabelLayout {
      guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
      else {
        throw CLIError("--layout '\(name)' is not a layout name: use a file name from the Labels folder, without .toml")
      }
      let folder =
        settings.labels.folder.isEmpty
        ? ProjectFolder.find("Labels", containing: name + ".toml") : settings.labels.folder
      guard let folder else {
        throw CLIError("cannot find the Labels folder with \(name).toml: set labels.folder in the settings file")
      }
      let path = folder + "/" + name + ".toml"
      return try LabelLayoutFile.parse(try SettingsLoader.readText(path, what: "label layout"), file: path)
    }
  }
}
