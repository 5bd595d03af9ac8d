import ArgumentParser
import Dispensing
import Foundation
import Quantities
import Store

/// `compound patient`: patients and their medication lists.
struct PatientCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "patient", abstract: "Add, show and list patients.", subcommands: [Add.self, Show.self, List.self])

  /// `compound patient add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add a patient with allergies and current medications (checked before every fill).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Full name as on the prescription.") var name: String
    @Option(help: "Date of birth, YYYY-MM-DD.") var dob: String
    @Option(help: "Postal address.") var address: String = ""
    @Option(help: "Phone number.") var phone: String = ""
    @Option(help: "An allergy (repeat for each).") var allergy: [String] = []
    @Option(help: "A current medication (repeat for each).") var medication: [String] = []
    @Option(help: "Who adds the patient.") var by: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let birth = try CalendarDate.parse(dob, what: "--dob")
      guard birth <= context.today else { throw CLIError("--dob \(birth) is in the future") }
      let patient = try context.database().addPatient(
        Patient(
          id: 0, name: name, dateOfBirth: birth, address: address, phone: phone, allergies: allergy,
          medications: medication), by: try context.userOrSystem(by), now: context.now)
      if json { return try Output.json(patient) }
      print("added patient \(patient.id): \(patient.name), born \(patient.dateOfBirth)")
    }
  }

  /// `compound patient show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a patient with their prescriptions.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Patient id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let database = try context.database()
      let patient = try database.patient(id)
      if json { return try Output.json(patient) }
      print(
        """
        Patient \(patient.id): \(patient.name), born \(patient.dateOfBirth)
        Address: \(patient.address)
        Phone: \(patient.phone)
        Allergies: \(patient.allergies.isEmpty ? "none recorded" : patient.allergies.joined(separator: ", "))
        Medications: \(patient.medications.isEmpty ? "none recorded" : patient.medications.joined(separator: ", "))
        """)
      for record in try database.prescriptions(patient: patient.id) {
        print("Rx \(record.prescription.rxNumber): \(DispensingText.summary(record))")
      }
    }
  }

  /// `compound patient list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List patients.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let patients = try context.database().patients()
      if json { return try Output.json(patients) }
      if patients.isEmpty { return print("no patients yet: add one with 'compound patient add'") }
      print(
        Output.table(
          ["ID", "NAME", "BORN", "PHONE"], patients.map { ["\($0.id)", $0.name, "\($0.dateOfBirth)", $0.phone] }))
    }
  }
}

/// `compound prescriber`: prescribers.
struct PrescriberCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prescriber", abstract: "Add and list prescribers.", subcommands: [Add.self, List.self])

  /// `compound prescriber add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a prescriber; the NPI's check digit is verified.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Name as printed on labels, for example \"Dr. Ana Ruiz, MD\".") var name: String
    @Option(help: "National Provider Identifier, 10 digits.") var npi: String
    @Option(help: "Phone number.") var phone: String = ""
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let context = try Context(global)
      let prescriber = try context.database().addPrescriber(
        Prescriber(id: 0, name: name.trimmingCharacters(in: .whitespaces), npi: npi, phone: phone), now: context.now)
      if json { return try Output.json(prescriber) }
      print("added prescriber \(prescriber.id): \(prescriber.name) (NPI \(prescriber.npi))")
    }
  }

  /// `compound prescriber list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List prescribers.")

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
