import Foundation
import Quantities
import Sockets

#if canImport(Glibc)
  import Glibc
#endif

/// A connection to an MT-SICS balance over TCP (`tcp://HOST:PORT`) or a serial port (`serial:/dev/ttyUSB0`,
/// 9600 8N1), with a timeout on every answer.
public final class BalanceConnection {
  private let descriptor: Int32
  private let timeout: Double
  private var pending: [UInt8] = []
  /// The device as given.
  public let device: String

  /// Connects to `device`; throws naming what to check.
  public init(device: String, timeout: Double = 5) throws(BalanceError) {
    self.device = device
    self.timeout = timeout
    if device.hasPrefix("tcp://") {
      let rest = device.dropFirst("tcp://".count)
      guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]),
        colon > rest.startIndex
      else {
        throw BalanceError("device '\(device)' is not tcp://HOST:PORT, for example tcp://192.168.1.40:4305")
      }
      descriptor = try Self.connect(host: String(rest[..<colon]), port: port, timeout: timeout, device: device)
    } else if device.hasPrefix("serial:") {
      descriptor = try Self.openSerial(String(device.dropFirst("serial:".count)), device: device)
    } else {
      throw BalanceError(
        "device '\(device)' is neither tcp://HOST:PORT nor serial:/dev/ttyUSB0: give the balance's address")
    }
  }

  deinit { close(descriptor) }

  /// A stable weight (`S`).
  public func weigh() throws(BalanceError) -> Mass {
    try MTSICSReply.weight(try ask("S"), device: device)
  }

  /// The balance's serial number (`I4`).
  public func serialNumber() throws(BalanceError) -> String {
    try MTSICSReply.serial(try ask("I4"), device: device)
  }

  /// Sends `command` with CR LF and returns the reply line without it.
  public func ask(_ command: String) throws(BalanceError) -> String {
    let bytes = Array((command + "\r\n").utf8)
    var sent = 0
    while sent < bytes.count {
      let count = bytes[sent...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { throw BalanceError("the balance at \(device) closed the connection: check it is on") }
      sent += count
    }
    return try readLine()
  }

  private func readLine() throws(BalanceError) -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let end = pending.firstIndex(of: 10) {
        var line = Array(pending[..<end])
        pending.removeFirst(end + 1)
        if line.last == 13 { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
      }
      let left = deadline.timeIntervalSinceNow
      guard left > 0, pending.count < 4096 else {
        throw BalanceError(
          "the balance at \(device) did not answer within \(Int(timeout)) s: check that it is on, connected and set to MT-SICS"
        )
      }
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, Int32(left * 1000) + 1)
      if ready < 0, errno == EINTR { continue }
      guard ready > 0 else { continue }
      var buffer = [UInt8](repeating: 0, count: 256)
      let count = Glibc.read(descriptor, &buffer, buffer.count)
      if count < 0, errno == EINTR || errno == EAGAIN { continue }
      guard count > 0 else {
        throw BalanceError("the balance at \(device) closed the connection without answering: check it is on")
      }
      pending += buffer[..<count]
    }
  }

  private static func connect(host: String, port: UInt16, timeout: Double, device: String) throws(BalanceError)
    -> Int32
  {
    switch TCPConnector.connect(host: host, port: port, timeout: timeout) {
    case .success(let descriptor): return descriptor
    case .failure(.unknownHost):
      throw BalanceError("cannot find the balance's host '\(host)': check the device address")
    case .failure(.timedOut):
      throw BalanceError("the balance at \(device) did not answer within \(Int(timeout)) s: check that it is on")
    case .failure:
      throw BalanceError(
        "the balance at \(device) does not accept a connection: check that it is on and listening on that port")
    }
  }

  private static func openSerial(_ path: String, device: String) throws(BalanceError) -> Int32 {
    let descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw BalanceError("cannot open the serial port \(path): check the cable and that you may use the port")
    }
    var settings = termios()
    if tcgetattr(descriptor, &settings) == 0 {
      cfmakeraw(&settings)
      cfsetispeed(&settings, speed_t(B9600))
      cfsetospeed(&settings, speed_t(B9600))
      settings.c_cflag |= tcflag_t(CLOCAL | CREAD | CS8)
      settings.c_cflag &= ~tcflag_t(PARENB | CSTOPB)
      tcsetattr(descriptor, TCSANOW, &settings)
    }
    return descriptor
  }
}
