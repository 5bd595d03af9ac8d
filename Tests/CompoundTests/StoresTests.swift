import Foundation
import Testing

@Suite("The stores of a chain: one database, each store's own stock and numbers, a recall across them all")
struct StoresTests {
  /// A seeded pharmacy (its lots received before it had stores) that then adds stores MAIN and WEST; returns it
  /// and a station at each store.
  func chain(server: Bool = Pharmacy.onServer) throws -> (Pharmacy, main: Pharmacy, west: Pharmacy) {
    let pharmacy = try Pharmacy(rules: Pharmacy.noAssay, server: server)
    try pharmacy.seed()
    try pharmacy.ok(["store", "add", "MAIN", "--name", "Main Street", "--by", "dchen"])
    try pharmacy.ok(["store", "add", "west", "--name", "West Side", "--by", "aokafor"])
    return (pharmacy, try pharmacy.station(store: "MAIN"), try pharmacy.station(store: "WEST"))
  }

  /// Receives the seed's three supplier lots again at `station`'s store and releases them; returns their lot
  /// numbers by supplier lot.
  func stock(_ station: Pharmacy) throws -> [String: String] {
    try station.receive("NALTREXONE-HCL", lot: "NX-1", expiry: "2028-06-30", quantity: "5g")
    try station.receive("AVICEL-PH102", lot: "AV-1", expiry: "2029-01-31", quantity: "500g")
    try station.receive("CAPS-1-WHITE", lot: "CP-1", expiry: "2029-01-31", quantity: "1000count")
    var numbers: [String: String] = [:]
    for item in try station.ok(["inventory", "show", "--json"]).jsonArray() {
      guard let number = item["lotNumber"] as? String, item["status"] as? String == "quarantined" else { continue }
      try station.ok(["lot", "release", number, "--by", "dchen"])
      numbers[item["item"] as? String ?? ""] = number
    }
    return numbers
  }

  @Test("adding a store is a pharmacist's signed act; a store is never changed or removed")
  func addingStores() throws {
    let pharmacy = try Pharmacy()
    try pharmacy.initialize()
    try pharmacy.ok(["store", "list"])
    let technician = try pharmacy.refused(["store", "add", "MAIN", "--name", "Main", "--by", "mtorres"])
    #expect(technician.contains("only a pharmacist adds a store"))
    let code = try pharmacy.refused(["store", "add", "MAIN-1", "--name", "Main", "--by", "dchen"])
    #expect(code.contains("1 to 8 letters or digits"))
    try pharmacy.ok(["store", "add", "main", "--name", "Main Street", "--by", "dchen"])
    let twice = try pharmacy.refused(["store", "add", "Main", "--name", "Again", "--by", "dchen"])
    #expect(twice.contains("store MAIN already exists"))
    let stores = try pharmacy.ok(["store", "list", "--json"]).jsonArray()
    #expect(stores.compactMap { $0["code"] as? String } == ["MAIN"])
    // Behind compound's back: a store's row is final and kept, on either engine.
    #expect(try pharmacy.sqlite("UPDATE store SET code = 'EVIL'").status != 0)
    #expect(try pharmacy.sqlite("DELETE FROM store").status != 0)
    #expect(try pharmacy.ok(["audit", "verify", "--full"]).stdout.contains("audit trail intact"))
    let log = try pharmacy.ok(["audit", "log", "--json"]).jsonArray()
    #expect(log.contains { $0["table"] as? String == "store" && $0["actor"] as? String == "dchen" })
  }

  @Test("once a pharmacy has stores, a station must name one of them: none, or an unknown one, is refused")
  func stationNamesItsStore() throws {
    let (pharmacy, _, _) = try chain()
    let unnamed = try pharmacy.refused(["batch", "plan", "--formula", "LDN45", "--quantity", "30"])
    #expect(unnamed.contains("this pharmacy has stores (MAIN, WEST)"))
    #expect(unnamed.contains("[pharmacy] store = CODE"))
    let east = try pharmacy.station(store: "EAST")
    let unknown = try east.refused(["inventory", "show"])
    #expect(unknown.contains("store EAST"))
    #expect(unknown.contains("compound store add EAST"))
    let bad = try pharmacy.station(store: "NO SUCH")
    let setting = try bad.refused(["inventory", "show"])
    #expect(setting.contains("pharmacy.store 'NO SUCH' is not a store code"))
  }

