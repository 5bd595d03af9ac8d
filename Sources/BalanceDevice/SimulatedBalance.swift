import Foundation
import Quantities

#if canImport(Glibc)
  import Glibc
#endif

/// An MT-SICS balance simulated on loopback TCP, for the demo and the tests: it answers `I4` with its serial
/// number and each `S` with the next queued reply.
public final class SimulatedBalance: @unchecked Sendable {
  /// What the balance answers to the next `S`.
  public enum Reply: Sendable {
    /// `S S <value> g`: a stable weight.
    case stable(Mass)
    /// `S I`: busy or not stable.
    case unstable
    /// `S +`.
    case overload
    /// `S -`.
    case underload
    /// No answer at all.
    case silent
  }

  /// The loopback port it listens on.
  public let port: UInt16
  /// `tcp://127.0.0.1:PORT`.
  public var device: String { "tcp://127.0.0.1:\(port)" }
  public let serial: String
  private let listener: Int32
  private let lock = NSLock()
  private var replies: [Reply] = []
  private var commands: [String] = []

  /// Starts listening on a free loopback port.
  public init(serial: String = "B123456789") throws(BalanceError) {
    self.serial = serial
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var reuse: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard descriptor >= 0, bound == 0, listen(descriptor, 8) == 0 else {
      throw BalanceError("the simulated balance cannot listen on loopback")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    port = UInt16(bigEndian: address.sin_port)
    listener = descriptor
    let thread = Thread { [self] in serve() }
    thread.start()
  }

  /// Queues replies to the next `S` commands, in order.
  public func queue(_ next: [Reply]) {
    lock.lock()
    replies += next
    lock.unlock()
  }

  /// The commands received so far.
  public var received: [String] {
    lock.lock()
    defer { lock.unlock() }
    return commands
  }

  private func next() -> Reply {
    lock.lock()
    defer { lock.unlock() }
    return replies.isEmpty ? .unstable : replies.removeFirst()
  }

  private func note(_ command: String) {
    lock.lock()
    commands.append(command)
    lock.unlock()
  }

  private func serve() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else {
        if errno == EINTR { continue }
        return
      }
      var pending: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 256)
      reading: while true {
        let count = read(client, &buffer, buffer.count)
        guard count > 0 else { break }
        pending += buffer[..<count]
        while let end = pending.firstIndex(of: 10) {
          let line = String(decoding: pending[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
          pending.removeFirst(end + 1)
          note(line)
          let answer: String?
          switch line {
          case "I4": answer = "I4 A \"\(serial)\""
          case "S":
            switch next() {
            case .stable(let mass): answer = "S S \((Decimal(mass.micrograms) / 1_000_000).fixed(6)) g"
            case .unstable: answer = "S I"
            case .overload: answer = "S +"
            case .underload: answer = "S -"
            case .silent: answer = nil
            }
          default: answer = "ES"
          }
          guard let answer else { continue }
          let bytes = Array((answer + "\r\n").utf8)
          guard write(client, bytes, bytes.count) == bytes.count else { break reading }
        }
      }
      close(client)
    }
  }
}
