import Foundation

/// The basis a certificate of analysis reports its assay on.
public enum AssayBasis: String, Sendable, Codable, CaseIterable {
  /// The powder as it is, water included.
  case asIs = "as-is"
  /// The dried substance: the weighed powder also needs correcting for its water content.
  case anhydrous
}
