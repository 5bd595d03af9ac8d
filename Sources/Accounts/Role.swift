import Foundation

/// What a user may do: technicians prepare, pharmacists verify and release.
public enum Role: String, Sendable, Codable, CaseIterable {
  case technician
  case pharmacist
}
