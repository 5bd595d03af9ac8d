import Foundation
import Quantities

/// Reads the replies of a Mettler Toledo Standard Interface Command Set (MT-SICS) balance.
///
/// `S` asks for a stable weight: `S S <value> <unit>`; `S I` busy or not stable; `S +` overload; `S -`
/// underload; `ES`, `ET` and `EL` are syntax, transmission and logical errors. `I4` answers the serial
/// number as `I4 A "B123456789"`.
public enum MTSICSReply {
  /// The stable net weight in the reply `line` to `S`, or the reason there is none.
  public static func weight(_ line: String, device: String) throws(BalanceError) -> Mass {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    switch Array(fields.prefix(2)) {
    case ["S", "S"]:
      guard fields.count == 4 else {
        throw BalanceError("the balance at \(device) answered '\(line)', not a weight and its unit")
      }
      let value = fields[2]
      if value.hasPrefix("-") {
        throw BalanceError("the balance at \(device) reads \(value) \(fields[3]), below zero: tare it and weigh again")
      }
      do {
        return try Mass.parse(value + fields[3], what: "the balance's reading")
      } catch {
        throw BalanceError("the balance at \(device) answered '\(line)': \(error.message)")
      }
    case ["S", "I"]:
      throw BalanceError(
        "the balance at \(device) is busy or not stable (S I): let the reading settle (close the draft shield) and read again"
      )
    case ["S", "+"]:
      throw BalanceError("the balance at \(device) is overloaded (S +): take the load off; it is above its capacity")
    case ["S", "-"]:
      throw BalanceError("the balance at \(device) is underloaded (S -): put the weighing pan back and zero it")
    default:
      switch fields.first {
      case "ES":
        throw BalanceError("the balance at \(device) did not understand the command (ES): check its MT-SICS setting")
      case "ET":
        throw BalanceError("the balance at \(device) reports a transmission error (ET): check the cable and read again")
      case "EL": throw BalanceError("the balance at \(device) cannot do that now (EL): check its display")
      default: throw BalanceError("the balance at \(device) answered '\(line)', which is not an MT-SICS weight")
      }
    }
  }

  /// The serial number in the reply `line` to `I4`.
  public static func serial(_ line: String, device: String) throws(BalanceError) -> String {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("I4 A"), let open = trimmed.firstIndex(of: "\""),
      let close = trimmed.lastIndex(of: "\""), open < close
    else { throw BalanceError("the balance at \(device) answered '\(line)' for its serial number (I4)") }
    return String(trimmed[trimmed.index(after: open)..<close])
  }
}
