import BalanceDevice
import Foundation
import Quantities
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The bench end to end on real files: balances read over MT-SICS on loopback TCP, their daily check, a
/// 0.25 mg batch made through a trituration and traced through it, scanned containers and receipts.
@Suite("The bench, end to end", .serialized)
struct BenchEndToEndTests {
  static let gs = "\u{1D}"
  /// GTIN 00300456789017, expiry 2028-06-30, lot NX-SCAN, serial S1 (or `serial`).
  static func scan(lot: String = "NX-SCAN", expiry: String = "280630", serial: String = "S1") -> String {
    "]d2" + "0100300456789017" + "17" + expiry + "10" + lot + gs + "21" + serial
  }

  @Test("balance read: a stable weight, and one clear line for unstable, overload, underload and silence")
  func readings() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.initialize()
    let balance = try SimulatedBalance(serial: "SIM-0001")
    balance.queue([.stable(Mass(micrograms: 150_420)), .unstable, .overload, .underload, .silent])
    let stable = try pharmacy.ok(["balance", "read", "--device", balance.device, "--json"]).json()
    #expect(stable["serial"] as? String == "SIM-0001")
    #expect(stable["device"] as? String == balance.device)
    #expect((stable["mass"] as? NSNumber)?.stringValue == "150.42")
    for fragment in ["busy or not stable", "overloaded", "underloaded", "did not answer within 5 s"] {
      #expect(try pharmacy.refused(["balance", "read", "--device", balance.device]).contains(fragment))
    }
    #expect(balance.received.filter { $0 == "I4" }.count >= 5)
    #expect(try pharmacy.refused(["balance", "read", "--device", "tcp://127.0.0.1:1"]).contains("does not accept"))
    #expect(try pharmacy.refused(["balance", "read", "--device", "http://scale"]).contains("tcp://HOST:PORT"))
  }

  @Test("balances are clinical rules: a settings file may name a station's devices, never a balance's figures")
  func balancesAreRules() throws {
    let balance = try SimulatedBalance(serial: "SIM-DEV")
    balance.queue([.stable(Mass(micrograms: 100_000_100))])
    let station = try Pharmacy(settings: "[bench.devices]\nB1 = \"\(balance.device)\"\n")
    try station.initialize()
    #expect(try station.ok(["balance", "read"]).stdout.contains("serial SIM-DEV"))
    let listed = try station.ok(["balance", "list", "--json"]).jsonArray()
    #expect((listed.first?["balance"] as? [String: Any])?["device"] as? String == balance.device)
    // A balance made finer in a settings file of one's own, to weigh below its minimum weight, is refused.
    let attacker = try Pharmacy(
      settings: "[[balances]]\nid = \"B1\"\nmodel = \"x\"\nreadability_mg = 0.001\ncapacity_g = 220\n")
    #expect(try attacker.refused(["balance", "list"]).contains("balances is a clinical rule"))
    // A pharmacist's rules import may add one; the minimum weight follows from it.
    let pharmacy = try Pharmacy(rules: Pharmacy.semiMicro)
    try pharmacy.initialize()
    let both = try pharmacy.ok(["balance", "list", "--json"]).jsonArray()
    #expect(both.compactMap { ($0["minimumWeight"] as? NSNumber)?.stringValue } == ["82", "8.2"])
  }

  @Test("a batch is refused on a balance not checked today, or one whose check failed")
  func dailyCheck() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    pharmacy.now = "2026-11-23T09:00:00-06:00"
    let record = [
      "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg",
      "--weighed", "AVICEL-PH102=7.7702g", "--yield", "33", "--by", "mtorres",
    ]
    #expect(try pharmacy.refused(record).contains("balance B1 has not been checked today (2026-11-23)"))
    let failed = try pharmacy.run(
      ["balance", "check", "B1", "--test-weight", "100g", "--reading", "100.2g", "--by", "mtorres"])
    #expect(failed.status == 7)
    #expect(failed.stdout.contains("FAIL"))
    #expect(try pharmacy.refused(record).contains("balance B1 failed its check today"))
    #expect(
      try pharmacy.refused(["balance", "check", "B1", "--test-weight", "1g", "--reading", "1g", "--by", "mtorres"])
        .contains("outside 5 % to 100 %"))
    #expect(
      try pharmacy.refused([
        "balance", "check", "B1", "--test-weight", "100g", "--reading", "100g", "--device", "tcp://127.0.0.1:1",
        "--by", "mtorres",
      ]).contains("not both"))
    // Read from the balance itself: the check keeps its serial number.
    let balance = try SimulatedBalance(serial: "SIM-CHECK")
    balance.queue([.stable(Mass(micrograms: 99_999_900))])
    try pharmacy.ok([
      "balance", "check", "B1", "--test-weight", "100g", "--device", balance.device, "--by", "mtorres",
    ])
    #expect(
      try pharmacy.sqlite("SELECT balance_serial FROM balance_check ORDER BY id DESC LIMIT 1").output.contains(
        "SIM-CHECK"))
    try pharmacy.ok(record)
    let list = try pharmacy.ok(["balance", "list", "--json"]).jsonArray()
    #expect(list.count == 1)
    #expect((list.first?["minimumWeight"] as? NSNumber)?.stringValue == "82")
  }

  @Test("LDN 0.25 mg through a trituration, the masses from the balance, the recall traced through it both ways")
  func trituration() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let formulas = Pharmacy.repository.appendingPathComponent("Config/formulas")
    for file in ["LDN025.toml", "NTX-T10.toml"] {
      try pharmacy.ok(["formula", "add", "--file", formulas.appendingPathComponent(file).path, "--by", "dchen"])
    }
    let api = try #require(try pharmacy.lotNumbers()["NX-1"])
    // The plan flags 8.3 mg and names the trituration; typing it in is refused.
    let plan = try pharmacy.ok(["batch", "plan", "--formula", "LDN025", "--quantity", "30"]).stdout
    #expect(plan.contains("BELOW MINIMUM WEIGHT: NALTREXONE-HCL 8.3"))
    #expect(plan.contains("is below the minimum weight 82.0 mg of balance B1: weigh it as NTX-T10"))
    #expect(
      try pharmacy.refused([
        "batch", "record", "--formula", "LDN025", "--quantity", "30", "--weighed", "api=8.3mg", "--weighed",
        "filler=7911.7mg", "--yield", "33", "--by", "mtorres",
      ]).contains("below the minimum weight 82.0 mg of balance B1"))
    // The trituration, weighed on the simulated balance.
    let balance = try SimulatedBalance(serial: "SIM-4242")
    balance.queue([.unstable, .stable(Mass(micrograms: 200_300)), .stable(Mass(micrograms: 1_800_400))])
    let made = try pharmacy.ok(
      [
        "trituration", "make", "--formula", "NTX-T10", "--mass", "2g", "--device", balance.device, "--by", "mtorres",
        "--json",
      ], input: "\n\n\n\n\n"
    ).json()
    let trituration = try #require(made["lotNumber"] as? String)
    let record = try #require(made["record"] as? [String: Any])
    let sources = (record["components"] as? [[String: Any]])?.compactMap { $0["source"] as? String }
    #expect(sources == ["balance B1 (serial SIM-4242)", "balance B1 (serial SIM-4242)"])
    // Quarantined until another pharmacist releases it: the API lot it came from is consumed.
    #expect(try pharmacy.refused(["lot", "release", trituration, "--by", "mtorres"]).contains("only a pharmacist"))
    #expect(try pharmacy.refused(["lot", "release", trituration, "--by", "dchen"]).contains("no assay is on record"))
    let assay = [
      "trituration", "assay", trituration, "--lab", "Eagle", "--method", "HPLC-UV", "--tested", "2026-11-22",
    ]
    try pharmacy.ok(assay + ["--percent", "99.2", "--by", "dchen"])
    try pharmacy.ok(["lot", "release", trituration, "--by", "dchen"])
    let shown = try pharmacy.ok(["lot", "show", trituration]).stdout
    #expect(shown.contains("TRITURATION RECORD \(trituration)"))
    // 99.1 % as-is x 200.3 mg / 2000.7 mg = 9.92139... %.
    #expect(shown.contains("Potency: 9.9214 %"))
    #expect(shown.contains("balance B1 (serial SIM-4242)"))
    // The 0.25 mg batch weighs the trituration, read from the balance and confirmed at the prompt.
    let planJSON = try pharmacy.ok(["batch", "plan", "--formula", "LDN025", "--quantity", "30", "--json"]).json()
    let components = try #require(planJSON["components"] as? [[String: Any]])
    #expect(components.first?["lotNumber"] as? String == trituration)
    let masses = components.prefix(2).compactMap { ($0["quantity"] as? NSNumber)?.int64Value }
    try #require(masses.count == 2)
    #expect(masses[0] >= 82_000)
    balance.queue(masses.map { .stable(Mass(micrograms: $0)) })
    let batch = try pharmacy.ok(
      [
        "batch", "record", "--formula", "LDN025", "--quantity", "30", "--device", balance.device, "--yield", "33",
        "--by", "mtorres", "--json",
      ], input: "\n\n\n\n"
    ).json()
    let lot = try #require(batch["lotNumber"] as? String)
    let used = try #require(batch["components"] as? [[String: Any]])
    #expect(
      used.compactMap { $0["source"] as? String } == ["balance B1 (serial SIM-4242)", "balance B1 (serial SIM-4242)"])
    #expect(try pharmacy.ok(["batch", "show", lot]).stdout.contains("balance B1 (serial SIM-4242)"))
    // Recall from the API lot reaches the batch through the trituration, and holds both.
    let recall = try pharmacy.ok(["recall", api, "--hold", "--reason", "supplier recall", "--by", "dchen", "--json"])
      .json()
    #expect((recall["triturations"] as? [[String: Any]])?.first?["lotNumber"] as? String == trituration)
    #expect((recall["batches"] as? [[String: Any]])?.contains { $0["lotNumber"] as? String == lot } == true)
    #expect(Set((recall["held"] as? [String]) ?? []).isSuperset(of: [trituration, lot]))
    // From the batch back to the supplier's lot, through the trituration.
    let back = try pharmacy.ok(["recall", lot, "--json"]).json()
    let parts = (back["components"] as? [[String: Any]])?.compactMap { $0["lotNumber"] as? String } ?? []
    #expect(parts.contains(trituration))
    #expect(parts.contains(api))
    #expect(try pharmacy.ok(["audit", "verify"]).stdout.contains("audit trail intact"))
  }

  @Test("a trituration made by a pharmacist is released by another; a failing assay holds it")
  func triturationRelease() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let file = Pharmacy.repository.appendingPathComponent("Config/formulas/NTX-T10.toml").path
    try pharmacy.ok(["formula", "add", "--file", file, "--by", "dchen"])
    let made = try pharmacy.ok([
      "trituration", "make", "--formula", "NTX-T10", "--mass", "1g", "--weighed", "api=100.1mg", "--weighed",
      "diluent=900.2mg", "--by", "dchen", "--json",
    ]).json()
    let lot = try #require(made["lotNumber"] as? String)
    let assay = ["trituration", "assay", lot, "--lab", "Eagle", "--method", "HPLC-UV", "--tested", "2026-11-22"]
    try pharmacy.ok(assay + ["--percent", "100.3", "--by", "aokafor"])
    #expect(try pharmacy.refused(["lot", "release", lot, "--by", "dchen"]).contains("as maker of this trituration"))
    #expect(try pharmacy.ok(assay + ["--percent", "87.0", "--by", "aokafor"]).stdout.contains("is on hold"))
    #expect(try pharmacy.refused(["lot", "release", lot, "--by", "aokafor"]).contains("failed its latest assay"))
    // Below the minimum weight, and a diluent that is not an accepted filler, are refused.
    #expect(
      try pharmacy.refused(["trituration", "plan", "--formula", "NTX-T10", "--mass", "500mg"]).contains(
        "make at least 820.0 mg"))
    #expect(
      try pharmacy.refused([
        "trituration", "make", "--formula", "NTX-T10", "--mass", "1g", "--weighed", "api=80mg", "--weighed",
        "diluent=920mg", "--by", "dchen", "--deviation", "x",
      ]).contains("below the minimum weight"))
  }

  @Test("a stop at the balance prompt records nothing")
  func stopAtPrompt() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let balance = try SimulatedBalance()
    balance.queue([.stable(Mass(micrograms: 149_800))])
    let before = try pharmacy.digest()
    let outcome = try pharmacy.run(
      [
        "batch", "record", "--formula", "LDN45", "--quantity", "30", "--device", balance.device, "--yield", "33",
        "--by", "mtorres",
      ], input: "\nq\n")
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("stopped at the balance: nothing recorded"))
    #expect(try pharmacy.digest() == before)
  }

  @Test("scanned receipts: GTIN and expiry from the scan, a second container shares the certificate")
  func scannedReceipt() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let certificate = pharmacy.folder.appendingPathComponent("coa-NX-SCAN.pdf")
    try Data("%PDF-1.4 certificate of analysis NX-SCAN".utf8).write(to: certificate)
    let receive = ["lot", "receive", "--ingredient", "NALTREXONE-HCL", "--supplier", "Medisca", "--quantity", "5g"]
    try pharmacy.ok(
      receive + [
        "--scan", Self.scan(), "--assay", "99.6", "--assay-basis", "anhydrous", "--water", "0.4", "--certificate",
        certificate.path, "--by", "mtorres",
      ])
    try pharmacy.ok(receive + ["--scan", Self.scan(serial: "S2"), "--by", "mtorres"])
    let lots = try pharmacy.ok(["lot", "list", "--ingredient", "NALTREXONE-HCL", "--json"]).jsonArray()
      .compactMap { $0["lot"] as? [String: Any] }.filter { $0["supplierLot"] as? String == "NX-SCAN" }
    try #require(lots.count == 2)
    #expect(lots.allSatisfy { $0["gtin"] as? String == "00300456789017" && $0["expiry"] as? String == "2028-06-30" })
    let second = try #require(lots.last?["lotNumber"] as? String)
    let detail = try pharmacy.ok(["lot", "show", second, "--json"]).json()
    #expect(detail["certificateIntact"] as? Bool == true)
    #expect(detail["serial"] as? String == "S2")
    // The kept certificate comes back byte for byte.
    let copy = pharmacy.folder.appendingPathComponent("copy.pdf").path
    try pharmacy.ok(["lot", "show", second, "--certificate-out", copy])
    #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: certificate))
    // A bad check digit and a scan that contradicts the typed lot are refused, nothing written.
    #expect(
      try pharmacy.refused(receive + ["--scan", "0100300456789018" + "10X", "--by", "mtorres"]).contains(
        "check digit"))
    #expect(
      try pharmacy.refused(receive + ["--scan", Self.scan(), "--supplier-lot", "OTHER", "--by", "mtorres"])
        .contains("differs from the scanned lot"))
    // The separator is accepted in --scan alone.
    #expect(
      try pharmacy.refused(receive + ["--supplier-lot", "A" + Self.gs + "B", "--expiry", "2028-01-31"]).contains(
        "control character U+001D"))
  }

  @Test("the container in hand is checked against the plan; a wrong one is refused before anything is written")
  func containerCheck() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let record = [
      "batch", "record", "--formula", "LDN45", "--quantity", "30", "--weighed", "NALTREXONE-HCL=149.8mg",
      "--weighed", "AVICEL-PH102=7.7702g", "--yield", "33", "--by", "mtorres",
    ]
    #expect(
      try pharmacy.refused(record + ["--scan", "NALTREXONE-HCL=" + Self.scan(lot: "NX-9")])
        .contains("is lot NX-9, but the plan uses lot"))
    #expect(
      try pharmacy.refused(record + ["--scan", "NALTREXONE-HCL=" + Self.scan(lot: "NX-1", expiry: "290101")])
        .contains("expires 2029-01-01"))
    #expect(try pharmacy.refused(record + ["--scan", "SUGAR=" + Self.scan()]).contains("does not use"))
    // With the balance connected, a wrong container is named before anything is weighed.
    let balance = try SimulatedBalance()
    let weighing = [
      "batch", "record", "--formula", "LDN45", "--quantity", "30", "--device", balance.device, "--yield", "33",
      "--by", "mtorres",
    ]
    #expect(
      try pharmacy.refused(weighing + ["--scan", "NALTREXONE-HCL=" + Self.scan(lot: "NX-9")]).contains("is lot NX-9"))
    #expect(balance.received.isEmpty)
    let done = try pharmacy.ok(record + ["--scan", "api=" + Self.scan(lot: "NX-1"), "--shells", "35", "--json"]).json()
    let shells = (done["components"] as? [[String: Any]])?.last?["measured"] as? Int
    #expect(shells == 35)
  }

  @Test("an API lot with no certificate on file is released with a reason; as-is with no water is refused")
  func releaseRules() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.seed()
    let receive = [
      "lot", "receive", "--ingredient", "NALTREXONE-HCL", "--supplier", "PCCA", "--expiry", "2028-06-30",
      "--quantity", "1g", "--by", "mtorres",
    ]
    try pharmacy.ok(
      receive + ["--supplier-lot", "NOCOA", "--assay", "99.8", "--assay-basis", "anhydrous", "--water", "0.3"])
    try pharmacy.ok(receive + ["--supplier-lot", "ASIS", "--assay", "99.1"])
    let numbers = try pharmacy.lotNumbers()
    let noCertificate = try #require(numbers["NOCOA"])
    let asIs = try #require(numbers["ASIS"])
    #expect(
      try pharmacy.refused(["lot", "release", noCertificate, "--by", "dchen"]).contains(
        "no certificate of analysis on file"))
    // A certificate that arrives later is kept with the lot, once; then the lot releases without a reason.
    let file = pharmacy.folder.appendingPathComponent("coa-NOCOA.txt")
    try Data("Certificate of analysis NOCOA: 99.8 % anhydrous, water 0.3 %".utf8).write(to: file)
    try pharmacy.ok(["lot", "certificate", noCertificate, "--file", file.path, "--by", "mtorres"])
    #expect(
      try pharmacy.refused(["lot", "certificate", noCertificate, "--file", file.path, "--by", "mtorres"]).contains(
        "never replaced"))
    // The sqlite3 shell cannot swap it either.
    #expect(try pharmacy.sqlite("UPDATE lot SET certificate_sha256 = NULL WHERE supplier_lot = 'NOCOA'").status != 0)
    try pharmacy.ok(["lot", "release", noCertificate, "--by", "dchen"])
    #expect(try pharmacy.ok(["lot", "show", noCertificate, "--json"]).json()["certificateIntact"] as? Bool == true)
    // Without one, a pharmacist may release it with the reason, which the status history keeps.
    try pharmacy.ok(
      receive + ["--supplier-lot", "LATE", "--assay", "99.8", "--assay-basis", "anhydrous", "--water", "0.3"])
    let late = try #require(try pharmacy.lotNumbers()["LATE"])
    try pharmacy.ok(["lot", "release", late, "--reason", "certificate requested from PCCA", "--by", "dchen"])
    #expect(try pharmacy.ok(["lot", "show", late]).stdout.contains("certificate requested from PCCA"))
    #expect(
      try pharmacy.refused(["lot", "release", asIs, "--reason", "x", "--by", "dchen"]).contains("no water content"))
  }
}

