import Foundation

/// Something only a pharmacist signs, named as the refusal says it ("approves a formula").
public struct Duty: Sendable, Hashable {
  /// What the pharmacist does, as a verb phrase.
  public let what: String

  public init(_ what: String) { self.what = what }

  public static let approveFormula = Duty("approves a formula")
  public static let importRules = Duty("imports clinical rules")
  public static let classifyEntry = Duty("classifies a medication or allergy")
  public static let discontinue = Duty("discontinues a prescription")
  public static let voidFill = Duty("voids a fill")
  public static let finalCheck = Duty("makes the final check")
  public static let overrideFill = Duty("overrides a refusal")
  public static let addUser = Duty("adds users")
  public static let disableUser = Duty("disables users")
  public static let restore = Duty("restores the records")
  public static let verifyBatch = Duty("verifies a compounding record")
  public static let addStore = Duty("adds a store")

  /// Deciding a lot's status (release, reject, hold, recall).
  public static func decideLot(_ action: String) -> Duty { Duty("may \(action) a lot") }
}
