import Foundation

/// What `label print --format` writes: a PDF or PNG drawn with cairo, ZPL for a Zebra, or plain text.
enum LabelFormat: String, Sendable, CaseIterable {
  case pdf
  case png
  case zpl
  case text
}
