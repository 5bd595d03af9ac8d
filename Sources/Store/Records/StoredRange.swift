import Foundation
import Quantities

/// An inclusive percent range in a stored record: `{"minimum": "90.0", "maximum": "110.0"}`.
struct StoredRange: Codable, Hashable, Sendable {
  var minimum: StoredNumber
  var maximum: StoredNumber

  init(_ range: InclusiveRange) {
    minimum = StoredNumber(range.minimum)
    maximum = StoredNumber(range.maximum)
  }

  var value: InclusiveRange { InclusiveRange(minimum: minimum.exact, maximum: maximum.exact) }
}
