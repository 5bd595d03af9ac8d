import FileOutput
import Foundation

/// Where a rendered label goes: a file, a CUPS queue, or a printer's raw TCP port (9100).
public enum Transport: Sendable, Equatable, CustomStringConvertible {
  case file(OutputPath)
  case cups(queue: String, raw: Bool)
  case tcp(host: String, port: UInt16)

  /// Delivers `bytes` (`copies` times); throws when the destination does not take them.
  public func deliver(_ bytes: [UInt8], copies: Int, timeout: Double = 5) throws(PrintError) {
    switch self {
    case .file(let output): try FileDelivery.write(bytes, to: output)
    case .cups(let queue, let raw): try CupsDelivery.send(bytes, queue: queue, raw: raw, copies: copies)
    case .tcp(let host, let port):
      for _ in 0..<copies { try SocketDelivery.send(bytes, host: host, port: port, timeout: timeout) }
    }
  }

  /// `file /path`, `cups zebra`, `tcp 127.0.0.1:9100`.
  public var description: String {
    switch self {
    case .file(let output): return "file \(output.path)"
    case .cups(let queue, _): return "cups \(queue)"
    case .tcp(let host, let port): return "tcp \(host):\(port)"
    }
  }

  /// Parses `HOST:PORT` for a raw TCP printer.
  public static func tcp(_ text: String) throws(PrintError) -> Transport {
    guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0,
      !text[..<colon].isEmpty
    else { throw PrintError("--tcp '\(text)' must be HOST:PORT, for example 192.0.2.10:9100") }
    return .tcp(host: String(text[..<colon]), port: port)
  }
}
