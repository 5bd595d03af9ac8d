import Foundation

/// Refuses a command line no command should see: control characters, bytes that are not UTF-8, or an
/// argument longer than anything a pharmacy types.
enum InputGate {
  /// The longest argument accepted, in characters.
  static let longest = 10_000

  /// Throws naming the first argument that is not plain text of a sensible length.
  ///
  /// The GS1 separator (U+001D, sent by barcode scanners between fields) is allowed in the value of `--scan`
  /// alone, given as `--scan VALUE` or `--scan=VALUE`.
  static func check(_ arguments: [String]) throws {
    for (index, argument) in arguments.enumerated() {
      let isScan = argument.hasPrefix("--scan=") || (index > 0 && arguments[index - 1] == "--scan")
      let allowed: Set<Unicode.Scalar> = isScan ? ["\u{1D}"] : []
      let position = "argument \(index + 1)"
      if argument.count > longest {
        throw CLIError(
          "\(position) is \(argument.count) characters long; the longest compound accepts is \(longest): shorten it")
      }
      if argument.unicodeScalars.contains("\u{FFFD}") {
        throw CLIError("\(position) is not valid UTF-8 text: retype it")
      }
      if let control = argument.unicodeScalars.first(where: {
        $0.properties.generalCategory == .control && !allowed.contains($0)
      }) {
        throw CLIError(
          "\(position) contains the control character U+\(String(format: "%04X", control.value)): retype it without it")
      }
    }
  }
}
