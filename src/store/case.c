/*
 * case.c - reading cases: one case, its parts, lists and the to-do list.
 * Scope is applied in SQL here, from a struct scope the server built.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/row.h"
#include "store/store.h"

/* The nearest due time among the case's running obligations (its clocks). */
#define DUE_AT                                                                         \
	"(SELECT MIN(k.due_at) FROM case_clocks k WHERE k.case_id=c.id AND k.stopped_at IS NULL" \
	" AND k.paused_at IS NULL AND k.escalate=1)"

#define UNIT_NAME(col) "(SELECT name FROM units WHERE id=" col ")"

/* Who may see a case (R22 art. 30, 46(5); seed 004 art. 7: an accusation never
 * reaches the accused unit or any unit under it, whatever else applies). */
#define SCOPE_SQL                                                                          \
	"(?100 = 1 OR ((?101 = 1 AND EXISTS(SELECT 1 FROM case_units cu JOIN units su"     \
	" ON su.id=cu.unit_id WHERE cu.case_id=c.id AND substr(su.path,1,length(?102))=?102))" \
	" OR (?101 = 0 AND EXISTS(SELECT 1 FROM case_units cu WHERE cu.case_id=c.id"         \
	" AND cu.unit_id=?103 AND cu.role IN ('lead','co','holder','suggestion'))))"         \
	" AND NOT (c.kind = 'accusation' AND EXISTS(SELECT 1 FROM units au"                   \
	" WHERE au.id=c.accused_unit_id AND substr(?102,1,length(au.path))=au.path)))"

/* A unit the viewer may report on: its subtree (a petition department) or itself. */
#define UNIT_IN_SCOPE(u)                                                                 \
	"(?100 = 1 OR (?101 = 1 AND substr(" u ".path,1,length(?102))=?102) OR " u ".id=?103)"

static void bind_scope(sqlite3_stmt *s, const struct scope *sc)
{
	sqlite3_bind_int(s, 100, sc->all ? 1 : 0);
	sqlite3_bind_int(s, 101, sc->petition ? 1 : 0);
	bind_text(s, 102, sc->unit_path ? sc->unit_path : "-");
	sqlite3_bind_int64(s, 103, sc->unit_id);
}

/* The rows of a scoped statement whose first n parameters are the integers v (the
 * scope's parameters follow); the statement is finalized. NULL if it failed. */
static json_t *scoped_rows(struct store *st, sqlite3_stmt *s, const struct scope *sc, int n,
			   const int64_t *v)
{
	json_t *a;
	int i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		sqlite3_bind_int64(s, i + 1, v[i]);
	bind_scope(s, sc);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_case_row(struct store *st, const char *no, const struct scope *sc, int *found)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT c.*, " DUE_AT " AS due_at,"
		    UNIT_NAME("c.registered_unit_id") " AS registered_unit_name,"
		    UNIT_NAME("c.dispatch_unit_id") " AS dispatch_unit_name,"
		    UNIT_NAME("c.holder_unit_id") " AS holder_unit_name,"
		    UNIT_NAME("c.lead_unit_id") " AS lead_unit_name,"
		    UNIT_NAME("c.accused_unit_id") " AS accused_unit_name,"
		    UNIT_NAME("c.review_unit_id") " AS review_unit_name,"
		    UNIT_NAME("c.recheck_unit_id") " AS recheck_unit_name,"
		    UNIT_NAME("c.suggestion_unit_id") " AS suggestion_unit_name"
		    " FROM cases c WHERE c.no=?1 AND " SCOPE_SQL);
	json_t *row = NULL;
	int rc;

	*found = -1;
	if (!s)
		return NULL;
	bind_text(s, 1, no);
	bind_scope(s, sc);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		row = row_json(s);
		*found = row ? 1 : -1;
	} else if (rc == SQLITE_DONE) {
		*found = 0;
	} else {
		log_error("case %s: %s", no, sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(s);
	return row;
}

static json_t *query_by_id(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

/* Personal data masked: the sealed values never leave the store this way. */
json_t *store_case_petitioners(struct store *st, int64_t case_id)
{
	return query_by_id(st, "SELECT ord, name, sex, id_type, id_number_mask AS id_number,"
			       " phone_mask AS phone, address_mask AS address, address_code,"
			       " workplace, representative FROM petitioners WHERE case_id=? ORDER BY ord",
			   case_id);
}

json_t *store_petitioner_sealed(struct store *st, int64_t case_id, int ord)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT ord, name, id_type, id_number_enc, phone_enc, address_enc"
					    " FROM petitioners WHERE case_id=?1 AND ord=?2");
	json_t *row = NULL;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int(s, 2, ord);
	if (sqlite3_step(s) == SQLITE_ROW)
		row = row_json(s);
	sqlite3_finalize(s);
	return row;
}

