/*
 * clock.c - clocks, escalations, the stored calendar and policy overrides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/row.h"
#include "store/store.h"

#define CLOCK_COLS                                                                          \
	"case_id, name, COALESCE(unit_id,0), COALESCE(supervisor_unit_id,0), policy, escalate," \
	" start_at, amount, unit, warn_pct, extra_days, COALESCE(paused_at,0), paused_secs,"    \
	" warn_at, due_at, COALESCE(stopped_at,0), COALESCE(next_at,0), run"

static void clock_read(sqlite3_stmt *s, struct clock_row *c)
{
	c->case_id = sqlite3_column_int64(s, 0);
	copy_col(c->name, sizeof c->name, s, 1);
	c->unit_id = sqlite3_column_int64(s, 2);
	c->supervisor_unit_id = sqlite3_column_int64(s, 3);
	copy_col(c->policy, sizeof c->policy, s, 4);
	c->escalate = sqlite3_column_int(s, 5);
	c->start_at = sqlite3_column_int64(s, 6);
	c->amount = sqlite3_column_int(s, 7);
	copy_col(c->unit, sizeof c->unit, s, 8);
	c->warn_pct = sqlite3_column_int(s, 9);
	c->extra_days = sqlite3_column_int(s, 10);
	c->paused_at = sqlite3_column_int64(s, 11);
	c->paused_secs = sqlite3_column_int64(s, 12);
	c->warn_at = sqlite3_column_int64(s, 13);
	c->due_at = sqlite3_column_int64(s, 14);
	c->stopped_at = sqlite3_column_int64(s, 15);
	c->next_at = sqlite3_column_int64(s, 16);
	c->run = sqlite3_column_int64(s, 17);
}

/* Step a clock query into rows (at most limit) and finalize it; the count or -1. */
static int clocks_read(sqlite3_stmt *s, struct clock_row *rows, int limit)
{
	int n = 0, rc = SQLITE_DONE;

	while (n < limit && (rc = sqlite3_step(s)) == SQLITE_ROW)
		clock_read(s, &rows[n++]);
	if (n == limit)
		rc = SQLITE_DONE;
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? n : -1;
}

int store_clock_get(struct store *st, int64_t case_id, const char *name, struct clock_row *c)
{
	sqlite3_stmt *s = store_cached(st, "SELECT " CLOCK_COLS " FROM case_clocks WHERE case_id=? AND name=?"
					     " ORDER BY run DESC LIMIT 1");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	bind_text(s, 2, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		clock_read(s, c);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static void bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

int store_clock_put(struct store *st, const struct clock_row *c)
{
	sqlite3_stmt *s = store_cached(
		st, "INSERT OR REPLACE INTO case_clocks(case_id, name, unit_id, supervisor_unit_id, policy,"
		    " escalate, start_at, amount, unit, warn_pct, extra_days, paused_at, paused_secs, warn_at,"
		    " due_at, stopped_at, next_at, run) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, c->case_id);
	bind_text(s, 2, c->name);
	bind_opt(s, 3, c->unit_id);
	bind_opt(s, 4, c->supervisor_unit_id);
	bind_text(s, 5, c->policy);
	sqlite3_bind_int(s, 6, c->escalate);
	sqlite3_bind_int64(s, 7, c->start_at);
	sqlite3_bind_int(s, 8, c->amount);
	bind_text(s, 9, c->unit);
	sqlite3_bind_int(s, 10, c->warn_pct);
	sqlite3_bind_int(s, 11, c->extra_days);
	bind_opt(s, 12, c->paused_at);
	sqlite3_bind_int64(s, 13, c->paused_secs);
	sqlite3_bind_int64(s, 14, c->warn_at);
	sqlite3_bind_int64(s, 15, c->due_at);
	bind_opt(s, 16, c->stopped_at);
	bind_opt(s, 17, c->next_at);
	sqlite3_bind_int64(s, 18, c->run);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	if (rc)
		log_error("clock put: %s", sqlite3_errmsg(st->db));
	sqlite3_reset(s);
	return rc;
}

json_t *store_clocks_json(struct store *st, int64_t case_id)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT k.name, k.unit_id, u.name AS unit_name, k.policy, k.escalate, k.start_at, k.amount,"
		    " k.unit, k.warn_pct, k.extra_days, k.paused_at, k.paused_secs, k.warn_at, k.due_at,"
		    " k.stopped_at, k.run FROM case_clocks k LEFT JOIN units u ON u.id=k.unit_id"
		    " WHERE k.case_id=? ORDER BY k.run, k.name");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, case_id);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

int store_escalated(struct store *st, int64_t case_id, const char *clock, int64_t start,
		    const char *level)
{
	sqlite3_stmt *s = store_cached(st, "SELECT 1 FROM escalations WHERE case_id=? AND clock=?"
					    " AND clock_start=? AND level=?");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	bind_text(s, 2, clock);
	sqlite3_bind_int64(s, 3, start);
	bind_text(s, 4, level);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_clocks_due(struct store *st, int64_t now, struct clock_row *rows, int limit)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " CLOCK_COLS " FROM case_clocks"
					    " WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at LIMIT ?");

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	return clocks_read(s, rows, limit);
}

