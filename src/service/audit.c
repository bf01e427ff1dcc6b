/*
 * audit.c - the tamper-evident audit log (等保 2.0 level 3 安全审计;
 * GB/T 39786-2021). Row n's mac = HMAC-SM3(key, mac(n-1) ‖ fields(n)); the
 * key never enters the database, so whoever can edit the database cannot
 * forge a row, and `xinfang audit verify` names the first row that does not
 * match (an edited, inserted or removed row).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sm.h"
#include "base/xtime.h"
#include "domain/flow.h"
#include "service/audit.h"
#include "service/view.h"

static int row_mac(const unsigned char key[SM_KEY_BYTES], const char *prev, const struct audit_row *r,
		   char out[65])
{
	char head[128];
	const char *f[8] = { r->actor, r->client, r->action, r->object, r->result, r->detail };
	const void *parts[16];
	size_t lens[16];
	char lenbuf[6][24];
	unsigned char mac[SM3_BYTES];
	int n = 0, i;

	snprintf(head, sizeof head, "%lld\x1f%lld\x1f%lld", (long long)r->id, (long long)r->at,
		 (long long)r->unit_id);
	parts[n] = prev;
	lens[n++] = strlen(prev);
	parts[n] = head;
	lens[n++] = strlen(head);
	for (i = 0; i < 6; i++) {
		/* a field's length before it: no two different rows give the same input */
		const char *v = f[i] ? f[i] : "";

		snprintf(lenbuf[i], sizeof lenbuf[i], "\x1e%zu:", f[i] ? strlen(v) : (size_t)-1);
		parts[n] = lenbuf[i];
		lens[n++] = strlen(lenbuf[i]);
		parts[n] = v;
		lens[n++] = strlen(v);
	}
	if (sm_hmac_sm3(key, parts, lens, n, mac))
		return -1;
	sodium_bin2hex(out, 65, mac, sizeof mac);
	return 0;
}

/*
 * The chain's two ends live in `meta`, each with a tag under the audit key:
 * the head (the newest row: cutting rows off the end is found) and, after a
 * retention purge, the anchor (the last row removed: the chain starts there).
 */
#define HEAD_KEY "audit_head"
#define ANCHOR_KEY "audit_anchor"

static int chain_tag(struct app *app, const char *label, int64_t id, const char *mac, char out[65])
{
	char head[48];
	const void *parts[3];
	size_t lens[3];
	unsigned char t[SM3_BYTES];

	snprintf(head, sizeof head, "%s\x1f%lld\x1f", label, (long long)id);
	parts[0] = head, lens[0] = strlen(head);
	parts[1] = mac, lens[1] = strlen(mac);
	if (sm_hmac_sm3(app->keys.audit, parts, lens, 2, t))
		return -1;
	sodium_bin2hex(out, 65, t, sizeof t);
	return 0;
}

static int end_write(struct app *app, const char *key, const char *label, int64_t id, const char *mac)
{
	char tag[65], value[200];

	if (chain_tag(app, label, id, mac, tag))
		return -1;
	snprintf(value, sizeof value, "%lld:%s:%s", (long long)id, mac, tag);
	return store_meta_set(app->st, key, value);
}

/* 0 and *id=0 when absent, 1 read, -1 when the tag does not match. */
static int end_read(struct app *app, const char *key, const char *label, int64_t *id, char mac[65])
{
	char buf[200], tag[65], want[65];
	long long n = 0;
	int rc = store_meta_get(app->st, key, buf, sizeof buf);

	*id = 0;
	mac[0] = '\0';
	if (rc)
		return rc < 0 ? -1 : 0;
	if (sscanf(buf, "%lld:%64[0-9a-f]:%64[0-9a-f]", &n, mac, tag) != 3 || chain_tag(app, label, n, mac, want) ||
	    sodium_memcmp(want, tag, 64) != 0)
		return -1;
	*id = n;
	return 1;
}

