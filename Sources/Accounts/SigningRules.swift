import Dispensing
import Foundation

/// Who may sign what: pharmacist-only duties, and the separation of two signatures on one record.
public enum SigningRules {
  /// Why `user` may not sign `duty`, or nil when they may.
  public static func refusal(_ user: User, for duty: Duty) -> String? {
    user.isPharmacist ? nil : "\(user.id) is a \(user.role.rawValue): only a pharmacist \(duty.what)"
  }

  /// Why `checker` may not sign the second step of what `first` signed, or nil when they may.
  ///
  /// The same person by any path: the same login (in any case), an account with the same person's name, or
  /// the pharmacist who reset the first signer's PIN while that PIN may still be the one they set.
  public static func sameSigner(checker: User, first: Signer) -> String? {
    if checker.id.lowercased() == first.login.lowercased() { return "\(checker.id) signed it first" }
    if personKey(checker.name) == personKey(first.name) {
      return "\(checker.id) and \(first.login) are the same person (\(first.name))"
    }
    if let knownTo = first.pinKnownTo, knownTo.lowercased() == checker.id.lowercased() {
      return "\(checker.id) reset \(first.login)'s PIN, and \(first.login) has not changed it twice since"
    }
    return nil
  }

  /// A person's name without credentials, folded: "David Chen, PharmD" and "david chen" are one person.
  public static func personKey(_ name: String) -> String {
    Patient.nameKey(String(name.split(separator: ",").first ?? ""))
  }

  /// Why `signer` may not set `target`'s PIN: only its owner or a pharmacist does.
  public static func pinRefusal(signer: User, target: User) -> String? {
    signer.id.lowercased() == target.id.lowercased() || signer.isPharmacist
      ? nil : "only \(target.id) or a pharmacist sets \(target.id)'s PIN; \(signer.id) is a \(signer.role.rawValue)"
  }

  /// Why `user` may not be the pharmacy's first account: the first is a pharmacist, who adds the others.
  public static func firstUserRefusal(_ user: User) -> String? {
    user.isPharmacist
      ? nil : "the first user must be a pharmacist (who then adds the others): use --role pharmacist"
  }
}
