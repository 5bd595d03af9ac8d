import Foundation

/// Where an effective setting came from, in order of precedence.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
  case flag(String)
  case environment(String)
  case file(String)
  case builtIn

  public var description: String {
    switch self {
    case .flag(let name): return "flag \(name)"
    case .environment(let name): return "environment \(name)"
    case .file(let path): return "file \(path)"
    case .builtIn: return "default"
    }
  }
}
