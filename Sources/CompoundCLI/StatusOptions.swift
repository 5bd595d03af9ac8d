import Accounts
import ArgumentParser
import Formulation
import Foundation
import Quality
import Settings
import Store

/// What every release, reject, hold and recall command takes.
struct StatusOptions: ParsableArguments {
  @OptionGroup var global: GlobalOptions
  @Argument(help: "Lot number.", transform: ArgumentTypes.lotNumber) var lot: String
  @OptionGroup var signer: SignerOption
  @Option(help: "Why (required to reject, hold or recall).") var reason: String?
  @Flag(help: "Print JSON.") var json = false

  /// The acting user, signed with their PIN for the action named.
  private func signerOrUser(_ action: LotAction, context: Context, what: String) throws -> User {
    switch action {
    case .release: return try context.signer(signer.by, for: "release \(what) \(lot)")
    case .reject: return try context.signer(signer.by, for: "reject \(what) \(lot)")
    default: return try context.user(signer.by)
    }
  }

  /// Applies `action` to a compounded batch.
  func runBatch(_ action: LotAction) throws {
    let context = try Context(global)
    let user = try signerOrUser(action, context: context, what: "batch")
    let record = try context.database().changeBatchStatus(
      lot, action: action, by: user, reason: reason, policy: try context.inForce().settings.qualityPolicy,
      today: context.today,
      now: context.now)
    if json { return try Output.json(record) }
    print(
      "batch \(record.lotNumber) is now \(record.status.rawValue) (by \(user.name)\(reason.map { ": \($0)" } ?? ""))")
  }

  /// Applies `action` to an ingredient lot.
  func runLot(_ action: LotAction) throws {
    let context = try Context(global)
    let user = try signerOrUser(action, context: context, what: "lot")
    let settings = try context.inForce().settings
    let lot = try context.database().changeLotStatus(
      lot, action: action, by: user, reason: reason, limit: { settings.certificateLimit(for: $0) },
      today: context.today, now: context.now)
    if json { return try Output.json(lot) }
    print("lot \(lot.lotNumber) (\(lot.ingredientCode)) is now \(lot.status.rawValue) (by \(user.name))")
  }
}

/// `compound batch release`.
struct BatchRelease: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "release",
    abstract:
      "Release a batch: a pharmacist, once the record is verified, the weights pass and (by default) an assay passes.")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runBatch(.release) }
}

/// `compound batch reject`.
struct BatchReject: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject", abstract: "Reject a quarantined or held batch for good (a pharmacist, with a reason).")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runBatch(.reject) }
}

/// `compound batch hold`.
struct BatchHold: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hold", abstract: "Put a batch on hold: nothing is labeled or dispensed from it until released.")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runBatch(.hold) }
}

/// `compound batch recall`.
struct BatchRecall: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recall", abstract: "Recall a batch (a pharmacist, with a reason).")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runBatch(.recall) }
}

/// `compound lot reject`.
struct LotReject: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject", abstract: "Reject an ingredient lot for good (a pharmacist, with a reason).")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runLot(.reject) }
}

/// `compound lot hold`.
struct LotHold: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hold", abstract: "Put an ingredient lot on hold: no batch may use it until released.")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runLot(.hold) }
}

/// `compound lot recall`.
struct LotRecall: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recall", abstract: "Recall an ingredient lot (a pharmacist, with a reason).")
  @OptionGroup var options: StatusOptions
  func run() throws { try options.runLot(.recall) }
}
