import Foundation

/// A checkpoint of the audit trail to keep outside the pharmacy's control (Certificate Transparency style):
/// the entry count and head hash at a moment, for a later `audit verify --anchor` to prove the trail was
/// neither cut short nor rewritten.
struct AuditAnchor: Codable, Equatable {
  var format = 1
  var pharmacy: String
  var pharmacyID: String
  var entries: Int64
  var head: String
  var at: String
}
