import Crypto
import Foundation

/// SHA-256 as lower-case hex, from swift-crypto (BoringSSL on Linux): one call for bytes, a stream for files.
public enum SHA256 {
  /// The digest of `bytes` as 64 hex characters.
  public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    hex(Crypto.SHA256.hash(data: Array(bytes)))
  }

  /// The digest of `text`'s UTF-8 bytes.
  public static func hex(_ text: String) -> String { hex(Crypto.SHA256.hash(data: Data(text.utf8))) }

  /// The digest of a file's bytes, read in 1 MiB pieces (memory stays flat, whatever the file's size).
  public static func hex(fileAt path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }
    defer { try? handle.close() }
    var hasher = Crypto.SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
    return hex(hasher.finalize())
  }

  private static let digits = Array("0123456789abcdef".utf8)

  private static func hex(_ digest: Crypto.SHA256.Digest) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in digest {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
