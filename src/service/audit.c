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
	if (row_mac(app->audit_key, prev, &r, r.mac))
		return -1;
	return store_audit_insert(app->st, &r);
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

	if (r->id != v->expect || row_mac(v->app->audit_key, v->prev, r, mac) ||
	    sodium_memcmp(mac, r->mac, 64) != 0) {
		v->broken = r->id != v->expect ? v->expect : r->id;
		return 1;
	}
	memcpy(v->prev, r->mac, sizeof v->prev);
	v->expect++;
	v->rows++;
	return 0;
}

int svc_audit_verify(struct app *app, int64_t *rows, int64_t *broken, struct xerr *err)
{
	struct verify v = { .app = app, .expect = 1 };
	int rc;

	pthread_mutex_lock(&app->lock);
	rc = store_audit_each(app->st, verify_row, &v);
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
