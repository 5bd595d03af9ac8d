import Foundation

/// Writes a label file under a temporary name and renames it, so no half file ever has the final name.
enum FileDelivery {
  static func write(_ bytes: [UInt8], to path: String) throws(PrintError) {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    do {
      try Data(bytes).write(to: temporary)
    } catch {
      throw PrintError("cannot write the label to \(path): \(error.localizedDescription)")
    }
    // rename(2) replaces the final name in one step.
    guard rename(temporary.path, url.path) == 0 else {
      try? FileManager.default.removeItem(at: temporary)
      throw PrintError("cannot write the label to \(path): \(String(cString: strerror(errno)))")
    }
  }
}
