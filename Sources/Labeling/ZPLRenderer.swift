import Foundation

/// Renders a label as ZPL II for a Zebra thermal printer at 203 or 300 dpi.
///
/// `^CI28` selects UTF-8; every piece of user text goes through `^FH` escaping (`_` `^` `~` as `_5F`
/// `_5E` `_7E`). Text wraps in a `^FB` block sized to its box; its size shrinks from the box's size to
/// its minimum by an estimate of the printer font's width, and a label that does not fit is refused.
public enum ZPLRenderer {
  /// The ZPL for `content` on `layout` at `dpi` (203 or 300).
  public static func render(_ content: LabelContent, layout: LabelLayout, dpi: Int) throws(LabelError) -> String {
    guard dpi == 203 || dpi == 300 else { throw LabelError("ZPL is rendered at 203 or 300 dpi, not \(dpi)") }
    let dotsPerInch = Double(dpi)
    func dots(_ inches: Double) -> Int { Int((inches * dotsPerInch).rounded()) }
    var zpl = "^XA\n^CI28\n^PW\(dots(layout.widthIn))\n^LL\(dots(layout.heightIn))\n^LH0,0\n"
    for block in layout.blocks {
      let x = dots(block.xIn)
      let y = dots(block.yIn)
      if block.type == "barcode" {
        // Code 128 in automatic mode packs an even run of digits two to a symbol; add start, check, stop
        // and quiet zones (10 modules each side).
        let digitsOnly = content.barcode.allSatisfy { $0.isASCII && $0.isNumber }
        let symbols = digitsOnly ? (content.barcode.count + 1) / 2 : content.barcode.count
        let modules = (symbols + 3) * 11 + 2 + 20
        let module = min(4, dots(block.widthIn) / modules)
        guard module >= 1 else {
          throw LabelError("the barcode '\(content.barcode)' is too wide for its box on \(layout.name)")
        }
        let height = max(20, dots(block.heightIn) - dots(0.15))
        zpl += "^FO\(x + 10 * module),\(y)^BY\(module)^BCN,\(height),Y,N,N,A^FH^FD\(escape(content.barcode))^FS\n"
        continue
      }
      guard let text = content.fields[block.field], !text.isEmpty else { continue }
      let (size, lines) = try fit(text, block: block, layoutName: layout.name)
      let height = dots(size / 72)
      // The printer's font has no bullet: it prints as a middle dot.
      let printable = escape(text.replacingOccurrences(of: "•", with: "·"))
      zpl += "^FO\(x),\(y)^A0N,\(height),\(height)^FB\(dots(block.widthIn)),\(lines),0,L,0^FH^FD\(printable)^FS\n"
    }
    return zpl + "^XZ\n"
  }

  /// `_`, `^` and `~` as `^FH` hex escapes.
  public static func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "_": result += "_5F"
      case "^": result += "_5E"
      case "~": result += "_7E"
      default: result.append(character)
      }
    }
    return result
  }

  /// The largest size from the box's size down to its minimum (0.5 pt steps) at which `text` fits,
  /// with the number of lines; the printer font's characters are taken as 0.6 of the size wide.
  static func fit(_ text: String, block: LabelBlock, layoutName: String) throws(LabelError) -> (Double, Int) {
    var size = block.sizePt
    while size >= block.minSizePt - 1e-9 {
      let perLine = max(1, Int(block.widthIn * 72 / (size * 0.6)))
      let lines = wrappedLineCount(text, perLine: perLine)
      if Double(lines) * size * 1.15 <= block.heightIn * 72 + 1e-9 { return (size, lines) }
      size -= 0.5
    }
    throw LabelError(
      "the \(block.field) text does not fit its box on \(layoutName) even at \(block.minSizePt) pt: shorten it or use a larger label stock"
    )
  }

  static func wrappedLineCount(_ text: String, perLine: Int) -> Int {
    var lines = 1
    var current = 0
    for word in text.split(separator: " ") {
      var length = word.count
      while length > perLine {
        lines += current > 0 ? 1 : 0
        current = 0
        length -= perLine
        lines += 1
      }
      if current == 0 {
        current = length
      } else if current + 1 + length <= perLine {
        current += 1 + length
      } else {
        lines += 1
        current = length
      }
    }
    return lines
  }
}
