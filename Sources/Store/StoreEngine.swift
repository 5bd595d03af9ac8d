/// What holds the pharmacy's records: one write transaction or one snapshot read at a time, either engine.
///
/// A write's work may run more than once (PostgreSQL retries it after a conflict with another station), so it
/// must do nothing outside the transaction that a second run would repeat.
protocol StoreEngine: Sendable {
  /// Runs `work` in one write transaction: all of it is written, or none of it.
  func write<T>(_ work: (any StoreConnection) throws(StoreError) -> T) throws(StoreError) -> T

  /// Runs `work` on a consistent snapshot that no writer waits for.
  func read<T>(_ work: (any StoreConnection) throws(StoreError) -> T) throws(StoreError) -> T
}
