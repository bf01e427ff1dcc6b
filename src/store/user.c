/*
 * user.c - staff accounts, login sessions and idempotency records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/row.h"
#include "store/store.h"

#define USER_COLS "id, unit_id, username, name, roles, pwhash, disabled, totp_enabled, totp_secret, totp_last_step"

static int user_read(sqlite3_stmt *s, struct user *u, int first)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return -1;
	u->id = sqlite3_column_int64(s, first + 0);
	u->unit_id = sqlite3_column_int64(s, first + 1);
	copy_col(u->username, sizeof u->username, s, first + 2);
	copy_col(u->name, sizeof u->name, s, first + 3);
	u->roles = (unsigned)sqlite3_column_int64(s, first + 4);
	copy_col(u->pwhash, sizeof u->pwhash, s, first + 5);
	u->disabled = sqlite3_column_int(s, first + 6);
	u->totp_enabled = sqlite3_column_int(s, first + 7);
	copy_col(u->totp_secret, sizeof u->totp_secret, s, first + 8);
	u->totp_last_step = sqlite3_column_int64(s, first + 9);
	return 0;
}

int store_user_by_name(struct store *st, const char *username, struct user *u)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " USER_COLS " FROM users WHERE username=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, username);
	rc = user_read(s, u, 0);
	sqlite3_finalize(s);
	return rc;
}

int store_user_insert(struct store *st, struct user *u, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO users(username, name, unit_id, roles, pwhash,"
					    " created_at) VALUES(?,?,?,?,?,?)");
	int rc = -1;

	if (!s)
		return -1;
	bind_text(s, 1, u->username);
	bind_text(s, 2, u->name);
	sqlite3_bind_int64(s, 3, u->unit_id);
	sqlite3_bind_int64(s, 4, u->roles);
	bind_text(s, 5, u->pwhash);
	sqlite3_bind_int64(s, 6, now);
	if (sqlite3_step(s) == SQLITE_DONE) {
		u->id = sqlite3_last_insert_rowid(st->db);
		rc = 0;
	} else {
		log_error("user insert %s: %s", u->username, sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(s);
	return rc;
}

int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
			 const char *csrf, int enrol_only, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO sessions(token_hash, user_id, csrf, created_at,"
					    " last_seen, enrol_only) VALUES(?,?,?,?,?4,?5)");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, user_id);
	bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int(s, 5, enrol_only);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_user_totp(struct store *st, int64_t user_id, const char *secret, int enabled,
		    int64_t last_step)
{
	return store_run(st, "UPDATE users SET totp_secret=?2, totp_enabled=?3, totp_last_step=?4 WHERE id=?1",
			 "itii", user_id, secret, (int64_t)enabled, last_step);
}

int store_session_unrestrict(struct store *st, int64_t user_id, const char *token_hash)
{
	return store_run(st, "UPDATE sessions SET enrol_only=0 WHERE token_hash=?2 AND user_id=?1", "it", user_id,
			 token_hash) ||
	       store_run(st, "DELETE FROM sessions WHERE user_id=?1 AND token_hash<>?2 AND enrol_only=1", "it",
			 user_id, token_hash);
}

int store_session_get(struct store *st, const char *token_hash, struct user *u, char *csrf,
		      int64_t *created_at, int64_t *last_seen, int *enrol_only)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT s.csrf, s.created_at, s.last_seen, s.enrol_only, u.id,"
					    " u.unit_id, u.username, u.name, u.roles, u.pwhash, u.disabled,"
					    " u.totp_enabled, u.totp_secret, u.totp_last_step"
					    " FROM sessions s JOIN users u ON u.id=s.user_id"
					    " WHERE s.token_hash=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	rc = user_read(s, u, 4);
	if (rc == 0) {
		copy_col(csrf, 65, s, 0);
		*created_at = sqlite3_column_int64(s, 1);
		*last_seen = sqlite3_column_int64(s, 2);
		*enrol_only = sqlite3_column_int(s, 3);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_session_touch(struct store *st, const char *token_hash, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE sessions SET last_seen=? WHERE token_hash=?");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	bind_text(s, 2, token_hash);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_session_delete(struct store *st, const char *token_hash)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM sessions WHERE token_hash=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_idem_get(struct store *st, const char *caller, const char *key, char *request_hash,
		   int *status, char **body, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT request_hash, status, body FROM idempotency"
					    " WHERE caller=? AND key=? AND created_at >= ?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, caller);
	bind_text(s, 2, key);
	sqlite3_bind_int64(s, 3, now - STORE_IDEM_TTL);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_col(request_hash, 65, s, 0);
		*status = sqlite3_column_int(s, 1);
		*body = strdup((const char *)sqlite3_column_text(s, 2));
		rc = *body ? 0 : -1;
	} else {
		rc = rc == SQLITE_DONE ? 1 : -1;
	}
	sqlite3_finalize(s);
	return rc;
}

int store_idem_put(struct store *st, const char *caller, const char *key,
		   const char *request_hash, int status, const char *body, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM idempotency WHERE created_at < ?");
	int rc;

	/* a retry comes within minutes; first answers (with their query codes) go after a day */
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, now - STORE_IDEM_TTL);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return -1;
	s = store_prepare(st, "INSERT INTO idempotency(caller, key, request_hash, status,"
			      " body, created_at) VALUES(?,?,?,?,?,?)");
	if (!s)
		return -1;
	bind_text(s, 1, caller);
	bind_text(s, 2, key);
	bind_text(s, 3, request_hash);
	sqlite3_bind_int(s, 4, status);
	bind_text(s, 5, body);
	sqlite3_bind_int64(s, 6, now);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_login_record(struct store *st, const char *username, int64_t at, int ok, const char *client)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO login_attempts(username, at, ok, client) VALUES(?,?,?,?)");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, username);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int(s, 3, ok);
	bind_text(s, 4, client);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_login_state(struct store *st, const char *username, int *failures, int64_t *locked_at)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT (SELECT count(*) FROM login_attempts a WHERE a.username=?1 AND a.ok=0 AND a.id >"
		    "  COALESCE((SELECT max(id) FROM login_attempts b WHERE b.username=?1 AND b.ok IN (1,2)), 0)),"
		    " COALESCE((SELECT at FROM login_attempts c WHERE c.username=?1 AND c.ok=2 ORDER BY id DESC LIMIT 1), 0)");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, username);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*failures = sqlite3_column_int(s, 0);
		*locked_at = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_audit_last(struct store *st, int64_t *id, char mac[65])
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1");
	int rc;

	*id = 0;
	mac[0] = '\0';
	if (!s)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		copy_col(mac, 65, s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_audit_insert(struct store *st, const struct audit_row *r)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO audit_log(id, at, actor, unit_id, client, action, object,"
					    " result, detail, mac) VALUES(?,?,?,?,?,?,?,?,?,?)");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->at);
	bind_text(s, 3, r->actor);
	if (r->unit_id)
		sqlite3_bind_int64(s, 4, r->unit_id);
	bind_text(s, 5, r->client);
	bind_text(s, 6, r->action);
	bind_text(s, 7, r->object);
	bind_text(s, 8, r->result);
	bind_text(s, 9, r->detail);
	bind_text(s, 10, r->mac);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	if (rc)
		log_error("audit insert: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc;
}

