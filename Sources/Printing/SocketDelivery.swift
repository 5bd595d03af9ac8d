import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Sends raw bytes to a printer's TCP port (9100) with a connect and send timeout.
enum SocketDelivery {
  static func send(_ bytes: [UInt8], host: String, port: UInt16, timeout: Double) throws(PrintError) {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
      throw PrintError("printer \(host):\(port) cannot be found: check the address")
    }
    defer { freeaddrinfo(result) }
    let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
    guard descriptor >= 0 else { throw PrintError("cannot open a connection to \(host):\(port)") }
    defer { close(descriptor) }
    var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
    setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    let flags = fcntl(descriptor, F_GETFL, 0)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    let started = connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen)
    if started != 0 {
      guard errno == EINPROGRESS else {
        throw PrintError("printer \(host):\(port) refused the connection: is it on and listening?")
      }
      var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      let ready = poll(&poller, 1, Int32(timeout * 1000))
      var failure: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
      guard ready == 1, failure == 0 else {
        throw PrintError(
          "printer \(host):\(port) did not answer within \(Int(timeout)) s: check that it is on and reachable")
      }
    }
    _ = fcntl(descriptor, F_SETFL, flags)
    var sent = 0
    while sent < bytes.count {
      let count = bytes[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else { throw PrintError("printer \(host):\(port) stopped taking the label part-way") }
      sent += count
    }
  }
}
