import Foundation

/// A prescriber with their National Provider Identifier.
public struct Prescriber: Sendable, Hashable, Codable {
  public var id: Int64
  public var name: String
  public var npi: String
  public var phone: String

  public init(id: Int64, name: String, npi: String, phone: String) {
    self.id = id
    self.name = name
    self.npi = npi
    self.phone = phone
  }

  /// Whether `npi` is ten digits with a valid check digit (Luhn over the digits prefixed by 80840).
  public static func isValidNPI(_ npi: String) -> Bool {
    guard npi.count == 10, npi.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
    let digits = ("80840" + npi).compactMap { $0.wholeNumberValue }
    var sum = 0
    for (index, digit) in digits.reversed().enumerated() {
      if index % 2 == 1 {
        let doubled = digit * 2
        sum += doubled > 9 ? doubled - 9 : doubled
      } else {
        sum += digit
      }
    }
    return sum % 10 == 0
  }
}
