import ArgumentParser
import Dispensing
import Export
import FileOutput
import Formulation
import Foundation
import Labeling
import Printing
import Quality
import Quantities
import Settings
import Store

/// Runs a command line and turns every failure into one line on standard error and an exit status.
public enum Runner {
  /// Parses and runs `arguments` (without the program name); returns the exit status.
  public static func run(_ arguments: [String]) -> Int32 {
    Invocation.begin(arguments)
    SettingsPreload.begin(arguments, environment: ProcessInfo.processInfo.environment)
    do {
      try InputGate.check(arguments)
      var command = try CompoundCommand.parseAsRoot(arguments)
      do {
        try command.run()
      } catch {
        // A wrong PIN still being checked is the refusal that counts: it is recorded, and named instead.
        try AppDatabase.settleSignatures()
        throw error
      }
      // No command ends before its signer's PIN is known to match.
      try AppDatabase.settleSignatures()
      return 0
    } catch let error as ExitCode {
      return error.rawValue
    } catch {
      if let text = domainMessage(error) {
        Output.error("error: \(text)")
        return ExitStatus.refused.rawValue
      }
      let code = CompoundCommand.exitCode(for: error)
      if code == .success {
        print(CompoundCommand.fullMessage(for: error))
        return 0
      }
      var message =
        CompoundCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid command line"
      // A typed option refused by its domain parser already names the option and the value: say it once.
      if let prefix = message.range(of: #"^The value '.*' is invalid for '[^']*': "#, options: .regularExpression) {
        message = String(message[prefix.upperBound...])
      }
      Output.error(
        "error: \(message) (see '\((["compound"] + [helpPath(arguments)].filter { !$0.isEmpty }).joined(separator: " ")) --help')"
      )
      return code.rawValue
    }
  }

  /// The one-line text of an error the product raised itself; nil for argument-parser errors.
  static func domainMessage(_ error: any Error) -> String? {
    let text: String
    switch error {
    case let error as CLIError: text = error.message
    case let error as StoreError: text = error.message
    case let error as SettingsError: text = error.message
    case let error as FormulationError: text = error.message
    case let error as QuantityError: text = error.message
    case let error as QualityError: text = error.message
    case let error as DispensingError: text = error.message
    case let error as LabelError: text = error.message
    case let error as PrintError: text = error.message
    case let error as ExportError: text = error.message
    case let error as OutputError: text = error.message
    default: return nil
    }
    return text.replacingOccurrences(of: "\n", with: " ")
  }

  /// The subcommand words of `arguments`, for pointing at the right help.
  private static func helpPath(_ arguments: [String]) -> String {
    var words: [String] = []
    var command: any ParsableCommand.Type = CompoundCommand.self
    for argument in arguments {
      guard
        let next = command.configuration.subcommands.first(where: {
          $0.configuration.commandName == argument
        })
      else { break }
      words.append(argument)
      command = next
    }
    return words.joined(separator: " ")
  }
}
