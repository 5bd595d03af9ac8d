import Foundation
import Quantities

/// Who got a lot, and what is still on the shelf: the answer to "who got this lot?".
public struct RecallReport: Sendable, Codable {
  /// A batch affected by the recall.
  public struct Batch: Sendable, Codable {
    public var lotNumber: String
    public var formulaCode: String
    public var compounded: CalendarDate
    public var status: String
    public var onHand: Int64
    /// How much of the recalled ingredient lot it used (micrograms or pieces), when starting from one.
    public var used: Int64?
  }

  /// A fill from an affected batch, with whom to call.
  public struct Fill: Sendable, Codable {
    public var rxNumber: String
    public var fillNumber: Int
    public var lotNumber: String
    public var quantity: Int
    public var filled: CalendarDate
    public var patient: String
    public var patientPhone: String
    public var patientAddress: String
    public var prescriber: String
    public var prescriberPhone: String
  }

  /// A component lot of a recalled batch.
  public struct Component: Sendable, Codable {
    public var lotNumber: String
    public var ingredient: String
    public var supplier: String
    public var supplierLot: String
    public var unit: StockUnit
    public var used: Int64
  }

  /// A trituration lot made from the recalled lot: its own stock, and the batches that used it are traced too.
  public struct TriturationLot: Sendable, Codable {
    public var lotNumber: String
    public var madeFrom: String
    /// How much of the recalled lot it used, micrograms.
    public var used: Int64
    public var onHand: Int64
    public var status: String
  }

  /// `ingredient` or `batch`.
  public var kind: String
  public var lotNumber: String
  public var item: String
  public var components: [Component]
  public var batches: [Batch]
  public var fills: [Fill]
  /// Lots and batches with stock on hand to quarantine: lot number and quantity.
  public var onHand: [String: Int64]
  /// The unit of each `onHand` quantity.
  public var onHandUnits: [String: StockUnit]
  /// What `--hold` put on hold.
  public var held: [String]
  /// Each lot with stock on hand and its status once this command is done (`on_hold` for what it held).
  public var onHandStatus: [String: String] = [:]
  /// Triturations made from the recalled ingredient lot.
  public var triturations: [TriturationLot] = []
  /// Every receipt of the recalled ingredient lot's supplier lot, at every store (the named lot among them).
  public var receipts: [String] = []
  /// In a chain of stores, the store that holds each lot and batch named: lot number to store code.
  public var stores: [String: String] = [:]
}
