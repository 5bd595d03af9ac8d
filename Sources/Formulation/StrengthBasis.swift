import Foundation

/// Whether a formula's strength is written as the salt (naltrexone HCl) or as the free base.
public enum StrengthBasis: String, Sendable, Codable, CaseIterable {
  case salt
  case base
}