/* one request at a time per server thread: the address of the one being served */
static _Thread_local char current_client[64];

void audit_set_client(const char *client)
{
	snprintf(current_client, sizeof current_client, "%s", client ? client : "");
}

int audit_locked(struct app *app, const char *actor, int64_t unit_id, const char *action,
		 const char *object, const char *result, const char *detail, int64_t at)
{
	struct audit_row r = { 0 };
	char prev[65];
	int64_t last;

	if (store_audit_last(app->st, &last, prev))
		return -1;
	r.id = last + 1;
	r.at = at;
	r.unit_id = unit_id;
	r.actor = actor;
	r.client = current_client[0] ? current_client : NULL;
	r.action = action;
	r.object = object;
	r.result = result;
	r.detail = detail;
	if (row_mac(app->keys.audit, prev, &r, r.mac))
		return -1;
	if (store_audit_insert(app->st, &r))
		return -1;
	return end_write(app, HEAD_KEY, "head", r.id, r.mac);
}

int audit_add(struct app *app, const char *actor, int64_t unit_id, const char *action,
	      const char *object, const char *result, const char *detail, int64_t at)
{
	int rc;

	pthread_mutex_lock(&app->lock);
	rc = store_begin(app->st) ||
	     audit_locked(app, actor, unit_id, action, object, result, detail, at) ||
	     store_commit(app->st);
	if (rc) {
		store_rollback(app->st);
		log_error("audit: cannot record %s %s", action, object ? object : "");
	}
	pthread_mutex_unlock(&app->lock);
	return rc ? -1 : 0;
}

const char *audit_actor(const struct actor *a)
{
	return a->kind == ACTOR_STAFF ? a->user.username : a->kind == ACTOR_PETITIONER ? "petitioner" : "system";
}

/* ---- retention ------------------------------------------------------------------ */

/*
 * Rows older than the retention period (at least 184 days: 等保 2.0 level 3
 * asks for six months of audit records) are deleted by the scheduler. The
 * chain then starts after an anchor: the id and mac of the last deleted row,
 * with a tag under the audit key, so a row cut from the start of the log by
 * hand (no anchor covers it) is still found by verify.
 */
#define RETENTION_KEY "audit_retention_days"

/* The chain's start: id 0 and "" without an anchor; -1 when the anchor's tag
 * does not match (someone wrote it). Lock held. */
static int anchor_read(struct app *app, int64_t *id, char mac[65])
{
	return end_read(app, ANCHOR_KEY, "anchor", id, mac) < 0 ? -1 : 0;
}

int svc_audit_retention(struct app *app)
{
	char buf[16];
	int days = 0;

	if (store_meta_get(app->st, RETENTION_KEY, buf, sizeof buf) == 0)
		days = atoi(buf);
	return days >= AUDIT_RETENTION_MIN ? days : AUDIT_RETENTION_MIN;
}

int svc_audit_retention_get(struct app *app, const struct actor *a, json_t **out, struct xerr *err)
{
	int days;

	if (!(a->user.roles & ROLE_AUDITOR))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有审计管理员可以查看审计日志的保存期限");
	pthread_mutex_lock(&app->lock);
	days = svc_audit_retention(app);
	pthread_mutex_unlock(&app->lock);
	*out = json_pack("{s:i,s:i}", "days", days, "minimum", AUDIT_RETENTION_MIN);
	return 0;
}

