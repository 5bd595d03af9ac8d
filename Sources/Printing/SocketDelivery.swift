import Foundation
import Sockets

#if canImport(Glibc)
  import Glibc
#endif

/// Sends raw bytes to a printer's TCP port (9100) with a connect and send timeout.
///
/// Every address the name resolves to is tried in turn; a printer that resets mid-send is an error, never a
/// SIGPIPE that ends the process (`MSG_NOSIGNAL`); a call interrupted by a signal is retried.
enum SocketDelivery {
  static func send(_ bytes: [UInt8], host: String, port: UInt16, timeout: Double) throws(PrintError) {
    // A connection that never opened moves on to the next address; a send that failed part-way does not
    // start the label again elsewhere.
    switch TCPConnector.connect(host: host, port: port, timeout: timeout) {
    case .failure(.unknownHost): throw PrintError("printer \(host):\(port) cannot be found: check the address")
    case .failure(.noSocket): throw PrintError("cannot open a connection to \(host):\(port)")
    case .failure(.refused):
      throw PrintError("printer \(host):\(port) refused the connection: is it on and listening on that port?")
    case .failure(.timedOut):
      throw PrintError(
        "printer \(host):\(port) did not answer within \(Int(timeout)) s: check that it is on and reachable")
    case .success(let descriptor):
      defer { close(descriptor) }
      try write(bytes, to: descriptor, host: host, port: port, timeout: timeout)
    }
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
