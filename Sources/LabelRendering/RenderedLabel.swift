import Foundation

/// A rendered label: its bytes and where each field's text actually landed.
public struct RenderedLabel: Sendable {
  /// One field's measured text box, in points from the label's top-left corner.
  public struct Placement: Sendable, Hashable {
    public var field: String
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    /// The size the text was set at after any shrinking.
    public var sizePt: Double
  }

  public var bytes: [UInt8]
  public var placements: [Placement]
}
