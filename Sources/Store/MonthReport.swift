import Formulation
import Foundation
import Quantities

/// Everything the monthly inventory workbook shows, read from the ledger as of the month's end.
public struct MonthReport: Sendable {
  /// One item's month: opening + received + produced - consumed - dispensed + other = closing.
  public struct SummaryRow: Sendable {
    public var item: String
    public var kind: String
    public var unit: StockUnit
    public var opening: Int64
    public var received: Int64
    public var produced: Int64
    /// Taken out by batches (a positive number).
    public var consumed: Int64
    /// Taken out by fills (a positive number).
    public var dispensed: Int64
    /// Adjustments, waste, expiry and returns, signed.
    public var other: Int64
    public var closing: Int64
    /// Closing stock at cost; nil when a lot's cost is unknown.
    public var closingValue: Money?
  }

  /// A lot or batch with stock at the month's end.
  public struct LotRow: Sendable {
    public var lotNumber: String
    public var item: String
    public var kind: String
    public var supplier: String
    public var expires: CalendarDate
    public var status: String
    public var unit: StockUnit
    public var quantity: Int64
    /// Cost of one unit (a microgram or a piece), in cents, exactly.
    public var unitCost: Decimal?
    public var value: Money?
  }

  /// A batch compounded in the month.
  public struct BatchRow: Sendable {
    public var lotNumber: String
    public var formula: String
    public var compounded: CalendarDate
    public var quantity: Int
    public var yield: Int
    public var beyondUseDate: CalendarDate
    public var assay: String
    public var uniformity: String
    public var status: String
    public var compoundedBy: String
    public var verifiedBy: String
  }

  /// A fill in the month.
  public struct DispensedRow: Sendable {
    public var filled: CalendarDate
    public var rxNumber: String
    public var patient: String
    public var lotNumber: String
    public var quantity: Int
    public var price: Money?
  }

  /// A ledger movement in the month, as the sink receives it.
  public struct MovementRow: Sendable {
    /// When, as the ledger stores it (UTC).
    public var at: String
    public var lotNumber: String
    public var item: String
    public var kind: MovementKind
    public var unit: StockUnit
    /// Micrograms or pieces; negative for stock going out.
    public var quantity: Int64
    public var by: String
    public var reason: String
  }

  /// What the pass over the month's movements adds up to.
  public struct Totals: Sendable {
    public var summary: [SummaryRow]
    public var lots: [LotRow]
    /// Lots with stock at the month's end that expire within the window after it.
    public var expiring: [LotRow]
  }

  public var year: Int
  public var month: Int
  public var monthEnd: CalendarDate
  public var batches: [BatchRow]
  public var dispensed: [DispensedRow]
  public var movementCount: Int
  /// The audit trail when the report was read: its entry count and head hash, so the workbook is an anchor.
  public var auditEntries: Int64 = 0
  public var auditHead: String = ""
  /// Whose month this is in a chain: the store ("WEST (West Side)") or "all stores: MAIN, WEST"; nil in a
  /// single store.
  public var stores: String?
  /// The month's totals, added up in the same pass that gave the sink its movements.
  public var totals: Totals
}

/// Receives the month's movements in order, one value row at a time, while the report is read.
public protocol MovementSink {
  /// Called once before the first movement with how many there are.
  mutating func start(count: Int)
  /// One movement; throwing stops the report.
  mutating func add(_ movement: MonthReport.MovementRow) throws
}

/// One lot's or batch's movements in a month, added up in the export's single pass.
struct MonthFlow {
  var received: Int64 = 0
  var produced: Int64 = 0
  var consumed: Int64 = 0
  var dispensed: Int64 = 0
  var other: Int64 = 0
  var net: Int64 = 0
  var after: Int64 = 0
  var moves: Int64 = 0

  /// Adds a movement of `kind` within the month.
  mutating func add(kind: MovementKind, quantity: Int64) {
    switch kind {
    case .received: received += quantity
    case .produced: produced += quantity
    case .consumed: consumed -= quantity
    case .dispensed: dispensed -= quantity
    case .adjusted, .wasted, .expired, .returned: other += quantity
    }
    net += quantity
    moves += 1
  }
}
