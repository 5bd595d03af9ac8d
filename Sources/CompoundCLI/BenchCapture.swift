import BalanceDevice
import Formulation
import Foundation
import Quantities

#if canImport(Glibc)
  import Glibc
#endif

/// Takes planned weighings from a balance in order, the technician confirming each at the prompt.
///
/// Prompts go to standard error and answers come from standard input: Enter reads the balance (or accepts the
/// reading), `r` reads again, `q` stops with nothing recorded.
struct BenchCapture {
  let balance: Balance
  let connection: BalanceConnection
  /// The balance's serial number (`I4`).
  let serial: String
  /// How each captured mass is described in the record: the balance and its serial number.
  var source: String { "balance \(balance.id) (serial \(serial))" }

  /// Connects to `device` (else the balance's own) and asks its serial number.
  init(balance: Balance, device: String?) throws {
    guard let address = device ?? balance.device else {
      throw CLIError(
        "balance \(balance.id) has no device address: set device = \"tcp://HOST:PORT\" for it in the settings, or give --device"
      )
    }
    self.balance = balance
    do {
      connection = try BalanceConnection(device: address)
      serial = try connection.serialNumber()
    } catch {
      throw CLIError(error.message)
    }
  }

  /// Each component's mass read from the balance, keyed by upper-cased ingredient code.
  func capture(_ components: [PlannedComponent], display: QuantityDisplay) throws -> [String: Mass] {
    var masses: [String: Mass] = [:]
    for component in components {
      let target = display.mass(Mass(micrograms: component.quantity))
      let range =
        "\(display.mass(Mass(micrograms: component.minimum))) to \(display.mass(Mass(micrograms: component.maximum)))"
      try ask(
        "Weigh \(component.ingredientCode) from lot \(component.lotNumber): \(target) (accepted \(range)) on balance \(balance.id); Enter to read it, q to stop: "
      )
      while true {
        let mass: Mass
        do {
          mass = try connection.weigh()
        } catch {
          try ask("\(error.message)\nEnter to read again, q to stop: ")
          continue
        }
        if let refusal = balance.refusal(weighing: mass, what: "the reading") {
          try ask("\(refusal)\nEnter to read again, q to stop: ")
          continue
        }
        let answer = try ask(
          "balance \(balance.id) reads \(display.mass(mass)) for \(component.ingredientCode): Enter to accept, r to read again, q to stop: "
        )
        if answer == "r" { continue }
        masses[component.ingredientCode.uppercased()] = mass
        break
      }
    }
    return masses
  }

  /// Prints `prompt` and returns the answer, lower-cased; `q` or the end of input stops with nothing recorded.
  @discardableResult
  private func ask(_ prompt: String) throws -> String {
    FileHandle.standardError.write(Data(prompt.utf8))
    guard let line = Swift.readLine(strippingNewline: true) else {
      throw CLIError("no answer at the balance prompt: stopped, nothing recorded")
    }
    // Typed answers end the line on a terminal; piped ones do not echo, so end it here.
    if isatty(0) == 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
    if answer == "q" { throw CLIError("stopped at the balance: nothing recorded") }
    return answer
  }
}
