/// The members of a flat JSON object as SQLite's `json_object` writes it, each as its own text.
///
/// `{"id":1,"note":"a \"b\", c"}` splits into `"id":1` and `"note":"a \"b\", c"`, byte for byte, so a
/// subset of them joined with commas is what `json_object` writes for those columns alone. A JSON parser
/// would give values, not the bytes they were written as; those bytes are what the trail's hashes cover.
/// Only what `json_object` writes for a row is accepted: no spaces, scalar values; anything else is nil.
enum JSONMembers {
  /// The members of `object`, in order; nil when it is not a flat object written by `json_object`.
  static func split(_ object: String) -> [String]? {
    let bytes = Array(object.utf8)
    guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
    var members: [String] = []
    var index = 1
    let end = bytes.count - 1
    while index < end {
      let start = index
      // The key: a string, then a colon.
      guard let afterKey = stringEnd(bytes, from: index, limit: end), afterKey < end,
        bytes[afterKey] == UInt8(ascii: ":")
      else { return nil }
      index = afterKey + 1
      // The value: a string, or a scalar (a number, null, true, false) up to the next comma.
      if index < end, bytes[index] == UInt8(ascii: "\"") {
        guard let afterValue = stringEnd(bytes, from: index, limit: end) else { return nil }
        index = afterValue
      } else {
        let valueStart = index
        while index < end, bytes[index] != UInt8(ascii: ",") {
          let byte = bytes[index]
          let scalar =
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "E")].contains(byte)
          guard scalar else { return nil }
          index += 1
        }
        guard index > valueStart else { return nil }
      }
      members.append(String(decoding: bytes[start..<index], as: UTF8.self))
      if index < end {
        guard bytes[index] == UInt8(ascii: ","), index + 1 < end else { return nil }
        index += 1
      }
    }
    return members
  }

  /// The index just past the string that opens at `index` (a quote), or nil when it does not close before `limit`.
  private static func stringEnd(_ bytes: [UInt8], from index: Int, limit: Int) -> Int? {
    guard index < limit, bytes[index] == UInt8(ascii: "\"") else { return nil }
    var position = index + 1
    while position < limit {
      switch bytes[position] {
      case UInt8(ascii: "\\"): position += 2
      case UInt8(ascii: "\""): return position + 1
      default: position += 1
      }
    }
    return nil
  }
}
