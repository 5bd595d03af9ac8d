import Digest
import Foundation

/// One change to one record, as the audit trail keeps it: who, when, the command, before and after.
///
/// Entries form a chain: each carries the SHA-256 of the one before, and its own hash covers every field,
/// so editing or deleting an entry (or a record behind compound's back) is found by `compound audit verify`.
public struct AuditEntry: Sendable, Codable, Equatable {
  /// The hash the first entry follows.
  public static let genesis = String(repeating: "0", count: 64)

  /// Position in the chain, from 1 with no gaps.
  public var id: Int64
  /// The transaction (one command) the change belongs to.
  public var transaction: Int64
  /// When, as stored (ISO 8601 UTC).
  public var at: String
  /// Who: the user id that signed with `--by` (or `compound` for an upgrade, `compound init` for the first rules).
  public var actor: String
  /// The command line that made the change (global options left out).
  public var command: String
  /// The table changed.
  public var table: String
  /// The row changed.
  public var rowID: Int64
  /// `insert`, `update`, `delete`, or `baseline` for rows present when the trail began.
  public var operation: String
  /// The ingredient or batch lot number the change concerns, if any.
  public var lot: String?
  /// The row before the change (JSON), for updates and deletes.
  public var before: String?
  /// The row after the change (JSON), for inserts, updates and baselines.
  public var after: String?
  /// The previous entry's hash.
  public var previousHash: String
  /// This entry's hash.
  public var hash: String

  /// The SHA-256 of every field but `hash`, in a fixed order.
  public var computedHash: String {
    let fields: [String] = [
      String(id), String(transaction), at, actor, command, table, String(rowID), operation, lot ?? "\u{0}",
      before ?? "\u{0}", after ?? "\u{0}", previousHash,
    ]
    return SHA256.hex(fields.joined(separator: "\u{1F}"))
  }
}
