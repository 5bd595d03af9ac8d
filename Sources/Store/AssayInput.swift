import Accounts
import Formulation
import Foundation
import Quantities

/// A laboratory result as the pharmacist enters it.
public struct AssayInput: Sendable {
  public var lotNumber: String
  public var lab: String
  public var method: String
  public var tested: CalendarDate
  /// The assay in % of label claim; give this or `mg`.
  public var percent: Decimal?
  /// The mg of API per unit the lab found (converted with the lot's strength).
  public var mg: Decimal?
  /// Unit results in % of label claim for content uniformity (10 or 30).
  public var units: [Decimal]?
  public var certificatePath: String?
  public var certificateSha256: String?
  public var by: User

  public init(
    lotNumber: String, lab: String, method: String, tested: CalendarDate, percent: Decimal?, mg: Decimal?,
    units: [Decimal]?, certificatePath: String?, certificateSha256: String?, by: User
  ) {
    self.lotNumber = lotNumber
    self.lab = lab
    self.method = method
    self.tested = tested
    self.percent = percent
    self.mg = mg
    self.units = units
    self.certificatePath = certificatePath
    self.certificateSha256 = certificateSha256
    self.by = by
  }
}
