import ArgumentParser

/// The exit statuses compound ends with besides 0, as the README lists them.
enum ExitStatus {
  /// Refused or failed: one `error:` line says what is wrong and what to type instead; nothing was written.
  static let refused = ExitCode(1)
  /// `price quote`: a price whose ingredient cost is unknown (`--allow-incomplete` accepts it).
  static let incompletePrice = ExitCode(3)
  /// `doctor`: problems were found and listed.
  static let problemsFound = ExitCode(4)
  /// `audit verify`: the trail or a record does not match, or an anchor's entry is gone or differs.
  static let auditMismatch = ExitCode(5)
  /// `assay uniformity`: stage 1 is not met (test 20 more units) or the units fail USP <905>.
  static let uniformityNotMet = ExitCode(6)
  /// A balance check was recorded and failed: do not weigh on that balance.
  static let balanceCheckFailed = ExitCode(7)
  /// The command line itself is wrong (an unknown option, a missing value): argument-parser's usage status.
  static let usage = ExitCode(64)
}
