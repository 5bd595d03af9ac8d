import CMinizip
import Foundation

/// One zip entry's bytes compressed on a worker thread as they are made, into a temporary file.
///
/// The month's movement rows are made on the reading thread while the chunk before them is compressed on the
/// other core, so the export takes about as long as zlib alone. What the file holds is raw deflate ending on a
/// byte boundary (a sync flush, never a final block), so that it can stand between other deflate pieces in one
/// zip entry.
final class DeflatePipe: @unchecked Sendable {
  /// What the file holds: the compressed form of `length` bytes whose CRC-32 is `crc`.
  struct Result {
    let crc: UInt
    let length: UInt64
  }

  // Touched only on `queue` once made (the worker's own state).
  private let stream: UnsafeMutablePointer<z_stream>
  private let file: UnsafeMutablePointer<FILE>
  private var output = [UInt8](repeating: 0, count: 1 << 18)
  private var crc = crc32(0, nil, 0)
  private var length: UInt64 = 0
  private var failure: String?
  private var ended = false
  private let path: String
  private let queue = DispatchQueue(label: "compound.export.deflate")
  /// At most two chunks wait or are compressed at once: memory stays two chunks whatever the month holds.
  private let slots = DispatchSemaphore(value: 2)

  /// Starts a compressed file at `path`.
  init(path: String) throws(ExportError) {
    // A new file only, never one already there or a link planted in its place.
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0, let file = fdopen(descriptor, "wb") else {
      if descriptor >= 0 { close(descriptor) }
      throw ExportError("cannot create \(path): check the folder exists and is writable")
    }
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    guard compound_deflate_init_raw(stream) == Z_OK else {
      fclose(file)
      stream.deallocate()
      throw ExportError("zlib could not start compressing the movements")
    }
    self.file = file
    self.path = path
  }

  deinit {
    if !ended {
      deflateEnd(stream)
      fclose(file)
    }
    stream.deallocate()
  }

  /// Hands `chunk` to the worker; waits while two chunks are already in hand.
  func send(_ chunk: [UInt8]) {
    slots.wait()
    queue.async {
      self.compress(chunk, flush: Z_NO_FLUSH)
      self.slots.signal()
    }
  }

  /// Compresses what is left, ends on a byte boundary and closes the file.
  func finish() throws(ExportError) -> Result {
    let failure = queue.sync { () -> String? in
      compress([], flush: Z_SYNC_FLUSH)
      deflateEnd(stream)
      ended = true
      if fclose(file) != 0, self.failure == nil { self.failure = "cannot write \(path): is the disk full?" }
      return self.failure
    }
    if let failure { throw ExportError(failure) }
    return Result(crc: crc, length: length)
  }

  /// `bytes` compressed whole by a fresh compressor: ending on a byte boundary unless `final`, then with the
  /// stream's last block.
  static func deflated(_ bytes: [UInt8], final: Bool) throws(ExportError) -> [UInt8] {
    let pipe = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    pipe.initialize(to: z_stream())
    defer { pipe.deallocate() }
    guard compound_deflate_init_raw(pipe) == Z_OK else { throw ExportError("zlib could not start compressing") }
    defer { deflateEnd(pipe) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let failed = run(pipe, bytes, flush: final ? Z_FINISH : Z_SYNC_FLUSH, through: &buffer) { produced in
      result.append(contentsOf: produced)
      return nil
    }
    if let failed { throw ExportError(failed) }
    return result
  }

  /// Feeds `input` to `stream` with `flush`, handing each piece of output to `emit`; the first failure is returned.
  private static func run(
    _ stream: UnsafeMutablePointer<z_stream>, _ input: [UInt8], flush: Int32, through buffer: inout [UInt8],
    emit: (UnsafeMutableBufferPointer<UInt8>) -> String?
  ) -> String? {
    input.withUnsafeBufferPointer { source in
      // zlib reads `next_in` only; its C type is not const.
      stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
      stream.pointee.avail_in = UInt32(source.count)
      return buffer.withUnsafeMutableBufferPointer { out in
        repeat {
          stream.pointee.next_out = out.baseAddress
          stream.pointee.avail_out = UInt32(out.count)
          guard deflate(stream, flush) != Z_STREAM_ERROR else { return "zlib failed while compressing" }
          let produced = UnsafeMutableBufferPointer(rebasing: out[0..<(out.count - Int(stream.pointee.avail_out))])
          if let failed = emit(produced) { return failed }
        } while stream.pointee.avail_out == 0
        return nil
      }
    }
  }

  /// Adds `chunk` to the CRC and the compressed file (on the worker).
  private func compress(_ chunk: [UInt8], flush: Int32) {
    guard failure == nil else { return }
    chunk.withUnsafeBufferPointer { input in
      if let base = input.baseAddress { crc = crc32(crc, base, UInt32(input.count)) }
    }
    length += UInt64(chunk.count)
    let file = file
    let path = path
    failure = Self.run(stream, chunk, flush: flush, through: &output) { produced in
      produced.isEmpty || fwrite(produced.baseAddress, 1, produced.count, file) == produced.count
        ? nil : "cannot write \(path): is the disk full?"
    }
  }
}