/// A balance on a serial line, simulated on a pseudo-terminal: compound opens the terminal's other end as
/// `serial:/dev/pts/N` (raw, 9600 8N1) and speaks MT-SICS to it.
@Suite("A balance on a serial port")
struct SerialBalanceTests {
  @Test("balance read over a serial line: I4 and S answered, CR LF framed")
  func serialRead() throws {
    // posix_openpt and ptsname by hand: /dev/ptmx, unlocked (TIOCSPTLCK), its number (TIOCGPTN).
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    try #require(master >= 0)
    defer { close(master) }
    var unlock: Int32 = 0
    var number: UInt32 = 0
    try #require(ioctl(master, 0x4004_5431, &unlock) == 0)
    try #require(ioctl(master, 0x8004_5430, &number) == 0)
    let name = "/dev/pts/\(number)"
    let pharmacy = try Pharmacy()
    try pharmacy.initialize()
    let answering = Thread {
      var pending: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 64)
      var answered = 0
      while answered < 2 {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 10_000) > 0 else { return }
        let count = read(master, &buffer, buffer.count)
        guard count > 0 else { return }
        pending += buffer[..<count]
        while let end = pending.firstIndex(of: 10) {
          let line = String(decoding: pending[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
          pending.removeFirst(end + 1)
          let reply = line == "I4" ? "I4 A \"SER-77\"\r\n" : line == "S" ? "S S     0.1504 g\r\n" : "ES\r\n"
          _ = reply.withCString { write(master, $0, strlen($0)) }
          answered += 1
        }
      }
    }
    answering.start()
    let reading = try pharmacy.ok(["balance", "read", "--device", "serial:\(name)", "--json"]).json()
    #expect(reading["serial"] as? String == "SER-77")
    #expect((reading["mass"] as? NSNumber)?.stringValue == "150.4")
    #expect(reading["device"] as? String == "serial:\(name)")
    #expect(
      try pharmacy.refused(["balance", "read", "--device", "serial:/dev/no-such-port"]).contains(
        "cannot open the serial port /dev/no-such-port"))
  }
}
