import Foundation

/// A balance check as recorded: who checked which balance when, and whether it passed.
public struct BalanceCheckEntry: Sendable, Codable {
  public var balanceID: String
  public var checkedAt: String
  public var checkedBy: String
  public var passed: Bool
  public var serial: String?
}
