import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Opens a TCP connection with a timeout, trying each address a name resolves to in turn.
///
/// The printers (port 9100) and the balances (MT-SICS over TCP) connect the same way; each says what a failure
/// means in its own words. A call interrupted by a signal is retried; the socket is blocking once connected,
/// with `timeout` as its send timeout.
public enum TCPConnector {
  /// Why no connection opened.
  public enum Failure: Error, Sendable, Equatable {
    /// The name does not resolve.
    case unknownHost
    /// No socket could be made.
    case noSocket
    /// Something answered and refused the connection.
    case refused
    /// Nothing answered within the timeout.
    case timedOut
  }

  /// A connected descriptor to the first of `host`'s addresses that accepts, or the last address's failure.
  public static func connect(host: String, port: UInt16, timeout: Double) -> Result<Int32, Failure> {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &result) == 0, result != nil else { return .failure(.unknownHost) }
    defer { freeaddrinfo(result) }
    var failure = Failure.noSocket
    var address = result
    while let current = address {
      address = current.pointee.ai_next
      switch connect(current.pointee, timeout: timeout) {
      case .failure(let problem): failure = problem
      case .success(let descriptor): return .success(descriptor)
      }
    }
    return .failure(failure)
  }

  /// A connected socket to one address, or why not.
  private static func connect(_ info: addrinfo, timeout: Double) -> Result<Int32, Failure> {
    let descriptor = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
    guard descriptor >= 0 else { return .failure(.noSocket) }
    var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
    setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    let flags = fcntl(descriptor, F_GETFL, 0)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    var started = Glibc.connect(descriptor, info.ai_addr, info.ai_addrlen)
    while started != 0 && errno == EINTR { started = Glibc.connect(descriptor, info.ai_addr, info.ai_addrlen) }
    if started != 0 {
      guard errno == EINPROGRESS || errno == EALREADY else {
        close(descriptor)
        return .failure(.refused)
      }
      var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      var ready = poll(&poller, 1, Int32(timeout * 1000))
      while ready < 0 && errno == EINTR { ready = poll(&poller, 1, Int32(timeout * 1000)) }
      var problem: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &problem, &length)
      guard ready == 1, problem == 0 else {
        close(descriptor)
        return .failure(ready == 1 && problem == ECONNREFUSED ? .refused : .timedOut)
      }
    }
    _ = fcntl(descriptor, F_SETFL, flags)
    return .success(descriptor)
  }
}
