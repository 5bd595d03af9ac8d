import Foundation

/// A record kept in a JSON column in an explicit, versioned format of its own.
///
/// A format is frozen once released: a change makes a new format number, and the record type reads every
/// earlier one (a record without a `format` key is format 1, as the first releases wrote it). The domain types
/// never reach a column through their synthesized coding, so adding a field to one leaves old records readable.
protocol StoredFormat: Codable {
  /// The domain value the record holds.
  associatedtype Value
  /// What the record is, for messages ("compounding plan").
  static var kind: String { get }
  /// The format this version writes.
  static var current: Int { get }
  /// The format the record was written in; nil in format 1.
  var format: Int? { get }
  init(_ value: Value)
  /// The domain value; throws when the record cannot make one.
  func value() throws -> Value
}

extension StoredFormat {
  static var current: Int { 2 }

  /// The record's JSON text for `value`, keys sorted.
  static func text(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(Self(value)), as: UTF8.self)
  }

  /// The domain value stored as `text`, in this format or any earlier one.
  static func read(_ text: String) throws(StoreError) -> Value {
    let record: Self
    do {
      record = try JSONDecoder().decode(Self.self, from: Data(text.utf8))
    } catch {
      throw StoreError(
        "a stored \(kind) cannot be read (\(StoredFormatText.reason(error))): the database was changed outside compound; run 'compound doctor'",
        code: .corrupt, cause: error)
    }
    let format = record.format ?? 1
    guard format <= current else {
      throw StoreError(
        "a stored \(kind) is in format \(format), written by a newer compound than this one (format \(current)): update compound",
        code: .newerFormat)
    }
    do {
      return try record.value()
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(
        "a stored \(kind) cannot be read: \(error)", code: .corrupt, cause: error)
    }
  }
}

/// Texts for stored-format errors.
enum StoredFormatText {
  /// The decoding problem in a few words: which key is missing or wrong.
  static func reason(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else { return "\(error)" }
    switch decoding {
    case .keyNotFound(let key, let context):
      return "no '\(path(context.codingPath + [key]))'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "not JSON" : "'\(path(context.codingPath))' is not what it should be"
    @unknown default:
      return "\(decoding)"
    }
  }

  static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
  }
}
