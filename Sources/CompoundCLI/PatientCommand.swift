import Accounts
import ArgumentParser
import Dispensing
import Formulation
import Foundation
import Quantities
import Store

/// `compound patient`: patients, their medications and allergies.
struct PatientCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "patient", abstract: "Add, find, show, correct and list patients; classify their medications.",
    subcommands: [Add.self, Show.self, List.self, Find.self, Update.self, Review.self])

  /// `compound patient add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a patient with allergies and current medications (checked before every fill).",
      discussion: """
        A second patient with the same name and date of birth is refused, naming the one on file. Each \
        medication and allergy becomes an entry resolved against the drug vocabulary; one it cannot resolve \
        stops fills until a pharmacist classifies it with 'compound patient review'.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Full name as on the prescription.") var name: String
    @Option(help: "Date of birth, YYYY-MM-DD.", transform: ArgumentTypes.date("--dob")) var dob: CalendarDate
    @Option(help: "Postal address.") var address: String = ""
    @Option(help: "Phone number.") var phone: String = ""
    @Option(help: "An allergy (repeat for each; \"NKDA\" when none are known).") var allergy: [String] = []
    @Option(help: "A current medication as the patient or prescriber names it (repeat for each).")
    var medication: [String] = []
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let birth = dob
      guard birth <= context.today else { throw CLIError("--dob \(birth) is in the future") }
      let user = try context.user(signer.by)
      let patient = try context.database().addPatient(
        name: name, dateOfBirth: birth, address: address, phone: phone, medications: medication.map { NewEntry($0) },
        allergies: allergy.map { NewEntry($0) }, by: user, now: context.now)
      if json { return try Output.json(patient) }
      print("added patient \(patient.id): \(patient.name), born \(patient.dateOfBirth)")
      PatientText.warnings(patient, context: context).forEach { print($0) }
    }
  }

  /// `compound patient show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a patient: medications and allergies as the drug vocabulary reads them, and prescriptions.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Patient id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let database = try context.database()
      let patient = try database.patient(id)
      if json { return try Output.json(patient) }
      print(try PatientText.patient(patient, context: context))
      for record in try database.prescriptions(patient: patient.id) {
        print("Rx \(record.prescription.rxNumber): \(DispensingText.summary(record))")
      }
    }
  }

  /// `compound patient list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List patients.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let patients = try context.database().patients()
      if json { return try Output.json(patients) }
      if patients.isEmpty { return print("no patients yet: add one with 'compound patient add'") }
      print(PatientText.table(patients))
    }
  }

  /// `compound patient find`.
  struct Find: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "find",
      abstract: "Find patients by name (case, accents and punctuation ignored), date of birth or phone digits.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Part of a name, a date of birth YYYY-MM-DD, or four or more digits of a phone number.")
    var text: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let patients = try context.database().findPatients(text)
      if json { return try Output.json(patients) }
      if patients.isEmpty { return print("no patient matches '\(text)': add one with 'compound patient add'") }
      print(PatientText.table(patients))
    }
  }

  /// `compound patient update`.
  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "update",
      abstract: "Correct a patient's record: details, medications started or stopped, allergies added or removed.",
      discussion: """
        Nothing is erased: a stopped medication or a removed allergy keeps its entry with the date, who and \
        why ('compound patient show ID' lists entry numbers). Every change is in the audit trail with --reason. \
        Example: compound patient update 1 --add-medication "OxyContin 20 mg" --stop-medication 2 \
        --reason "new hospital discharge list" --by mtorres
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Patient id.") var id: Int64
    @Option(help: "Corrected full name.") var name: String?
    @Option(help: "New postal address.") var address: String?
    @Option(help: "New phone number.") var phone: String?
    @Option(help: "A medication the patient now takes (repeat for each).") var addMedication: [String] = []
    @Option(help: "Day the added medications were started, YYYY-MM-DD.", transform: ArgumentTypes.date("--started"))
    var started: CalendarDate?
    @Option(help: "A medication entry number the patient stopped (repeat for each).") var stopMedication: [Int64] = []
    @Option(help: "An allergy to add (repeat for each).") var addAllergy: [String] = []
    @Option(help: "An allergy entry number to remove, for example one recorded in error (repeat).")
    var removeAllergy: [Int64] = []
    @Option(
      help: "Day the stops and removals take effect, YYYY-MM-DD (default: today).",
      transform: ArgumentTypes.date("--on"))
    var on: CalendarDate?
    @Option(help: "Why the record changes (kept in the audit trail).") var reason: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let startedOn = started
      let endedOn = on ?? context.today
      for (day, option) in [(startedOn, "--started"), (endedOn, "--on")] {
        if let day, day > context.today {
          throw CLIError("\(option) \(day) is in the future: give the day it happened")
        }
      }
      let update = PatientUpdate(
        name: name, address: address, phone: phone,
        addMedications: addMedication.map { NewEntry($0, startedOn: startedOn) }, stopMedications: stopMedication,
        addAllergies: addAllergy.map { NewEntry($0) }, removeAllergies: removeAllergy, endedOn: endedOn,
        reason: reason)
      let patient = try context.database().updatePatient(id, update, by: user, now: context.now)
      if json { return try Output.json(patient) }
      print("updated patient \(patient.id): \(patient.name)")
      PatientText.warnings(patient, context: context).forEach { print($0) }
    }
  }

  /// `compound patient review`.
  struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "review",
      abstract: "Classify a medication or allergy the drug vocabulary cannot resolve (a pharmacist, signed).",
      discussion: """
        --as names what the entry means in the vocabulary: an ingredient or a class, by id or any of its \
        names (oxycodone, OxyContin, opioid, gelatin); repeat it for a combination. --unrelated says it names \
        nothing a check concerns (a supplement the vocabulary lacks, say). The decision is kept on the entry. \
        Example: compound patient review 1 4 --as oxycodone --reason "Oxy 10 = oxycodone 10 mg per prescriber" \
        --by dchen
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Patient id.") var id: Int64
    @Argument(help: "Entry number ('compound patient show ID' lists them).") var entry: Int64
    @Option(name: .customLong("as"), help: "An ingredient or class the entry means (repeat).") var meaning: [String] =
      []
    @Flag(help: "The entry names nothing the checks concern.") var unrelated = false
    @Option(help: "Why (kept on the entry).") var reason: String
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      guard meaning.isEmpty == unrelated else {
        throw CLIError("give either --as INGREDIENT-OR-CLASS (repeat for each) or --unrelated")
      }
      let index = try context.inForce().drugIndex()
      var terms: [String] = []
      for text in meaning {
        let resolution = index.resolve(text)
        guard resolution.isResolved else {
          throw CLIError(
            "--as '\(text)' is not an ingredient, product or class of the drug vocabulary: name one, for example oxycodone, Percocet or opioid ('compound rules show' counts them)"
          )
        }
        terms += resolution.ingredients.isEmpty ? resolution.classes : resolution.ingredients
      }
      let signer = try context.signer(signer.by, for: "classify entry \(entry) of patient \(id)")
      let reviewed = try context.database().reviewEntry(
        patient: id, entry: entry, terms: terms, reason: reason, by: signer, now: context.now)
      if json { return try Output.json(reviewed) }
      let what = terms.isEmpty ? "nothing the checks concern" : terms.joined(separator: " + ")
      print("classified entry \(reviewed.id) (\(reviewed.text)) of patient \(id) as \(what), signed by \(signer.id)")
    }
  }
}

/// `compound prescriber`: prescribers.
struct PrescriberCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prescriber", abstract: "Add and list prescribers.", subcommands: [Add.self, List.self])

  /// `compound prescriber add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a prescriber; the NPI's check digit is verified.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Name as printed on labels, for example \"Dr. Ana Ruiz, MD\".") var name: String
    @Option(help: "National Provider Identifier, 10 digits.") var npi: String
    @Option(help: "Phone number.") var phone: String = ""
    @OptionGroup var signer: SignerOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let user = try context.user(signer.by)
      let prescriber = try context.database().addPrescriber(
        Prescriber(id: 0, name: name.trimmingCharacters(in: .whitespaces), npi: npi, phone: phone), by: user,
        now: context.now)
      if json { return try Output.json(prescriber) }
      print("added prescriber \(prescriber.id): \(prescriber.name) (NPI \(prescriber.npi))")
    }
  }

  /// `compound prescriber list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List prescribers.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let prescribers = try context.database().prescribers()
      if json { return try Output.json(prescribers) }
      print(Output.table(["ID", "NAME", "NPI", "PHONE"], prescribers.map { ["\($0.id)", $0.name, $0.npi, $0.phone] }))
    }
  }
}