int svc_audit_retention_set(struct app *app, const struct actor *a, json_t *body, int64_t now,
			    json_t **out, struct xerr *err)
{
	json_t *d = json_object_get(body, "days");
	char buf[16], detail[64];
	int old, rc;

	if (!(a->user.roles & ROLE_AUDITOR))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有审计管理员可以设置审计日志的保存期限");
	if (json_object_size(body) != 1 || !json_is_integer(d))
		return xerr_set(err, 400, "validation.type", "days", "请以整数天数给出保存期限 {\"days\": 365}");
	if (json_integer_value(d) < AUDIT_RETENTION_MIN || json_integer_value(d) > 36500)
		return xerr_set(err, 400, "validation.invalid", "days",
				"审计日志至少保存%d天（等保 2.0 要求不少于六个月），至多36500天", AUDIT_RETENTION_MIN);
	snprintf(buf, sizeof buf, "%d", (int)json_integer_value(d));
	pthread_mutex_lock(&app->lock);
	old = svc_audit_retention(app);
	snprintf(detail, sizeof detail, "%d -> %s days", old, buf);
	rc = store_begin(app->st) || store_meta_set(app->st, RETENTION_KEY, buf) ||
	     audit_locked(app, audit_actor(a), a->unit.id, "audit.retention", "audit_log", "ok", detail, now) ||
	     store_commit(app->st);
	if (rc)
		store_rollback(app->st);
	pthread_mutex_unlock(&app->lock);
	if (rc)
		return xerr_internal(err, "retention");
	*out = json_pack("{s:i,s:i}", "days", atoi(buf), "minimum", AUDIT_RETENTION_MIN);
	return 0;
}

int svc_audit_purge(struct app *app, int64_t now, int64_t *purged, struct xerr *err)
{
	int64_t anchor_id, upto;
	char anchor_mac[65], mac[65], detail[96];
	int rc = -1;

	*purged = 0;
	pthread_mutex_lock(&app->lock);
	if (anchor_read(app, &anchor_id, anchor_mac)) {
		xerr_set(err, 500, "audit.anchor", NULL, "审计日志的起点记录被改动，请先核查（xinfang audit verify）");
		goto out;
	}
	if (store_audit_purgeable(app->st, now - (int64_t)svc_audit_retention(app) * 86400, &upto, mac)) {
		xerr_internal(err, "audit purge");
		goto out;
	}
	if (upto <= anchor_id) {
		rc = 0;
		goto out;
	}
	snprintf(detail, sizeof detail, "rows %lld..%lld, older than %d days", (long long)anchor_id + 1,
		 (long long)upto, svc_audit_retention(app));
	if (store_begin(app->st) || store_audit_delete_upto(app->st, upto) ||
	    end_write(app, ANCHOR_KEY, "anchor", upto, mac) ||
	    audit_locked(app, "system", 0, "audit.purge", "audit_log", "ok", detail, now) ||
	    store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "audit purge");
		goto out;
	}
	*purged = upto - anchor_id;
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int audit_head_init(struct app *app)
{
	int64_t id;
	char mac[65];
	int rc;

	pthread_mutex_lock(&app->lock);
	rc = store_begin(app->st) || store_audit_last(app->st, &id, mac) ||
	     (id && end_write(app, HEAD_KEY, "head", id, mac)) || store_commit(app->st);
	if (rc)
		store_rollback(app->st);
	pthread_mutex_unlock(&app->lock);
	return rc ? -1 : 0;
}

/* ---- verification ------------------------------------------------------------------ */

struct verify {
	struct app *app;
	int64_t expect;
	char prev[65];
	int64_t rows, broken;
	int failed;
};

static int verify_row(void *ctx, const struct audit_row *r)
{
	struct verify *v = ctx;
	char mac[65];

	if (r->id != v->expect || row_mac(v->app->keys.audit, v->prev, r, mac) ||
	    sodium_memcmp(mac, r->mac, 64) != 0) {
		v->broken = r->id != v->expect ? v->expect : r->id;
		return 1;
	}
	memcpy(v->prev, r->mac, sizeof v->prev);
	v->expect++;
	v->rows++;
	return 0;
}

int svc_event_verify(struct app *app, int64_t *events, int64_t *broken, int64_t *unaudited,
		     struct xerr *err)
{
	char from[24];
	int rc;

