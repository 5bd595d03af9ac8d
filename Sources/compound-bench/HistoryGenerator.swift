import Foundation
import GRDB
@_spi(Bench) import Store

/// Ten years of a busy pharmacy (20 batches and 300 fills a day), written through the audited write path.
///
/// It starts from a template database made by `compound` itself (a received lot of each ingredient, one batch
/// recorded, checked, assayed and released, one prescription filled, labelled and checked) and copies those
/// rows day after day with the day's dates, lot numbers, Rx numbers and links, one transaction a day, through
/// `AppDatabase.auditedWrite`: the same capture triggers, chain, tally and stock triggers as every command.
/// Each month brings new ingredient lots; each week an adjustment; each month a batch held and released again;
/// each year a batch recalled; one batch in a hundred keeps capsules it never dispenses. The last day's batches
/// stay on the shelf. The result is checked with `compound audit verify --full` before it is used.
struct HistoryGenerator {
  var days: Int
  var batchesPerDay = 20
  var fillsPerDay = 300
  var patients = 2_000
  /// The Rx number before the first one made (a later day added to a generated history starts past its own).
  var firstRx = 0
  /// Whether the last day's batches stay on the shelf (no fills that day).
  var lastDayOnShelf = true

  /// Rows copied from the template, one statement per table and set of changed columns.
  private struct Copier {
    var db: Database

    /// Inserts a copy of `table` row `id` with `changes` (column -> value) and returns the new row's id.
    @discardableResult
    func copy(_ table: String, _ id: Int64, _ changes: KeyValuePairs<String, (any DatabaseValueConvertible)?>) throws
      -> Int64
    {
      let columns = try db.columns(in: table).map(\.name).filter { $0 != "id" }
      let changed = Dictionary(changes.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
      let select = columns.map { changed.keys.contains($0) ? "?" : "\"\($0)\"" }
      let statement = try db.cachedStatement(
        sql: """
          INSERT INTO \(table) (\(columns.map { "\"\($0)\"" }.joined(separator: ", ")))
          SELECT \(select.joined(separator: ", ")) FROM \(table) WHERE id = ?
          """)
      var arguments: [(any DatabaseValueConvertible)?] = columns.compactMap { changed[$0] }
      arguments.append(id)
      try statement.execute(arguments: StatementArguments(arguments))
      return db.lastInsertedRowID
    }
  }

