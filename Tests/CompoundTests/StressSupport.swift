import Foundation
import Synchronization
import Testing

/// Sizes and tallies of the concurrency, crash and hostile-input suites.
///
/// `make test` runs them short; `make stress` sets `COMPOUND_STRESS=full` for the sizes the issue names
/// (four processes of 24 cycles each, 50 kills, every generated input) and prints the counts.
enum Stress {
  static let full = ProcessInfo.processInfo.environment["COMPOUND_STRESS"] == "full"

  /// How many cycles each of the four writers runs (a cycle: a batch recorded to release, a fill, an
  /// adjustment, a read, every fourth a backup).
  static var cycles: Int { full ? 24 : 4 }
  /// How many processes are killed.
  static var kills: Int { full ? 50 : 8 }
  /// SIGKILLs that land during backups, and as many during restores.
  static var restoreKills: Int { full ? 20 : 4 }

  /// Prints one summary line that `make stress` collects.
  static func report(_ line: String) {
    print("stress: \(line)")
  }

  /// What a command's outcome says about the product: a success, a clean refusal, or a defect.
  enum Verdict: Equatable {
    case ok
    case refused
    case defect(String)
  }

  /// Judges `outcome`: anything but success or one `error:` line that is not about a locked database is a
  /// defect (a signal, a stack trace, two lines, "database is locked").
  static func judge(_ outcome: Pharmacy.Outcome, _ arguments: [String]) -> Verdict {
    let shown = arguments.joined(separator: " ").prefix(200)
    if outcome.signaled { return .defect("\(shown): ended on signal \(outcome.status)") }
    if outcome.status == 0 { return .ok }
    let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    guard lines.count == 1, outcome.stderr.hasPrefix("error: ") else {
      return .defect("\(shown): not one error line: \(outcome.stderr.prefix(300))")
    }
    let lowered = outcome.stderr.lowercased()
    if lowered.contains("locked") || lowered.contains("busy") {
      return .defect("\(shown): \(outcome.stderr)")
    }
    return .refused
  }

  /// Counts kept by several threads.
  final class Tally: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    private let defects = Mutex<[String]>([])

    func add(_ key: String, _ amount: Int = 1) { counts.withLock { $0[key, default: 0] += amount } }
    func defect(_ text: String) { defects.withLock { $0.append(text) } }
    func count(_ key: String) -> Int { counts.withLock { $0[key] ?? 0 } }
    var allDefects: [String] { defects.withLock { $0 } }

    /// Runs `compound ARGUMENTS` at `pharmacy` and records its verdict under `kind`; nil when it could not run.
    func run(_ pharmacy: Pharmacy, _ arguments: [String], _ kind: String) -> Pharmacy.Outcome? {
      do {
        let outcome = try pharmacy.run(arguments)
        record(outcome, arguments, kind: kind)
        return outcome
      } catch {
        defect("\(kind): could not run: \(error)")
        return nil
      }
    }

    /// Records `outcome`'s verdict under `kind`.
    func record(_ outcome: Pharmacy.Outcome, _ arguments: [String], kind: String) {
      switch Stress.judge(outcome, arguments) {
      case .ok: add("\(kind).ok")
      case .refused: add("\(kind).refused")
      case .defect(let text):
        add("\(kind).defect")
        defect(text)
      }
    }
  }

  /// A pharmacy ready for load, with its Rx numbers and its Avicel lot number.
  ///
  /// Plenty of released stock, four released batches, a patient, a prescriber and `prescriptions`
  /// prescriptions of five capsules with eleven refills each.
  static func busyPharmacy(
    prescriptions: Int = 20, server: Bool = Pharmacy.onServer
  ) throws -> (Pharmacy, rx: [String], avicel: String) {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay, server: server)
    try pharmacy.seed()
    try pharmacy.receive(
      "NALTREXONE-HCL", lot: "NX-2", expiry: "2028-07-31", quantity: "100g", assay: ["--assay", "99.4"])
    try pharmacy.receive("AVICEL-PH102", lot: "AV-2", expiry: "2029-02-28", quantity: "10000g")
    try pharmacy.receive("CAPS-1-WHITE", lot: "CP-2", expiry: "2029-02-28", quantity: "50000count")
    let numbers = try pharmacy.lotNumbers()
    for supplierLot in ["NX-2", "AV-2", "CP-2"] {
      try pharmacy.ok(["lot", "release", try #require(numbers[supplierLot]), "--by", "dchen"])
    }
    for _ in 0..<4 { try pharmacy.verifiedBatch() }
    try pharmacy.ok(["patient", "add", "--name", "Eleanor O'Brien", "--dob", "1961-04-12", "--by", "mtorres"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ana Ruiz, MD", "--npi", "1234567893"])
    var rx: [String] = []
    for _ in 0..<prescriptions {
      let record = try pharmacy.ok([
        "rx", "add", "--patient", "1", "--prescriber", "1", "--refills", "11", "--written", "2026-11-20",
        "--formula", "LDN45", "--quantity", "5", "--by", "dchen", "--json",
      ]).json()
      rx.append(try #require((record["prescription"] as? [String: Any])?["rxNumber"] as? String))
    }
    return (pharmacy, rx, try #require(numbers["AV-1"]))
  }
}
