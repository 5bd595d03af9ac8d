import Accounts
import Formulation
import Foundation
import Quantities

/// What the technician reports after compounding: the masses weighed and the capsules filled.
public struct BatchRequest: Sendable {
  public var formulaCode: String
  public var quantity: Int
  /// Masses weighed, keyed by ingredient code or role (`api`, `filler`).
  public var weighed: [String: Mass]
  /// Lots named by the technician, keyed by ingredient code or role.
  public var lotChoices: [String: String]
  public var actualYield: Int
  public var deviation: String?
  public var by: User
  /// The balance that weighed, and where each mass came from by ingredient code (absent: typed).
  public var balance: Balance
  public var sources: [String: String]
  /// Shells used, broken ones included; nil means one a filled capsule.
  public var shellsUsed: Int?
  /// Containers scanned at the bench, keyed by ingredient code or role.
  public var scans: [String: GS1Scan]
  /// Why a lot that brings the BUD under the minimum was named.
  public var shortDatedReason: String?

  public init(
    formulaCode: String, quantity: Int, weighed: [String: Mass], lotChoices: [String: String], actualYield: Int,
    deviation: String?, by: User, balance: Balance, sources: [String: String] = [:], shellsUsed: Int? = nil,
    scans: [String: GS1Scan] = [:], shortDatedReason: String? = nil
  ) {
    self.balance = balance
    self.sources = Dictionary(sources.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    self.shellsUsed = shellsUsed
    self.scans = Dictionary(scans.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    self.shortDatedReason = shortDatedReason
    self.formulaCode = formulaCode
    self.quantity = quantity
    self.weighed = weighed
    self.lotChoices = lotChoices
    self.actualYield = actualYield
    self.deviation = deviation
    self.by = by
  }
}
