import Accounts
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP listener on loopback that records every byte of the connections it accepts, like a printer on
/// port 9100.
final class ByteListener: @unchecked Sendable {
  let port: UInt16
  private let descriptor: Int32
  private let lock = NSLock()
  private var received: [UInt8] = []
  private var connections = 0

  init() throws {
    (descriptor, port) = try Self.listen()
    let thread = Thread { [self] in self.serve() }
    thread.start()
  }

  /// A socket listening on a free loopback port; `receiveBuffer` shrinks what each connection takes in.
  static func listen(receiveBuffer: Int32? = nil) throws -> (descriptor: Int32, port: UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if var size = receiveBuffer {
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, Glibc.listen(fd, 8) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return (fd, UInt16(bigEndian: address.sin_port))
  }

  private func serve() {
    while true {
      let client = accept(descriptor, nil, nil)
      guard client >= 0 else { return }
      var buffer = [UInt8](repeating: 0, count: 65_536)
      var bytes: [UInt8] = []
      while true {
        let count = read(client, &buffer, buffer.count)
        guard count > 0 else { break }
        bytes += buffer[0..<count]
      }
      close(client)
      lock.lock()
      received += bytes
      connections += 1
      lock.unlock()
    }
  }

  /// The bytes received once `count` connections have closed, waiting up to `seconds`.
  func bytes(afterConnections count: Int = 1, seconds: Double = 20) throws -> [UInt8] {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      lock.lock()
      let done = connections >= count
      let copy = received
      lock.unlock()
      if done { return copy }
      usleep(50_000)
    }
    // A delivery that never finished is a failure, not the bytes that happened to arrive.
    throw POSIXError(.ETIMEDOUT)
  }

  deinit {
    shutdown(descriptor, Int32(SHUT_RDWR))
    close(descriptor)
  }

  /// A loopback port nothing listens on.
  static func closedPort() -> UInt16 {
    (try? CupsServer.freePort()) ?? 9
  }
}

/// A real CUPS server started for a test, unprivileged on loopback, with its own folders.
final class CupsServer {
  let port: UInt16
  let folder: URL
  private let process: Process

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("compound-cups-\(UUID().uuidString)")
    for name in ["spool", "cache", "state", "log"] {
      let url = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      chmod(url.path, 0o777)
    }
    port = try Self.freePort()
    try """
    Listen 127.0.0.1:\(port)
    DefaultAuthType None
    LogLevel warn
    WebInterface No
    <Location />
      Order allow,deny
      Allow all
    </Location>
    <Policy default>
      <Limit All>
        Order deny,allow
        Allow all
      </Limit>
    </Policy>

    """.write(to: folder.appendingPathComponent("cupsd.conf"), atomically: true, encoding: .utf8)
    try """
    User lp
    Group lp
    ServerRoot \(folder.path)
    RequestRoot \(folder.path)/spool
    CacheDir \(folder.path)/cache
    StateDir \(folder.path)/state
    ErrorLog \(folder.path)/log/error_log
    AccessLog \(folder.path)/log/access_log
    PageLog \(folder.path)/log/page_log

    """.write(to: folder.appendingPathComponent("cups-files.conf"), atomically: true, encoding: .utf8)
    chmod(folder.path, 0o755)
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/cupsd")
    process.arguments = [
      "-c", folder.appendingPathComponent("cupsd.conf").path, "-s",
      folder.appendingPathComponent("cups-files.conf").path,
      "-f",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(15)
    var ready = false
    while !ready, Date() < deadline, process.isRunning {
      ready = (try? Self.connects(port)) == true
      if !ready { usleep(100_000) }
    }
    guard ready else {
      kill(process.processIdentifier, SIGKILL)
      throw POSIXError(.ECONNREFUSED)
    }
  }

  /// Adds a raw queue `name` that sends jobs to a socket printer on `printerPort`.
  func addRawQueue(_ name: String, printerPort: UInt16) throws {
    let status = try run(
      "/usr/sbin/lpadmin", ["-h", "127.0.0.1:\(port)", "-p", name, "-E", "-v", "socket://127.0.0.1:\(printerPort)"])
    guard status == 0 else { throw POSIXError(.EIO) }
  }

  @discardableResult
  func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Whether something accepts connections on loopback `port`.
  static func connects(_ port: UInt16) throws -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = port.bigEndian
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    } == 0
  }

  /// A loopback port that was free a moment ago.
  static func freePort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
  }

  deinit {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: folder)
  }
}

/// A printer that takes a few bytes of a label, stalls, then resets the connection (TCP RST) mid-send.
final class ResettingPrinter: @unchecked Sendable {
  let port: UInt16
  private let descriptor: Int32

  init() throws {
    (descriptor, port) = try ByteListener.listen(receiveBuffer: 1024)
    let thread = Thread { [self] in self.serve() }
    thread.start()
  }

  private func serve() {
    while true {
      let client = accept(descriptor, nil, nil)
      guard client >= 0 else { return }
      var buffer = [UInt8](repeating: 0, count: 512)
      _ = read(client, &buffer, buffer.count)
      // Let the sender fill every buffer and block, then reset the connection under it.
      usleep(400_000)
      var reset = linger(l_onoff: 1, l_linger: 0)
      setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
      close(client)
    }
  }

  deinit {
    close(descriptor)
  }
}