json_t *store_petitioner_lookup(struct store *st, int by_phone, const char *idx,
				const struct scope *sc, int limit)
{
	sqlite3_stmt *s = store_prepare(
		st, by_phone
			? "SELECT c.no, c.title, c.state, c.kind, c.registered_at, p.ord, p.name,"
			  " p.id_number_mask AS id_number, p.phone_mask AS phone FROM petitioners p"
			  " JOIN cases c ON c.id=p.case_id WHERE p.phone_idx=?1 AND " SCOPE_SQL
			  " ORDER BY c.registered_at DESC, c.id DESC LIMIT ?2"
			: "SELECT c.no, c.title, c.state, c.kind, c.registered_at, p.ord, p.name,"
			  " p.id_number_mask AS id_number, p.phone_mask AS phone FROM petitioners p"
			  " JOIN cases c ON c.id=p.case_id WHERE p.id_number_idx=?1 AND " SCOPE_SQL
			  " ORDER BY c.registered_at DESC, c.id DESC LIMIT ?2");
	json_t *a;

	if (!s)
		return NULL;
	bind_text(s, 1, idx);
	sqlite3_bind_int(s, 2, limit);
	bind_scope(s, sc);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_case_relations(struct store *st, int64_t case_id)
{
	return query_by_id(st, "SELECT rel, other_no AS no FROM case_relations WHERE case_id=?"
			       " ORDER BY rel, other_no",
			   case_id);
}

json_t *store_case_co_units(struct store *st, int64_t case_id)
{
	return query_by_id(st, "SELECT u.id, u.name FROM cases c, json_each(c.co_units) j"
			       " JOIN units u ON u.id=j.value WHERE c.id=? ORDER BY j.key",
			   case_id);
}

int store_case_next_no(struct store *st, const char *day, char out[32])
{
	char lo[32], hi[32];
	sqlite3_stmt *s = store_prepare(st, "SELECT no FROM cases WHERE no>=? AND no<? ORDER BY no DESC LIMIT 1");
	long last = 0;
	int rc;

	if (!s)
		return -1;
	snprintf(lo, sizeof lo, "XF%.8s", day);
	snprintf(hi, sizeof hi, "XF%.8s~", day);
	bind_text(s, 1, lo);
	bind_text(s, 2, hi);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		last = strtol((const char *)sqlite3_column_text(s, 0) + 10, NULL, 10);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (last >= 99999)
		return -1;
	snprintf(out, 32, "XF%.8s%05ld", day, last + 1);
	return 0;
}

/* The columns of a list row, and the filters (?1-?13; scope ?100-?103). */
#define LIST_COLS                                                                          \
	"c.id, c.no, c.version, c.state, c.channel, c.kind, c.purpose, c.category,"         \
	" c.locality, c.title, c.flags, c.people_count, c.registered_at, c.updated_at,"      \
	" c.holder_unit_id, " UNIT_NAME("c.holder_unit_id") " AS holder_unit_name,"           \
	" c.lead_unit_id, " UNIT_NAME("c.lead_unit_id") " AS lead_unit_name,"                 \
	" c.extension, c.satisfaction, " DUE_AT " AS due_at,"                                 \
	" (SELECT k.name FROM case_clocks k WHERE k.case_id=c.id AND k.stopped_at IS NULL"    \
	"  AND k.paused_at IS NULL AND k.escalate=1 ORDER BY k.due_at LIMIT 1) AS due_clock,"  \
	" (SELECT k.warn_at FROM case_clocks k WHERE k.case_id=c.id AND k.stopped_at IS NULL" \
	"  AND k.paused_at IS NULL AND k.escalate=1 ORDER BY k.due_at LIMIT 1) AS due_warn"
#define LIST_WHERE                                                                         \
	SCOPE_SQL                                                                              \
	" AND (?1 IS NULL OR instr(','||?1||',', ','||c.state||',') > 0)"                     \
	" AND (?13 IS NULL OR instr(','||?13||',', ','||c.state||',') > 0)"                   \
	" AND (?2 IS NULL OR c.channel=?2)"                                                    \
	" AND (?3 IS NULL OR c.kind=?3)"                                                       \
	" AND (?4 IS NULL OR substr(c.category,1,length(?4))=?4)"                              \
	" AND (?5 IS NULL OR substr(c.locality,1,length(?5))=?5)"                              \
	" AND (?6 IS NULL OR EXISTS(SELECT 1 FROM case_units u2 WHERE u2.case_id=c.id"         \
	"      AND u2.unit_id=?6 AND u2.role IN ('lead','co','holder')))"                      \
	" AND (?7 IS NULL OR c.registered_at>=?7)"                                             \
	" AND (?8 IS NULL OR c.registered_at<?8)"                                              \
	" AND (?9 IS NULL OR instr(c.title,?9)>0 OR instr(c.content,?9)>0 OR instr(c.request,?9)>0)" \
	" AND (?10 IS NULL OR c.holder_unit_id=?10 OR EXISTS(SELECT 1 FROM case_clocks k"     \
	"      WHERE k.case_id=c.id AND k.unit_id=?10 AND k.stopped_at IS NULL AND k.escalate=1))" \
	" AND (?11 IS NULL OR c.id<?11)"

/* Bind the filters, the scope and the search parameters of a list query. */
static void bind_list(sqlite3_stmt *s, const struct case_filter *f, const struct scope *sc, int limit,
		      int64_t floor)
{
	bind_scope(s, sc);
	bind_text(s, 1, f->state);
	bind_text(s, 13, f->states_in);
	bind_text(s, 2, f->channel);
	bind_text(s, 3, f->kind);
	bind_text(s, 4, f->category);
	bind_text(s, 5, f->locality);
	if (f->unit_id)
		sqlite3_bind_int64(s, 6, f->unit_id);
	if (f->from)
		sqlite3_bind_int64(s, 7, f->from);
	if (f->to)
		sqlite3_bind_int64(s, 8, f->to);
	bind_text(s, 9, f->text && *f->text && !f->match ? f->text : NULL);
	if (f->holder_unit_id)
		sqlite3_bind_int64(s, 10, f->holder_unit_id);
	if (f->cursor && !f->todo && !f->match)
		sqlite3_bind_int64(s, 11, f->cursor);
	sqlite3_bind_int(s, 12, limit + 1);
	if (f->match) {
		sqlite3_bind_int64(s, 14, f->offset);
		bind_text(s, 15, f->match);
		bind_text(s, 16, f->match_kinds ? f->match_kinds : "");
		sqlite3_bind_int64(s, 17, floor);
	}
}

/* Ranking reads every match; a word found in most cases would be ranked across
 * hundreds of thousands. So only the newest RANK_WINDOW matches in scope (with
 * every filter) are ranked: this finds where they begin, walking the index
 * newest first (0: fewer matches, rank them all). */
#define RANK_WINDOW STORE_RANK_WINDOW

/* The id of the match at position `nth` (0: the newest), 0 when there are
 * fewer matches, -1 on error. */
static int64_t nth_match(struct store *st, const struct case_filter *f, const struct scope *sc, int64_t nth)
{
	static const char sql[] =
		"SELECT c.id FROM case_fts CROSS JOIN cases c ON c.id=case_fts.rowid"
		" WHERE case_fts MATCH ?15 AND " LIST_WHERE
		" ORDER BY case_fts.rowid DESC LIMIT 1 OFFSET ?18";
	sqlite3_stmt *s = store_prepare(st, sql);
	int64_t id = 0;

	if (!s)
		return -1;
	bind_list(s, f, sc, 0, 0);
	sqlite3_bind_int64(s, 18, nth);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return id;
}

static int64_t rank_floor(struct store *st, const struct case_filter *f, const struct scope *sc)
{
	return nth_match(st, f, sc, RANK_WINDOW - 1);
}

int store_case_matches_over(struct store *st, const struct case_filter *f, const struct scope *sc, int64_t n)
{
	int64_t id = f->match ? nth_match(st, f, sc, n) : 0;

	return id < 0 ? -1 : id > 0;
}

json_t *store_case_list(struct store *st, const struct case_filter *f, const struct scope *sc,
			int64_t *next_cursor)
{
	sqlite3_stmt *s;
	json_t *a, *row;
	size_t i;
	int limit = f->limit > 0 && f->limit <= STORE_LIST_MAX ? f->limit : 50;
	int64_t floor = 0;
	static const char sql_head[] = "SELECT " LIST_COLS " FROM cases c WHERE " LIST_WHERE;
	/* full-text search (issue 5): the page of matches in scope, best first by
	 * bm25 (weights: title 10, content 4, request 3, reply 2) among the newest
	 * RANK_WINDOW matches, found with the FTS table as the outer loop; then the
	 * rows of that page, each with its snippet (computed for the page only) */
	static const char sql_fts[] =
		"WITH hits AS MATERIALIZED (SELECT c.id AS id, bm25(case_fts, 10.0, 4.0, 3.0, 2.0) AS score"
		" FROM case_fts CROSS JOIN cases c ON c.id=case_fts.rowid"
		" WHERE case_fts MATCH ?15 AND case_fts.rowid >= ?17 AND " LIST_WHERE
		" ORDER BY score, c.id DESC LIMIT ?12 OFFSET ?14)"
		" SELECT " LIST_COLS ", xf_snippet(case_fts, ?16, 64, 'title,content,request,reply') AS snippet"
		" FROM hits CROSS JOIN cases c ON c.id=hits.id CROSS JOIN case_fts ON case_fts.rowid=hits.id"
		" WHERE case_fts MATCH ?15 ORDER BY hits.score, c.id DESC";
	char sql[sizeof sql_head + 128];

	snprintf(sql, sizeof sql, "%s%s", sql_head,
		 f->todo ? " ORDER BY due_at IS NULL, due_at, c.id LIMIT ?12"
			 : " ORDER BY c.id DESC LIMIT ?12");
	if (f->match && (floor = rank_floor(st, f, sc)) < 0)
		return NULL;
	s = store_prepare(st, f->match ? sql_fts : sql);
	if (!s)
		return NULL;
	bind_list(s, f, sc, limit, floor);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	*next_cursor = 0;
	if (a && json_array_size(a) > (size_t)limit) {
		json_array_remove(a, (size_t)limit);
		if (f->match)
			*next_cursor = f->offset + limit;
		else if (!f->todo)
			*next_cursor = json_integer_value(
				json_object_get(json_array_get(a, (size_t)limit - 1), "id"));
	}
	/* the snippet is JSON made by xf_snippet (text/fts.h) */
	json_array_foreach(a, i, row)
	{
		const char *sn = json_string_value(json_object_get(row, "snippet"));

		if (sn) {
			json_t *v = json_loads(sn, 0, NULL);

			json_object_set_new(row, "snippet", v ? v : json_null());
		}
	}
	return a;
}
#undef LIST_COLS
#undef LIST_WHERE

static int64_t count(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int64_t n = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int64_t store_case_count(struct store *st)
{
	return count(st, "SELECT count(*) FROM cases");
}

int64_t store_unit_count(struct store *st)
{
	return count(st, "SELECT count(*) FROM units");
}

/* Timeliness (及时受理率, 按期办结率; ?1 from, ?2 to, ?3 now): a clock counts in the
 * period it stopped in, or, still running, the period its due time fell in (then it
 * is late); overdue_now and warning_now: running obligations past their due time,
 * past their warning point. Shared by /stats/timeliness and the dashboard. */
#define TL_COUNTED(clock)                                                                    \
	"k.name='" clock "' AND ((k.stopped_at >= ?1 AND k.stopped_at < ?2) OR"              \
	" (k.stopped_at IS NULL AND k.due_at >= ?1 AND k.due_at < ?2 AND k.due_at <= ?3))"
#define TL_RUNNING "k.stopped_at IS NULL AND k.paused_at IS NULL AND k.escalate=1"
#define TL_PERIOD_COLS                                                                       \
	" SUM(" TL_COUNTED("accept") ") AS accept_total,"                                     \
	" SUM(" TL_COUNTED("accept") " AND k.stopped_at IS NOT NULL AND k.stopped_at < k.due_at) AS accept_on_time," \
	" SUM(" TL_COUNTED("handle") ") AS handle_total,"                                     \
	" SUM(" TL_COUNTED("handle") " AND k.stopped_at IS NOT NULL AND k.stopped_at < k.due_at) AS handle_on_time,"
#define TL_NOW_COLS                                                                          \
	" SUM(" TL_RUNNING " AND k.due_at <= ?3) AS overdue_now,"                              \
	" SUM(" TL_RUNNING " AND k.warn_at <= ?3 AND k.due_at > ?3) AS warning_now"

json_t *store_stats_timeliness(struct store *st, int64_t from, int64_t to, int64_t now,
			       const struct scope *sc)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT k.unit_id, u.code AS unit_code, u.name AS unit_name," TL_PERIOD_COLS
		    " (SELECT count(*) FROM escalations e JOIN cases c ON c.id=e.case_id WHERE e.unit_id=k.unit_id"
		    "   AND e.level='overdue' AND e.created_at >= ?1 AND e.created_at < ?2 AND " SCOPE_SQL ") AS overdue,"
		    TL_NOW_COLS
		    " FROM case_clocks k JOIN units u ON u.id=k.unit_id JOIN cases c ON c.id=k.case_id"
		    " WHERE " SCOPE_SQL " AND " UNIT_IN_SCOPE("u")
		    " GROUP BY k.unit_id ORDER BY u.path");
	int64_t v[] = { from, to, now };

	return scoped_rows(st, s, sc, 3, v);
}

