import Foundation

/// One box of a label layout: where a field goes and how large its text may be.
public struct LabelBlock: Sendable, Hashable, Codable {
  /// The content field it shows: `patient`, `drug`, `directions`, `barcode`, ...
  public var field: String
  /// `text` or `barcode`.
  public var type: String
  public var xIn: Double
  public var yIn: Double
  public var widthIn: Double
  public var heightIn: Double
  /// The size text starts at, and the smallest it may shrink to.
  public var sizePt: Double
  public var minSizePt: Double
  public var bold: Bool

  public init(
    field: String, type: String = "text", xIn: Double, yIn: Double, widthIn: Double, heightIn: Double,
    sizePt: Double = 10, minSizePt: Double = 10, bold: Bool = false
  ) {
    self.field = field
    self.type = type
    self.xIn = xIn
    self.yIn = yIn
    self.widthIn = widthIn
    self.heightIn = heightIn
    self.sizePt = sizePt
    self.minSizePt = minSizePt
    self.bold = bold
  }

  /// Whether this box and `other` share any area.
  public func overlaps(_ other: LabelBlock) -> Bool {
    xIn < other.xIn + other.widthIn && other.xIn < xIn + widthIn && yIn < other.yIn + other.heightIn
      && other.yIn < yIn + heightIn
  }
}
