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
  /// The SHA-256 of the whole row after the change (its `json_object` text, every column in the table's order);
  /// nil for a delete and for entries written before the trail kept digests.
  public var rowSHA256: String?

  /// An entry with every field given.
  public init(
    id: Int64, transaction: Int64, at: String, actor: String, command: String, table: String, rowID: Int64,
    operation: String, lot: String?, before: String?, after: String?, previousHash: String, hash: String,
    rowSHA256: String? = nil
  ) {
    self.id = id
    self.transaction = transaction
    self.at = at
    self.actor = actor
    self.command = command
    self.table = table
    self.rowID = rowID
    self.operation = operation
    self.lot = lot
    self.before = before
    self.after = after
    self.previousHash = previousHash
    self.hash = hash
    self.rowSHA256 = rowSHA256
  }

  /// The SHA-256 of every field but `hash`, in a fixed order.
  ///
  /// The canonical bytes: each field's UTF-8 (a missing one as U+0000), separated by U+001F; the row digest
  /// follows the previous hash when there is one, so entries written before digests keep their hashes.
  public var computedHash: String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(256 + (before?.utf8.count ?? 0) + (after?.utf8.count ?? 0) + command.utf8.count)
    let fields: [String?] = [
      String(id), String(transaction), at, actor, command, table, String(rowID), operation, lot, before, after,
      previousHash,
    ]
    for (index, field) in fields.enumerated() {
      if index > 0 { bytes.append(0x1F) }
      if let field { bytes.append(contentsOf: field.utf8) } else { bytes.append(0) }
    }
    if let rowSHA256 {
      bytes.append(0x1F)
      bytes.append(contentsOf: rowSHA256.utf8)
    }
    return SHA256.hex(bytes)
  }
}