	pthread_mutex_lock(&app->lock);
	rc = store_event_verify(app->st, events, broken);
	*unaudited = 0;
	if (rc == 0 && !*broken) {
		/* events from before the audit rows named them are chain-checked only */
		if (store_meta_get(app->st, "event_audit_from", from, sizeof from) != 0)
			snprintf(from, sizeof from, "1");
		*unaudited = store_event_unaudited(app->st, atoll(from));
		rc = *unaudited < 0 ? -1 : 0;
	}
	pthread_mutex_unlock(&app->lock);
	return rc ? xerr_internal(err, "event verify") : 0;
}

int audit_events_chain_init(struct app *app)
{
	char from[24];
	int64_t max = 0;
	json_t *r;
	int rc;

	pthread_mutex_lock(&app->lock);
	r = store_rows(app->st, "SELECT COALESCE(max(id), 0) AS m FROM case_events");
	if (r)
		max = json_integer_value(json_object_get(json_array_get(r, 0), "m"));
	json_decref(r);
	snprintf(from, sizeof from, "%lld", (long long)max + 1);
	rc = !r || store_begin(app->st) || store_event_chain_all(app->st) ||
	     store_meta_set(app->st, "event_audit_from", from) || store_commit(app->st);
	if (rc)
		store_rollback(app->st);
	pthread_mutex_unlock(&app->lock);
	return rc ? -1 : 0;
}

int svc_audit_verify(struct app *app, int64_t *rows, int64_t *broken, struct xerr *err)
{
	struct verify v = { .app = app, .expect = 1 };
	int64_t anchor;
	int rc;

	pthread_mutex_lock(&app->lock);
	if (anchor_read(app, &anchor, v.prev)) {
		pthread_mutex_unlock(&app->lock);
		*rows = 0;
		*broken = 1;
		log_error("audit: the retention anchor does not match its tag");
		return 0;
	}
	v.expect = anchor + 1;
	rc = store_audit_each(app->st, verify_row, &v);
	if (rc == 0 && !v.broken) {
		int64_t head;
		char head_mac[65];
		int h = end_read(app, HEAD_KEY, "head", &head, head_mac);

		/* the newest row must be the one the head names: rows cut off the end
		 * (or a head rewritten by hand) show as the first missing row */
		if (h < 0 || (h == 0 && v.expect - 1 > anchor) || (h == 1 && (head != v.expect - 1 ||
									strcmp(head_mac, v.prev) != 0)))
			v.broken = h == 1 && head > v.expect - 1 ? v.expect : v.expect - 1 > 0 ? v.expect - 1 : 1;
	}
	pthread_mutex_unlock(&app->lock);
	if (rc)
		return xerr_internal(err, "audit verify");
	*rows = v.rows;
	*broken = v.broken;
	return 0;
}

int svc_audit_list(struct app *app, const struct actor *a, int64_t before, int limit, json_t **out,
		   struct xerr *err)
{
	json_t *items, *r;
	size_t i;

	/* 三员分立: only the audit administrator reads the log */
	if (!(a->user.roles & ROLE_AUDITOR))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有审计管理员可以查看审计日志");
	if (limit < 1 || limit > 500)
		return xerr_set(err, 400, "validation.invalid", "limit", "每页条数须在1至500之间");
	pthread_mutex_lock(&app->lock);
	items = store_audit_list(app->st, before, limit);
	pthread_mutex_unlock(&app->lock);
	if (!items)
		return xerr_internal(err, "audit list");
	json_array_foreach(items, i, r) view_times(r);
	*out = json_pack("{s:o}", "items", items);
	if (json_array_size(items) == (size_t)limit) {
		char c[24];

		snprintf(c, sizeof c, "%lld", (long long)json_integer_value(
						      json_object_get(json_array_get(items, (size_t)limit - 1), "id")));
		json_object_set_new(*out, "next_cursor", json_string(c));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	return 0;
}
