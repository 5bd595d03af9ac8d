/* Reference for `make bench`: writes the month's movement rows straight from SQLite with libxlsxwriter
 * in constant-memory mode, the way `compound inventory export` writes its Movements sheet.
 * Usage: movements DB START END OUT.xlsx */
#include <sqlite3.h>
#include <stdio.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: movements DB START END OUT\n"); return 2; }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return 1;
    const char *sql =
        "SELECT movement.moved_at, COALESCE(lot.lot_number, batch.lot_number), COALESCE(ingredient.code, formula.code),"
        " movement.kind, ingredient.kind, movement.quantity, movement.moved_by, movement.reason"
        " FROM movement LEFT JOIN lot ON lot.id = movement.lot_id LEFT JOIN ingredient ON ingredient.id = lot.ingredient_id"
        " LEFT JOIN batch ON batch.id = movement.batch_id LEFT JOIN formula ON formula.id = batch.formula_id"
        " WHERE movement.moved_at >= ? AND movement.moved_at < ? ORDER BY movement.moved_at, movement.id";
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) return 1;
    sqlite3_bind_text(statement, 1, argv[2], -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, argv[3], -1, SQLITE_STATIC);
    lxw_workbook_options options = {.constant_memory = 1, .tmpdir = NULL, .use_zip64 = 1};
    lxw_workbook *workbook = workbook_new_opt(argv[4], &options);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Movements");
    lxw_format *mg = workbook_add_format(workbook);
    format_set_num_format(mg, "#,##0.000");
    const char *header[] = {"When (UTC)", "Lot", "Item", "Movement", "Unit", "Quantity", "By", "Reason"};
    for (int column = 0; column < 8; column++) worksheet_write_string(sheet, 0, column, header[column], NULL);
    lxw_row_t row = 1;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(statement, 4);
        int mass = kind && !(kind[0] == 's' || kind[0] == 'c');
        for (int column = 0; column < 4; column++) {
            const char *text = (const char *)sqlite3_column_text(statement, column);
            worksheet_write_string(sheet, row, column, text ? text : "", NULL);
        }
        worksheet_write_string(sheet, row, 4, mass ? "mg" : "pcs", NULL);
        double quantity = (double)sqlite3_column_int64(statement, 5);
        worksheet_write_number(sheet, row, 5, mass ? quantity / 1000 : quantity, mass ? mg : NULL);
        const char *by = (const char *)sqlite3_column_text(statement, 6);
        const char *reason = (const char *)sqlite3_column_text(statement, 7);
        worksheet_write_string(sheet, row, 6, by ? by : "", NULL);
        worksheet_write_string(sheet, row, 7, reason ? reason : "", NULL);
        row++;
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return workbook_close(workbook) == LXW_NO_ERROR ? 0 : 1;
}