  /// Writes the history into `database` (a copy of the template), from the day after the template's on.
  func generate(database path: String, start: Date, progress: (Int) -> Void) throws {
    let database = try AppDatabase.open(path: path)
    let template = try Template(DatabaseQueue(path: path))
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    let day = DateFormatter()
    day.dateFormat = "yyyy-MM-dd"
    day.timeZone = calendar.timeZone
    let short = DateFormatter()
    short.dateFormat = "yyMMdd"
    short.timeZone = calendar.timeZone
    var lots = template.lots
    // Each ingredient's newest lot: the template's in a new history, last month's on a day added to one.
    try DatabaseQueue(path: path).read { db in
      for (ingredient, lot) in template.lots {
        let newest = try Int64.fetchOne(
          db,
          sql:
            "SELECT max(lot.id) FROM lot JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE ingredient.code = ?",
          arguments: [ingredient])
        lots[ingredient]?.id = newest ?? lot.id
      }
    }
    var rx = firstRx
    var patientIDs: [Int64] = []
    try database.auditedWrite(actor: "dchen", command: "bench: patients", at: start) { db in
      let copier = Copier(db: db)
      for number in 0..<patients {
        patientIDs.append(
          try copier.copy("patient", template.patient, ["name": "Bench Patient \(number)", "dob": "1960-01-01"]))
      }
    }
    for index in 1...days {
      guard let now = calendar.date(byAdding: .day, value: index, to: start) else { continue }
      let date = day.string(from: now)
      let stamp = Timestamp.string(now)
      let components = calendar.dateComponents([.day, .month, .weekday], from: now)
      try database.auditedWrite(actor: "mtorres", command: "bench: the day \(date)", at: now) { db in
        let copier = Copier(db: db)
        // New ingredient lots on the first of each month, released by a pharmacist.
        if components.day == 1 {
          for (ingredient, lot) in template.lots {
            let id = try copier.copy(
              "lot", lot.id,
              [
                "lot_number": "\(ingredient)-\(short.string(from: now))", "supplier_lot": "\(ingredient)-\(date)",
                "expiry": day.string(from: calendar.date(byAdding: .year, value: 3, to: now) ?? now),
                "received_quantity": lot.monthly, "received_at": stamp, "status": "quarantined",
                "certificate_sha256": nil,
              ])
            try db.execute(
              sql: """
                INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by, reason)
                VALUES (?, 'received', ?, ?, 'mtorres', 'bench receipt')
                """, arguments: [id, lot.monthly, stamp])
            try db.execute(
              sql: """
                INSERT INTO status_change (lot_id, from_status, to_status, changed_at, changed_by, reason)
                VALUES (?, 'quarantined', 'released', ?, 'dchen', 'certificate reviewed')
                """, arguments: [id, stamp])
            try db.execute(sql: "UPDATE lot SET status = 'released' WHERE id = ?", arguments: [id])
            lots[ingredient]?.id = id
          }
        }
        // An adjustment a week.
        if components.weekday == 2, let lot = lots.values.first {
          try db.execute(
            sql: """
              INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by, reason)
              VALUES (?, 'adjusted', -1, ?, 'mtorres', 'bench count')
              """, arguments: [lot.id, stamp])
        }
        var batches: [Int64] = []
        for number in 1...batchesPerDay {
          let keeps = (index * batchesPerDay + number) % 100 == 0
          let yield = keeps ? 460 : 450
          let batch = try copier.copy(
            "batch", template.batch,
            [
              "lot_number": "LDN45-\(short.string(from: now))-\(String(format: "%02d", number))",
              "compounding_date": date,
              "bud": day.string(from: calendar.date(byAdding: .day, value: 180, to: now) ?? now),
              "compounded_at": stamp, "verified_at": stamp, "status": "quarantined", "actual_yield": yield,
              "quantity": 450, "capsules_planned": 495,
            ])
          batches.append(batch)
          for component in template.components {
            let lot = lots[component.ingredient]?.id ?? component.lot
            try copier.copy("batch_component", component.id, ["batch_id": batch, "lot_id": lot])
            try db.execute(
              sql: """
                INSERT INTO movement (lot_id, kind, quantity, moved_at, moved_by, for_batch_id)
                VALUES (?, 'consumed', ?, ?, 'mtorres', ?)
                """, arguments: [lot, -component.consumed, stamp, batch])
          }
          try db.execute(
            sql:
              "INSERT INTO movement (batch_id, kind, quantity, moved_at, moved_by) VALUES (?, 'produced', ?, ?, 'mtorres')",
            arguments: [batch, yield, stamp])
          for check in template.weightChecks { try copier.copy("weight_check", check, ["batch_id": batch]) }
          if number == 1 {
            for assay in template.assays { try copier.copy("assay", assay, ["batch_id": batch, "recorded_at": stamp]) }
          }
          try db.execute(
            sql: """
              INSERT INTO status_change (batch_id, from_status, to_status, changed_at, changed_by)
              VALUES (?, 'quarantined', 'released', ?, 'dchen')
              """, arguments: [batch, stamp])
          try db.execute(sql: "UPDATE batch SET status = 'released' WHERE id = ?", arguments: [batch])
        }
        // A batch held and released again each month; a batch recalled each year.
        if components.day == 15, let batch = batches.first {
          for (from, to) in [("released", "on_hold"), ("on_hold", "released")] {
            try db.execute(
              sql: """
                INSERT INTO status_change (batch_id, from_status, to_status, changed_at, changed_by, reason)
                VALUES (?, ?, ?, ?, 'dchen', 'bench hold')
                """, arguments: [batch, from, to, stamp])
            try db.execute(sql: "UPDATE batch SET status = ? WHERE id = ?", arguments: [to, batch])
          }
        }
        if components.day == 20, components.month == 6, let batch = batches.last {
          try db.execute(
            sql: """
              INSERT INTO status_change (batch_id, from_status, to_status, changed_at, changed_by, reason)
              VALUES (?, 'released', 'recalled', ?, 'dchen', 'bench recall')
              """, arguments: [batch, stamp])
          try db.execute(sql: "UPDATE batch SET status = 'recalled' WHERE id = ?", arguments: [batch])
        }
        // The day's fills, 15 of 30 capsules from each batch but a recalled one; none on the last day, whose
        // batches stay on the shelf.
        guard index < days || !lastDayOnShelf else { return }
        let usable = batches.count - (components.day == 20 && components.month == 6 ? 1 : 0)
        for number in 0..<fillsPerDay {
          // 15 fills of 30 empty a batch of 450: the day a batch is recalled, its 15 fills are not made.
          guard number / 15 < usable else { break }
          rx += 1
          let prescription = try copier.copy(
            "prescription", template.prescription,
            [
              "rx_number": "B\(String(format: "%08d", rx))", "patient_id": patientIDs[rx % patientIDs.count],
              "written_on": date, "created_at": stamp,
            ])
          let batch = batches[number / 15]
          let fill = try copier.copy(
            "fill", template.fill,
            ["prescription_id": prescription, "batch_id": batch, "filled_on": date, "filled_at": stamp])
          try db.execute(
            sql: """
              INSERT INTO movement (batch_id, kind, quantity, moved_at, moved_by, reason)
              VALUES (?, 'dispensed', -30, ?, 'dchen', ?)
              """, arguments: [batch, stamp, "Rx B\(String(format: "%08d", rx)) fill 1"])
          for label in template.labels {
            try copier.copy("label_print", label, ["fill_id": fill, "batch_id": batch, "printed_at": stamp])
          }
          for check in template.checks {
            try copier.copy("fill_check", check, ["fill_id": fill, "checked_at": stamp])
          }
        }
      }
      if index % 30 == 0 { progress(index) }
    }
    try database.checkpointLog()
  }

