import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Sends raw bytes to a printer's TCP port (9100) with a connect and send timeout.
///
/// Every address the name resolves to is tried in turn; a printer that resets mid-send is an error, never a
/// SIGPIPE that ends the process (`MSG_NOSIGNAL`); a call interrupted by a signal is retried.
enum SocketDelivery {
  static func send(_ bytes: [UInt8], host: String, port: UInt16, timeout: Double) throws(PrintError) {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &result) == 0, result != nil else {
      throw PrintError("printer \(host):\(port) cannot be found: check the address")
    }
    defer { freeaddrinfo(result) }
    var failure = PrintError("printer \(host):\(port) cannot be reached: check the address")
    var address = result
    while let current = address {
      address = current.pointee.ai_next
      // A connection that never opened moves on to the next address; a send that failed part-way does not
      // start the label again elsewhere.
      switch connect(current.pointee, host: host, port: port, timeout: timeout) {
      case .failure(let error): failure = error
      case .success(let descriptor):
        defer { close(descriptor) }
        try write(bytes, to: descriptor, host: host, port: port, timeout: timeout)
        return
      }
    }
    throw failure
  }

  /// A connected socket to one address, or why not.
  private static func connect(
    _ info: addrinfo, host: String, port: UInt16, timeout: Double
  ) -> Result<Int32, PrintError> {
    let descriptor = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
    guard descriptor >= 0 else { return .failure(PrintError("cannot open a connection to \(host):\(port)")) }
    var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
    setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    let flags = fcntl(descriptor, F_GETFL, 0)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    var started = Glibc.connect(descriptor, info.ai_addr, info.ai_addrlen)
    while started != 0 && errno == EINTR { started = Glibc.connect(descriptor, info.ai_addr, info.ai_addrlen) }
    if started != 0 {
      guard errno == EINPROGRESS || errno == EALREADY else {
        close(descriptor)
        return .failure(
          PrintError("printer \(host):\(port) refused the connection: is it on and listening on that port?"))
      }
      var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      var ready = poll(&poller, 1, Int32(timeout * 1000))
      while ready < 0 && errno == EINTR { ready = poll(&poller, 1, Int32(timeout * 1000)) }
      var problem: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &problem, &length)
      guard ready == 1, problem == 0 else {
        close(descriptor)
        return .failure(
          PrintError(
            ready == 1 && problem == ECONNREFUSED
              ? "printer \(host):\(port) refused the connection: is it on and listening on that port?"
              : "printer \(host):\(port) did not answer within \(Int(timeout)) s: check that it is on and reachable"))
      }
    }
    _ = fcntl(descriptor, F_SETFL, flags)
    return .success(descriptor)
  }

  private static func write(
    _ bytes: [UInt8], to descriptor: Int32, host: String, port: UInt16, timeout: Double
  ) throws(PrintError) {
    var sent = 0
    while sent < bytes.count {
      let count = bytes[sent...].withUnsafeBytes {
        Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        let reason =
          errno == EAGAIN || errno == EWOULDBLOCK
          ? "took nothing for \(Int(timeout)) s" : "closed the connection (\(String(cString: strerror(errno))))"
        throw PrintError(
          "printer \(host):\(port) stopped taking the label part-way (\(sent) of \(bytes.count) bytes): it \(reason); print it again"
        )
      }
      sent += count
    }
    // Raw TCP has no acknowledgement: say the label is complete, then wait for the printer to close its side. A
    // reset now means it never took the whole label; silence until the timeout is taken as delivered.
    shutdown(descriptor, Int32(SHUT_WR))
    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    var ready = poll(&poller, 1, Int32(timeout * 1000))
    while ready < 0 && errno == EINTR { ready = poll(&poller, 1, Int32(timeout * 1000)) }
    guard ready == 1 else { return }
    var drain = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(descriptor, &drain, drain.count)
      if count > 0 { continue }
      if count < 0 && errno == EINTR { continue }
      if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK {
        throw PrintError(
          "printer \(host):\(port) reset the connection before it took the whole label (\(String(cString: strerror(errno)))): print it again"
        )
      }
      return
    }
  }
}
