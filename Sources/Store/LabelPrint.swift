import Foundation

/// One logged label print.
public struct LabelPrint: Sendable, Codable {
  /// The destination of a text label shown on the terminal: logged, but not a print that makes a reprint.
  public static let terminal = "terminal"

  public var id: Int64
  public var fillID: Int64?
  public var lotNumber: String
  public var layout: String
  public var layoutVersion: Int
  public var format: String
  /// SHA-256 of the rendered bytes sent.
  public var sha256: String
  public var destination: String
  public var copies: Int
  public var reprint: Bool
  public var reason: String?
  public var printedAt: String
  public var printedBy: String

  public init(
    id: Int64, fillID: Int64?, lotNumber: String, layout: String, layoutVersion: Int, format: String, sha256: String,
    destination: String, copies: Int, reprint: Bool, reason: String?, printedAt: String, printedBy: String
  ) {
    self.id = id
    self.fillID = fillID
    self.lotNumber = lotNumber
    self.layout = layout
    self.layoutVersion = layoutVersion
    self.format = format
    self.sha256 = sha256
    self.destination = destination
    self.copies = copies
    self.reprint = reprint
    self.reason = reason
    self.printedAt = printedAt
    self.printedBy = printedBy
  }
}