json_t *store_overview_timeliness(struct store *st, int64_t from, int64_t to, int64_t now,
				  const struct scope *sc)
{
	/* The same sums, read from the clocks that add to one of them (a few per cent of
	 * all clocks) before the case and its scope are looked at: the filter needs the
	 * clock only, so SQLite applies it while scanning case_clocks ("+" keeps it from
	 * walking case_clocks_unit for the grouping, a table look-up per clock). Units
	 * with nothing to count have no row (the sums are those of /stats/timeliness). */
	sqlite3_stmt *s = store_prepare(
		st, "SELECT k.unit_id, u.code AS unit_code, u.name AS unit_name," TL_PERIOD_COLS TL_NOW_COLS
		    " FROM case_clocks k JOIN units u ON u.id=k.unit_id JOIN cases c ON c.id=k.case_id"
		    " WHERE ((" TL_COUNTED("accept") ") OR (" TL_COUNTED("handle") ") OR"
		    "   (" TL_RUNNING " AND (k.warn_at <= ?3 OR k.due_at <= ?3)))"
		    " AND " SCOPE_SQL " AND " UNIT_IN_SCOPE("u")
		    " GROUP BY +k.unit_id ORDER BY u.path");
	int64_t v[] = { from, to, now };

	return scoped_rows(st, s, sc, 3, v);
}
#undef TL_COUNTED
#undef TL_RUNNING
#undef TL_PERIOD_COLS
#undef TL_NOW_COLS

