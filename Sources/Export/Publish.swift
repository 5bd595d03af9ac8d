import Foundation

/// Puts a finished file under its final name: flushed to disk first, then renamed in one step, so a
/// crash or a power cut leaves either the old state or the whole new file, never part of one.
enum Publish {
  /// Flushes `temporary`, renames it to `final` and flushes the folder; false (errno set) on failure.
  static func file(_ temporary: String, as final: String) -> Bool {
    let descriptor = open(temporary, O_RDONLY)
    guard descriptor >= 0 else { return false }
    let flushed = fsync(descriptor) == 0
    close(descriptor)
    guard flushed, rename(temporary, final) == 0 else { return false }
    let folder = open(URL(fileURLWithPath: final).deletingLastPathComponent().path, O_RDONLY)
    if folder >= 0 {
      fsync(folder)
      close(folder)
    }
    return true
  }
}
