/*
 * unit.c - the unit tree.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/row.h"
#include "store/store.h"

#define UNIT_COLS "id, COALESCE(parent_id,0), code, name, path, type, level, division"

static int unit_read(sqlite3_stmt *s, struct unit *u)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return -1;
	u->id = sqlite3_column_int64(s, 0);
	u->parent_id = sqlite3_column_int64(s, 1);
	copy_col(u->code, sizeof u->code, s, 2);
	copy_col(u->name, sizeof u->name, s, 3);
	copy_col(u->path, sizeof u->path, s, 4);
	copy_col(u->type, sizeof u->type, s, 5);
	copy_col(u->level, sizeof u->level, s, 6);
	copy_col(u->division, sizeof u->division, s, 7);
	return 0;
}

int store_unit_get(struct store *st, int64_t id, struct unit *u)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " UNIT_COLS " FROM units WHERE id=?");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = unit_read(s, u);
	sqlite3_finalize(s);
	return rc;
}

int store_unit_by_code(struct store *st, const char *code, struct unit *u)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " UNIT_COLS " FROM units WHERE code=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, code);
	rc = unit_read(s, u);
	sqlite3_finalize(s);
	return rc;
}

static int path_join(char *dst, size_t n, const char *parent, int64_t id)
{
	int len = snprintf(dst, n, "%.100s%lld/", parent, (long long)id);

	return len < 0 || (size_t)len >= n || strlen(parent) > 100 ? -1 : 0;
}

int store_unit_insert(struct store *st, struct unit *u)
{
	struct unit parent = { 0 };
	sqlite3_stmt *s;
	int rc = -1;

	if (u->parent_id && store_unit_get(st, u->parent_id, &parent) != 0)
		return -1;
	s = store_prepare(st, "INSERT INTO units(parent_id, code, name, path, type, level, division)"
			      " VALUES(?,?,?,'pending-'||?2,?,?,?)");
	if (!s)
		return -1;
	if (u->parent_id)
		sqlite3_bind_int64(s, 1, u->parent_id);
	else
		sqlite3_bind_null(s, 1);
	bind_text(s, 2, u->code);
	bind_text(s, 3, u->name);
	bind_text(s, 4, u->type);
	bind_text(s, 5, u->level);
	bind_text(s, 6, u->division);
	if (sqlite3_step(s) != SQLITE_DONE) {
		log_error("unit insert %s: %s", u->code, sqlite3_errmsg(st->db));
		goto out;
	}
	u->id = sqlite3_last_insert_rowid(st->db);
	/* a root's path is "/<id>/"; children append "<id>/" */
	if (path_join(u->path, sizeof u->path, u->parent_id ? parent.path : "/", u->id)) {
		log_error("unit %s: tree too deep", u->code);
		goto out;
	}
	sqlite3_finalize(s);
	s = store_prepare(st, "UPDATE units SET path=? WHERE id=?");
	if (!s)
		return -1;
	bind_text(s, 1, u->path);
	sqlite3_bind_int64(s, 2, u->id);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	return rc;
}

static int level_rank(const char *level)
{
	static const char *order[] = { "township", "county", "city", "province" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(order[i], level) == 0)
			return i;
	return -1;
}

int store_unit_petition_above(struct store *st, const struct unit *u, struct unit *out)
{
	struct unit cur = *u;
	int rank = level_rank(u->level), rc;

	while (cur.parent_id) {
		rc = store_unit_get(st, cur.parent_id, &cur);
		if (rc)
			return rc;
		if (strcmp(cur.type, "petition") == 0 && level_rank(cur.level) > rank) {
			*out = cur;
			return 0;
		}
	}
	return 1;
}

int store_unit_petition_for_division(struct store *st, const char *division, struct unit *out)
{
	/* exact division first, then the city (xxxx00), then the province (xx0000) */
	char tries[3][8];
	sqlite3_stmt *s;
	int i, rc = 1;

	if (!division || strlen(division) != 6)
		return 1;
	snprintf(tries[0], 8, "%s", division);
	snprintf(tries[1], 8, "%.4s00", division);
	snprintf(tries[2], 8, "%.2s0000", division);
	s = store_prepare(st, "SELECT " UNIT_COLS " FROM units WHERE type='petition' AND division=?"
			      " ORDER BY length(path) LIMIT 1");
	if (!s)
		return -1;
	for (i = 0; i < 3 && rc == 1; i++) {
		sqlite3_reset(s);
		bind_text(s, 1, tries[i]);
		rc = unit_read(s, out);
	}
	sqlite3_finalize(s);
	return rc;
}

json_t *store_units_json(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, parent_id, code, name, type, level, division, policy"
					    " FROM units ORDER BY path");
	json_t *a;

	if (!s)
		return NULL;
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

int store_unit_petition_ancestor(struct store *st, const struct unit *u, struct unit *out)
{
	struct unit cur = *u;
	int rc;

	while (cur.parent_id) {
		rc = store_unit_get(st, cur.parent_id, &cur);
		if (rc)
			return rc;
		if (strcmp(cur.type, "petition") == 0) {
			*out = cur;
			return 0;
		}
	}
	return 1;
}
