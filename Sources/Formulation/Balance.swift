import Foundation
import Quantities

/// A balance on the bench: readability, capacity and the repeatability measured at its last check (USP <41>).
public struct Balance: Sendable, Hashable, Codable {
  public var id: String
  public var model: String
  /// Readability d: the smallest step the balance shows.
  public var readability: Mass
  public var capacity: Mass
  /// Standard deviation s of at least 10 replicate weighings at its last repeatability check, in mg.
  public var repeatabilitySdMg: Decimal?
  /// Where the balance answers MT-SICS: `tcp://HOST:PORT` or `serial:/dev/ttyUSB0`; nil when typed only.
  public var device: String?

  /// Makes the value from every stored property.
  public init(
    id: String, model: String, readability: Mass, capacity: Mass, repeatabilitySdMg: Decimal?, device: String?
  ) {
    self.id = id
    self.model = model
    self.readability = readability
    self.capacity = capacity
    self.repeatabilitySdMg = repeatabilitySdMg
    self.device = device
  }

  /// The smallest net mass this balance weighs accurately: max(2000 s, 820 d), rounded up to the microgram.
  ///
  /// USP <41>: repeatability is met when 2 s / m <= 0.10 %; when s is below 0.41 d, 0.41 d is used, so the
  /// minimum weight is never below 820 d (82 mg for a balance reading 0.1 mg).
  public var minimumWeight: Mass {
    let fromReadability = Decimal(readability.micrograms) * 820
    let fromRepeatability = (repeatabilitySdMg ?? 0) * 1000 * 2000
    let micrograms = max(fromReadability, fromRepeatability).roundedUp(scale: 0)
    return Mass(micrograms: Int64(truncating: micrograms as NSDecimalNumber))
  }

  /// How the minimum weight was found, for the worksheet.
  public var minimumWeightExplanation: String {
    let floor = "820 x d \(readability)"
    guard let sd = repeatabilitySdMg, sd * 2000 > Decimal(readability.micrograms) * 820 / 1000 else {
      return "minimum weight \(minimumWeight) of balance \(id) (USP <41>: \(floor))"
    }
    return "minimum weight \(minimumWeight) of balance \(id) (USP <41>: 2000 x s \(sd.trimmed(maximum: 6)) mg)"
  }

  /// Why `mass` cannot be weighed directly on this balance, or nil when it can.
  public func refusal(weighing mass: Mass, what: String) -> String? {
    guard mass < minimumWeight else { return nil }
    return "\(what) \(mass) is below the minimum weight \(minimumWeight) of balance \(id)"
  }
}