/* ---- the dashboard (svc_stats_overview): aggregates in SQL, scope as in lists ---- */

json_t *store_overview_registered(struct store *st, int64_t from, int64_t to, int64_t m0, int64_t m1,
				  int64_t now, int64_t offset, const struct scope *sc)
{
	/* One pass over the registered_at index (two ranges OR-ed: SQLite reads each once)
	 * with the scope looked at once per case; then two groupings of those rows: part 0,
	 * the period's cases by every dimension at once; part 1, both ranges by day. */
	sqlite3_stmt *s = store_prepare(
		st, "WITH b AS MATERIALIZED (SELECT c.id, c.channel, c.kind, substr(c.category,1,2) AS category,"
		    "   c.locality, c.state, c.people_count, c.repeat_of, c.registered_at FROM cases c"
		    "   WHERE ((c.registered_at >= ?1 AND c.registered_at < ?2) OR (c.registered_at >= ?4"
		    "   AND c.registered_at < ?5)) AND " SCOPE_SQL ")"
		    " SELECT 0 AS part, channel, kind, category, locality, state, NULL AS day, count(*) AS cases,"
		    "  sum(people_count) AS persons,"
		    "  sum(repeat_of IS NOT NULL OR EXISTS(SELECT 1 FROM case_relations r"
		    "    WHERE r.case_id=b.id AND r.rel='repeat_of')) AS repeats,"
		    "  sum(EXISTS(SELECT 1 FROM case_clocks k WHERE k.case_id=b.id AND k.stopped_at IS NULL"
		    "    AND k.paused_at IS NULL AND k.escalate=1 AND k.due_at <= ?3)) AS overdue"
		    " FROM b WHERE registered_at >= ?1 AND registered_at < ?2 GROUP BY 2, 3, 4, 5, 6"
		    " UNION ALL SELECT 1, NULL, NULL, NULL, NULL, NULL, (registered_at + ?6) / 86400, count(*),"
		    "  NULL, NULL, NULL FROM b GROUP BY 7");
	int64_t v[] = { from, to, now, m0, m1, offset };

	return scoped_rows(st, s, sc, 6, v);
}

