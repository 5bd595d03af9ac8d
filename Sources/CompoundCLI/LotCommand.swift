import Accounts
import ArgumentParser
import Digest
import FileOutput
import Formulation
import Foundation
import Quality
import Quantities
import Settings
import Store

/// `compound lot`: receiving, releasing and listing ingredient lots.
struct LotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lot", abstract: "Receive, release and list ingredient lots.",
    subcommands: [
      Receive.self, Release.self, LotReject.self, LotHold.self, LotRecall.self, List.self, Show.self, Certificate.self,
    ])

  /// `compound lot receive`.
  struct Receive: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "receive",
      abstract: "Receive a delivered lot; it stays quarantined until a pharmacist releases it.",
      discussion: """
        --scan takes the container's GS1 barcode as the scanner sends it (GTIN, lot, expiry, serial) in place of \
        --supplier-lot and --expiry. Another container of a supplier lot already received becomes its own lot \
        sharing that lot's certificate. --certificate keeps the supplier's certificate of analysis (by SHA-256).
        Example: compound lot receive --ingredient NALTREXONE-HCL --supplier Medisca --supplier-lot NX2406 \
        --expiry 2028-06-30 --quantity 5g --assay 99.2 --assay-basis anhydrous --water 0.5 --cost 185.00 \
        --certificate coa-NX2406.pdf
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Ingredient code.") var ingredient: String
    @Option(help: "Supplier or manufacturer.") var supplier: String
    @Option(help: "The supplier's lot number (or --scan).") var supplierLot: String?
    @Option(
      help: "Expiry date, YYYY-MM-DD (YYYY-MM means the month's last day) (or --scan).",
      transform: ArgumentTypes.date("--expiry"))
    var expiry: CalendarDate?
    @Option(help: "The container's GS1 barcode as scanned: ]d2010031234567890617281231 10NX2406...") var scan: String?
    @Option(help: "The supplier's certificate of analysis (a PDF or text file, up to 20 MiB), kept with the lot.")
    var certificate: String?
    @Option(help: "Quantity with its unit: 5g, 500mg, 1000count.") var quantity: String
    @Option(parsing: .unconditional, help: "Certificate assay in percent.", transform: ArgumentTypes.number("--assay"))
    var assay: ExactNumber?
    @Option(
      help: "Basis of the assay: as-is or anhydrous.", transform: ArgumentTypes.choice(AssayBasis.self, "--assay-basis")
    )
    var assayBasis: AssayBasis?
    @Option(
      parsing: .unconditional, help: "Water content in percent (loss on drying or Karl Fischer).",
      transform: ArgumentTypes.number("--water"))
    var water: ExactNumber?
    @Option(
      parsing: .unconditional, help: "Total cost of the lot, for example 185.00.",
      transform: ArgumentTypes.money("--cost")) var cost: Money?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print the new lot as JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let database = try context.database()
      guard let item = try database.ingredients().first(where: { $0.code.uppercased() == ingredient.uppercased() })
      else {
        throw CLIError("ingredient '\(ingredient)' is not in the catalog: add it with 'compound ingredient add'")
      }
      let basis = assayBasis
      let scanned = try scan.map { try GS1Scan.parse($0, today: context.today) }
      let typedLot = supplierLot?.trimmingCharacters(in: .whitespaces)
      if let typedLot, let lot = scanned?.lot, typedLot.uppercased() != lot.uppercased() {
        throw CLIError("--supplier-lot \(typedLot) differs from the scanned lot \(lot): check the container")
      }
      if let expiry, let date = scanned?.expiry, expiry != date {
        throw CLIError("--expiry \(expiry) differs from the scanned expiry \(date): check the container")
      }
      guard let lotText = typedLot ?? scanned?.lot else {
        throw CLIError("the supplier's lot is missing: add --supplier-lot LOT, or --scan the container")
      }
      guard let expiryDate = expiry ?? scanned?.expiry else {
        throw CLIError("the expiry is missing: add --expiry YYYY-MM-DD, or --scan the container")
      }
      let document = try certificate.map(LotCommand.certificateFile)
      let receipt = LotReceipt(
        ingredientCode: item.code, supplier: supplier.trimmingCharacters(in: .whitespaces),
        supplierLot: lotText, expiry: expiryDate,
        quantity: try item.unit.parse(quantity, what: "--quantity"),
        assayPercent: assay, assayBasis: basis,
        waterPercent: water,
        cost: cost, gtin: scanned?.gtin, serial: scanned?.serial)
      let format = try LotNumberFormat(context.settings.lots.receivingFormat)
      let number = try database.receiveLot(
        receipt, certificate: document, format: format, by: user, today: context.today, now: context.now)
      let lot = try database.lots(ingredient: item.code).first { $0.lot.lotNumber == number }
      if json, let lot { return try Output.json(lot) }
      print(
        "received \(number): \(item.unit.format(receipt.quantity, display: context.display)) of \(item.code) (\(receipt.supplier) lot \(receipt.supplierLot), expires \(receipt.expiry)); status quarantined until a pharmacist releases it"
      )
      if let scanned { print("scanned \(scanned.humanReadable)") }
      if let document { print("certificate \(document.name) kept with the lot (sha256 \(SHA256.hex(document.bytes)))") }
      if receipt.cost == nil { print("note: no cost recorded; the lot's value is unknown until one is") }
    }
  }

  /// A certificate of analysis read from `path`: a regular, non-empty file of at most 20 MiB.
  static func certificateFile(_ path: String) throws -> (name: String, bytes: [UInt8]) {
    do {
      let data = try SettingsLoader.readData(path, what: "certificate", limit: 20 * 1_048_576)
      guard !data.isEmpty else { throw CLIError("certificate \(path) is empty: give the certificate's file") }
      return (name: URL(fileURLWithPath: path).lastPathComponent, bytes: [UInt8](data))
    } catch let error as SettingsError {
      throw CLIError(error.message)
    }
  }

  /// `compound lot certificate`.
  struct Certificate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "certificate",
      abstract: "Keep a certificate of analysis that arrived after its lot (never replaces a kept one).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pharmacy's lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "The certificate (a PDF or text file, up to 20 MiB).") var file: String
    @OptionGroup var signer: SignerOption

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let document = try LotCommand.certificateFile(file)
      let hash = try context.database().attachCertificate(lot, certificate: document, by: user, now: context.now)
      print("certificate \(document.name) kept with lot \(lot) (sha256 \(hash))")
    }
  }

  /// `compound lot show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one lot: receipt, GTIN, certificate, status history, and a trituration's record.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pharmacy's lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "Write the kept certificate of analysis to this new file.") var certificateOut: String?
    @Flag(help: "Print JSON (masses in micrograms).") var json = false

    func run() throws {
      let context = try Context(global)
      let output = try certificateOut.map {
        try OutputPath($0, protected: [context.loaded.databasePath], force: false, option: "--certificate-out")
      }
      let database = try context.database()
      let detail = try database.lotDetail(lot)
      if let output {
        guard let hash = detail.certificateSha256 else { throw CLIError("lot \(lot) has no certificate on file") }
        try output.write(try database.certificate(hash).bytes)
        print("wrote the certificate of \(detail.lot.lot.lotNumber) to \(output.path)")
      }
      if json { return try Output.json(detail) }
      print(LotText.detail(detail, context: context))
    }
  }

  /// `compound lot release`.
  struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "release",
      abstract: "Release a quarantined or held lot after checking its certificate (a pharmacist).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pharmacy's lot number.", transform: ArgumentTypes.lotNumber) var lot: String
    @Option(help: "Why an API lot is released with no certificate of analysis on file (required then).")
    var reason: String?
    @OptionGroup var signer: SignerOption

    func run() throws {
      let context = try Context(global)
      let user = try context.signer(signer.by, for: "release lot \(lot)")
      let settings = try context.inForce().settings
      let released = try context.database().releaseLot(
        lot, by: user, reason: reason, limit: { settings.certificateLimit(for: $0) },
        requireAssay: settings.qualityPolicy.requireAssayBeforeRelease, today: context.today, now: context.now)
      print("released \(released.lotNumber) (\(released.ingredientCode)) by \(user.name)")
    }
  }

  /// `compound lot list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List lots with stock on hand, expiry and status.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this ingredient.") var ingredient: String?
    @Flag(help: "Every store's lots, in a chain (default: this station's store's).") var allStores = false
    @Flag(help: "Print JSON (masses in micrograms).") var json = false

    func run() throws {
      let context = try Context(global)
      let lots = try context.database().lots(ingredient: ingredient, allStores: allStores)
      if json { return try Output.json(lots) }
      if lots.isEmpty { return print("no lots yet: receive one with 'compound lot receive'") }
      print(
        Output.table(
          ["LOT", "INGREDIENT", "SUPPLIER LOT", "EXPIRY", "ON HAND", "STATUS", "ASSAY", "COST"],
          lots.map { item in
            let lot = item.lot
            let status = lot.isExpired(on: context.today) ? "\(lot.status.rawValue) (EXPIRED)" : lot.status.rawValue
            let assay = lot.assayPercent.map { "\($0) % \(lot.assayBasis?.rawValue ?? "")" } ?? "-"
            return [
              lot.lotNumber, lot.ingredientCode, "\(lot.supplier) \(lot.supplierLot)", lot.expiry.description,
              item.unit.format(lot.onHand, display: context.display), status, assay,
              item.cost.map { "$\($0)" } ?? "unknown",
            ]
          }))
    }
  }
}
