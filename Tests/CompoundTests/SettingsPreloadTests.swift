import Foundation
import Settings
import Testing

@testable import CompoundCLI

/// The settings read beside the command line: used only when they were read for the options parsed.
@Suite("Settings read while the command line is parsed")
struct SettingsPreloadTests {
  @Test("the preloaded settings serve only the options they were read for, once; --config and --db are found")
  func matchingAndOnce() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preload-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = folder.appendingPathComponent("a.toml").path
    let second = folder.appendingPathComponent("b.toml").path
    try "[pharmacy]\nname = \"First\"\n".write(toFile: first, atomically: true, encoding: .utf8)
    try "[pharmacy]\nname = \"Second\"\n".write(toFile: second, atomically: true, encoding: .utf8)
    let environment = ["HOME": folder.path]
    func name(_ config: String) throws -> String {
      try SettingsPreload.load(configFlag: config, databaseFlag: nil, environment: environment).settings.pharmacy.name
    }
    // Read for a.toml, asked for b.toml: b.toml is read.
    SettingsPreload.begin(["today", "--config", first], environment: environment)
    #expect(try name(second) == "Second")
    // Read for a.toml and asked for it: the same settings; changed since, a second read sees the change.
    SettingsPreload.begin(["today", "--config", first], environment: environment)
    #expect(try name(first) == "First")
    try "[pharmacy]\nname = \"Changed\"\n".write(toFile: first, atomically: true, encoding: .utf8)
    #expect(try name(first) == "Changed")
    // Another environment is another reading.
    SettingsPreload.begin(["today", "--config", first], environment: [:])
    #expect(try name(first) == "Changed")
    // The flags as the raw words give them, up to "--".
    #expect(SettingsPreload.scan(["label", "print", "--db", "x.sqlite", "--config=y.toml"]) == ("y.toml", "x.sqlite"))
    #expect(SettingsPreload.scan(["rx", "add", "--", "--db", "x.sqlite"]) == (nil, nil))
  }
}
