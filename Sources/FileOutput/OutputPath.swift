import Foundation

/// Where a command may write a file it was asked for (`--out`, `--to`): never over the database, its
/// `-wal`, `-shm` or `-journal`, a folder, a device or a FIFO, a link that leads out of the folder named, or
/// an existing file unless `force`.
public struct OutputPath: Sendable, Equatable {
  /// The file to write, absolute.
  public let path: String
  /// Whether an existing regular file may be replaced.
  public let force: Bool

  /// Checks `requested` before anything is written; `protected` are files no output may ever replace (the
  /// database: its sidecars are protected with it).
  public init(_ requested: String, protected: [String], force: Bool, option: String = "--out") throws(OutputError) {
    guard !requested.isEmpty else { throw OutputError("\(option) is empty: name a new file") }
    var target = URL(fileURLWithPath: requested).standardizedFileURL.path
    var info = stat()
    if lstat(target, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
      let folder = URL(fileURLWithPath: target).deletingLastPathComponent().resolvingSymlinksInPath().path
      let resolved = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
      guard URL(fileURLWithPath: resolved).deletingLastPathComponent().path == folder else {
        throw OutputError(
          "\(option) \(requested) is a link to \(resolved), outside its folder: name a file there, not a link")
      }
      target = resolved
    }
    let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
    var folderInfo = stat()
    guard stat(folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else {
      throw OutputError("\(option) \(requested): the folder \(folder) does not exist: create it or name another")
    }
    let canonical = URL(fileURLWithPath: folder).resolvingSymlinksInPath().appendingPathComponent(
      URL(fileURLWithPath: target).lastPathComponent
    ).path
    for file in protected where !file.isEmpty {
      let database = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
      for suffix in ["", "-wal", "-shm", "-journal"] where canonical == database + suffix {
        throw OutputError(
          "\(option) \(requested) is the database\(suffix.isEmpty ? "" : "'s \(suffix) file"): nothing is ever written over it; name another file"
        )
      }
    }
    if stat(target, &info) == 0 {
      let kind = info.st_mode & S_IFMT
      guard kind != S_IFDIR else {
        throw OutputError("\(option) \(requested) is a folder: name a file inside it, for example \(requested)/out.pdf")
      }
      guard kind == S_IFREG else {
        throw OutputError("\(option) \(requested) is not a regular file (a device or a pipe): name a file")
      }
      for file in protected where !file.isEmpty {
        for suffix in ["", "-wal", "-shm", "-journal"] {
          var other = stat()
          if stat(file + suffix, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
            throw OutputError(
              "\(option) \(requested) is the database under another name (a hard link): nothing is ever written over it"
            )
          }
        }
      }
      guard force else {
        throw OutputError("\(option) \(requested) already exists: name a new file, or add --force to replace it")
      }
    }
    path = canonical
    self.force = force
  }

  /// Writes `bytes` under a temporary name beside the file, flushes it, then puts it in place in one step.
  public func write(_ bytes: [UInt8]) throws(OutputError) {
    let temporary = try Self.temporary(beside: path)
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: temporary), options: .withoutOverwriting)
    } catch {
      unlink(temporary)
      throw OutputError("cannot write \(path): \(error.localizedDescription)")
    }
    try publish(temporary)
  }

  /// A temporary file name in the target's folder (hidden, unique to this process).
  public static func temporary(beside path: String) throws(OutputError) -> String {
    let url = URL(fileURLWithPath: path)
    return url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    ).path
  }

  /// Flushes `temporary` and puts it under the final name in one step, then flushes the folder.
  ///
  /// Without `force`, a file that appeared meanwhile is not replaced. The temporary file is gone afterwards.
  public func publish(_ temporary: String) throws(OutputError) {
    defer { unlink(temporary) }
    let descriptor = open(temporary, O_RDONLY)
    guard descriptor >= 0 else { throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))") }
    let flushed = fsync(descriptor) == 0
    close(descriptor)
    guard flushed else {
      throw OutputError("cannot write \(path): the disk did not take it (\(String(cString: strerror(errno))))")
    }
    if force {
      guard rename(temporary, path) == 0 else {
        throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))")
      }
    } else {
      // link(2) refuses an existing name, so a file that appeared since the check is never replaced.
      guard link(temporary, path) == 0 else {
        throw OutputError(
          errno == EEXIST
            ? "\(path) appeared while it was being written: nothing was replaced; name a new file"
            : "cannot write \(path): \(String(cString: strerror(errno)))")
      }
    }
    let folder = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY)
    if folder >= 0 {
      fsync(folder)
      close(folder)
    }
  }
}
