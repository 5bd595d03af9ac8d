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
