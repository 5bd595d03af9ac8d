import CPangoCairo
import CZint
import Foundation
import Labeling

/// Renders a label to PDF or PNG with cairo, pango and zint.
///
/// Text is laid out by its measured size: each field wraps within its box and shrinks from the box's size
/// to its minimum in 0.5 pt steps until it fits; a field that still does not fit refuses the whole label
/// (it is never clipped or drawn over its neighbour). Fonts are embedded in the PDF by cairo.
public enum CairoRenderer {
  /// The output format.
  public enum Format: String, Sendable, CaseIterable {
    case pdf
    case png
  }

  /// The size every text is laid out at; it is then scaled to the size it prints at.
  ///
  /// Pango matches fonts afresh (two threads, each sorting every installed font) for each size it is asked
  /// for, and a label's fields and their shrinking steps asked for 16. Metrics are unhinted, so a layout at
  /// this size in a box `size / referenceSize` times narrower, scaled up by that ratio, is the layout at
  /// `size`: the same lines, the same glyphs, drawn by cairo at the same size.
  static let referenceSize = 10.0

  /// Starts loading the system's font configuration now, on pango's own thread, so that it is ready by the
  /// time a label is drawn (pango begins it when its font map is first made; drawing waits for it).
  public static func prepareFonts() {
    _ = pango_cairo_font_map_get_default()
  }

  /// Renders `content` on `layout`; PNG at `dpi` dots per inch.
  ///
  /// Barcode modules are whole dots at `dpi` in both formats (a PDF's `dpi` is the printer's), so that a
  /// thermal printer at 203 or 300 dpi prints bars that scan.
  public static func render(
    _ content: LabelContent, layout: LabelLayout, format: Format, dpi: Double = 300
  ) throws(LabelError) -> RenderedLabel {
    try render([(content, layout)], format: format, dpi: dpi)
  }

