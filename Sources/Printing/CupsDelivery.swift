import Foundation

/// Sends a label to a CUPS queue with `lp` (raw for ZPL), honouring `CUPS_SERVER`.
enum CupsDelivery {
  static func send(_ bytes: [UInt8], queue: String, raw: Bool, copies: Int) throws(PrintError) {
    guard !queue.isEmpty, queue.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
      throw PrintError("--printer '\(queue)' is not a CUPS queue name: 'lpstat -p' lists them")
    }
    let lp = ["/usr/bin/lp", "/bin/lp"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let lp else { throw PrintError("lp is not installed: install cups-client to print through CUPS") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: lp)
    process.arguments = ["-d", queue, "-n", "\(copies)", "-s"] + (raw ? ["-o", "raw"] : [])
    let input = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    do {
      try process.run()
      input.fileHandleForWriting.write(Data(bytes))
      try input.fileHandleForWriting.close()
    } catch {
      throw PrintError("cannot run lp: \(error.localizedDescription)")
    }
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let line = message.split(separator: "\n").first.map(String.init) ?? "lp failed"
      throw PrintError("CUPS did not take the label for \(queue): \(line)")
    }
  }
}
