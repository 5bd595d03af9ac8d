import FileOutput
import Foundation

/// Writes a label file under a temporary name and puts it in place in one step (see `OutputPath`).
enum FileDelivery {
  static func write(_ bytes: [UInt8], to output: OutputPath) throws(PrintError) {
    do {
      try output.write(bytes)
    } catch {
      throw PrintError("cannot write the label: \(error.message)")
    }
  }
}