int store_escalation_add(struct store *st, const struct clock_row *c, const char *level,
			 int64_t now)
{
	sqlite3_stmt *s = store_cached(
		st, "INSERT OR IGNORE INTO escalations(case_id, clock, clock_start, level, unit_id,"
		    " supervisor_unit_id, due_at, created_at) VALUES(?,?,?,?,?,?,?,?)");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, c->case_id);
	bind_text(s, 2, c->name);
	sqlite3_bind_int64(s, 3, c->start_at);
	bind_text(s, 4, level);
	bind_opt(s, 5, c->unit_id);
	bind_opt(s, 6, c->supervisor_unit_id);
	sqlite3_bind_int64(s, 7, c->due_at);
	sqlite3_bind_int64(s, 8, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(st->db) > 0 ? 1 : 0;
}

int store_clock_set_next(struct store *st, const struct clock_row *c, int64_t next_at)
{
	sqlite3_stmt *s = store_cached(st, "UPDATE case_clocks SET next_at=? WHERE case_id=? AND name=? AND run=?");
	int rc;

	if (!s)
		return -1;
	bind_opt(s, 1, next_at);
	sqlite3_bind_int64(s, 2, c->case_id);
	bind_text(s, 3, c->name);
	sqlite3_bind_int64(s, 4, c->run);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	return rc;
}

/* ---- calendar ----------------------------------------------------------------- */

int store_calendar_each(struct store *st,
			int (*fn)(void *ctx, const char *day, int off, const char *name), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT day, off, name FROM calendar_days ORDER BY day");
	int rc;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
		       (const char *)sqlite3_column_text(s, 2))) {
			rc = SQLITE_ERROR;
			break;
		}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_calendar_years(struct store *st, int *years, int max)
{
	/* a year is loaded when its arrangement was shipped or imported as a whole,
	 * not because a neighbouring year's file carried one of its dates */
	sqlite3_stmt *s = store_prepare(st, "SELECT DISTINCT year FROM calendar_changes ORDER BY 1");
	int n = 0, rc;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max)
		years[n++] = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

int store_calendar_replace_year(struct store *st, int year, json_t *days, int clear,
				const char *actor, int64_t now, const char *what)
{
	sqlite3_stmt *s = store_prepare(st, clear ? "DELETE FROM calendar_days WHERE day LIKE ?||'-%'"
						  : "SELECT ?");
	char y[8];
	size_t i;
	json_t *d;
	int rc = -1;

	if (!s)
		return -1;
	snprintf(y, sizeof y, "%04d", year % 10000);
	bind_text(s, 1, y);
	if (sqlite3_step(s) == SQLITE_ERROR)
		goto out;
	sqlite3_finalize(s);
	s = store_prepare(st, "INSERT OR REPLACE INTO calendar_days(day, off, name) VALUES(?,?,?)");
	if (!s)
		return -1;
	json_array_foreach(days, i, d)
	{
		const char *date = json_string_value(json_object_get(d, "date"));

		if (!date || strncmp(date, y, 4) != 0)
			continue;
		sqlite3_reset(s);
		bind_text(s, 1, date);
		sqlite3_bind_int(s, 2, json_is_true(json_object_get(d, "isOffDay")));
		bind_text(s, 3, json_string_value(json_object_get(d, "name")));
		if (sqlite3_step(s) != SQLITE_DONE)
			goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!what)
		return 0;
	s = store_prepare(st, "INSERT INTO calendar_changes(at, actor, year, what) VALUES(?,?,?,?)");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	bind_text(s, 2, actor);
	sqlite3_bind_int(s, 3, year);
	bind_text(s, 4, what);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
out:
	if (rc)
		log_error("calendar %d: %s", year, sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc;
}

json_t *store_calendar_changes(struct store *st, int year)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT at, actor, year, what FROM calendar_changes"
					    " WHERE ?1 = 0 OR year = ?1 ORDER BY id");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int(s, 1, year);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