int store_audit_each(struct store *st, int (*fn)(void *ctx, const struct audit_row *r), void *ctx)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, at, actor, COALESCE(unit_id,0), client, action, object,"
					    " result, detail, mac FROM audit_log ORDER BY id");
	int rc;

	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_row r = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.actor = (const char *)sqlite3_column_text(s, 2),
			.unit_id = sqlite3_column_int64(s, 3),
			.client = (const char *)sqlite3_column_text(s, 4),
			.action = (const char *)sqlite3_column_text(s, 5),
			.object = (const char *)sqlite3_column_text(s, 6),
			.result = (const char *)sqlite3_column_text(s, 7),
			.detail = (const char *)sqlite3_column_text(s, 8),
		};

		copy_col(r.mac, sizeof r.mac, s, 9);
		if (fn(ctx, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

json_t *store_audit_list(struct store *st, int64_t before, int limit)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT a.id, a.at, a.actor, a.unit_id, u.name AS unit_name, a.client,"
					    " a.action, a.object, a.result, a.detail FROM audit_log a"
					    " LEFT JOIN units u ON u.id=a.unit_id WHERE ?1 = 0 OR a.id < ?1"
					    " ORDER BY a.id DESC LIMIT ?2");
	json_t *a;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int(s, 2, limit);
	a = rows_json(st, s);
	sqlite3_finalize(s);
	return a;
}

json_t *store_user_list(struct store *st)
{
	return store_rows(st, "SELECT u.username, u.name, u.roles, u.disabled, u.totp_enabled, u.created_at,"
			      " n.id AS unit_id, n.code AS unit_code, n.name AS unit_name"
			      " FROM users u JOIN units n ON n.id=u.unit_id ORDER BY n.path, u.username");
}

int store_user_set(struct store *st, int64_t user_id, const char *column, int64_t value)
{
	if (strcmp(column, "roles") == 0)
		return store_run(st, "UPDATE users SET roles=?2 WHERE id=?1", "ii", user_id, value);
	if (strcmp(column, "disabled") == 0)
		return store_run(st, "UPDATE users SET disabled=?2 WHERE id=?1", "ii", user_id, value);
	return -1;
}

int store_session_delete_user(struct store *st, int64_t user_id)
{
	return store_run(st, "DELETE FROM sessions WHERE user_id=?1", "i", user_id);
}

int store_meta_get(struct store *st, const char *key, char *buf, size_t cap)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT value FROM meta WHERE key=?");
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		copy_col(buf, cap, s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	return store_run(st, "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=?2",
			 "tt", key, value);
}

int store_audit_purgeable(struct store *st, int64_t cutoff, int64_t *id, char mac[65])
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, mac FROM audit_log WHERE at < ?1"
					    " AND id < (SELECT max(id) FROM audit_log) ORDER BY id DESC LIMIT 1");
	int rc;

	*id = 0;
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, cutoff);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		copy_col(mac, 65, s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_audit_delete_upto(struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	int rc = -1;

	/* the append-only guard is lifted inside the caller's transaction only */
	if (sqlite3_exec(st->db, "DROP TRIGGER audit_log_no_delete", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	s = store_prepare(st, "DELETE FROM audit_log WHERE id <= ?");
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(s);
	}
	if (sqlite3_exec(st->db,
			 "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
			 "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
			 NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	return rc;
}

int store_user_set_pwhash(struct store *st, int64_t user_id, const char *pwhash)
{
	return store_run(st, "UPDATE users SET pwhash=?2 WHERE id=?1", "it", user_id, pwhash);
}

int store_session_delete_others(struct store *st, int64_t user_id, const char *keep_hash)
{
	return store_run(st, "DELETE FROM sessions WHERE user_id=?1 AND token_hash<>?2", "it", user_id, keep_hash);
}
