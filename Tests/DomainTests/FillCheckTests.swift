import Dispensing
import Formulation
import Foundation
import Quality
import Quantities
import Testing

@Suite("Checking a fill: interactions, allergies, refills, titration steps, the drug line")
struct FillCheckTests {
  static let components = [
    PreparationComponent(role: "API", code: "NALTREXONE-HCL", name: "Naltrexone hydrochloride USP"),
    PreparationComponent(role: "filler", code: "AVICEL-PH102", name: "Microcrystalline cellulose NF (Avicel PH-102)"),
    PreparationComponent(role: "capsule shells", code: "CAPS-1", name: "Hard gelatin capsules size 1"),
  ]

  func patient(medications: [String] = [], allergies: [String] = [], reviews: [Int64: EntryReview] = [:]) -> Patient {
    var entries: [PatientEntry] = []
    for (kind, texts) in [(PatientEntry.Kind.medication, medications), (.allergy, allergies)] {
      for text in texts {
        let id = Int64(entries.count + 1)
        entries.append(PatientEntry(id: id, kind: kind, text: text, addedAt: "", addedBy: "t", review: reviews[id]))
      }
    }
    return Patient(
      id: 7, name: "Eleanor O'Brien", dateOfBirth: Fixtures.date("1961-04-12"), address: "", phone: "",
      entries: entries)
  }

  func check(_ patient: Patient, components: [PreparationComponent] = components) throws -> InteractionCheck {
    InteractionCheck.check(
      patient: patient, components: components, index: try DrugVocabularyTests.index(), today: Fixtures.today)
  }

  @Test("a brand-name opioid refuses the fill naming the medication and the class; a CYP450 substrate warns")
  func opioidByBrand() throws {
    let result = try check(patient(medications: ["Percocet 5/325 q6h prn", "Coumadin 5 mg"]))
    #expect(result.blocks.isEmpty)
    #expect(result.refusals.count == 1)
    #expect(result.refusals.first?.contains("Percocet 5/325 q6h prn (oxycodone, opioid agonist)") == true)
    #expect(result.refusals.first?.contains("naltrexone blocks opioids") == true)
    #expect(result.warnings.count == 1)
    #expect(result.warnings.first?.contains("Coumadin 5 mg (warfarin, CYP2C9 substrate)") == true)
  }

  @Test("false friends and the antagonist itself pass")
  func falseFriends() throws {
    let result = try check(
      patient(medications: ["apomorphine", "oxybutynin", "trazodone", "methylphenidate", "Narcan"]))
    #expect(result == InteractionCheck())
  }

  @Test("an entry nobody can resolve blocks the fill until a pharmacist classifies it; the classification counts")
  func unresolved() throws {
    let blocked = try check(patient(medications: ["Oxy 10 bid"]))
    #expect(blocked.blocks.count == 1)
    #expect(blocked.blocks.first?.contains("\"Oxy 10 bid\" (entry 1) is not in the drug vocabulary") == true)
    #expect(blocked.blocks.first?.contains("compound patient review 7 1") == true)
    let review = EntryReview(terms: ["oxycodone"], by: "dchen", at: "", reason: "per prescriber")
    let reviewed = try check(patient(medications: ["Oxy 10 bid"], reviews: [1: review]))
    #expect(reviewed.blocks.isEmpty)
    #expect(reviewed.refusals.first?.contains("Oxy 10 bid (oxycodone, opioid agonist)") == true)
    let harmless = EntryReview(terms: [], by: "dchen", at: "", reason: "a herbal tea")
    #expect(try check(patient(medications: ["Grandma's tea"], reviews: [1: harmless])) == InteractionCheck())
  }

