import Foundation
import Quantities

/// A GS1 element string as a 2D or GS1-128 scanner sends it: GTIN, lot, expiry and serial of a container.
///
/// The symbology identifier (`]d2`, `]C1`, `]Q3`, `]e0`) is optional. A variable-length field ends at the FNC1
/// separator (U+001D) or at the end of the data. Expiry day 00 is the month's last day; two-digit years are
/// read within 49 years back and 50 ahead of `today`'s year (GS1 General Specifications).
public struct GS1Scan: Sendable, Hashable, Codable {
  /// (01) the trade item's GTIN-14, check digit verified.
  public var gtin: String?
  /// (10) the supplier's batch or lot.
  public var lot: String?
  /// (17) the expiry date.
  public var expiry: CalendarDate?
  /// (11) the production date.
  public var produced: CalendarDate?
  /// (21) the serial number of this container.
  public var serial: String?

  /// Makes the value from every stored property.
  public init(
    gtin: String? = nil, lot: String? = nil, expiry: CalendarDate? = nil, produced: CalendarDate? = nil,
    serial: String? = nil
  ) {
    self.gtin = gtin
    self.lot = lot
    self.expiry = expiry
    self.produced = produced
    self.serial = serial
  }

  /// The FNC1 separator a scanner sends between a variable-length field and the next.
  public static let separator: Character = "\u{1D}"

  /// Fixed data lengths of the AIs read here; an AI absent from both tables is refused.
  private static let fixed: [String: Int] = [
    "00": 18, "01": 14, "02": 14, "11": 6, "12": 6, "13": 6, "15": 6, "16": 6, "17": 6, "20": 2,
  ]
  /// Variable-length AIs read here, with their longest data.
  private static let variable: [String: Int] = [
    "10": 20, "21": 20, "22": 20, "30": 8, "37": 8, "240": 30, "241": 30, "250": 30, "400": 30,
  ]

  /// Reads `text`; throws naming the AI at fault and what a scan should look like.
  public static func parse(_ text: String, today: CalendarDate) throws(FormulationError) -> GS1Scan {
    var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
    for prefix in ["]d2", "]C1", "]Q3", "]e0"] where rest.hasPrefix(prefix) {
      rest = rest.dropFirst(prefix.count)
    }
    while rest.first == separator { rest = rest.dropFirst() }
    guard !rest.isEmpty else {
      throw FormulationError("the scan is empty: scan the container's GS1 barcode, for example 0100312345678906...")
    }
    var scan = GS1Scan()
    var seen = Set<String>()
    while !rest.isEmpty {
      guard let (ai, length, isFixed) = identifier(at: rest) else {
        throw FormulationError(
          "the scan has '\(rest.prefix(4))' where a GS1 application identifier such as (01), (10), (17) or (21) should start: scan the container again"
        )
      }
      guard seen.insert(ai).inserted else { throw FormulationError("the scan gives (\(ai)) twice") }
      rest = rest.dropFirst(ai.count)
      let data: Substring
      if isFixed {
        guard rest.count >= length, rest.prefix(length).allSatisfy({ $0 != separator }) else {
          throw FormulationError(
            "the scan's (\(ai)) is cut short: it needs \(length) digits, '\(rest.prefix(length))' is there")
        }
        data = rest.prefix(length)
        rest = rest.dropFirst(length)
        if rest.first == separator { rest = rest.dropFirst() }
      } else {
        let end = rest.firstIndex(of: separator) ?? rest.endIndex
        data = rest[..<end]
        rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        guard !data.isEmpty, data.count <= length else {
          throw FormulationError(
            "the scan's (\(ai)) has \(data.count) characters: it takes 1 to \(length)")
        }
        guard data.allSatisfy({ $0.isASCII && $0.asciiValue.map { (33...126).contains($0) } == true }) else {
          throw FormulationError("the scan's (\(ai)) holds a character a GS1 barcode cannot carry")
        }
      }
      switch ai {
      case "01":
        guard data.allSatisfy(\.isASCIIDigit) else { throw FormulationError("the scan's GTIN (01) is not 14 digits") }
        guard checkDigitIsRight(String(data)) else {
          throw FormulationError(
            "the scan's GTIN (01) \(data) has a wrong check digit: scan again, or type the lot from the label")
        }
        scan.gtin = String(data)
      case "10": scan.lot = String(data)
      case "21": scan.serial = String(data)
      case "17": scan.expiry = try date(data, ai: ai, today: today)
      case "11": scan.produced = try date(data, ai: ai, today: today)
      default:
        if isFixed, !data.allSatisfy(\.isASCIIDigit) {
          throw FormulationError("the scan's (\(ai)) must be \(length) digits")
        }
      }
    }
    return scan
  }

