import Foundation

/// Finds a folder shipped with compound (`Config`, `Labels`): in the working folder, or beside the
/// program's build folder.
enum ProjectFolder {
  /// The first `name` folder holding `marker`, searched from the working folder, then upward from the
  /// program's own folder.
  static func find(_ name: String, containing marker: String) -> String? {
    var candidates = [FileManager.default.currentDirectoryPath + "/" + name]
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
      candidates.append(folder.appendingPathComponent(name).path)
      folder = folder.deletingLastPathComponent()
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0 + "/" + marker) }
  }
}
