import CPangoCairo
import Foundation
import Labeling

/// A record as a paginated PDF: US Letter landscape, fonts embedded, a header and a footer with the page and
/// the audit head on every page, the body set in a monospaced font so its tables keep their columns.
public enum RecordDocument {
  static let pageWidth = 792.0
  static let pageHeight = 612.0
  static let margin = 54.0
  static let bodySize = 7.0

  /// Renders `lines` under `title`; each page's footer says `footer`, the page and the page count.
  public static func pdf(title: String, lines: [String], footer: String, font: String = "DejaVu Sans Mono")
    throws(LabelError) -> [UInt8]
  {
    // Pass one measures each line's height to cut the pages; pass two draws them.
    let pages = try paginate(lines, font: font)
    let sink = ByteSink()
    let closure = Unmanaged.passRetained(sink)
    defer { closure.release() }
    guard
      let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, closure.toOpaque(), pageWidth, pageHeight),
      cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
    else { throw LabelError("cannot create the PDF") }
    defer { cairo_surface_destroy(surface) }
    guard let cr = cairo_create(surface) else { throw LabelError("cannot draw the PDF") }
    defer { cairo_destroy(cr) }
    for (index, page) in pages.enumerated() {
      cairo_set_source_rgb(cr, 0, 0, 0)
      try draw(cr, title, font: "DejaVu Sans", size: 11, bold: true, x: margin, y: margin - 24)
      var y = margin
      for line in page {
        y += try draw(cr, line, font: font, size: bodySize, bold: false, x: margin, y: y)
      }
      try draw(
        cr, "\(footer)   page \(index + 1) of \(pages.count)", font: "DejaVu Sans", size: 7, bold: false, x: margin,
        y: pageHeight - margin + 12)
      cairo_show_page(cr)
    }
    cairo_surface_finish(surface)
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, !sink.bytes.isEmpty else {
      throw LabelError("cairo could not write the PDF")
    }
    return sink.bytes
  }

  /// The lines of each page: as many as fit between the margins, a line never split across pages.
  static func paginate(_ lines: [String], font: String) throws(LabelError) -> [[String]] {
    guard let surface = cairo_pdf_surface_create_for_stream(nil, nil, pageWidth, pageHeight),
      let cr = cairo_create(surface)
    else { throw LabelError("cannot measure the PDF") }
    defer {
      cairo_destroy(cr)
      cairo_surface_destroy(surface)
    }
    let usable = pageHeight - 2 * margin
    var pages: [[String]] = [[]]
    var used = 0.0
    for line in lines {
      let height = try measure(cr, line, font: font, size: bodySize)
      if used + height > usable, !(pages.last ?? []).isEmpty {
        pages.append([])
        used = 0
      }
      pages[pages.count - 1].append(line)
      used += height
    }
    return pages
  }

  /// The height `text` takes, wrapped to the text width.
  static func measure(_ cr: OpaquePointer, _ text: String, font: String, size: Double) throws(LabelError) -> Double {
    guard let layout = layout(cr, text, font: font, size: size, bold: false) else {
      throw LabelError("pango could not lay out the record")
    }
    defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
    var ink = PangoRectangle()
    var logical = PangoRectangle()
    pango_layout_get_extents(layout, &ink, &logical)
    return Double(logical.height) / Double(PANGO_SCALE)
  }

  /// Draws `text` at (x, y), wrapped to the text width; returns its height.
  @discardableResult
  static func draw(
    _ cr: OpaquePointer, _ text: String, font: String, size: Double, bold: Bool, x: Double, y: Double
  ) throws(LabelError) -> Double {
    guard let layout = layout(cr, text, font: font, size: size, bold: bold) else {
      throw LabelError("pango could not lay out the record")
    }
    defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
    cairo_move_to(cr, x, y)
    pango_cairo_show_layout(cr, layout)
    var ink = PangoRectangle()
    var logical = PangoRectangle()
    pango_layout_get_extents(layout, &ink, &logical)
    return Double(logical.height) / Double(PANGO_SCALE)
  }

  private static func layout(_ cr: OpaquePointer, _ text: String, font: String, size: Double, bold: Bool)
    -> OpaquePointer?
  {
    guard let layout = CairoRenderer.textLayout(cr), let description = pango_font_description_new() else { return nil }
    pango_font_description_set_family(description, font)
    pango_font_description_set_weight(description, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
    pango_font_description_set_size(description, Int32(size * Double(PANGO_SCALE)))
    pango_layout_set_font_description(layout, description)
    pango_font_description_free(description)
    pango_layout_set_width(layout, Int32((pageWidth - 2 * margin) * Double(PANGO_SCALE)))
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
    // An empty line still takes a line's height.
    pango_layout_set_text(layout, text.isEmpty ? " " : text, -1)
    return layout
  }
}
