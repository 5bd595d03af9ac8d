import Formulation
import Foundation
import Pricing
import Quantities

extension AppDatabase {
  /// What a batch cost: each component lot's share of its receipt cost, and the formula's labour minutes.
  public func batchCost(_ lotNumber: String) throws(StoreError) -> (lines: [CostLine], yield: Int, labourMinutes: Int?)
  {
    try read { db in try batchCost(db, try batchRow(db, lotNumber)) }
  }

  func batchCost(_ db: any StoreConnection, _ row: SQLRow) throws -> (
    lines: [CostLine], yield: Int, labourMinutes: Int?
  ) {
    let lines = try costLines(db, batchID: row["id"])
    let formula = try db.row(sql: "SELECT * FROM formula WHERE id = ?", arguments: [row["formula_id"] as Int64])
    let labour = try formula.map { try version(db, $0, countingBatches: false).formula.labourMinutes } ?? nil
    return (lines, try row["actual_yield"], labour)
  }

  /// What a batch consumed, lot by lot, with each lot's receipt cost.
  func costLines(_ db: any StoreConnection, batchID: Int64) throws -> [CostLine] {
    try db.rows(
      sql: """
        SELECT batch_component.measured, lot.lot_number, lot.cost_cents, lot.received_quantity, ingredient.code
        FROM batch_component JOIN lot ON lot.id = batch_component.lot_id
        JOIN ingredient ON ingredient.id = lot.ingredient_id
        WHERE batch_component.batch_id = ? ORDER BY batch_component.id
        """, arguments: [batchID]
    ).map { line in
      CostLine.ingredient(
        try line["code"], lotNumber: try line["lot_number"], quantity: try line["measured"],
        lotCost: (try line["cost_cents"] as Int64?).map(Money.init(cents:)), received: try line["received_quantity"])
    }
  }

  /// A quote for `quantity` capsules before compounding: what a batch of that many would consume from the lots
  /// first-expiry-first-out would use now, priced by the same rule as a fill.
  public func quote(
    formulaCode: String, quantity: Int, rules: FormulationRules, model: PriceModel, today: CalendarDate
  ) throws(StoreError) -> PriceBreakdown {
    let plan = try planBatch(
      formulaCode: formulaCode, quantity: quantity, lotChoices: [:], balance: nil, rules: rules, today: today)
    return try read { db in
      let lines = try plan.components.map { component in
        let lot = try db.row(
          sql: "SELECT cost_cents, received_quantity FROM lot WHERE lot_number = ?",
          arguments: [component.lotNumber])
        return CostLine.ingredient(
          component.ingredientCode, lotNumber: component.lotNumber, quantity: component.consumed(atYield: quantity),
          lotCost: (try lot?["cost_cents"] as Int64?).map(Money.init(cents:)),
          received: try lot?["received_quantity"] ?? 1)
      }
      let minutes = try version(db, try formulaRow(db, formulaCode), countingBatches: false).formula.labourMinutes
      return PriceBreakdown.price(
        quantity: quantity, ingredientLines: lines, linesCover: quantity,
        labourMinutes: minutes ?? model.defaultLabourMinutes, model: model)
    }
  }

  /// Stock on hand at cost: each lot's receipt cost per unit times what is left; nil value when unknown.
  public func valuation() throws(StoreError) -> [ValuationLine] {
    try read { db in
      let scope = try scope(db)
      return try db.rows(
        sql: """
          SELECT lot.lot_number, stock.on_hand, lot.cost_cents, lot.received_quantity, ingredient.code, ingredient.kind
          FROM \(RowDecoding.lotsHeld(db)) JOIN ingredient ON ingredient.id = lot.ingredient_id
          WHERE stock.lot_id IS NOT NULL AND stock.on_hand > 0 AND \(scope.holds("lot", "lot.id"))
          ORDER BY ingredient.code, lot.lot_number
          """
      ).map { row in
        let onHand: Int64 = try row["on_hand"]
        let received: Int64 = try row["received_quantity"]
        let value = (try row["cost_cents"] as Int64?).map {
          Money.share(of: Money(cents: $0), part: onHand, whole: received)
        }
        return ValuationLine(
          lotNumber: try row["lot_number"], ingredient: try row["code"],
          unit: try RowDecoding.known(IngredientKind.self, row, "kind").stockUnit, onHand: onHand, value: value)
      }
    }
  }
}
