import ArgumentParser
import BalanceDevice
import Formulation
import Foundation
import Quantities
import Settings
import Store

/// `compound balance`: the bench's balances, their daily checks and their readings.
struct BalanceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "balance", abstract: "List the balances, record their daily check, read one.",
    subcommands: [List.self, Check.self, Read.self])

  /// `compound balance list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List the balances with their minimum weight (USP <41>) and today's check.",
      discussion: """
        Balances are clinical rules ([[balances]] in Config/rules.toml, imported by a pharmacist); this station's \
        default balance and each balance's device are settings ([bench] in Config/compound.toml).
        """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON (masses in mg).") var json = false

    /// One balance as listed.
    struct Line: Encodable {
      var balance: Balance
      var minimumWeight: Mass
      var isDefault: Bool
      var checkedToday: BalanceCheckEntry?
    }

    func run() throws {
      let context = try Context(global)
      let checks = try context.database().balanceChecks(on: context.today)
      let lines = try context.inForce().settings.balances.map { entry in
        let balance = try context.balance(entry.id)
        return Line(
          balance: balance, minimumWeight: balance.minimumWeight,
          isDefault: entry.id.uppercased() == context.settings.bench.balance.uppercased(),
          checkedToday: checks[entry.id.uppercased()])
      }
      if json { return try Output.json(lines) }
      if lines.isEmpty { return print("no balances: a pharmacist adds [[balances]] to the rules (Config/rules.toml)") }
      print(
        Output.table(
          ["BALANCE", "MODEL", "READS", "CAPACITY", "MINIMUM WEIGHT", "DEVICE", "CHECKED TODAY"],
          lines.map { line in
            [
              line.balance.id + (line.isDefault ? " (default)" : ""), line.balance.model,
              line.balance.readability.description, context.display.mass(line.balance.capacity),
              context.display.mass(line.minimumWeight), line.balance.device ?? "typed",
              line.checkedToday.map {
                "\($0.passed ? "pass" : "FAIL") by \($0.checkedBy) at \(context.local($0.checkedAt))"
              } ?? "NOT YET: 'compound balance check \(line.balance.id) --test-weight 100g --reading MASS --by USER'",
            ]
          }))
    }
  }

  /// `compound balance check`.
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Record a balance's daily check with a test weight (within weighing.balance_check_tolerance_percent).",
      discussion: """
        The test weight must be 5 % to 100 % of the balance's capacity. Without --reading the reading is taken
        from the balance's device. A failed check is recorded and exits 7: do not weigh on that balance.
        Example: compound balance check B1 --test-weight 100g --reading 100.0002g --by mtorres
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Balance id, for example B1.") var id: String
    @Option(help: "The certified test weight's mass, for example 100g.", transform: ArgumentTypes.mass("--test-weight"))
    var testWeight: Mass
    @Option(help: "What the balance showed, for example 100.0002g.", transform: ArgumentTypes.mass("--reading"))
    var reading: Mass?
    @Option(help: "Read the balance at this address instead of its configured device.") var device: String?
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      if reading != nil, device != nil {
        throw CLIError("give --reading (what the balance showed) or --device (read it now), not both")
      }
      let balance = try context.balance(id)
      let user = try context.user(signer.by)
      var serial: String?
      var shown = reading
      if shown == nil {
        let capture = try BenchCapture(balance: balance, device: device)
        serial = capture.serial
        do {
          shown = try capture.connection.weigh()
        } catch {
          throw CLIError(error.message)
        }
      }
      guard let shown else { throw CLIError("give --reading MASS, or a --device to read it from") }
      let check = try BalanceCheck.evaluate(
        balance: balance, testWeight: testWeight, reading: shown,
        tolerancePercent: try context.inForce().settings.weighing.balanceCheckTolerancePercent.value)
      let recorded = try context.database().recordBalanceCheck(
        check, serial: serial, by: user, today: context.today, now: context.now)
      if json { try Output.json(recorded) } else { print(recorded.summary(display: context.display)) }
      if !recorded.passed {
        if !json { print("do not weigh on balance \(balance.id) until it passes a check") }
        throw ExitStatus.balanceCheckFailed
      }
    }
  }

  /// `compound balance read`.
  struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "read",
      abstract: "Read a stable weight from an MT-SICS balance; records nothing.",
      discussion: "Example: compound balance read --device tcp://192.168.1.40:4305")

    @OptionGroup var global: GlobalOptions
    @Option(help: "tcp://HOST:PORT or serial:/dev/ttyUSB0.") var device: String?
    @Option(help: "A balance from the settings, read at its configured device.") var balance: String?
    @Flag(help: "Print JSON (the mass in mg).") var json = false

    /// One reading.
    struct Reading: Encodable {
      var device: String
      var serial: String
      var mass: Mass
    }

    func run() throws {
      let context = try Context(global)
      let address: String
      if let device {
        address = device
      } else {
        let chosen = try context.balance(balance)
        guard let configured = chosen.device else {
          throw CLIError("balance \(chosen.id) has no device in the settings: give --device tcp://HOST:PORT")
        }
        address = configured
      }
      let reading: Reading
      do {
        let connection = try BalanceConnection(device: address)
        let serial = try connection.serialNumber()
        reading = Reading(device: address, serial: serial, mass: try connection.weigh())
      } catch {
        throw CLIError(error.message)
      }
      if json { return try Output.json(reading) }
      print("\(context.display.mass(reading.mass)) (stable) from the balance at \(address), serial \(reading.serial)")
    }
  }
}
