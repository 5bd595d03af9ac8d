import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a PIN: from `COMPOUND_PIN` for scripts and tests, else from the terminal without echo.
enum PinEntry {
  /// The PIN that signs `action` as `user`.
  static func read(
    for user: String, action: String, environment: [String: String], variable: String = "COMPOUND_PIN"
  ) throws -> String {
    try read(variable: variable, prompt: "PIN for \(user) to \(action): ", environment: environment) {
      "\(action) is signed: \(user)'s PIN is needed; type it at a terminal, or set \(variable) in a script"
    }
  }

  /// A new user's PIN: from `COMPOUND_NEW_PIN`, else typed twice at the terminal.
  static func new(for user: String, environment: [String: String]) throws -> String {
    let missing = "\(user) needs a PIN: type it at a terminal, or set COMPOUND_NEW_PIN in a script"
    if let pin = environment["COMPOUND_NEW_PIN"] { return pin }
    let first = try read(variable: nil, prompt: "new PIN for \(user): ", environment: environment) { missing }
    let second = try read(variable: nil, prompt: "the same PIN again: ", environment: environment) { missing }
    guard first == second else { throw CLIError("the two PINs for \(user) differ: nothing was added") }
    return first
  }

  private static func read(
    variable: String?, prompt: String, environment: [String: String], missing: () -> String
  ) throws -> String {
    if let variable, let pin = environment[variable] { return pin }
    let terminal = open("/dev/tty", O_RDWR | O_NOCTTY)
    guard terminal >= 0, isatty(terminal) != 0 else {
      if terminal >= 0 { close(terminal) }
      throw CLIError(missing())
    }
    defer { close(terminal) }
    var saved = termios()
    tcgetattr(terminal, &saved)
    var quiet = saved
    quiet.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(terminal, TCSAFLUSH, &quiet)
    defer {
      tcsetattr(terminal, TCSAFLUSH, &saved)
      _ = Glibc.write(terminal, "\n", 1)
    }
    _ = prompt.withCString { Glibc.write(terminal, $0, strlen($0)) }
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while Glibc.read(terminal, &byte, 1) == 1, byte != 10, byte != 13 {
      if line.count < 64 { line.append(byte) }
    }
    return String(decoding: line, as: UTF8.self)
  }
}
