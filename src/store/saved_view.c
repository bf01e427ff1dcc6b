/*
 * saved_view.c - a user's saved list filters (schema 13, table saved_views).
 * Not case data and not a projection: a preference that follows the user
 * from machine to machine.
 */
#include <stdio.h>

#include "store/row.h"
#include "store/store.h"

json_t *store_views(struct store *st, int64_t user_id)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, name, list, query, created_at FROM saved_views"
					    " WHERE user_id=? ORDER BY id");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, user_id);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

int store_view_count(struct store *st, int64_t user_id, const char *name, int64_t *n, int *name_taken)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*), coalesce(sum(name=?2), 0) FROM saved_views WHERE user_id=?1");
	int rc = -1;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	bind_text(s, 2, name);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		*name_taken = sqlite3_column_int64(s, 1) > 0;
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int store_view_insert(struct store *st, int64_t user_id, const char *name, const char *list, const char *query,
		      int64_t created_at, int64_t *id)
{
	if (store_run(st, "INSERT INTO saved_views(user_id, name, list, query, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
		      "ittti", user_id, name, list, query, created_at))
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_view_delete(struct store *st, int64_t user_id, int64_t id)
{
	if (store_run(st, "DELETE FROM saved_views WHERE id=?1 AND user_id=?2", "ii", id, user_id))
		return -1;
	return sqlite3_changes(st->db) > 0 ? 1 : 0;
}
