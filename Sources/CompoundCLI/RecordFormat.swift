import Foundation

/// What `batch show --format` writes: the record as text, or as a paginated PDF.
enum RecordFormat: String, Sendable, CaseIterable {
  case text
  case pdf
}
