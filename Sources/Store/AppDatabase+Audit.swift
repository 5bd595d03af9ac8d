import Foundation
import GRDB

extension AppDatabase {
  /// Walks the audit chain and compares every record with its latest entry.
  public func verifyAudit() throws(StoreError) -> AuditReport {
    try read { db in try AuditTrail.verify(db) }
  }

  /// Audit entries, oldest first: only those about `lot` (ingredient or batch lot number), and only from
  /// the instant `since` (stored form) on, when given.
  public func auditLog(lot: String? = nil, since: String? = nil) throws(StoreError) -> [AuditEntry] {
    try read { db in
      var clauses: [String] = []
      var arguments: StatementArguments = []
      if let lot {
        clauses.append("lot = ? COLLATE NOCASE")
        _ = arguments.append(contentsOf: [lot])
      }
      if let since {
        clauses.append("at >= ?")
        _ = arguments.append(contentsOf: [since])
      }
      let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
      return try Row.fetchAll(db, sql: "SELECT * FROM audit \(filter) ORDER BY id", arguments: arguments).map(
        AuditTrail.entry)
    }
  }
}
