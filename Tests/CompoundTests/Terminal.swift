import Foundation

/// Runs a command on a pseudo-terminal, answering each prompt that ends in ": " in turn, as a person
/// typing at the keyboard would (Python's pty module does the terminal work).
enum Terminal {
  /// What the terminal showed, and the exit status.
  static func run(_ arguments: [String], answers: [String], environment: [String: String]) throws -> (
    screen: String, status: Int32
  ) {
    let script = """
      import os, pty, sys, time, json
      args = json.loads(sys.argv[1]); answers = json.loads(sys.argv[2])
      pid, fd = pty.fork()
      if pid == 0:
          os.execv(args[0], args)
      out = b''
      def read_until(token, seconds):
          global out
          end = time.time() + seconds
          while time.time() < end:
              try:
                  chunk = os.read(fd, 1024)
              except OSError:
                  return False
              if not chunk:
                  return False
              out += chunk
              if out.endswith(token):
                  return True
          return False
      for answer in answers:
          if not read_until(b': ', 20):
              break
          os.write(fd, answer.encode() + b'\\n')
      read_until(b'\\0', 20)
      _, status = os.waitpid(pid, 0)
      sys.stdout.write(out.decode(errors='replace'))
      sys.exit(os.waitstatus_to_exitcode(status))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    let encode = { (value: [String]) in
      String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }
    process.arguments = ["-c", script, try encode(arguments), try encode(answers)]
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let screen = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (screen, process.terminationStatus)
  }
}