json_t *store_overview_closed(struct store *st, int64_t a0, int64_t a1, int64_t b0, int64_t b1,
			      int64_t offset, const struct scope *sc)
{
	/* closed_at and rated_at have no index: one pass over the cases for both, the
	 * scope looked at only for the cases closed or rated in the ranges */
#define CLOSED_IN "((c.closed_at >= ?1 AND c.closed_at < ?2) OR (c.closed_at >= ?3 AND c.closed_at < ?4))"
#define RATED_IN "(c.rated_at >= ?1 AND c.rated_at < ?2 AND c.satisfaction IS NOT NULL)"
	sqlite3_stmt *s = store_prepare(
		st, "SELECT CASE WHEN " CLOSED_IN " THEN (c.closed_at + ?5) / 86400 END AS day,"
		    " CASE WHEN " RATED_IN " THEN c.satisfaction END AS satisfaction, count(*) AS n"
		    " FROM cases c WHERE (" CLOSED_IN " OR " RATED_IN ") AND " SCOPE_SQL " GROUP BY 1, 2");
#undef CLOSED_IN
#undef RATED_IN
	int64_t v[] = { a0, a1, b0, b1, offset };

	return scoped_rows(st, s, sc, 5, v);
}

json_t *store_escalations(struct store *st, int64_t unit_id, const char *level,
			  const struct scope *sc)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT e.id, e.level, e.clock, c.no, c.title, c.state, e.unit_id,"
		    " (SELECT name FROM units WHERE id=e.unit_id) AS unit_name, e.supervisor_unit_id,"
		    " (SELECT name FROM units WHERE id=e.supervisor_unit_id) AS supervisor_unit_name,"
		    " e.due_at, e.created_at,"
		    " (SELECT stopped_at FROM case_clocks k WHERE k.case_id=e.case_id AND k.name=e.clock"
		    "   AND k.start_at=e.clock_start) AS resolved_at"
		    " FROM escalations e JOIN cases c ON c.id=e.case_id"
		    " WHERE (e.unit_id=?1 OR e.supervisor_unit_id=?1) AND (?2 IS NULL OR e.level=?2) AND " SCOPE_SQL
		    " ORDER BY e.created_at DESC, e.id DESC LIMIT 500");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, unit_id);
	bind_text(s, 2, level);
	bind_scope(s, sc);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_notice_candidates(struct store *st, int64_t from, int64_t to, int min_overdue,
				const struct scope *sc)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT e.unit_id, u.code AS unit_code, u.name AS unit_name, count(*) AS overdue,"
		    " count(DISTINCT e.case_id) AS cases, min(e.created_at) AS first_at, max(e.created_at) AS last_at"
		    " FROM escalations e JOIN units u ON u.id=e.unit_id JOIN cases c ON c.id=e.case_id"
		    " WHERE e.level='overdue' AND e.created_at >= ?1 AND e.created_at < ?2 AND " SCOPE_SQL
		    " AND " UNIT_IN_SCOPE("u")
		    " GROUP BY e.unit_id HAVING count(DISTINCT e.case_id) >= ?3 ORDER BY overdue DESC, u.path");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int(s, 3, min_overdue);
	bind_scope(s, sc);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_linked_accused_paths(struct store *st, int64_t case_id, const char *no)
{
	/* accusations this case points to, and accusations that point to it */
	sqlite3_stmt *s = store_prepare(
		st, "SELECT u.path FROM case_relations r JOIN cases o ON o.no=r.other_no"
		    " JOIN units u ON u.id=o.accused_unit_id WHERE r.case_id=?1 AND o.kind='accusation'"
		    " UNION SELECT u.path FROM case_relations r JOIN cases o ON o.id=r.case_id"
		    " JOIN units u ON u.id=o.accused_unit_id WHERE r.other_no=?2 AND o.kind='accusation'"
		    " UNION SELECT u.path FROM cases o JOIN units u ON u.id=o.accused_unit_id"
		    " WHERE o.no=(SELECT repeat_of FROM cases WHERE id=?1) AND o.kind='accusation'");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, case_id);
	bind_text(s, 2, no);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_case_unit_paths(struct store *st, int64_t case_id)
{
	return query_by_id(st, "SELECT DISTINCT u.path FROM case_units cu JOIN units u ON u.id=cu.unit_id"
			       " WHERE cu.case_id=?",
			   case_id);
}

int store_text_recent(struct store *st, int64_t from, int64_t to, const struct scope *sc, int limit,
		      int (*fn)(void *ctx, sqlite3_stmt *row), void *ctx)
{
	/* columns: 0 id, 1 no, 2 title, 3 locality, 4 category, 5 registered_at, 6 sig */
	sqlite3_stmt *s = store_prepare(
		st, "SELECT c.id, c.no, c.title, c.locality, c.category, c.registered_at, t.sig FROM cases c"
		    " JOIN case_text t ON t.case_id=c.id WHERE c.registered_at >= ?1 AND c.registered_at < ?2 AND "
		    SCOPE_SQL " ORDER BY c.registered_at DESC LIMIT ?3");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int(s, 3, limit);
	bind_scope(s, sc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, s))
			break;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}
