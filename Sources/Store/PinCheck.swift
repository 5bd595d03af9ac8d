import CCrypt
import Dispatch
import Foundation
import Synchronization

/// A signer's PIN being hashed on another core while the command prepares its work.
///
/// The hash is deliberately slow (yescrypt), and most of a signed command's work does not need its verdict
/// until something is written. Nothing waits on it until then: every write transaction waits for every
/// check before it commits (`allMatched`) and rolls back on a wrong PIN, which `settleAll` then records and
/// refuses, as does the end of every command. A wrong PIN is refused and recorded exactly as if it had been
/// checked first, and nothing of the command is written.
final class PinCheck: Sendable {
  /// The checks not settled yet, in the order they began.
  private static let pending = Mutex<[PinCheck]>([])

  private let database: AppDatabase
  private let login: String
  private let action: String
  private let at: String
  private let refusal: StoreError
  private let verdict = Verdict()

  /// The hash's outcome: all the hashing thread holds, so that the database (and its connection, which
  /// closes when the last reference goes) is never released on that thread while the command exits.
  private final class Verdict: Sendable {
    let done = DispatchSemaphore(value: 0)
    let matched = Mutex<Bool>(false)
  }

  private init(database: AppDatabase, login: String, action: String, at: String, refusal: StoreError) {
    self.database = database
    self.login = login
    self.action = action
    self.at = at
    self.refusal = refusal
  }

  /// Starts hashing `pin` against `hash` for `login`'s signature of `action` at `at`, and keeps the check
  /// pending; `refusal` is what a wrong PIN says (its count of attempts left is the one at the start).
  static func begin(
    database: AppDatabase, login: String, pin: String, hash: String, action: String, at: String, refusal: StoreError
  ) {
    let check = PinCheck(database: database, login: login, action: action, at: at, refusal: refusal)
    pending.withLock { $0.append(check) }
    let verdict = check.verdict
    let thread = Thread {
      // Below the command's own threads (the fonts a label waits for, say), whose work comes first: its
      // verdict is needed last, at the commit. Only lowered, never idle-only: a busy machine still runs it.
      _ = compound_lower_priority(5)
      let result = PinHash.matches(pin, hash: hash)
      verdict.matched.withLock { $0 = result }
      verdict.done.signal()
    }
    thread.start()
  }

  /// Whether the PIN matched, once its hash is done (waiting for it as often as asked).
  private func matches() -> Bool {
    verdict.done.wait()
    verdict.done.signal()
    return verdict.matched.withLock { $0 }
  }

  /// A wrong PIN found before a commit: the transaction rolls back, then `settleAll` records and refuses it.
  struct Mismatch: Error {}

  /// Waits for every pending check and tells whether each PIN matched; records nothing.
  static func allMatched() -> Bool {
    pending.withLock { $0 }.allSatisfy { $0.matches() }
  }

  /// Waits for every pending check; records each wrong PIN and refuses with the first.
  ///
  /// A check is taken off the pending list before its failure is recorded, so recording it (a write) does not
  /// wait on it again.
  static func settleAll() throws(StoreError) {
    let checks = pending.withLock { checks in
      defer { checks.removeAll() }
      return checks
    }
    var refusal: StoreError?
    for check in checks {
      guard !check.matches() else { continue }
      try check.database.recordSignatureFailure(check.login, action: check.action, locked: false, at: check.at)
      if refusal == nil { refusal = check.refusal }
    }
    if let refusal { throw refusal }
  }
}
