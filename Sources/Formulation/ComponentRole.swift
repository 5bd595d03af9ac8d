import Foundation

/// The part an ingredient plays in a capsule batch.
public enum ComponentRole: String, Sendable, Codable, CaseIterable {
  case api
  case filler
  case shell
}
