/// The audit trail on PostgreSQL: a write's changes, captured by the permanent triggers, sealed into the chain.
///
/// The capture triggers (`PostgresSchema.captureSQL`) write to a temporary table of the writing session; this
/// makes it in compound's own session and seals what it holds before the transaction commits, with the same
/// `AuditTrail.seal` as SQLite's. The write runs under the chain's lock (`PostgresEngine`), so entries from
/// several stations follow one another with no gap and no fork.
enum PostgresAudit {
  /// The session's pending table, as the capture triggers fill it (SQLite's `audit_pending`, column for column).
  static let pendingTable = """
    CREATE TEMP TABLE IF NOT EXISTS audit_pending (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name TEXT, row_id BIGINT, op TEXT, lot TEXT,
      old_row TEXT, new_row TEXT, old_full TEXT, new_full TEXT, changed BIGINT)
    """

  /// Runs `work` in one write transaction of `engine`, its changes sealed into the trail stamped with `stamp`.
  ///
  /// No record is dated before the newest entry: a clock behind another station's is refused, not written.
  ///
  /// `local` shows a stored instant as the pharmacy reads it, in the refusal.
  static func write<T>(
    _ engine: PostgresEngine, stamp: AuditStamp, local: (String) -> String = { $0 },
    _ work: (any StoreConnection) throws(StoreError) -> T
  ) throws(StoreError) -> T {
    try engine.write { connection throws(StoreError) in
      try connection.execute(pendingTable, [])
      if let newest = try connection.row("SELECT max(at) AS at FROM audit")?.optionalText("at"), stamp.at < newest {
        throw StoreError(
          "the clock reads \(local(stamp.at)), earlier than the newest record (\(local(newest))): nothing was"
            + " written; set this station's clock right", code: .clock)
      }
      let result = try work(connection)
      try AuditTrail.seal(connection, stamp: stamp, pending: try AuditTrail.pending(connection), digests: true)
      return result
    }
  }
}
