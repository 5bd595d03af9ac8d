import Dispensing
import Foundation

/// A prescription's steps (`prescription.steps`), as stored.
///
/// Format 1: a bare JSON array of steps. Format 2: `{"format": 2, "steps": [...]}`, the same step keys.
struct StepsRecord: StoredFormat {
  static let kind = "prescription"

  /// One step: a formula, a quantity, the days' supply and directions.
  struct Step: Codable {
    var formulaCode: String
    var quantity: Int
    var daysSupply: Int
    var directions: String

    init(_ value: PrescriptionStep) {
      formulaCode = value.formulaCode
      quantity = value.quantity
      daysSupply = value.daysSupply
      directions = value.directions
    }

    var value: PrescriptionStep {
      PrescriptionStep(formulaCode: formulaCode, quantity: quantity, daysSupply: daysSupply, directions: directions)
    }
  }

  enum CodingKeys: String, CodingKey {
    case format, steps
  }

  var format: Int?
  var steps: [Step]

  init(_ value: [PrescriptionStep]) {
    format = Self.current
    steps = value.map(Step.init)
  }

  init(from decoder: any Decoder) throws {
    if let array = try? decoder.singleValueContainer().decode([Step].self) {
      format = nil
      steps = array
      return
    }
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decode(Int.self, forKey: .format)
    steps = try container.decode([Step].self, forKey: .steps)
  }

  func value() throws -> [PrescriptionStep] { steps.map(\.value) }
}
