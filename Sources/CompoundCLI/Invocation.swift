import Foundation
import Synchronization

/// The command line being run, as the audit trail records it (without `--db` and `--config`).
enum Invocation {
  private static let current = Mutex("")

  /// The command text of the command line now running.
  static var command: String { current.withLock { $0 } }

  /// What the running command does, as a PIN prompt names it: "batch record", "rx fill".
  static var action: String {
    let words = command.split(separator: " ").dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2)
    return words.isEmpty ? "sign" : words.joined(separator: " ")
  }

  /// Records `arguments` as the running command; long arguments are shortened.
  static func begin(_ arguments: [String]) {
    var words: [String] = []
    var skip = false
    for argument in arguments {
      if skip {
        skip = false
        continue
      }
      if argument == "--db" || argument == "--config" {
        skip = true
        continue
      }
      if argument.hasPrefix("--db=") || argument.hasPrefix("--config=") { continue }
      let shortened = argument.count > 200 ? String(argument.prefix(200)) + "..." : argument
      words.append(shortened.contains(" ") || shortened.isEmpty ? "\"\(shortened)\"" : shortened)
    }
    current.withLock { $0 = (["compound"] + words).joined(separator: " ") }
  }
}
