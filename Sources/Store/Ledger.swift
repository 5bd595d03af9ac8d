import Accounts
import Formulation
import Foundation

/// The one path by which stock changes: an append-only movement row, on either engine.
enum Ledger {
  /// Records a movement of `quantity` (negative for stock going out) on an ingredient lot.
  static func move(
    _ connection: any StoreConnection, lot: Int64, kind: MovementKind, quantity: Int64, forBatch batch: Int64? = nil,
    by user: User, now: Date, reason: String? = nil
  ) throws(StoreError) {
    try connection.execute(
      "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by, for_batch_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
      [
        .integer(lot), .text(kind.rawValue), .integer(quantity), .text(Timestamp.string(now)), .text(user.id),
        batch.map { .integer($0) } ?? .null, reason.map { .text($0) } ?? .null,
      ])
  }

  /// Records a movement of finished capsules of a batch.
  static func moveBatch(
    _ connection: any StoreConnection, batch: Int64, kind: MovementKind, quantity: Int64, by user: User, now: Date,
    reason: String? = nil
  ) throws(StoreError) {
    try connection.execute(
      "INSERT INTO movement (batch_id, kind, quantity, moved_at, moved_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
      [
        .integer(batch), .text(kind.rawValue), .integer(quantity), .text(Timestamp.string(now)), .text(user.id),
        reason.map { .text($0) } ?? .null,
      ])
  }
}
