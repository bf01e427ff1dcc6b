/*
 * db.c - opening the database, pragmas, migrations and transactions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "store/store.h"
#include "store/row.h"
#include "text/fts.h"

static int pragma(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_exec(struct store *st, const char *sql)
{
	return pragma(st->db, sql);
}

int store_run(struct store *st, const char *sql, const char *types, ...)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	va_list ap;
	int i, rc;

	if (!s)
		return -1;
	va_start(ap, types);
	for (i = 0; types[i]; i++) {
		if (types[i] == 'i')
			sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
		else
			bind_text(s, i + 1, va_arg(ap, const char *));
	}
	va_end(ap);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	if (rc)
		log_error("%s: %s", sqlite3_errmsg(st->db), sql);
	sqlite3_finalize(s);
	return rc;
}

json_t *store_rows(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	json_t *a;

	if (!s)
		return NULL;
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		log_error("prepare: %s: %s", sqlite3_errmsg(st->db), sql);
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *store_cached(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int i;

	for (i = 0; i < st->n_cache; i++)
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	if (st->n_cache == STORE_STMT_CACHE) {
		log_error("statement cache full: %s", sql);
		return NULL;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		log_error("prepare: %s: %s", sqlite3_errmsg(st->db), sql);
		return NULL;
	}
	st->cache[st->n_cache].sql = sql;
	st->cache[st->n_cache++].stmt = stmt;
	return stmt;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA user_version");
	int v = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Apply every migration newer than user_version, each in its own transaction. */
static int migrate(struct store *st)
{
	int have = store_schema_version(st), i;
	char set[64];

	if (have < 0)
		return -1;
	st->opened_version = have;
	for (i = 0; i < store_n_migrations; i++) {
		const struct store_migration *m = &store_migrations[i];

		if (m->version <= have)
			continue;
		if (store_begin(st))
			return -1;
		snprintf(set, sizeof set, "PRAGMA user_version=%d", m->version);
		if (pragma(st->db, m->sql) || pragma(st->db, set)) {
			store_rollback(st);
			return -1;
		}
		if (store_commit(st))
			return -1;
		log_info("database migrated to version %d: %s", m->version, m->what);
	}
	return 0;
}

struct store *store_open(const char *path, struct xerr *err)
{
	struct store *st = calloc(1, sizeof *st);

	if (!st) {
		xerr_internal(err, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		xerr_set(err, 503, "store.open", NULL, "无法打开数据库 %s：%s", path,
			 st->db ? sqlite3_errmsg(st->db) : "内存不足");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 1);
	/* the full-text tokenizer (case_fts, schema 11) on every connection */
	if (fts_register(st->db) != SQLITE_OK) {
		xerr_set(err, 503, "store.open", NULL, "数据库 %s 无法注册全文检索分词器", path);
		goto fail;
	}
	if (pragma(st->db, "PRAGMA journal_mode=WAL") || pragma(st->db, "PRAGMA synchronous=FULL") ||
	    /* deleted or rewritten personal data is zeroed, not left in free pages */
	    pragma(st->db, "PRAGMA secure_delete=ON") ||
	    pragma(st->db, "PRAGMA foreign_keys=ON") || pragma(st->db, "PRAGMA trusted_schema=OFF")) {
		xerr_set(err, 503, "store.open", NULL, "数据库 %s 无法设置", path);
		goto fail;
	}
	if (migrate(st)) {
		xerr_set(err, 503, "store.migrate", NULL, "数据库 %s 升级失败", path);
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

void store_close(struct store *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->n_cache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close_v2(st->db);
	free(st);
}

int store_begin(struct store *st)
{
	return pragma(st->db, "BEGIN IMMEDIATE");
}

int store_commit(struct store *st)
{
	return pragma(st->db, "COMMIT");
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		pragma(st->db, "ROLLBACK");
}

/* ---- rows ----------------------------------------------------------------- */

json_t *row_json(sqlite3_stmt *s)
{
	json_t *o = json_object();
	int i, n = sqlite3_column_count(s);

	if (!o)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s, i);
		json_t *v;

		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_stringn((const char *)sqlite3_column_text(s, i),
					 (size_t)sqlite3_column_bytes(s, i));
			if (!v) {
				/* text that is not UTF-8 (written before it was checked): shown
				 * repaired rather than making the whole row unreadable */
				char *copy = strndup((const char *)sqlite3_column_text(s, i),
						     (size_t)sqlite3_column_bytes(s, i));

				if (copy) {
					utf8_clean(copy);
					v = json_string(copy);
					free(copy);
				}
			}
			break;
		}
		if (!v || json_object_set_new(o, name, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *rows_json(struct store *st, sqlite3_stmt *s)
{
	json_t *a = json_array();
	int rc;

	while (a && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *r = row_json(s);

		if (!r || json_array_append_new(a, r)) {
			json_decref(a);
			return NULL;
		}
	}
	if (a && rc != SQLITE_DONE) {
		log_error("step: %s", sqlite3_errmsg(st->db));
		json_decref(a);
		a = NULL;
	}
	return a;
}

void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void copy_col(char *dst, size_t n, sqlite3_stmt *s, int col)
{
	const char *v = (const char *)sqlite3_column_text(s, col);

	snprintf(dst, n, "%s", v ? v : "");
}