  /// The template's rows: what each day copies.
  struct Template {
    struct Lot {
      var id: Int64
      var monthly: Int64
    }

    struct Component {
      var id: Int64
      var ingredient: String
      var lot: Int64
      var consumed: Int64
    }

    var lots: [String: Lot] = [:]
    var batch: Int64
    var components: [Component] = []
    var weightChecks: [Int64]
    var assays: [Int64]
    var patient: Int64
    var prescription: Int64
    var fill: Int64
    var labels: [Int64]
    var checks: [Int64]

    init(_ queue: DatabaseQueue) throws {
      (batch, components, weightChecks, assays, patient, prescription, fill, labels, checks) = try queue.read { db in
        let batch = try Int64.fetchOne(db, sql: "SELECT batch_id FROM fill ORDER BY id LIMIT 1") ?? 0
        let components = try Row.fetchAll(
          db,
          sql: """
            SELECT batch_component.id, batch_component.lot_id, batch_component.measured, ingredient.code
            FROM batch_component JOIN lot ON lot.id = batch_component.lot_id
            JOIN ingredient ON ingredient.id = lot.ingredient_id WHERE batch_id = ? ORDER BY batch_component.id
            """, arguments: [batch]
        ).map {
          Component(id: $0["id"], ingredient: $0["code"], lot: $0["lot_id"], consumed: $0["measured"])
        }
        // Per batch of 450 capsules.
        let quantity = try Int64.fetchOne(db, sql: "SELECT quantity FROM batch WHERE id = ?", arguments: [batch]) ?? 1
        let scaled = components.map {
          var component = $0
          component.consumed = component.consumed * 450 / max(quantity, 1)
          return component
        }
        return (
          batch, scaled,
          try Int64.fetchAll(db, sql: "SELECT id FROM weight_check WHERE batch_id = ?", arguments: [batch]),
          try Int64.fetchAll(db, sql: "SELECT id FROM assay WHERE batch_id = ?", arguments: [batch]),
          try Int64.fetchOne(db, sql: "SELECT min(id) FROM patient") ?? 0,
          try Int64.fetchOne(db, sql: "SELECT min(id) FROM prescription") ?? 0,
          try Int64.fetchOne(db, sql: "SELECT min(id) FROM fill") ?? 0,
          try Int64.fetchAll(db, sql: "SELECT id FROM label_print WHERE fill_id = (SELECT min(id) FROM fill)"),
          try Int64.fetchAll(db, sql: "SELECT id FROM fill_check WHERE fill_id = (SELECT min(id) FROM fill)")
        )
      }
      // A month of 20 batches a day, from each ingredient, with a tenth to spare.
      for component in components {
        lots[component.ingredient] = Lot(id: component.lot, monthly: component.consumed * 20 * 31 * 11 / 10)
      }
    }
  }
}
