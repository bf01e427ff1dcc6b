#include "service/pii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "base/xtime.h"
#include "domain/mask.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/input.h"
#include "service/view.h"
#include "store/row.h"

void pii_id_key(const char *id_number, char out[31])
{
	size_t o = 0;

	for (; *id_number && o < 30; id_number++)
		out[o++] = *id_number == 'x' ? 'X' : *id_number;
	out[o] = '\0';
}

void pii_phone_key(const char *phone, char out[32])
{
	size_t o = 0;

	for (; *phone && o < 31; phone++)
		if (*phone >= '0' && *phone <= '9')
			out[o++] = *phone;
	out[o] = '\0';
}

static const char *const pii_fields[] = { "id_number", "phone", "address", NULL };

void pii_view_payload(json_t *p)
{
	char key[32];
	int i;

	for (i = 0; pii_fields[i]; i++) {
		json_t *m;

		snprintf(key, sizeof key, "%s_mask", pii_fields[i]);
		m = json_object_get(p, key);
		if (m)
			json_object_set(p, pii_fields[i], m);
		json_object_del(p, key);
		snprintf(key, sizeof key, "%s_enc", pii_fields[i]);
		json_object_del(p, key);
		snprintf(key, sizeof key, "%s_idx", pii_fields[i]);
		json_object_del(p, key);
	}
}

/* ---- unmasking ------------------------------------------------------------- */

int svc_pii_unmask(struct app *app, const struct actor *a, const char *no, const char *ord_s,
		   json_t *body, int64_t now, json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "reason", NULL };
	const char *reason;
	struct scope sc;
	json_t *row = NULL, *p = NULL;
	char *end = NULL, object[64];
	long ord = strtol(ord_s, &end, 10);
	int found, i, chars, rc = -1;

	if (!(a->user.roles & ROLE_PII_READER))
		return xerr_set(err, 403, "auth.role_denied", NULL,
				"没有查看完整个人信息的权限（需由安全管理员授予“个人信息查看”权限）");
	if (input_only(body, keys, "body", err) || input_str(body, "reason", 1, 200, &reason, err))
		return -1;
	for (i = 0, chars = 0; reason[i]; i++)
		chars += ((unsigned char)reason[i] & 0xc0) != 0x80;
	if (utf8_blank(reason) || chars < 4)
		return xerr_set(err, 400, "validation.reason", "reason",
				"请说明查看完整个人信息的理由（至少四个字，如“电话回访核实诉求”）");
	if (*end || end == ord_s || ord < 0 || ord > 1000)
		return xerr_set(err, 404, "petitioner.not_found", NULL, "信访人不存在");
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	row = store_case_row(app->st, no, &sc, &found);
	if (found < 0) {
		xerr_internal(err, "case read");
		goto out;
	}
	if (!found) {
		xerr_set(err, 404, "case.not_found", NULL, "信访事项“%.20s”不存在", no);
		goto out;
	}
	p = store_petitioner_sealed(app->st, row_int(row, "id"), (int)ord);
	if (!p) {
		xerr_set(err, 404, "petitioner.not_found", NULL, "信访人不存在");
		goto out;
	}
	for (i = 0; pii_fields[i]; i++) {
		char key[32];
		const char *sealed;

		snprintf(key, sizeof key, "%s_enc", pii_fields[i]);
		sealed = json_string_value(json_object_get(p, key));
		if (sealed) {
			char *plain = sm_open_text(&app->keys, sealed);

			if (!plain) {
				log_error("case %s petitioner %ld: %s cannot be opened (wrong key or altered)",
					  no, ord, pii_fields[i]);
				xerr_set(err, 500, "pii.unreadable", NULL, "个人信息无法解密（密钥不符或数据被篡改）");
				goto out;
			}
			json_object_set_new(p, pii_fields[i], json_string(plain));
			free(plain);
		} else {
			json_object_set_new(p, pii_fields[i], json_null());
		}
		json_object_del(p, key);
	}
	/* the view is recorded before it is shown: no record, no view */
	snprintf(object, sizeof object, "case:%.32s/petitioner:%ld", no, ord);
	if (store_begin(app->st) ||
	    audit_locked(app, audit_actor(a), a->unit.id, "pii.unmask", object, "ok", reason, now) ||
	    store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "audit");
		goto out;
	}
	json_object_set_new(p, "no", json_string(no));
	*out = p;
	p = NULL;
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	json_decref(p);
	return rc;
}

/* ---- returning petitioners ---------------------------------------------------- */

