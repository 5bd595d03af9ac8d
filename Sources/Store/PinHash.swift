import CCrypt
import CHugeRegion
import Foundation

/// PINs as stored: a salted, deliberately slow yescrypt hash (libxcrypt), never the PIN itself.
enum PinHash {
  /// Digits only, 6 to 12 of them.
  static let rule = "6 to 12 digits"

  /// Whether `pin` follows the rule.
  static func isValid(_ pin: String) -> Bool {
    (6...12).contains(pin.count) && pin.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// A new hash of `pin` with a fresh random salt.
  static func make(_ pin: String) throws(StoreError) -> String {
    guard let salt = crypt_gensalt_ra("$y$", 0, nil, 0) else {
      throw StoreError("cannot make a salt for the PIN: the system's libcrypt refused")
    }
    defer { free(salt) }
    guard let hash = compute(pin, setting: String(cString: salt)), hash.hasPrefix("$y$") else {
      throw StoreError("cannot hash the PIN: the system's libcrypt refused")
    }
    return hash
  }

  /// Whether `pin` matches the stored `hash`, compared in constant time.
  static func matches(_ pin: String, hash: String) -> Bool {
    guard let computed = compute(pin, setting: hash) else { return false }
    let left = Array(computed.utf8)
    let right = Array(hash.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
  }

  private static func compute(_ pin: String, setting: String) -> String? {
    let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
    defer { data.deallocate() }
    memset(data, 0, MemoryLayout<crypt_data>.size)
    // yescrypt's 16 MiB region on huge pages: the same hash, with a few page faults instead of 4,096.
    compound_huge_regions(1)
    let computed = crypt_r(pin, setting, data)
    compound_huge_regions(0)
    guard let result = computed else { return nil }
    let text = String(cString: result)
    // libxcrypt signals failure with a string starting with '*'.
    return text.hasPrefix("*") ? nil : text
  }
}