  @Test("an API the vocabulary does not know blocks the fill: its interactions cannot be checked")
  func unknownAPI() throws {
    var components = Self.components
    components[0] = PreparationComponent(role: "API", code: "ZX-1", name: "Zorbanol hydrochloride")
    let result = try check(patient(medications: ["OxyContin 20 mg"]), components: components)
    #expect(
      result.blocks == [
        "the drug vocabulary does not know the API ZX-1 (Zorbanol hydrochloride), so its interactions cannot be checked: add it to the vocabulary and import the rules ('compound rules import')"
      ])
  }

  @Test("a stopped medication no longer counts from the day it stopped")
  func stopped() throws {
    var record = patient(medications: ["OxyContin 20 mg"])
    record.entries[0].endedOn = Fixtures.today
    #expect(try check(record) == InteractionCheck())
    record.entries[0].endedOn = Fixtures.today.adding(days: 1)
    #expect(try check(record).refusals.count == 1)
  }

  @Test("allergies are checked against every component: shells, fillers, by ingredient and by class")
  func allergies() throws {
    let gelatin = try check(patient(allergies: ["gelatin"]))
    #expect(
      gelatin.refusals == [
        "Eleanor O'Brien is allergic to gelatin, and the capsule shells CAPS-1 (Hard gelatin capsules size 1) contain gelatin"
      ])
    let lactose = [
      PreparationComponent(role: "API", code: "NALTREXONE-HCL", name: "Naltrexone hydrochloride USP"),
      PreparationComponent(role: "filler", code: "LACTOSE", name: "Lactose monohydrate NF"),
    ]
    #expect(
      try check(patient(allergies: ["milk"]), components: lactose).refusals.first?.contains(
        "the filler LACTOSE (Lactose monohydrate NF) contains lactose") == true)
    #expect(try check(patient(allergies: ["naltrexone"])).refusals.first?.contains("the API NALTREXONE-HCL") == true)
    #expect(try check(patient(allergies: ["penicillin", "NKDA"])) == InteractionCheck())
    // A shell whose material nobody can tell is not passed for an allergic patient.
    let unknownShell = [PreparationComponent(role: "capsule shells", code: "CAPS-X", name: "Capsules size 1")]
    let unknown = try check(patient(allergies: ["penicillin"]), components: unknownShell)
    #expect(unknown.refusals.first?.contains("cannot tell what the capsule shells CAPS-X") == true)
    #expect(try check(patient(allergies: ["NKDA"]), components: unknownShell) == InteractionCheck())
  }

  func prescription(steps: Int = 1, refills: Int = 1, done: Int = 0) -> Prescription {
    let codes = ["LDN15", "LDN30", "LDN45"]
    return Prescription(
      rxNumber: "600001", patientID: 7, prescriberID: 1,
      steps: (0..<steps).map {
        PrescriptionStep(formulaCode: codes[$0], quantity: 30, daysSupply: 30, directions: "Take 1 capsule at bedtime")
      }, refills: refills, written: Fixtures.date("2026-11-01"), fillsDone: done)
  }

  func candidate(_ code: String = "LDN45") -> BatchCandidate {
    BatchCandidate(
      lotNumber: "\(code)-A", formulaCode: code, status: .released, beyondUseDate: Fixtures.date("2027-05-01"),
      onHand: 90, compoundingDate: Fixtures.date("2026-11-01"))
  }

  func decide(
    _ prescription: Prescription, interactions: InteractionCheck = InteractionCheck(), previous: PreviousFill? = nil,
    pharmacist: Bool = false, override: String? = nil
  ) throws(DispensingError) -> FillDecision {
    try FillDecision.decide(
      prescription: prescription, candidates: [candidate("LDN15"), candidate("LDN30"), candidate()], chosenLot: nil,
      skipReason: nil, interactions: interactions, previous: previous, refillPercent: 75, nextStrength: "3 mg",
      byPharmacist: pharmacist, overrideReason: override, today: Fixtures.today)
  }

  @Test("a refill before 75 % of the supply has passed is refused unless a pharmacist overrides")
  func refillTooSoon() throws {
    let previous = PreviousFill(
      rxNumber: "600001", fillNumber: 1, filledOn: Fixtures.today.adding(days: -22), daysSupply: 30)
    #expect(previous.nextAllowed(percent: 75) == Fixtures.today.adding(days: 1))
    #expect {
      try decide(prescription(done: 1), previous: previous)
    } throws: { ($0 as? DispensingError)?.message.contains("refill too soon") == true }
    #expect {
      try decide(prescription(done: 1), previous: previous, override: "going abroad")
    } throws: { ($0 as? DispensingError)?.message.contains("only a pharmacist may override") == true }
    let overridden = try decide(prescription(done: 1), previous: previous, pharmacist: true, override: "going abroad")
    #expect(overridden.overridden.first?.contains("refill too soon") == true)
    let onTime = PreviousFill(
      rxNumber: "600001", fillNumber: 1, filledOn: Fixtures.today.adding(days: -23), daysSupply: 30)
    #expect(try decide(prescription(done: 1), previous: onTime).overridden.isEmpty)
  }

  @Test("a block is not overridable; a discontinued prescription is not filled")
  func blocks() throws {
    #expect {
      try decide(
        prescription(), interactions: InteractionCheck(blocks: ["entry 1 waits"]), pharmacist: true, override: "x")
    } throws: { ($0 as? DispensingError)?.message == "entry 1 waits" }
    var stopped = prescription()
    stopped.discontinued = Discontinuation(on: Fixtures.today, by: "dchen", reason: "duplicate")
    #expect {
      try decide(stopped)
    } throws: {
      ($0 as? DispensingError)?.message.contains("was discontinued on 2026-11-22 by dchen (duplicate)") == true
    }
  }

  @Test("a titration's steps say what follows, and refills count only on the last step")
  func titration() throws {
    let first = try decide(prescription(steps: 3, refills: 2))
    #expect(first.stepNote == "Step 1 of 3: then 3 mg from 2026-12-22")
    #expect(prescription(steps: 3, refills: 2).refillsRemainingAfterNextFill == 0)
    #expect(prescription(steps: 3, refills: 2, done: 1).refillsRemainingAfterNextFill == 0)
    #expect(prescription(steps: 3, refills: 2, done: 2).refillsRemainingAfterNextFill == 2)
    #expect(prescription(steps: 3, refills: 2, done: 3).refillsRemainingAfterNextFill == 1)
    #expect(try decide(prescription(steps: 3, refills: 2, done: 2)).stepNote == "Step 3 of 3: the last step")
    #expect(try decide(prescription()).stepNote == nil)
    #expect(prescription(refills: 2).refillsRemainingAfterNextFill == 2)
  }

  @Test("the drug line is computed; a name that states another strength is refused")
  func drugLine() throws {
    var formula = Fixtures.formula(strength: "12")
    #expect(formula.drugLine(genericName: "Naltrexone", saltForm: "HCl") == "Naltrexone HCl 12 mg capsule")
    #expect(
      Fixtures.formula(strength: "0.25").drugLine(genericName: "Naltrexone", saltForm: "HCl")
        == "Naltrexone HCl 0.25 mg capsule")
    #expect(
      Fixtures.formula(basis: .base).drugLine(genericName: "Naltrexone", saltForm: "HCl")
        == "Naltrexone 4.5 mg (as base) capsule")
    formula.labelText = "Naltrexone HCl 4.5 mg capsule"
    #expect {
      try formula.checkStatedStrengths()
    } throws: { ($0 as? FormulationError)?.message.contains("states 4.5 mg, but its strength is 12") == true }
    formula.labelText = nil
    formula.name = "LDN 12mg capsules"
    try formula.checkStatedStrengths()
    #expect(
      Formula.statedStrengths(in: "4,5 mg or 500 mcg or 0.25mg; 1 g") == [
        Fixtures.mg("4.5"), Fixtures.mg("0.5"), Fixtures.mg("0.25"), Fixtures.mg("1000"),
      ])
  }

  @Test("NPI check digits (Luhn over 80840 and the number)")
  func npi() {
    #expect(Prescriber.isValidNPI("1234567893"))
    #expect(!Prescriber.isValidNPI("1234567890"))
    #expect(!Prescriber.isValidNPI("123456789"))
    #expect(!Prescriber.isValidNPI("12345678a3"))
  }

  @Test("a patient's name key ignores case, accents, spaces and punctuation")
  func nameKey() {
    #expect(Patient.nameKey("Eleanor O'Brien") == Patient.nameKey("ELEANOR  OBRIEN"))
    #expect(Patient.nameKey("Šimková") == Patient.nameKey("Simkova"))
    #expect(Patient.nameKey("Eleanor O'Brien") != Patient.nameKey("Eleanor O'Brian"))
  }
}
