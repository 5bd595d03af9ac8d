import Foundation

/// A versioned label layout from `Labels/`: the stock's size and the boxes on it.
public struct LabelLayout: Sendable, Hashable, Codable {
  public var name: String
  public var version: Int
  /// `patient` or `batch`.
  public var kind: String
  public var widthIn: Double
  public var heightIn: Double
  public var font: String
  public var blocks: [LabelBlock]
  /// A `warnings` layout printed with this one: the patient's warnings go on it, and this label says so.
  public var auxiliary: String?

  public init(
    name: String, version: Int, kind: String, widthIn: Double, heightIn: Double, font: String, blocks: [LabelBlock],
    auxiliary: String? = nil
  ) {
    self.auxiliary = auxiliary
    self.name = name
    self.version = version
    self.kind = kind
    self.widthIn = widthIn
    self.heightIn = heightIn
    self.font = font
    self.blocks = blocks
  }

  /// The fields each kind of label must show.
  public static let requiredFields: [String: [String]] = [
    "patient": [
      "pharmacy", "reprint", "patient", "drug", "directions", "rx", "prescriber", "discard", "barcode", "storage",
      "warnings",
    ],
    "batch": ["drug", "lot", "quantity", "discard", "barcode", "storage", "compounded"],
    "warnings": ["patient", "rx", "warnings"],
  ]

  /// Checks the layout: a known kind with every required field, boxes on the label, none overlapping,
  /// and text sizes of at least 12 pt for the patient's name, the drug and the directions.
  public func validate() throws(LabelError) {
    guard let required = Self.requiredFields[kind] else {
      throw LabelError("layout \(name): kind '\(kind)' is not patient, batch or warnings")
    }
    guard version >= 1, widthIn > 0, heightIn > 0, widthIn <= 12, heightIn <= 12 else {
      throw LabelError("layout \(name): version and a size up to 12 x 12 in are required")
    }
    for field in required where !blocks.contains(where: { $0.field == field }) {
      throw LabelError("layout \(name) has no box for '\(field)', which a \(kind) label must show")
    }
    for block in blocks {
      guard block.type == "text" || block.type == "barcode" else {
        throw LabelError("layout \(name): box '\(block.field)' has type '\(block.type)': use text or barcode")
      }
      guard block.xIn >= 0, block.yIn >= 0, block.widthIn > 0, block.heightIn > 0,
        block.xIn + block.widthIn <= widthIn + 1e-9, block.yIn + block.heightIn <= heightIn + 1e-9
      else {
        throw LabelError("layout \(name): box '\(block.field)' lies outside the \(widthIn) x \(heightIn) in label")
      }
      guard block.minSizePt >= 4, block.minSizePt <= block.sizePt else {
        throw LabelError("layout \(name): box '\(block.field)' needs 4 pt <= min_size_pt <= size_pt")
      }
      if kind == "patient", ["patient", "drug", "directions"].contains(block.field), block.minSizePt < 12 {
        throw LabelError("layout \(name): '\(block.field)' must print at 12 pt or more (min_size_pt)")
      }
    }
    for (index, block) in blocks.enumerated() {
      for other in blocks[(index + 1)...] where block.overlaps(other) {
        throw LabelError("layout \(name): boxes '\(block.field)' and '\(other.field)' overlap")
      }
    }
  }
}
