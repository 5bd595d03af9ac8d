#include <sqlite3.h>

/* Turns the triggers of one connection on or off (sqlite3_db_config is variadic, which Swift cannot call).
 * Only the connection that brings a backup forward turns them off: it copies rows exactly as the database
 * holds them, and the copy's own triggers (append-only, audit capture, stock) must not act on that copy. */
static inline int compound_enable_triggers(sqlite3 *db, int enable) {
  int now = -1;
  int status = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, enable, &now);
  return status == SQLITE_OK && now == enable ? 0 : 1;
}
