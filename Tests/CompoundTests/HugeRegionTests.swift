import CHugeRegion
import Foundation
import Synchronization
import Testing

@testable import Store

/// The PIN's yescrypt region on huge pages: asked for on the hashing thread, while it hashes, and nowhere else.
@Suite("The PIN hash's region is advised huge pages, only while it hashes")
struct HugeRegionTests {
  /// Whether a fresh 4 MiB private anonymous region, mapped on this thread now, is advised huge pages (the
  /// `hg` flag the kernel lists for it in `/proc/self/smaps`).
  func freshRegionIsAdvised() throws -> Bool {
    let length = 4 << 20
    let region = try #require(
      mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0).flatMap {
        $0 == MAP_FAILED ? nil : $0
      })
    defer { munmap(region, length) }
    let address = UInt(bitPattern: region)
    // Read to the end: the kernel gives the file no size.
    let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
    defer { try? file.close() }
    let maps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
    // The kernel may list the region merged with a neighbour that has the same flags: the entry holding it.
    var inRegion = false
    for line in maps.split(separator: "\n") {
      let bounds = line.split(separator: " ").first?.split(separator: "-").compactMap { UInt($0, radix: 16) } ?? []
      if bounds.count == 2 {
        inRegion = bounds[0] <= address && address < bounds[1]
      } else if inRegion, line.hasPrefix("VmFlags:") {
        return line.split(separator: " ").contains("hg")
      }
    }
    Issue.record("the region at \(String(address, radix: 16)) is not in /proc/self/smaps")
    return false
  }

  @Test("a thread that asks gets huge pages for a large region; it stops when it stops asking")
  func advisedWhileAsked() throws {
    compound_huge_regions(1)
    let asked = try freshRegionIsAdvised()
    compound_huge_regions(0)
    #expect(asked, "the executable's mmap did not advise huge pages")
    #expect(try !freshRegionIsAdvised())
  }

  @Test("another thread's regions are not advised while a thread asks")
  func otherThreadsAreNotAdvised() throws {
    // Synchronous throughout, so that the thread that asks is the one that stops asking.
    let other = Mutex<Bool?>(nil)
    let done = DispatchSemaphore(value: 0)
    compound_huge_regions(1)
    let thread = Thread {
      other.withLock { $0 = try? self.freshRegionIsAdvised() }
      done.signal()
    }
    thread.start()
    done.wait()
    compound_huge_regions(0)
    #expect(other.withLock { $0 } == false)
  }

  @Test("hashing a PIN leaves the thread not asking, and the hash matches as before")
  func hashingStopsAsking() throws {
    let hash = try PinHash.make("135790")
    #expect(PinHash.matches("135790", hash: hash))
    #expect(!PinHash.matches("135791", hash: hash))
    #expect(try !freshRegionIsAdvised())
  }
}
