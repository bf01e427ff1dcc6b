/*
 * text.c - the text signatures of cases (schema 10) and the queries the
 * duplicate and related-case search needs.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/row.h"
#include "store/store.h"

int store_text_put(struct store *st, int64_t case_id, const void *sig, size_t sig_len)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT OR REPLACE INTO case_text(case_id, sig) VALUES(?,?)");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_blob(s, 2, sig, (int)sig_len, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_text_sig(struct store *st, int64_t case_id, void *sig, size_t sig_len)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT sig FROM case_text WHERE case_id=?");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == sig_len)
		memcpy(sig, sqlite3_column_blob(s, 0), sig_len);
	else if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_text_each(struct store *st, int (*fn)(void *ctx, int64_t case_id, const void *sig, size_t len),
		    void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT case_id, sig FROM case_text ORDER BY case_id");
	int rc;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1)))
			break;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

json_t *store_text_missing(struct store *st, int limit)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT c.id, c.no FROM cases c WHERE NOT EXISTS("
					    "SELECT 1 FROM case_text t WHERE t.case_id=c.id) ORDER BY c.id LIMIT ?");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int(s, 1, limit);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_cases_by_identity(struct store *st, const char *id_idx, const char *phone_idx, int limit)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT DISTINCT p.case_id AS id, (p.id_number_idx=?1) AS same_id, (p.phone_idx=?2) AS same_phone"
		    " FROM petitioners p WHERE p.id_number_idx=?1 OR p.phone_idx=?2 ORDER BY p.case_id DESC LIMIT ?3");
	json_t *a;

	if (!s)
		return NULL;
	bind_text(s, 1, id_idx);
	bind_text(s, 2, phone_idx);
	sqlite3_bind_int(s, 3, limit);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_case_brief(struct store *st, int64_t case_id)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT c.id, c.no, c.title, c.content, c.request, c.state, c.kind, c.locality, c.category,"
		    " c.registered_at, c.accused_unit_id, u.name AS holder_unit_name, c.holder_unit_id,"
		    " (SELECT json_group_array(json_object('id', p.id_number_idx, 'phone', p.phone_idx, 'name', p.name))"
		    "  FROM petitioners p WHERE p.case_id=c.id) AS people"
		    " FROM cases c LEFT JOIN units u ON u.id=c.holder_unit_id WHERE c.id=?");
	json_t *row = NULL;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, case_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		row = row_json(s);
	sqlite3_finalize(s);
	return row;
}
