import Foundation
import Labeling
import Quantities
import TOMLKit

/// A label layout as written in `Labels/*.toml`.
public enum LabelLayoutFile {
  private struct File: Decodable {
    var name: String
    var version: Int
    var kind: String
    var widthIn: ExactNumber
    var heightIn: ExactNumber
    var font: String
    var block: [Block]
    var auxiliary: String?

    enum CodingKeys: String, CodingKey {
      case name, version, kind, font, block, auxiliary
      case widthIn = "width_in"
      case heightIn = "height_in"
    }
  }

  private struct Block: Decodable {
    var field: String
    var type: String?
    var xIn: ExactNumber
    var yIn: ExactNumber
    var widthIn: ExactNumber
    var heightIn: ExactNumber
    var sizePt: ExactNumber?
    var minSizePt: ExactNumber?
    var bold: Bool?

    enum CodingKeys: String, CodingKey {
      case field, type, bold
      case xIn = "x_in"
      case yIn = "y_in"
      case widthIn = "width_in"
      case heightIn = "height_in"
      case sizePt = "size_pt"
      case minSizePt = "min_size_pt"
    }
  }

  /// Parses and validates a layout; throws naming the file and what is wrong.
  public static func parse(_ text: String, file: String) throws(SettingsError) -> LabelLayout {
    let parsed = try StrictTOML.decode(File.self, from: text, file: file)
    // Geometry is for drawing, not for records: doubles are exact enough here.
    func double(_ number: ExactNumber?) -> Double? { number.map { Double(truncating: $0.value as NSNumber) } }
    let layout = LabelLayout(
      name: parsed.name, version: parsed.version, kind: parsed.kind, widthIn: double(parsed.widthIn) ?? 0,
      heightIn: double(parsed.heightIn) ?? 0, font: parsed.font,
      blocks: parsed.block.map {
        LabelBlock(
          field: $0.field, type: $0.type ?? "text", xIn: double($0.xIn) ?? 0, yIn: double($0.yIn) ?? 0,
          widthIn: double($0.widthIn) ?? 0, heightIn: double($0.heightIn) ?? 0, sizePt: double($0.sizePt) ?? 10,
          minSizePt: double($0.minSizePt) ?? double($0.sizePt) ?? 10, bold: $0.bold ?? false)
      }, auxiliary: parsed.auxiliary)
    do {
      try layout.validate()
    } catch {
      throw SettingsError("\(file): \(error.message)")
    }
    return layout
  }
}
