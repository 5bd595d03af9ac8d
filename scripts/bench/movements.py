"""Reference for `make bench`: the month's movement rows written with Python XlsxWriter (constant memory).

Usage: python3 movements.py DB START END OUT.xlsx
"""
import sqlite3
import sys

import xlsxwriter

database, start, end, out = sys.argv[1:5]
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
rows = connection.execute(
    "SELECT movement.moved_at, COALESCE(lot.lot_number, batch.lot_number), COALESCE(ingredient.code, formula.code),"
    " movement.kind, ingredient.kind, movement.quantity, movement.moved_by, movement.reason"
    " FROM movement LEFT JOIN lot ON lot.id = movement.lot_id LEFT JOIN ingredient ON ingredient.id = lot.ingredient_id"
    " LEFT JOIN batch ON batch.id = movement.batch_id LEFT JOIN formula ON formula.id = batch.formula_id"
    " WHERE movement.moved_at >= ? AND movement.moved_at < ? ORDER BY movement.moved_at, movement.id",
    (start, end),
)
workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
sheet = workbook.add_worksheet("Movements")
milligrams = workbook.add_format({"num_format": "#,##0.000"})
sheet.write_row(0, 0, ["When (UTC)", "Lot", "Item", "Movement", "Unit", "Quantity", "By", "Reason"])
for index, (at, lot, item, kind, ingredient, quantity, by, reason) in enumerate(rows, start=1):
    mass = ingredient is not None and ingredient not in ("shell", "container")
    sheet.write_string(index, 0, at)
    sheet.write_string(index, 1, lot or "")
    sheet.write_string(index, 2, item or "")
    sheet.write_string(index, 3, kind)
    sheet.write_string(index, 4, "mg" if mass else "pcs")
    sheet.write_number(index, 5, quantity / 1000 if mass else quantity, milligrams if mass else None)
    sheet.write_string(index, 6, by or "")
    sheet.write_string(index, 7, reason or "")
workbook.close()
