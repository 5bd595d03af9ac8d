import Dispensing
import Formulation
import Foundation
import Quantities

/// What a label says, field by field, before any layout or renderer sees it.
public struct LabelContent: Sendable, Hashable, Codable {
  /// Text of each field, keyed by the layout's field names.
  public var fields: [String: String]
  /// What the barcode encodes (the Rx number, or the batch lot).
  public var barcode: String

  public init(fields: [String: String], barcode: String) {
    self.fields = fields
    self.barcode = barcode
  }

  /// The pharmacy as its labels name it.
  public struct Pharmacy: Sendable, Hashable {
    public var name: String
    public var address: String
    public var phone: String

    public init(name: String, address: String, phone: String) {
      self.name = name
      self.address = address
      self.phone = phone
    }
  }

  /// A patient label (USP <17>, 16 CCR 1707.5, 22 TAC 291.131): every required item, with the formula's
  /// warnings and those of its excipients (`excipientWarnings`: "Contains lactose monohydrate").
  public static func patient(
    pharmacy: Pharmacy, rxNumber: String, filled: CalendarDate, patient: Patient, prescriber: Prescriber,
    formula: Formula, quantity: Int, directions: String, refillsRemaining: Int, discardAfter: CalendarDate,
    lotNumber: String, reprint: Bool, price: String? = nil, excipientWarnings: [String] = []
  ) throws(LabelError) -> LabelContent {
    guard !pharmacy.name.isEmpty, !pharmacy.phone.isEmpty else {
      throw LabelError("the pharmacy's name and phone are not set: add them under [pharmacy] in the settings file")
    }
    try checkDrugLine(formula)
    let fields = [
      "pharmacy": [pharmacy.name, pharmacy.address, pharmacy.phone].filter { !$0.isEmpty }.joined(separator: " · "),
      "reprint": reprint ? "REPRINT" : "",
      "patient": patient.name,
      "drug": formula.labelName,
      "directions": directions,
      "rx": "Rx \(rxNumber)   Filled \(filled)   Qty \(quantity)   Refills \(refillsRemaining)"
        + (price.map { "   Price \($0)" } ?? ""),
      "prescriber": "Prescriber: \(prescriber.name)",
      "discard": "Discard after \(discardAfter)   Lot \(lotNumber)",
      "storage": "Compounded by \(pharmacy.name). \(formula.storage).",
      "warnings": (formula.warnings + excipientWarnings).map { "• \($0)" }.joined(separator: " "),
      "compounded": "Compounded by \(pharmacy.name)",
    ]
    return LabelContent(fields: try clean(fields), barcode: rxNumber)
  }

  /// This patient label with its warnings moved to an auxiliary warning label printed with it: the label says
  /// "See the warning label (N)"; the warning label names the patient and the Rx and lists every warning.
  public func movingWarnings() -> (label: LabelContent, warnings: LabelContent) {
    let text = fields["warnings"] ?? ""
    let count = text.components(separatedBy: "• ").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
    var label = fields
    label["warnings"] = count == 0 ? "" : "See the attached warning label (\(count) warning\(count == 1 ? "" : "s"))"
    let warnings: [String: String] = [
      "title": "WARNINGS", "patient": fields["patient"] ?? "", "rx": fields["rx"] ?? "",
      "warnings": text.replacingOccurrences(of: " • ", with: "\n• "),
    ]
    return (LabelContent(fields: label, barcode: barcode), LabelContent(fields: warnings, barcode: barcode))
  }

  /// A batch container label (USP <795>): lot, preparation, strength, quantity, BUD, storage.
  public static func batch(
    pharmacy: Pharmacy, formula: Formula, lotNumber: String, capsules: Int, compounded: CalendarDate,
    beyondUseDate: CalendarDate
  ) throws(LabelError) -> LabelContent {
    try checkDrugLine(formula)
    let fields = [
      "drug": "\(formula.labelName) (\(formula.strength) as \(formula.strengthBasis.rawValue))",
      "lot": "Lot \(lotNumber)",
      "quantity": "\(capsules) capsules · compounded \(compounded)",
      "discard": "BUD \(beyondUseDate)",
      "storage": formula.storage,
      "compounded": "Compounded by \(pharmacy.name)\(pharmacy.phone.isEmpty ? "" : " · \(pharmacy.phone)")",
      "reprint": "",
    ]
    return LabelContent(fields: try clean(fields), barcode: lotNumber)
  }

  /// Refuses a drug line that states a strength other than the formula's (a version stored before the drug
  /// line was computed could carry a typed one).
  private static func checkDrugLine(_ formula: Formula) throws(LabelError) {
    do {
      try formula.checkStatedStrengths()
    } catch {
      throw LabelError("\(error.message); no label is printed from it: add a corrected formula version")
    }
  }

  /// Refuses control characters (they would corrupt a printer's command stream) and folds line breaks.
  private static func clean(_ fields: [String: String]) throws(LabelError) -> [String: String] {
    var result: [String: String] = [:]
    for (key, value) in fields {
      let folded = value.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
      if folded.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) {
        throw LabelError("the \(key) text has control characters: correct the record before printing")
      }
      result[key] = folded
    }
    return result
  }

  /// The fields and barcode as plain text, one line each: the label as a terminal shows it.
  public func text(layout: LabelLayout) -> String {
    var lines: [String] = []
    for block in layout.blocks.sorted(by: { ($0.yIn, $0.xIn) < ($1.yIn, $1.xIn) }) {
      if block.type == "barcode" {
        lines.append("[barcode: \(barcode)]")
      } else if let value = fields[block.field], !value.isEmpty {
        lines.append(value)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