/* ---- policies ------------------------------------------------------------------- */

int store_policy_overrides_each(struct store *st,
				int (*fn)(void *ctx, const char *policy, const char *key, int amount,
					  const char *unit, int warn_pct, const char *rule),
				void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT policy, key, amount, unit, warn_pct, rule"
					    " FROM policy_overrides ORDER BY policy, key");
	int rc;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
		       sqlite3_column_int(s, 2), (const char *)sqlite3_column_text(s, 3),
		       sqlite3_column_int(s, 4), (const char *)sqlite3_column_text(s, 5))) {
			rc = SQLITE_ERROR;
			break;
		}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_policy_override_set(struct store *st, const char *policy, const char *key, int amount,
			      const char *unit, int warn_pct, const char *rule)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT OR REPLACE INTO policy_overrides(policy, key, amount,"
					    " unit, warn_pct, rule) VALUES(?,?,?,?,?,?)");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, policy);
	bind_text(s, 2, key);
	sqlite3_bind_int(s, 3, amount);
	bind_text(s, 4, unit);
	sqlite3_bind_int(s, 5, warn_pct);
	bind_text(s, 6, rule ? rule : "");
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_policy_change_log(struct store *st, const char *actor, const char *what, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO policy_changes(at, actor, what) VALUES(?,?,?)");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	bind_text(s, 2, actor);
	bind_text(s, 3, what);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

json_t *store_policy_changes(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT at, actor, what FROM policy_changes ORDER BY id");
	json_t *a;

	if (!s)
		return NULL;
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

int store_unit_policy_get(struct store *st, int64_t unit_id, char out[40])
{
	sqlite3_stmt *s = store_prepare(st, "SELECT policy FROM units WHERE id=? AND policy IS NOT NULL");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, unit_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		copy_col(out, 40, s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_unit_policy_set(struct store *st, int64_t unit_id, const char *policy)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE units SET policy=? WHERE id=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, policy);
	sqlite3_bind_int64(s, 2, unit_id);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}


int store_clocks_page(struct store *st, const struct clock_row *after, struct clock_row *rows,
		      int limit)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " CLOCK_COLS " FROM case_clocks"
					    " WHERE (case_id, name, run) > (?, ?, ?) ORDER BY case_id, name, run LIMIT ?");

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, after->case_id);
	bind_text(s, 2, after->name);
	sqlite3_bind_int64(s, 3, after->run);
	sqlite3_bind_int(s, 4, limit);
	return clocks_read(s, rows, limit);
}

int store_clock_limit_get(struct store *st, const char *case_no, const char *clock, int64_t start,
			  char *policy, int *amount, char *unit, int *warn_pct)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT policy, amount, unit, warn_pct FROM clock_limits"
					    " WHERE case_no=? AND clock=? AND start_at=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, case_no);
	bind_text(s, 2, clock);
	sqlite3_bind_int64(s, 3, start);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_col(policy, 40, s, 0);
		*amount = sqlite3_column_int(s, 1);
		copy_col(unit, 12, s, 2);
		*warn_pct = sqlite3_column_int(s, 3);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_clock_limit_put(struct store *st, const char *case_no, const char *clock, int64_t start,
			  int64_t unit_id, const char *policy, int amount, const char *unit, int warn_pct)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT OR REPLACE INTO clock_limits(case_no, clock, start_at,"
					    " unit_id, policy, amount, unit, warn_pct) VALUES(?,?,?,?,?,?,?,?)");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, case_no);
	bind_text(s, 2, clock);
	sqlite3_bind_int64(s, 3, start);
	bind_opt(s, 4, unit_id);
	bind_text(s, 5, policy);
	sqlite3_bind_int(s, 6, amount);
	bind_text(s, 7, unit);
	sqlite3_bind_int(s, 8, warn_pct);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}
