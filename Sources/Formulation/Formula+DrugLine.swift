import Foundation
import Quantities

extension Formula {
  /// The drug line a patient label prints, computed from the formula, never typed: the API's generic name,
  /// the salt when the strength is of the salt, the strength without a trailing zero, and the dosage form.
  ///
  /// "Naltrexone HCl 4.5 mg capsule"; a strength on the base reads "Naltrexone 4.5 mg (as base) capsule".
  public func drugLine(genericName: String, saltForm: String?) -> String {
    let amount = strengthText
    switch strengthBasis {
    case .salt:
      let salt = saltForm.map { " \($0)" } ?? ""
      return "\(genericName)\(salt) \(amount) \(dosageForm)"
    case .base:
      return "\(genericName) \(amount) (as base) \(dosageForm)"
    }
  }

  /// The strength as a label prints it: no trailing zero, which can be misread ("3 mg", never "3.0 mg").
  public var strengthText: String {
    "\(strength.milligrams.trimmed(minimum: 0, maximum: 3)) mg"
  }

  /// Refuses a name or label name that states a strength other than the formula's, naming both.
  public func checkStatedStrengths() throws(FormulationError) {
    for (label, text) in [("name", name), ("label_name", labelText ?? "")] {
      for stated in Self.statedStrengths(in: text) where stated != strength {
        throw FormulationError(
          "formula \(code)'s \(label) \"\(text)\" states \(stated), but its strength is \(strength): make the name and strength_mg agree (a label must never state another strength)"
        )
      }
    }
  }

  /// The masses `text` states, such as "4.5 mg", "12mg", "0,25 mg" or "500 mcg", in order.
  public static func statedStrengths(in text: String) -> [Mass] {
    let pattern = /(\d+(?:[.,]\d+)?)\s*(mg|mcg|µg|ug|g)(?![A-Za-z])/.ignoresCase()
    return text.matches(of: pattern).compactMap { match in
      guard let number = Decimal.exact(String(match.output.1).replacingOccurrences(of: ",", with: ".")) else {
        return nil
      }
      switch match.output.2.lowercased() {
      case "mg": return Mass.milligrams(number)
      case "g": return Mass.milligrams(number * 1000)
      default: return Mass.milligrams(number / 1000)
      }
    }
  }
}