  @Test("each store weighs, fills and adjusts only its own stock; its lot numbers carry its code")
  func ownStock() throws {
    let (pharmacy, main, west) = try chain()
    let old = try main.lotNumbers()
    // What was received before the stores belongs to the first store, MAIN; WEST has nothing yet.
    let mainItems = Set(
      try main.ok(["inventory", "show", "--json"]).jsonArray().compactMap { $0["lotNumber"] as? String })
    #expect(mainItems == Set(old.values))
    #expect(try west.ok(["inventory", "show", "--json"]).jsonArray().isEmpty)
    let empty = try west.refused(["batch", "plan", "--formula", "LDN45", "--quantity", "30"])
    #expect(empty.contains("no released, unexpired lot of NALTREXONE-HCL"))
    // A lot on another store's shelf is refused by name, saying whose it is.
    let api = try #require(old["NX-1"])
    let theirs = try west.refused([
      "batch", "plan", "--formula", "LDN45", "--quantity", "30", "--lot", "NALTREXONE-HCL=\(api)",
    ])
    #expect(theirs.contains("lot \(api) is at store MAIN, not at WEST"))
    let adjust = try west.refused([
      "stock", "adjust", api, "--quantity", "-1mg", "--reason", "count", "--by", "mtorres",
    ])
    #expect(adjust.contains("store MAIN's stock"))
    // WEST's own receipts: numbered with its code, and the only lots its balance is offered.
    let westLots = try stock(west)
    #expect(westLots.values.allSatisfy { $0.hasPrefix("WEST-R") })
    let plan = try west.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    let planned = try #require(plan["components"] as? [[String: Any]]).compactMap { $0["lotNumber"] as? String }
    #expect(Set(planned) == Set(westLots.values))
    let mainPlan = try main.ok(["batch", "plan", "--formula", "LDN45", "--quantity", "30", "--json"]).json()
    let mainPlanned = try #require(mainPlan["components"] as? [[String: Any]]).compactMap { $0["lotNumber"] as? String }
    #expect(Set(mainPlanned) == Set(old.values))
    let westBatch = try west.verifiedBatch()
    let mainBatch = try main.verifiedBatch()
    #expect(westBatch.hasPrefix("WEST-LDN45-"))
    #expect(mainBatch.hasPrefix("MAIN-LDN45-"))
    // The stock each batch took came off its own store's lots.
    #expect(try west.onHand(try #require(westLots["AVICEL-PH102"])) ?? 0 < 500_000_000)
    #expect(try main.onHand(try #require(old["AV-1"])) ?? 0 < 500_000_000)
    #expect(
      try west.ok(["stock", "adjust", westBatch, "--quantity", "-1", "--reason", "count", "--by", "mtorres"])
        .stdout.contains(westBatch))
    try pharmacy.ok(["doctor"])
  }

  @Test("Rx numbers are each store's own; a fill takes its store's batch, of its store's prescription")
  func prescriptions() throws {
    let (pharmacy, main, west) = try chain()
    _ = try stock(west)
    let mainBatch = try main.verifiedBatch()
    let westBatch = try west.verifiedBatch()
    try pharmacy.ok(["patient", "add", "--name", "Ann Able", "--dob", "1960-01-01"])
    try pharmacy.ok(["prescriber", "add", "--name", "Dr. Ruiz", "--npi", "1234567893"])
    func add(_ station: Pharmacy) throws -> String {
      let record = try station.ok([
        "rx", "add", "--patient", "1", "--prescriber", "1", "--formula", "LDN45", "--quantity", "10", "--refills",
        "3", "--written", "2026-11-20", "--by", "dchen", "--json",
      ]).json()
      return try #require((record["prescription"] as? [String: Any])?["rxNumber"] as? String)
    }
    #expect(try add(main) == "MAIN-600001")
    #expect(try add(west) == "WEST-600001")
    #expect(try add(west) == "WEST-600002")
    #expect(try add(main) == "MAIN-600002")
    let elsewhere = try west.refused(["rx", "fill", "MAIN-600001", "--by", "mtorres"])
    #expect(elsewhere.contains("Rx MAIN-600001 is store MAIN's prescription, not WEST's"))
    let theirBatch = try west.refused(["rx", "fill", "west-600001", "--lot", mainBatch, "--by", "dchen"])
    #expect(theirBatch.contains("batch \(mainBatch) is at store MAIN, not at WEST"))
    let fill = try west.ok(["rx", "fill", "west-600001", "--by", "mtorres", "--json"]).json()
    #expect(fill["lotNumber"] as? String == westBatch)
    // The patient's last fill, at the other store, makes this one too soon: the chain's fills are one history.
    let soon = try main.refused(["rx", "fill", "MAIN-600001", "--by", "mtorres"])
    #expect(soon.contains("refill too soon: Rx WEST-600001 fill 1"))
    let mainFill = try main.ok([
      "rx", "fill", "MAIN-600001", "--override", "patient moved to Main Street", "--by", "dchen", "--json",
    ]).json()
    #expect(mainFill["lotNumber"] as? String == mainBatch)
    // Its label is printed where its capsules are.
    let fillID = try #require((mainFill["id"] as? NSNumber)?.stringValue)
    let label = try west.refused(["label", "print", "--fill", fillID, "--format", "text", "--by", "mtorres"])
    #expect(label.contains("print its labels at MAIN"))
    try main.ok(["label", "print", "--fill", fillID, "--format", "text", "--by", "mtorres"])
  }

  @Test("the month's workbook is the store's; --all-stores is the chain's, and says so")
  func workbooks() throws {
    let (_, main, west) = try chain()
    _ = try stock(west)
    try west.verifiedBatch()
    try main.verifiedBatch()
    func export(_ station: Pharmacy, _ name: String, _ extra: [String] = []) throws -> [String: Any] {
      let path = station.folder.appendingPathComponent(name).path
      let line = try station.ok(["inventory", "export", "--month", "2026-11", "--out", path] + extra).stdout
      let data = try #require(
        try ExportTests().read(
          path,
          """
          wb = openpyxl.load_workbook(path, data_only=True)
          lots = [r[0] for r in wb['Lots at month end'].iter_rows(min_row=2, values_only=True) if r[0]]
          batches = [r[0] for r in wb['Batches compounded'].iter_rows(min_row=2, values_only=True) if r[0]]
          footer = [r[0] for r in wb['Summary'].iter_rows(min_row=2, values_only=True) if str(r[0]).startswith('Store')]
          print(json.dumps({'lots': lots, 'batches': batches, 'footer': footer,
            'title': wb.properties.title}))
          """) as? [String: Any])
      return data.merging(["line": line]) { a, _ in a }
    }
    let westBook = try export(west, "west.xlsx")
    let mainBook = try export(main, "main.xlsx")
    let chainBook = try export(west, "chain.xlsx", ["--all-stores"])
    let westLots = try #require(westBook["lots"] as? [String])
    let mainLots = try #require(mainBook["lots"] as? [String])
    #expect(!westLots.isEmpty && westLots.allSatisfy { $0.hasPrefix("WEST-") })
    #expect(!mainLots.isEmpty && !mainLots.contains { $0.hasPrefix("WEST-") })
    #expect(Set(try #require(chainBook["lots"] as? [String])) == Set(westLots + mainLots))
    #expect(westBook["batches"] as? [String] == [try #require((westBook["batches"] as? [String])?.first)])
    #expect((chainBook["batches"] as? [String])?.count == 2)
    #expect(westBook["footer"] as? [String] == ["Store: WEST (West Side)"])
    #expect(chainBook["footer"] as? [String] == ["Store: all stores: MAIN, WEST"])
    #expect((westBook["title"] as? String)?.hasSuffix("WEST (West Side)") == true)
    #expect((westBook["line"] as? String)?.contains("(WEST (West Side))") == true)
  }

  @Test("a recall spans every store: each receipt of the supplier lot, the batches, fills and stock of both")
  func recallAcrossStores() throws {
    let (pharmacy, main, west) = try chain()
    let westLots = try stock(west)
    let mainBatch = try main.verifiedBatch()
    let westBatch = try west.verifiedBatch()
    let mainAPI = try #require(try main.lotNumbers()["NX-1"])
    #expect(try pharmacy.ok(["lot", "list", "--all-stores", "--json"]).jsonArray().count == 6)
    let westAPI = try #require(westLots["NALTREXONE-HCL"])
    for (station, lot) in [(main, mainAPI), (west, westAPI)] {
      let report = try station.ok(["recall", lot, "--json"]).json()
      #expect(Set(report["receipts"] as? [String] ?? []) == [mainAPI, westAPI])
      let batches = try #require(report["batches"] as? [[String: Any]]).compactMap { $0["lotNumber"] as? String }
      #expect(Set(batches) == [mainBatch, westBatch])
      let stores = try #require(report["stores"] as? [String: String])
      #expect(stores[mainBatch] == "MAIN")
      #expect(stores[westBatch] == "WEST")
      #expect(stores[westAPI] == "WEST")
      #expect(stores[mainAPI] == "MAIN")
    }
    let text = try west.ok(["recall", mainAPI]).stdout
    let book = west.folder.appendingPathComponent("recall.xlsx").path
    try west.ok(["recall", mainAPI, "--out", book])
    let onHand = try #require(
      try ExportTests().read(
        book,
        """
        ws = openpyxl.load_workbook(path)['On hand to quarantine']
        print(json.dumps({r[0]: r[-1] for r in ws.iter_rows(min_row=2, values_only=True)}))
        """) as? [String: String])
    #expect(onHand[westBatch] == "WEST" && onHand[mainBatch] == "MAIN" && onHand[westAPI] == "WEST")
    #expect(text.contains("\(westBatch) (30 pcs, store WEST)"))
    #expect(text.contains("\(westAPI) (store WEST)"))
    // Held from one store, the stock of both stores goes on hold.
    let held = try west.ok([
      "recall", mainAPI, "--hold", "--by", "dchen", "--reason", "supplier recall NX-1", "--json",
    ]).json()
    #expect(Set(held["held"] as? [String] ?? []).isSuperset(of: [mainAPI, westAPI, mainBatch, westBatch]))
    for lot in [mainAPI, westAPI] {
      let status = try main.ok(["lot", "show", lot, "--json"]).json()
      let row = (status["lot"] as? [String: Any])?["lot"] as? [String: Any]
      #expect(row?["status"] as? String == "on_hold")
    }
  }
}
