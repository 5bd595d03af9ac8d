import Formulation
import Foundation

/// One lot as `compound lot show` prints it: receipt, certificate, history and, for a trituration, its record.
public struct LotDetail: Sendable, Codable {
  /// One status change of the lot.
  public struct StatusEntry: Sendable, Codable {
    public var from: String?
    public var to: String
    public var at: String
    public var by: String
    public var reason: String?
  }

  public var lot: LotSummary
  public var receivedAt: String
  public var serial: String?
  /// The supplier's certificate of analysis kept with the lot, and whether its bytes still hash to it.
  public var certificateSha256: String?
  public var certificateName: String?
  public var certificateBytes: Int?
  public var certificateIntact: Bool?
  public var history: [StatusEntry] = []
  /// Other containers of the same supplier lot, received as their own lots.
  public var sameSupplierLot: [String] = []
  public var trituration: TriturationEntry?

  init(lot: LotSummary, receivedAt: String, serial: String?, certificateSha256: String?) {
    self.lot = lot
    self.receivedAt = receivedAt
    self.serial = serial
    self.certificateSha256 = certificateSha256
  }
}

/// A trituration lot's compounding record, with who made it and what it was made from.
public struct TriturationEntry: Sendable, Codable {
  /// A laboratory's assay of the lot: the potency found as a percent of the stated one.
  public struct Assay: Sendable, Codable {
    public var lab: String
    public var method: String
    public var tested: String
    public var percent: String
    public var verdict: String
    public var limits: String
    public var recordedAt: String
    public var recordedBy: String
  }

  public var lotNumber: String
  public var record: TriturationRecord
  public var compoundedBy: String
  public var compoundedByName: String
  public var compoundedAt: String
  public var status: LotStatus
  public var assays: [Assay]
}