  /// The GS1 mod-10 check: weights 3 and 1 from the right, the last digit making a multiple of ten.
  public static func checkDigitIsRight(_ digits: String) -> Bool {
    let values = digits.compactMap(\.wholeNumberValue)
    guard values.count == digits.count, let last = values.last else { return false }
    var sum = 0
    for (offset, digit) in values.dropLast().reversed().enumerated() { sum += digit * (offset % 2 == 0 ? 3 : 1) }
    return (10 - sum % 10) % 10 == last
  }

  private static func identifier(at text: Substring) -> (String, Int, Bool)? {
    for size in 2...3 {
      let ai = String(text.prefix(size))
      guard ai.count == size, ai.allSatisfy(\.isASCIIDigit) else { return nil }
      if let length = fixed[ai] { return (ai, length, true) }
      if let length = variable[ai] { return (ai, length, false) }
    }
    return nil
  }

  private static func date(_ data: Substring, ai: String, today: CalendarDate) throws(FormulationError) -> CalendarDate
  {
    let digits = data.compactMap(\.wholeNumberValue)
    guard digits.count == 6 else { throw FormulationError("the scan's (\(ai)) date must be YYMMDD digits") }
    let yy = digits[0] * 10 + digits[1]
    let month = digits[2] * 10 + digits[3]
    let day = digits[4] * 10 + digits[5]
    // The century that puts the year within 49 back and 50 ahead of this year.
    var year = today.year / 100 * 100 + yy
    if year - today.year > 50 { year -= 100 } else if today.year - year > 49 { year += 100 }
    let resolvedDay = day == 0 && (1...12).contains(month) ? CalendarDate.daysIn(month: month, year: year) : day
    guard let date = CalendarDate(year: year, month: month, day: resolvedDay) else {
      throw FormulationError("the scan's (\(ai)) date \(data) is not a calendar date (YYMMDD)")
    }
    return date
  }

  /// The scan as GS1 human-readable text: (01)...(17)...(10)...(21)....
  public var humanReadable: String {
    var parts: [String] = []
    if let gtin { parts.append("(01)\(gtin)") }
    if let expiry { parts.append("(17)\(expiry)") }
    if let lot { parts.append("(10)\(lot)") }
    if let serial { parts.append("(21)\(serial)") }
    return parts.joined()
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension GS1Scan {
  /// Why this scanned container is not the planned `component`'s lot (whose GTIN is `gtin` when known), or nil.
  public func refusal(for component: PlannedComponent, gtin lotGTIN: String?) -> String? {
    let planned =
      "the plan uses lot \(component.lotNumber) (\(component.supplier) lot \(component.supplierLot), expires \(component.expiry))"
    let fix = "fetch that container, or name the one in hand with --lot \(component.ingredientCode)=LOT"
    guard let lot else {
      return
        "the container scanned for \(component.ingredientCode) gives no lot (10): scan its GS1 barcode, not the GTIN alone"
    }
    if lot.uppercased() != component.supplierLot.uppercased() {
      return "the container scanned for \(component.ingredientCode) is lot \(lot), but \(planned): \(fix)"
    }
    if let gtin, let lotGTIN, gtin != lotGTIN {
      return
        "the container scanned for \(component.ingredientCode) is GTIN \(gtin), but the lot received is GTIN \(lotGTIN): it is another product; \(fix)"
    }
    if let expiry, expiry != component.expiry {
      return
        "the container scanned for \(component.ingredientCode) expires \(expiry), but \(planned): \(fix)"
    }
    return nil
  }
}