int svc_petitioner_lookup(struct app *app, const struct actor *a, json_t *body, int64_t now,
			  json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "id_number", "phone", NULL };
	const char *id_number, *phone;
	char norm[32], idx[2 * SM3_BYTES + 1], detail[80];
	struct scope sc;
	json_t *items;
	size_t i;
	json_t *it;

	if (input_only(body, keys, "body", err) || input_str(body, "id_number", 0, 30, &id_number, err) ||
	    input_str(body, "phone", 0, 20, &phone, err))
		return -1;
	if (!!id_number == !!phone)
		return xerr_set(err, 400, "validation.required", "id_number",
				"请输入身份证号码或电话号码（二者选一）");
	if (!(a->user.roles & ~(unsigned)(ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR | ROLE_PII_READER)))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有办理信访事项的业务人员可以查找信访人");
	if (id_number)
		pii_id_key(id_number, norm);
	else
		pii_phone_key(phone, norm);
	if (!norm[0])
		return xerr_set(err, 400, "validation.phone", "phone", "电话号码不正确");
	if (sm_index(&app->keys, norm, idx))
		return xerr_internal(err, "index");
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	items = store_petitioner_lookup(app->st, phone != NULL, idx, &sc, 50);
	/* looking a person up is recorded (by hash prefix, never the number) */
	snprintf(detail, sizeof detail, "%s %.12s… %zu", phone ? "phone" : "id_number", idx,
		 items ? json_array_size(items) : 0);
	if (items && (store_begin(app->st) ||
		      audit_locked(app, audit_actor(a), a->unit.id, "pii.lookup", "petitioners", "ok", detail, now) ||
		      store_commit(app->st))) {
		store_rollback(app->st);
		json_decref(items);
		items = NULL;
	}
	pthread_mutex_unlock(&app->lock);
	if (!items)
		return xerr_internal(err, "lookup");
	json_array_foreach(items, i, it)
		view_times(it);
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- databases from before schema version 5 ------------------------------------- */

static int seal_one(struct app *app, json_t *p, struct xerr *err)
{
	const char *v;
	char norm[32], idx[2 * SM3_BYTES + 1], masked[256], *sealed;
	int i;

	for (i = 0; pii_fields[i]; i++) {
		char key[32];

		v = json_string_value(json_object_get(p, pii_fields[i]));
		if (!v)
			continue;
		if (i == 0)
			pii_id_key(v, norm);
		else if (i == 1)
			pii_phone_key(v, norm);
		sealed = sm_seal_text(&app->keys, i == 0 ? norm : v);
		if (!sealed || (i < 2 && sm_index(&app->keys, norm, idx))) {
			free(sealed);
			return xerr_internal(err, "seal");
		}
		snprintf(key, sizeof key, "%s_enc", pii_fields[i]);
		json_object_set_new(p, key, json_string(sealed));
		free(sealed);
		if (i < 2) {
			snprintf(key, sizeof key, "%s_idx", pii_fields[i]);
			json_object_set_new(p, key, json_string(idx));
		}
		(i == 0 ? mask_id_number : i == 1 ? mask_phone : mask_address)(v, masked, sizeof masked);
		snprintf(key, sizeof key, "%s_mask", pii_fields[i]);
		json_object_set_new(p, key, json_string(masked));
		json_object_del(p, pii_fields[i]);
	}
	return 0;
}

int pii_seal_legacy(struct app *app, int *n, struct xerr *err)
{
	static const char find[] =
		"SELECT id, payload FROM case_events WHERE action='register' AND EXISTS("
		"SELECT 1 FROM json_each(payload,'$.petitioners') j WHERE"
		" json_type(j.value,'$.id_number')='text' OR json_type(j.value,'$.phone')='text'"
		" OR json_type(j.value,'$.address')='text')";
	struct store *st = app->st;
	sqlite3_stmt *s = NULL, *u = NULL;
	int rc = -1;

	*n = 0;
	pthread_mutex_lock(&app->lock);
	if (store_begin(st)) {
		pthread_mutex_unlock(&app->lock);
		return xerr_internal(err, "begin");
	}
	/* the one sanctioned rewrite of events: the append-only guard is lifted
	 * inside this transaction only, and the rewrite is audited */
	if (sqlite3_exec(st->db, "DROP TRIGGER case_events_no_update", NULL, NULL, NULL) != SQLITE_OK ||
	    !(s = store_prepare(st, find)) ||
	    !(u = store_prepare(st, "UPDATE case_events SET payload=?2 WHERE id=?1"))) {
		xerr_internal(err, "prepare");
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *payload = json_loads((const char *)sqlite3_column_text(s, 1), 0, NULL), *p;
		char *text;
		size_t i;

		if (!payload) {
			xerr_internal(err, "event payload");
			goto out;
		}
		json_array_foreach(json_object_get(payload, "petitioners"), i, p)
			if (seal_one(app, p, err)) {
				json_decref(payload);
				goto out;
			}
		text = json_dumps(payload, JSON_COMPACT);
		json_decref(payload);
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(s, 0));
		bind_text(u, 2, text);
		if (!text || sqlite3_step(u) != SQLITE_DONE) {
			free(text);
			xerr_internal(err, "event update");
			goto out;
		}
		free(text);
		sqlite3_reset(u);
		(*n)++;
	}
	if (sqlite3_exec(st->db,
			 "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events\n"
			 "  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;",
			 NULL, NULL, NULL) != SQLITE_OK) {
		xerr_internal(err, "trigger");
		goto out;
	}
	if (*n) {
		char detail[64];

		snprintf(detail, sizeof detail, "%d events", *n);
		if (audit_locked(app, "system", 0, "pii.seal_legacy", "case_events", "ok", detail, xtime_now())) {
			xerr_internal(err, "audit");
			goto out;
		}
	}
	rc = store_commit(st) ? xerr_internal(err, "commit") : 0;
out:
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	if (rc)
		store_rollback(st);
	pthread_mutex_unlock(&app->lock);
	return rc;
}
