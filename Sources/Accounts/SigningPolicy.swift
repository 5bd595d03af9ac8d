import Foundation

/// When wrong PINs lock a signer: `attempts` wrong PINs in a row lock the user for `minutes`.
public struct SigningPolicy: Sendable, Equatable {
  public var attempts: Int
  public var minutes: Int

  public init(attempts: Int, minutes: Int) {
    self.attempts = attempts
    self.minutes = minutes
  }
}

extension SigningPolicy {
  /// Until when a signer with `failures` wrong PINs in a row, the last at `lastFailure`, is locked; nil when
  /// they may sign at `now`.
  public func lockedUntil(failures: Int, lastFailure: Date?, now: Date) -> Date? {
    guard failures >= attempts, let lastFailure else { return nil }
    let until = lastFailure.addingTimeInterval(Double(minutes * 60))
    return now < until ? until : nil
  }

  /// Wrong PINs left before the lock, after one more wrong PIN.
  public func attemptsLeft(afterFailures failures: Int) -> Int { attempts - failures - 1 }
}
