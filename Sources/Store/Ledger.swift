import Accounts
import Formulation
import Foundation
import GRDB

/// The one path by which stock changes: an append-only movement row.
enum Ledger {
  /// Records a movement of `quantity` (negative for stock going out) on an ingredient lot.
  static func move(
    _ db: Database, lot: Int64, kind: MovementKind, quantity: Int64, forBatch batch: Int64? = nil, by user: User,
    now: Date, reason: String? = nil
  ) throws {
    try db.execute(
      sql:
        "INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by, for_batch_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
      arguments: [lot, kind.rawValue, quantity, Timestamp.string(now), user.id, batch, reason])
  }

  /// Records a movement of finished capsules of a batch.
  static func moveBatch(
    _ db: Database, batch: Int64, kind: MovementKind, quantity: Int64, by user: User, now: Date, reason: String? = nil
  ) throws {
    try db.execute(
      sql: "INSERT INTO movement (batch_id, kind, quantity, moved_at, moved_by, reason) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [batch, kind.rawValue, quantity, Timestamp.string(now), user.id, reason])
  }
}