  /// Renders labels printed together (a label and its auxiliary warning label): one page each in a PDF, one
  /// below the other in a PNG.
  public static func render(
    _ pages: [(content: LabelContent, layout: LabelLayout)], format: Format, dpi: Double = 300
  ) throws(LabelError) -> RenderedLabel {
    guard let first = pages.first else { throw LabelError("there is no label to render") }
    let sink = ByteSink()
    let closure = Unmanaged.passRetained(sink)
    defer { closure.release() }
    let surface: OpaquePointer?
    switch format {
    case .pdf:
      surface = cairo_pdf_surface_create_for_stream(
        ByteSink.write, closure.toOpaque(), first.layout.widthIn * 72, first.layout.heightIn * 72)
    case .png:
      let width = pages.map(\.layout.widthIn).max() ?? 0
      let height = pages.map(\.layout.heightIn).reduce(0, +)
      surface = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, Int32((width * dpi).rounded()), Int32((height * dpi).rounded()))
    }
    guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
      throw LabelError("cannot create the \(format.rawValue) surface")
    }
    defer { cairo_surface_destroy(surface) }
    guard let cr = cairo_create(surface) else { throw LabelError("cannot draw the label") }
    defer { cairo_destroy(cr) }
    if format == .png { cairo_scale(cr, dpi / 72, dpi / 72) }
    cairo_set_source_rgb(cr, 1, 1, 1)
    cairo_paint(cr)
    var placements: [RenderedLabel.Placement] = []
    var top = 0.0
    for (index, page) in pages.enumerated() {
      if format == .pdf, index > 0 {
        cairo_pdf_surface_set_size(surface, page.layout.widthIn * 72, page.layout.heightIn * 72)
      }
      cairo_set_source_rgb(cr, 0, 0, 0)
      placements += try drawLabel(cr, page.content, layout: page.layout, top: top, dpi: dpi)
      if format == .pdf {
        cairo_show_page(cr)
      } else {
        top += page.layout.heightIn * 72
      }
    }
    cairo_surface_flush(surface)
    if format == .png {
      guard cairo_surface_write_to_png_stream(surface, ByteSink.write, closure.toOpaque()) == CAIRO_STATUS_SUCCESS
      else {
        throw LabelError("cannot encode the label as PNG")
      }
    } else {
      cairo_surface_finish(surface)
    }
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, !sink.bytes.isEmpty else {
      throw LabelError("cairo could not write the \(format.rawValue)")
    }
    return RenderedLabel(bytes: sink.bytes, placements: placements)
  }

  /// Draws one label's boxes `top` points down the surface; returns where each text landed.
  private static func drawLabel(
    _ cr: OpaquePointer, _ content: LabelContent, layout: LabelLayout, top: Double, dpi: Double
  ) throws(LabelError) -> [RenderedLabel.Placement] {
    var placements: [RenderedLabel.Placement] = []
    for block in layout.blocks {
      let x = block.xIn * 72
      let y = top + block.yIn * 72
      let boxWidth = block.widthIn * 72
      let boxHeight = block.heightIn * 72
      if block.type == "barcode" {
        try drawBarcode(
          cr, content.barcode, x: x, y: y, width: boxWidth, height: boxHeight, font: layout.font, dpi: dpi,
          layoutName: layout.name)
        continue
      }
      guard let text = content.fields[block.field], !text.isEmpty else { continue }
      let placement = try drawText(
        cr, text, block: block, font: layout.font, x: x, y: y, width: boxWidth, height: boxHeight,
        layoutName: layout.name)
      placements.append(placement)
    }
    return placements
  }

  private static func drawText(
    _ cr: OpaquePointer, _ text: String, block: LabelBlock, font: String, x: Double, y: Double, width: Double,
    height: Double, layoutName: String
  ) throws(LabelError) -> RenderedLabel.Placement {
    guard let layout = textLayout(cr) else { throw LabelError("pango could not lay out text") }
    defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
    pango_layout_set_text(layout, text, -1)
    try setFont(layout, family: font, bold: block.bold)
    var size = block.sizePt
    while size >= block.minSizePt - 1e-9 {
      let scale = size / referenceSize
      pango_layout_set_width(layout, Int32(width / scale * Double(PANGO_SCALE)))
      var ink = PangoRectangle()
      var logical = PangoRectangle()
      pango_layout_get_extents(layout, &ink, &logical)
      let measuredWidth = Double(logical.width) / Double(PANGO_SCALE) * scale
      let measuredHeight = Double(logical.height) / Double(PANGO_SCALE) * scale
      if measuredHeight <= height + 0.01, measuredWidth <= width + 0.01 {
        show(cr, layout, x: x, y: y, scale: scale)
        return RenderedLabel.Placement(
          field: block.field, x: x, y: y, width: measuredWidth, height: measuredHeight, sizePt: size)
      }
      size -= 0.5
    }
    throw LabelError(
      "the \(block.field) text does not fit its box on \(layoutName) even at \(block.minSizePt) pt: shorten it or use a larger label stock"
    )
  }

  /// Sets `layout`'s font: `family` at `referenceSize`, bold or not.
  private static func setFont(_ layout: OpaquePointer, family: String, bold: Bool) throws(LabelError) {
    guard let description = pango_font_description_new() else { throw LabelError("pango has no fonts") }
    pango_font_description_set_family(description, family)
    pango_font_description_set_weight(description, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
    pango_font_description_set_size(description, Int32(referenceSize * Double(PANGO_SCALE)))
    pango_layout_set_font_description(layout, description)
    pango_font_description_free(description)
  }

  /// Draws `layout` (laid out at `referenceSize`) with its top left at `x`, `y`, scaled by `scale`.
  private static func show(_ cr: OpaquePointer, _ layout: OpaquePointer, x: Double, y: Double, scale: Double) {
    cairo_save(cr)
    cairo_translate(cr, x, y)
    cairo_scale(cr, scale, scale)
    cairo_move_to(cr, 0, 0)
    pango_cairo_show_layout(cr, layout)
    cairo_restore(cr)
  }

  /// A pango layout in points with unhinted metrics, so PDF and PNG measure text the same way.
  static func textLayout(_ cr: OpaquePointer) -> OpaquePointer? {
    guard let layout = pango_cairo_create_layout(cr), let options = cairo_font_options_create() else { return nil }
    let context = pango_layout_get_context(layout)
    pango_cairo_context_set_resolution(context, 72)
    // Glyphs where the font puts them, not each rounded to a whole point: letters stay evenly spaced at 5 pt
    // (rounded, "Pharmacy" read "Pharmac y"), and a layout scaled from `referenceSize` is the layout at its size.
    pango_context_set_round_glyph_positions(context, 0)
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    pango_cairo_context_set_font_options(context, options)
    cairo_font_options_destroy(options)
    pango_layout_context_changed(layout)
    return layout
  }

  private static func drawBarcode(
    _ cr: OpaquePointer, _ data: String, x: Double, y: Double, width: Double, height: Double, font: String,
    dpi: Double, layoutName: String
  ) throws(LabelError) {
    guard let symbol = ZBarcode_Create() else { throw LabelError("zint is not available") }
    defer { ZBarcode_Delete(symbol) }
    symbol.pointee.symbology = BARCODE_CODE128
    symbol.pointee.show_hrt = 0
    symbol.pointee.output_options |= BARCODE_QUIET_ZONES
    let bytes = Array(data.utf8)
    let status = ZBarcode_Encode_and_Buffer_Vector(symbol, bytes, Int32(bytes.count), 0)
    guard status < ZINT_ERROR, let vector = symbol.pointee.vector, vector.pointee.width > 0 else {
      throw LabelError("the barcode for '\(data)' cannot be encoded")
    }
    let textHeight = 8.0
    // The narrowest bar is one module; each module is a whole number of dots at `dpi`, as wide as the box allows.
    var narrowest = Double.greatestFiniteMagnitude
    var walk = vector.pointee.rectangles
    while let current = walk {
      narrowest = min(narrowest, Double(current.pointee.width))
      walk = current.pointee.next
    }
    let modules = Double(vector.pointee.width) / narrowest
    let dotsPerModule = ((width / 72 * dpi) / modules).rounded(.down)
    guard dotsPerModule >= 1 else {
      throw LabelError(
        "the barcode '\(data)' is too wide for its box on \(layoutName) at \(Int(dpi)) dpi: choose a wider label stock")
    }
    let scaleX = dotsPerModule * 72 / dpi / narrowest
    // The left edge on a whole dot; every bar then starts a whole number of modules from it.
    let left = ((x + (width - Double(vector.pointee.width) * scaleX) / 2) * dpi / 72).rounded(.down) * 72 / dpi
    let scaleY = (height - textHeight) / Double(vector.pointee.height)
    var rectangle = vector.pointee.rectangles
    while let current = rectangle {
      let bar = current.pointee
      let start = ((left + Double(bar.x) * scaleX) * dpi / 72).rounded() * 72 / dpi
      cairo_rectangle(cr, start, y + Double(bar.y) * scaleY, Double(bar.width) * scaleX, Double(bar.height) * scaleY)
      rectangle = bar.next
    }
    // Hard edges: a grey half-dot at a bar's edge is what a 203 dpi scanner misreads.
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
    cairo_fill(cr)
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT)
    guard let layout = textLayout(cr) else { return }
    defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
    try setFont(layout, family: font, bold: false)
    let scale = 6.5 / referenceSize
    pango_layout_set_width(layout, Int32(width / scale * Double(PANGO_SCALE)))
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
    pango_layout_set_text(layout, data, -1)
    show(cr, layout, x: x, y: y + height - textHeight, scale: scale)
  }
}

/// Collects bytes cairo writes to a stream.
final class ByteSink {
  var bytes: [UInt8] = []

  static let write: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
  }
}
