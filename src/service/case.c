/*
 * case.c - registering cases and acting on them. Each write runs in one
 * BEGIN IMMEDIATE transaction under the app lock: find the case in the
 * actor's scope -> check the version -> ask the transition table -> append
 * the event (which updates the projections) -> commit.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xtime.h"
#include "domain/calendar.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "domain/mask.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/clock.h"
#include "service/input.h"
#include "service/pii.h"
#include "service/similar.h"
#include "service/view.h"
#include "text/fts.h"

/* ---- helpers -------------------------------------------------------------- */

const char *row_str(json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

int64_t row_int(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

void scope_of(const struct actor *a, struct scope *sc)
{
	memset(sc, 0, sizeof *sc);
	if (a->kind != ACTOR_STAFF) {
		sc->all = 1;
		return;
	}
	/* 等保 2.0 三员分立: the system, security and audit administrators run the
	 * system and never read case content */
	if ((a->user.roles & (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)) ||
	    a->user.roles == 0) {
		/* nor does an account without a role (a new one, before the secadmin grants one) */
		sc->unit_id = -1;
		sc->unit_path = "-";
		return;
	}
	sc->unit_id = a->unit.id;
	sc->unit_path = a->unit.path;
	sc->petition = strcmp(a->unit.type, "petition") == 0;
}

void sha256_hex_of(const char *s, size_t n, char out[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, (const unsigned char *)s, n);
	sodium_bin2hex(out, 65, md, sizeof md);
}

/* 8 characters without look-alikes (no 0/O, 1/I/L). */
static void new_query_code(char out[9])
{
	static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
	int i;

	for (i = 0; i < 8; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[8] = '\0';
}

static int unit_load(struct app *app, int64_t id, struct unit *u, const char *field,
		     struct xerr *err)
{
	int rc = store_unit_get(app->st, id, u);

	if (rc < 0)
		return xerr_internal(err, "unit lookup");
	if (rc == 1)
		return xerr_set(err, 422, "validation.unknown_unit", field, "单位编号%lld不存在",
				(long long)id);
	return 0;
}

/* Is some {path} of `units` within some {path} of `accused`? */
static int any_within(json_t *units, json_t *accused)
{
	size_t i, j;
	json_t *u, *x;

	json_array_foreach(units, i, u)
		json_array_foreach(accused, j, x)
			if (flow_path_within(row_str(u, "path"), row_str(x, "path")))
				return 1;
	return 0;
}

/* The accused unit of a case as [{path}] (empty unless an accusation naming one). */
static json_t *accused_of(struct app *app, json_t *row)
{
	json_t *a = json_array();
	struct unit u;

	if (strcmp(row_str(row, "kind"), "accusation") == 0 && row_int(row, "accused_unit_id") &&
	    store_unit_get(app->st, row_int(row, "accused_unit_id"), &u) == 0)
		json_array_append_new(a, json_pack("{s:s}", "path", u.path));
	return a;
}

int event_record(struct app *app, const struct actor *a, struct event *ev, int64_t unit_id,
		 const char *extra, int64_t now)
{
	char what[48], detail[256];

	if (store_event_append(app->st, ev))
		return -1;
	snprintf(what, sizeof what, "case.%s", ev->action);
	snprintf(detail, sizeof detail, "sm3:%s%s%s", ev->hash, extra ? " " : "", extra ? extra : "");
	return audit_locked(app, audit_actor(a), unit_id, what, ev->case_no, "ok", detail, now);
}

/* ---- registration --------------------------------------------------------- */

static const char *const register_keys[] = {
	"channel", "kind", "purpose", "category", "locality", "title", "content", "request", "flags",
	"people_count", "involved_count", "petition_date", "petitioners", "accused_unit",
	"accused_name", "repeat_of", "related", NULL,
};

static const char *const petitioner_keys[] = {
	"name", "sex", "id_type", "id_number", "phone", "address", "address_code", "workplace",
	"representative", NULL,
};

#define SET_STR(o, k, v) \
	do { if (v) json_object_set_new(o, k, json_string(v)); } while (0)

/*
 * Personal data goes into the event sealed (SM4), with a keyed SM3 hash for
 * matching and the masked form for display; the plain value is never stored
 * (issue 4; GB/T 39786-2021). index_value: the normalised value to hash, or
 * NULL for fields nobody looks up (addresses).
 */
static int seal_field(const struct sm_keys *k, json_t *p, const char *field, const char *value,
		      const char *index_value, void (*mask)(const char *, char *, size_t),
		      struct xerr *err)
{
	char key[32], idx[2 * SM3_BYTES + 1], masked[256];
	char *sealed = sm_seal_text(k, value);

	if (!sealed || (index_value && sm_index(k, index_value, idx))) {
		free(sealed);
		return xerr_internal(err, "sealing personal data");
	}
	snprintf(key, sizeof key, "%s_enc", field);
	json_object_set_new(p, key, json_string(sealed));
	free(sealed);
	if (index_value) {
		snprintf(key, sizeof key, "%s_idx", field);
		json_object_set_new(p, key, json_string(idx));
	}
	mask(value, masked, sizeof masked);
	snprintf(key, sizeof key, "%s_mask", field);
	json_object_set_new(p, key, json_string(masked));
	return 0;
}

/* err->field = "petitioners[i].name": which petitioner the refusal is about; -1 */
static int field_of(struct xerr *err, const char *where, const char *name)
{
	char field[64];

	snprintf(field, sizeof field, "%.20s.%.40s", where, name);
	snprintf(err->field, sizeof err->field, "%s", field);
	return -1;
}

static int build_petitioner(const struct sm_keys *k, json_t *in, size_t i, json_t **out, int *rep,
			    struct xerr *err)
{
	const char *name, *sex, *id_type, *id_number, *phone, *address, *address_code, *workplace;
	int representative = 0;
	char where[48];
	json_t *p;

	snprintf(where, sizeof where, "petitioners[%zu]", i);
	if (input_only(in, petitioner_keys, where, err) ||
	    input_str(in, "name", 1, 50, &name, err) || input_code(in, "sex", 0, CODES_SEX, &sex, err) ||
	    input_code(in, "id_type", 0, CODES_ID_TYPE, &id_type, err) ||
	    input_str(in, "id_number", 0, 30, &id_number, err) ||
	    input_str(in, "phone", 0, 20, &phone, err) || input_str(in, "address", 0, 200, &address, err) ||
	    input_code(in, "address_code", 0, CODES_DIVISION, &address_code, err) ||
	    input_str(in, "workplace", 0, 100, &workplace, err) ||
	    input_bool(in, "representative", &representative, err)) {
		char name_[40];

		snprintf(name_, sizeof name_, "%.39s", err->field); /* name the petitioner in the field path */
		return field_of(err, where, name_);
	}
	if (id_number && !id_type)
		id_type = "resident_id";
	if (id_number && strcmp(id_type, "resident_id") == 0 && !input_resident_id_ok(id_number))
		return xerr_set(err, 400, "validation.id_number", NULL,
				"身份证号码“%.20s”不正确（应为18位且校验码正确）", id_number),
		       field_of(err, where, "id_number");
	if (phone && !input_phone_ok(phone))
		return xerr_set(err, 400, "validation.phone", NULL, "电话号码“%.20s”不正确", phone),
		       field_of(err, where, "phone");
	p = json_object();
	SET_STR(p, "name", name);
	SET_STR(p, "sex", sex);
	SET_STR(p, "id_type", id_type);
	if (id_number) {
		char upper[31];

		pii_id_key(id_number, upper);
		if (seal_field(k, p, "id_number", upper, upper, mask_id_number, err))
			goto fail;
	}
	if (phone) {
		char digits[32];

		pii_phone_key(phone, digits);
		if (seal_field(k, p, "phone", phone, digits, mask_phone, err))
			goto fail;
	}
	if (address && seal_field(k, p, "address", address, NULL, mask_address, err))
		goto fail;
	SET_STR(p, "address_code", address_code);
	SET_STR(p, "workplace", workplace);
	json_object_set_new(p, "representative", json_boolean(representative));
	*rep += representative;
	*out = p;
	return 0;
fail:
	json_decref(p);
	return -1;
}

/*
 * Check a registration body and build the event payload (new reference in
 * *out). Registration fields: RULES.md "Channels and registration"
 * (seed 003 §1.2); at most 5 representatives (R22 art. 20).
 */
/* R22 art. 30: a link (repeat_of, related) to an accusation registered under its accused
 * unit would name it there; such a unit is told what it would be told of a case that does
 * not exist. -1 (err set) when `no` is such a case. */
static int names_accused_there(struct app *app, const struct unit *reg_unit, const char *no,
			       const char *field, const char *what, struct xerr *err)
{
	struct scope all = { .all = 1 };
	int found, hit;
	json_t *r = store_case_row(app->st, no, &all, &found), *acc = r ? accused_of(app, r) : NULL;
	json_t *mine = json_pack("[{s:s}]", "path", reg_unit->path);

	hit = acc && any_within(mine, acc);
	json_decref(r);
	json_decref(acc);
	json_decref(mine);
	return hit ? xerr_set(err, 422, "validation.unknown_case", field, "%s“%.20s”不存在", what, no) : 0;
}

/* `related`: up to 10 earlier cases on the same matter from other people (关联件, seed
 * 002 精准甄别), marked by the registrar from the candidates. Each must exist; the links
 * are kept on the new case only (case_relations 'related'). */
static int related(struct app *app, json_t *body, json_t *p, struct xerr *err)
{
	json_t *in = json_object_get(body, "related"), *v, *w, *out;
	struct scope all = { .all = 1 };
	size_t i, j;

	if (!in || json_is_null(in))
		return 0;
	if (!json_is_array(in))
		return xerr_set(err, 400, "validation.type", "related", "“related”必须是信访事项编号的数组");
	if (json_array_size(in) > 10)
		return xerr_set(err, 400, "validation.invalid", "related", "关联件最多标记 10 件");
	out = json_array();
	json_array_foreach(in, i, v)
	{
		const char *no = json_string_value(v);
		int found = 0, dup = 0;
		json_t *r;

		if (!no)
			return json_decref(out),
			       xerr_set(err, 400, "validation.type", "related", "关联件须为信访事项编号");
		r = input_case_no_ok(no) ? store_case_row(app->st, no, &all, &found) : NULL;
		json_decref(r);
		if (found < 0)
			return json_decref(out), xerr_internal(err, "related lookup");
		if (!found)
			return json_decref(out), xerr_set(err, 422, "validation.unknown_case", "related",
							  "关联信访事项“%.20s”不存在", no);
		json_array_foreach(out, j, w) dup |= strcmp(json_string_value(w), no) == 0;
		if (!dup)
			json_array_append_new(out, json_string(no));
	}
	json_object_set_new(p, "related", out);
	return 0;
}

static int build_registration(struct app *app, json_t *body, int64_t now, json_t **out,
			      struct xerr *err)
{
	const char *channel, *kind, *purpose, *category, *locality, *title, *content, *request;
	const char *petition_date, *accused_name, *repeat_of;
	int64_t people = 0, involved = -1, accused_id = 0, date_t;
	json_t *flags_in, *flags, *pets_in, *pets = NULL, *v, *p = NULL;
	int anonymous = 0, reps = 0;
	size_t i;
	char today[11];

	if (input_only(body, register_keys, "body", err) ||
	    input_code(body, "channel", 1, CODES_CHANNEL, &channel, err) ||
	    input_code(body, "kind", 1, CODES_KIND, &kind, err) ||
	    input_code(body, "purpose", 1, CODES_PURPOSE, &purpose, err) ||
	    input_code(body, "category", 1, CODES_CATEGORY, &category, err) ||
	    input_code(body, "locality", 1, CODES_DIVISION, &locality, err) ||
	    input_str(body, "title", 1, 100, &title, err) ||
	    input_str(body, "content", 1, 10000, &content, err) ||
	    input_str(body, "request", 1, 2000, &request, err) ||
	    input_str(body, "petition_date", 0, 10, &petition_date, err) ||
	    input_int(body, "people_count", 0, 1, 100000, &people, err) ||
	    input_int(body, "involved_count", 0, 0, 10000000, &involved, err) ||
	    input_int(body, "accused_unit", 0, 1, INT64_MAX, &accused_id, err) ||
	    input_str(body, "accused_name", 0, 100, &accused_name, err) ||
	    input_str(body, "repeat_of", 0, 20, &repeat_of, err))
		return -1;

	flags = json_array();
	flags_in = json_object_get(body, "flags");
	if (flags_in && !json_is_null(flags_in)) {
		if (!json_is_array(flags_in)) {
			xerr_set(err, 400, "validation.type", "flags", "“flags”必须是数组");
			goto fail;
		}
		json_array_foreach(flags_in, i, v)
		{
			const char *f = json_string_value(v);
			size_t j;
			json_t *w;
			int dup = 0;

			if (!f || codes_flag_bit(f) < 0) {
				xerr_set(err, 422, "validation.unknown_code", "flags", "标记“%.32s”不存在",
					 f ? f : "?");
				goto fail;
			}
			json_array_foreach(flags, j, w) dup |= strcmp(json_string_value(w), f) == 0;
			if (!dup)
				json_array_append_new(flags, json_string(f));
			anonymous |= strcmp(f, "anonymous") == 0;
		}
	}

	pets_in = json_object_get(body, "petitioners");
	if (!pets_in && !anonymous) {
		xerr_set(err, 400, "validation.required", "petitioners", "请填写信访人（匿名件请加“匿名”标记）");
		goto fail;
	}
	if (pets_in && (!json_is_array(pets_in) || json_array_size(pets_in) > 100)) {
		xerr_set(err, 400, "validation.type", "petitioners", "“petitioners”必须是不超过100人的数组");
		goto fail;
	}
	if (!anonymous && json_array_size(pets_in) == 0) {
		xerr_set(err, 400, "validation.required", "petitioners", "请至少填写一名信访人");
		goto fail;
	}
	pets = json_array();
	json_array_foreach(pets_in, i, v)
	{
		json_t *one = NULL;

		if (!json_is_object(v)) {
			xerr_set(err, 400, "validation.type", "petitioners", "信访人必须是 JSON 对象");
			goto fail;
		}
		if (build_petitioner(&app->keys, v, i, &one, &reps, err))
			goto fail;
		json_array_append_new(pets, one);
	}
	/* R22 art. 20; seed 004 art. 11(5): a collective visit elects at most 5 representatives */
	if (reps > 5) {
		xerr_set(err, 422, "validation.too_many_representatives", "petitioners",
			 "多人采用走访形式提出信访事项的，应当推选代表，代表人数不超过5人");
		goto fail;
	}
	if (people == 0)
		people = json_array_size(pets) ? (int64_t)json_array_size(pets) : 1;
	if (people < (int64_t)json_array_size(pets)) {
		xerr_set(err, 400, "validation.invalid", "people_count", "信访人数不能少于登记的信访人");
		goto fail;
	}
	if (involved < 0)
		involved = people;

	xtime_date(now, today);
	if (petition_date) {
		if (xtime_parse(petition_date, &date_t) || strlen(petition_date) != 10) {
			xerr_set(err, 400, "validation.invalid", "petition_date", "信访日期须为 YYYY-MM-DD");
			goto fail;
		}
		if (strcmp(petition_date, today) > 0) {
			xerr_set(err, 400, "validation.invalid", "petition_date", "信访日期不能晚于今天");
			goto fail;
		}
	} else {
		petition_date = today;
	}

	if ((accused_id || accused_name) && strcmp(kind, "accusation") != 0) {
		xerr_set(err, 400, "validation.invalid", accused_id ? "accused_unit" : "accused_name",
			 "只有检举控告类信访事项可以填写被检举控告对象");
		goto fail;
	}
	if (accused_id) {
		struct unit au;

		if (unit_load(app, accused_id, &au, "accused_unit", err))
			goto fail;
	}
	if (repeat_of) {
		struct scope all = { .all = 1 };
		int found;
		json_t *r = input_case_no_ok(repeat_of) ? store_case_row(app->st, repeat_of, &all, &found)
						       : (found = 0, NULL);

		json_decref(r);
		if (found < 0) {
			xerr_internal(err, "repeat_of lookup");
			goto fail;
		}
		if (!found) {
			xerr_set(err, 422, "validation.unknown_case", "repeat_of", "原信访事项“%.20s”不存在",
				 repeat_of);
			goto fail;
		}
	}

	p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:s,s:o}", "channel", channel,
		      "kind", kind, "purpose", purpose, "category", category, "locality", locality,
		      "title", title, "content", content, "request", request, "flags", flags,
		      "people_count", (json_int_t)people, "involved_count", (json_int_t)involved,
		      "petition_date", petition_date, "petitioners", pets);
	if (!p)
		return xerr_internal(err, "out of memory");
	if (accused_id)
		json_object_set_new(p, "accused_unit_id", json_integer(accused_id));
	SET_STR(p, "accused_name", accused_name);
	SET_STR(p, "repeat_of", repeat_of);
	if (related(app, body, p, err)) {
		json_decref(p);
		return -1;
	}
	*out = p;
	return 0;
fail:
	json_decref(flags);
	json_decref(pets);
	return -1;
}

static int idem_check(struct app *app, const char *caller, const char *key, const char *req_hash,
		      int64_t now, int *status, json_t **out, struct xerr *err)
{
	char stored_hash[65];
	char *body = NULL;
	int rc;

	if (!key)
		return 1;
	rc = store_idem_get(app->st, caller, key, stored_hash, status, &body, now);
	if (rc < 0)
		return xerr_internal(err, "idempotency lookup");
	if (rc == 1)
		return 1;
	if (strcmp(stored_hash, req_hash) != 0) {
		free(body);
		return xerr_set(err, 422, "idempotency.key_reused", "Idempotency-Key",
				"该幂等键已用于另一个不同的请求");
	}
	*out = json_loads(body, 0, NULL);
	free(body);
	return *out ? 0 : xerr_internal(err, "idempotency body");
}

/*
 * R22 art. 30, 46(5): an accusation must never sit with the unit it accuses.
 * A clerk of the accused unit (or one under it) cannot register it; an online
 * accusation goes up to the first petition department outside the accused
 * unit's subtree.
 */
static int route_around_accused(struct app *app, const struct actor *a, struct unit *reg_unit,
				json_t *payload, struct xerr *err)
{
	int64_t accused_id = json_integer_value(json_object_get(payload, "accused_unit_id"));
	struct unit au;
	int rc;

	if (!accused_id)
		return 0;
	if (unit_load(app, accused_id, &au, "accused_unit", err))
		return -1;
	while (flow_path_within(reg_unit->path, au.path)) {
		if (a->kind == ACTOR_STAFF)
			return xerr_set(err, 422, "flow.accused_unit", "accused_unit",
					"被检举控告的是本单位或上级单位，本单位不得登记办理，请告知信访人向上级机关或纪检监察机关提出");
		rc = store_unit_petition_above(app->st, reg_unit, reg_unit);
		if (rc < 0)
			return xerr_internal(err, "bureau above");
		if (rc == 1)
			return xerr_set(err, 422, "public.no_bureau", "accused_unit",
					"本系统内没有可以受理该检举控告的上级机关，请向纪检监察机关提出");
	}
	return 0;
}

int register_case(struct app *app, const struct actor *a, const struct unit *at_unit,
		  int64_t now, json_t *body, const char *idem_key, int *status, json_t **out,
		  struct xerr *err)
{
	char caller[32], req_hash[65], day[9], no[32], code[9], code_hash[65];
	json_t *payload = NULL, *row, *view;
	char *canon;
	int found, rc;
	int64_t case_id;
	struct event ev = { 0 };
	struct scope sc;
	struct unit reg_unit = *at_unit;

	if (idem_key && (strlen(idem_key) == 0 || strlen(idem_key) > 100))
		return xerr_set(err, 400, "validation.invalid", "Idempotency-Key", "幂等键须为1至100个字符");
	if (a->kind == ACTOR_STAFF)
		snprintf(caller, sizeof caller, "u:%lld", (long long)a->user.id);
	else
		snprintf(caller, sizeof caller, "public");
	canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (!canon)
		return xerr_internal(err, "out of memory");
	sha256_hex_of(canon, strlen(canon), req_hash);
	free(canon);

	pthread_mutex_lock(&app->lock);
	if (store_begin(app->st)) {
		rc = xerr_internal(err, "begin");
		goto out;
	}
	rc = idem_check(app, caller, idem_key, req_hash, now, status, out, err);
	if (rc <= 0) /* replayed (0) or refused (-1) */
		goto out;
	if (build_registration(app, body, now, &payload, err)) {
		rc = -1;
		goto out;
	}
	if (route_around_accused(app, a, &reg_unit, payload, err)) {
		rc = -1;
		goto out;
	}
	/* R22 art. 30: a repeat of an accusation registered under its accused unit
	 * would name it there; such a unit is told what it would be told of a case
	 * that does not exist */
	{
		json_t *rel = json_object_get(payload, "related"), *v;
		const char *rep = json_string_value(json_object_get(payload, "repeat_of"));
		size_t i;

		if (rep && (rc = names_accused_there(app, &reg_unit, rep, "repeat_of", "原信访事项", err)))
			goto out;
		json_array_foreach(rel, i, v)
			if ((rc = names_accused_there(app, &reg_unit, json_string_value(v), "related",
						      "关联信访事项", err)))
				goto out;
	}
	xtime_day(now, day);
	if (store_case_next_no(app->st, day, no)) {
		rc = xerr_internal(err, "case number");
		goto out;
	}
	new_query_code(code);
	sha256_hex_of(code, 8, code_hash);
	json_object_set_new(payload, "query_hash", json_string(code_hash));
	json_object_set_new(payload, "registered_unit_id", json_integer(reg_unit.id));

	ev.case_no = no;
	ev.seq = 1;
	ev.at = now;
	ev.actor_kind = a->kind == ACTOR_STAFF ? "staff" : "petitioner";
	ev.actor_user_id = a->kind == ACTOR_STAFF ? a->user.id : 0;
	ev.actor_unit_id = a->kind == ACTOR_STAFF ? a->unit.id : 0;
	ev.action = "register";
	ev.from_state = "none";
	ev.to_state = "registered";
	ev.payload = payload;
	if (event_record(app, a, &ev, reg_unit.id, NULL, now)) {
		rc = xerr_internal(err, "register event");
		goto out;
	}
	scope_of(a, &sc);
	sc.all = 1;
	row = store_case_row(app->st, no, &sc, &found);
	if (!row) {
		rc = xerr_internal(err, "case reload");
		goto out;
	}
	case_id = row_int(row, "id");
	view = a->kind == ACTOR_STAFF ? view_case(app, a, row) : view_public(app, row, now);
	if (a->kind != ACTOR_STAFF)
		json_decref(row);
	*out = json_pack("{s:o,s:s}", "case", view, "query_code", code);
	/* seed 002 精准甄别: the clerk sees possible repeats and related cases at once
	 * (never the petitioner: the portal answers only their own case) */
	if (a->kind == ACTOR_STAFF)
		json_object_set_new(*out, "candidates", similar_for_case(app, a, case_id, 10));
	*status = 201;
	if (idem_key) {
		char *text = json_dumps(*out, JSON_COMPACT);

		if (!text || store_idem_put(app->st, caller, idem_key, req_hash, 201, text, now)) {
			free(text);
			json_decref(*out);
			*out = NULL;
			rc = xerr_internal(err, "idempotency store");
			goto out;
		}
		free(text);
	}
	if (store_commit(app->st)) {
		json_decref(*out);
		*out = NULL;
		rc = xerr_internal(err, "commit");
		goto out;
	}
	rc = 0;
out:
	store_rollback(app->st); /* ends a refused or replayed request; no-op after commit */
	json_decref(payload);
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_register(struct app *app, const struct actor *a, int64_t now, json_t *body,
		 const char *idem_key, int *status, json_t **out, struct xerr *err)
{
	*out = NULL;
	if (!(a->user.roles & ROLE_REGISTRAR))
		return xerr_set(err, 403, "auth.role_denied", NULL, "您的角色无权登记信访事项");
	return register_case(app, a, &a->unit, now, body, idem_key, status, out, err);
}

/* ---- actions ---------------------------------------------------------------- */

/* The fields each action takes; anything else is refused (validation.unknown_field),
 * so a field meant for another action can never steer this one. */
#define DECISION_KEYS "outcome", "facts", "opinion", "legal_basis"
static const char *const action_keys[ACT__COUNT][9] = {
	[ACT_TRANSFER] = { "lead_unit", "co_units", "comment" },
	[ACT_ASSIGN] = { "lead_unit", "co_units", "due_days", "comment" },
	[ACT_SELF_HANDLE] = { "comment" },
	[ACT_REJECT] = { "reason", "route", "comment" },
	[ACT_DECLINE] = { "reason", "repeat_of", "comment" },
	[ACT_ARCHIVE] = { "reason", "comment" },
	[ACT_MERGE] = { "into", "reason", "comment" },
	[ACT_ACCEPT] = { "comment" },
	[ACT_RETURN] = { "reason", "comment" },
	[ACT_REQUEST_EXTENSION] = { "days", "reason", "comment" },
	[ACT_APPROVE_EXTENSION] = { "comment" },
	[ACT_DENY_EXTENSION] = { "reason", "comment" },
	[ACT_REPLY] = { DECISION_KEYS, "delivery", "witness", "comment" },
	[ACT_APPROVE] = { "comment" },
	[ACT_SEND_BACK] = { "reason", "comment" },
	[ACT_RATE] = { "satisfaction", "comment" },
	[ACT_REQUEST_REVIEW] = { "reason", "comment" },
	[ACT_DECIDE_REVIEW] = { DECISION_KEYS, "comment" },
	[ACT_REQUEST_RECHECK] = { "reason", "comment" },
	[ACT_DECIDE_RECHECK] = { DECISION_KEYS, "comment" },
	[ACT_REQUEST_MATERIAL] = { "reason", "comment" },
	[ACT_RECEIVE_MATERIAL] = { "comment" },
	[ACT_START_HEARING] = { "reason", "comment" },
	[ACT_END_HEARING] = { "comment" },
	[ACT_IMPLEMENT] = { "facts", "comment" },
	[ACT_SUGGEST] = { "to_unit", "suggestion_type", "opinion", "comment" },
	[ACT_SUGGESTION_FEEDBACK] = { "facts", "comment" },
	[ACT_REMIND] = { "reason", "comment" },
	[ACT_SUPERVISE] = { "reason", "due_days", "comment" },
	[ACT_INSTRUCT] = { "opinion", "comment" },
	[ACT_TAKE_OWNERSHIP] = { "reason", "comment" },
	[ACT_RELEASE_OWNERSHIP] = { "reason", "comment" },
};


#define MAX_CO 10

/* What a client sent with an action, checked for type and code. */
struct act_body {
	const char *reason, *route, *facts, *opinion, *legal_basis, *witness, *into, *repeat_of,
		*comment, *outcome_s, *delivery_s, *satisfaction_s, *suggestion_type;
	int64_t lead, days, due_days, to_unit;
	int64_t co[MAX_CO];
	int n_co;
	int due_days_given;
};

static int parse_enum(const char *s, int (*parse)(const char *), const char *field, int *out,
		      struct xerr *err)
{
	int v;

	if (!s)
		return 0;
	v = parse(s);
	if (v < 0)
		return xerr_set(err, 422, "validation.unknown_code", field, "“%s”的取值“%.20s”不存在",
				field, s);
	*out = v;
	return 0;
}

static int parse_act_body(json_t *body, case_action action, struct act_body *b, struct xerr *err)
{
	json_t *co, *v;
	size_t i;

	memset(b, 0, sizeof *b);
	if (!body)
		return 0;
	if (input_only(body, action_keys[action], "body", err) ||
	    input_str(body, "reason", 0, 1000, &b->reason, err) ||
	    input_code(body, "route", 0, CODES_ROUTE, &b->route, err) ||
	    input_int(body, "lead_unit", 0, 1, INT64_MAX, &b->lead, err) ||
	    input_int(body, "days", 0, -1000, 1000, &b->days, err) ||
	    input_int(body, "due_days", 0, -1000, 1000, &b->due_days, err) ||
	    input_str(body, "outcome", 0, 20, &b->outcome_s, err) ||
	    input_str(body, "facts", 0, 5000, &b->facts, err) ||
	    input_str(body, "opinion", 0, 5000, &b->opinion, err) ||
	    input_str(body, "legal_basis", 0, 2000, &b->legal_basis, err) ||
	    input_str(body, "delivery", 0, 20, &b->delivery_s, err) ||
	    input_str(body, "witness", 0, 50, &b->witness, err) ||
	    input_str(body, "satisfaction", 0, 20, &b->satisfaction_s, err) ||
	    input_str(body, "into", 0, 20, &b->into, err) ||
	    input_str(body, "repeat_of", 0, 20, &b->repeat_of, err) ||
	    input_str(body, "comment", 0, 1000, &b->comment, err) ||
	    input_int(body, "to_unit", 0, 1, INT64_MAX, &b->to_unit, err) ||
	    input_code(body, "suggestion_type", 0, CODES_SUGGESTION, &b->suggestion_type, err))
		return -1;
	b->due_days_given = json_is_integer(json_object_get(body, "due_days"));
	/* seeds 003, 004: a leader's instruction is a short written opinion */
	if (action == ACT_INSTRUCT && b->opinion && input_chars(b->opinion) > 2000)
		return xerr_set(err, 400, "validation.too_long", "opinion", "“opinion”不能超过2000个字");
	co = json_object_get(body, "co_units");
	if (co && !json_is_null(co)) {
		if (!json_is_array(co) || json_array_size(co) > MAX_CO)
			return xerr_set(err, 400, "validation.type", "co_units", "“co_units”必须是不超过10个单位编号的数组");
		json_array_foreach(co, i, v)
		{
			int k;

			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return xerr_set(err, 400, "validation.type", "co_units", "协办单位须为单位编号");
			for (k = 0; k < b->n_co; k++)
				if (b->co[k] == json_integer_value(v))
					return xerr_set(err, 400, "validation.invalid", "co_units", "协办单位重复");
			b->co[b->n_co++] = json_integer_value(v);
		}
	}
	return 0;
}

int case_decision_supports(json_t *row)
{
	static const char *const latest_first[] = { "recheck_decision", "review_decision", "reply", NULL };
	int i, yes = 0;

	for (i = 0; latest_first[i]; i++) {
		const char *text = row_str(row, latest_first[i]);
		json_t *d = text ? json_loads(text, 0, NULL) : NULL;
		const char *o = json_string_value(json_object_get(d, "outcome"));
		/* an explanation upholds what came before; support or deny decides */
		int decides = o && strcmp(o, "explain") != 0;

		if (decides)
			yes = strcmp(o, "support") == 0;
		json_decref(d);
		if (decides)
			break;
	}
	return yes;
}

/* The limits the clocks and policies set on this action (R22 art. 23, 34, 35, 36;
 * seed 000 art. 5(4)). */
static int time_limits(struct app *app, json_t *row, case_action action, struct flow_input *in,
		       struct xerr *err)
{
	int64_t case_id = row_int(row, "id"), deadline = 0;
	const char *clock = NULL;
	struct limit ext;
	struct clock_row impl;
	int paused = 0, rc;

	switch (action) {
	case ACT_RETURN:
		clock = "objection";
		break;
	case ACT_REQUEST_REVIEW:
		clock = "review_request";
		break;
	case ACT_REQUEST_RECHECK:
		clock = "recheck_request";
		break;
	case ACT_REQUEST_EXTENSION:
	case ACT_REQUEST_MATERIAL:
	case ACT_RECEIVE_MATERIAL:
		clock = "handle";
		break;
	case ACT_START_HEARING:
	case ACT_END_HEARING:
		clock = in->state == ST_RECHECK ? "recheck" : "review";
		break;
	default:
		break;
	}
	if (clock && clock_deadline(app, case_id, clock, &deadline, &paused))
		return xerr_internal(err, "clock");
	if (action == ACT_RETURN || action == ACT_REQUEST_REVIEW || action == ACT_REQUEST_RECHECK ||
	    action == ACT_REQUEST_EXTENSION)
		in->deadline = deadline;
	in->paused = paused;
	if (action == ACT_REQUEST_EXTENSION &&
	    clock_unit_limit(app, row_int(row, "holder_unit_id"), "extension", 0, &ext) == 0)
		in->max_extension_days = ext.amount;
	if (action == ACT_IMPLEMENT) {
		in->supported = case_decision_supports(row);
		rc = store_clock_get(app->st, case_id, "implement", &impl);
		if (rc < 0)
			return xerr_internal(err, "clock");
		in->implemented = rc == 0 && impl.stopped_at != 0;
	}
	return 0;
}

int flow_input_from(struct app *app, json_t *row, const struct actor *a, case_action action,
		    struct act_body_units *bu, struct flow_input *in, struct xerr *err)
{
	const char *st = row_str(row, "state");
	int64_t accused = row_int(row, "accused_unit_id");
	int64_t closed = row_int(row, "closed_at");
	json_t *rated_stage = json_object_get(row, "rated_stage");

	memset(in, 0, sizeof *in);
	in->action = action;
	in->state = (case_state)flow_state_parse(st);
	in->is_accusation = strcmp(row_str(row, "kind"), "accusation") == 0;
	if (accused) {
		if (unit_load(app, accused, &bu->accused, "accused_unit", err))
			return -1;
		in->accused.id = accused;
		in->accused.path = bu->accused.path;
	}
	in->extension = (case_extension)flow_extension_parse(row_str(row, "extension"));
	if ((int)in->extension < 0)
		in->extension = EXT_NONE;
	in->stage = (int)row_int(row, "stage");
	in->closed_at = closed;
	/* one rating per decision: the reply, the review opinion, the recheck opinion */
	in->rated = json_is_integer(rated_stage) && json_integer_value(rated_stage) == in->stage;
	if (unit_load(app, row_int(row, "holder_unit_id"), &bu->holder, "holder", err))
		return -1;
	in->holder.id = bu->holder.id;
	in->holder.path = bu->holder.path;
	if (a->kind == ACTOR_STAFF) {
		in->actor_roles = a->user.roles;
		in->actor_is_holder = a->unit.id == bu->holder.id;
	} else {
		in->actor_roles = ROLE_PETITIONER;
	}
	in->max_extension_days = app->max_extension_days;
	in->review_window_days = app->review_window_days;
	in->actor_is_lead = a->kind == ACTOR_STAFF && a->unit.id == row_int(row, "lead_unit_id");
	/* the case is in the actor's scope already: a petition department that sees it supervises it */
	in->actor_supervises = a->kind == ACTOR_STAFF && strcmp(a->unit.type, "petition") == 0;
	in->actor_is_target = a->kind == ACTOR_STAFF && a->unit.id == row_int(row, "suggestion_unit_id");
	in->suggestion_pending = row_str(row, "suggestion_state") && strcmp(row_str(row, "suggestion_state"), "pending") == 0;
	/* seed 004 art. 12: who owns the case (包案), from its events */
	if (action == ACT_TAKE_OWNERSHIP || action == ACT_RELEASE_OWNERSHIP) {
		json_t *owner = NULL;
		int rc = store_case_owner(app->st, row_str(row, "no"), &owner);

		if (rc < 0)
			return xerr_internal(err, "case owner");
		in->owned = rc == 0;
		in->actor_is_owner = rc == 0 && a->kind == ACTOR_STAFF && row_int(owner, "user_id") == a->user.id;
		json_decref(owner);
	}
	return time_limits(app, row, action, in, err);
}

/* The review organ: the petition department above the unit that handled the
 * case (R22 art. 35); the recheck organ: the one above the review organ. */
int higher_organs(struct app *app, json_t *row, struct unit *review, int *has_review,
		  struct unit *recheck, int *has_recheck, struct xerr *err)
{
	struct unit handled;
	int64_t handled_id = row_int(row, "lead_unit_id");
	int rc;

	*has_review = *has_recheck = 0;
	if (row_int(row, "review_unit_id")) {
		if (unit_load(app, row_int(row, "review_unit_id"), review, "review_unit", err))
			return -1;
		*has_review = 1;
	} else if (handled_id) {
		if (unit_load(app, handled_id, &handled, "lead_unit", err))
			return -1;
		rc = store_unit_petition_above(app->st, &handled, review);
		if (rc < 0)
			return xerr_internal(err, "review organ");
		*has_review = rc == 0;
	}
	if (*has_review) {
		rc = store_unit_petition_above(app->st, review, recheck);
		if (rc < 0)
			return xerr_internal(err, "recheck organ");
		*has_recheck = rc == 0;
	}
	return 0;
}

static int related_case(struct app *app, const struct actor *a, const char *no, int *found,
			case_state *state)
{
	struct scope sc;
	json_t *r;
	int f;

	scope_of(a, &sc);
	if (!input_case_no_ok(no)) {
		*found = 0;
		return 0;
	}
	r = store_case_row(app->st, no, &sc, &f);
	if (f < 0)
		return -1;
	*found = f;
	if (r)
		*state = (case_state)flow_state_parse(row_str(r, "state"));
	json_decref(r);
	return 0;
}

json_t *case_actions(struct app *app, const struct actor *a, json_t *row)
{
	json_t *out = json_array();
	int st = flow_state_parse(row_str(row, "state")), i;
	int64_t now = xtime_now();

	if (a->kind != ACTOR_STAFF || st < 0)
		return out;
	for (i = ACT_REGISTER + 1; i < ACT__COUNT; i++) {
		const struct flow_rule *r = flow_find((case_state)st, (case_action)i);
		struct act_body_units bu;
		struct flow_input in;
		struct flow_result res;
		struct xerr err;

		if (!r || !(r->roles & a->user.roles) || (r->roles & ROLE_PETITIONER))
			continue;
		if (flow_input_from(app, row, a, (case_action)i, &bu, &in, &err))
			continue;
		/* what the form will supply, as a valid form would */
		in.reason = in.route = in.facts = in.opinion = in.legal_basis = "-";
		in.days = in.due_days = 1;
		in.outcome = OUTCOME_SUPPORT;
		in.delivery = DELIVERY_SIGNED;
		in.satisfaction = SAT_SATISFIED;
		in.lead.id = -1;
		in.lead.path = "/-/";
		in.into_given = in.into_found = 1;
		in.into_state = ST_ACCEPTED;
		in.repeat_given = in.repeat_found = 1;
		in.repeat_state = ST_CONCLUDED;
		in.target.id = -1;
		in.target.path = "/-/";
		in.suggestion_type = "work";
		in.now = now;
		if (flow_check(&in, &res, &err))
			continue;
		json_array_append_new(out, json_pack("{s:s,s:s}", "action", flow_action_name((case_action)i),
						     "label", flow_action_label((case_action)i)));
	}
	return out;
}

/* Does the list of actions hold work on the case (not only remind, supervise, instruct …,
 * which are open on every case a supervisor or leader sees)? */
static int has_work(json_t *acts)
{
	json_t *v;
	size_t i;

	json_array_foreach(acts, i, v)
	{
		int act = flow_action_parse(json_string_value(json_object_get(v, "action")));

		if (act >= 0 && !flow_action_oversight((case_action)act))
			return 1;
	}
	return 0;
}

/*
 * R22 art. 30, 46(5): linking two cases (merge, decline as a repeat) must not
 * let the accused unit of an accusation see it through the other case: refused
 * when a unit that sees one side lies under the accused unit of the other.
 */
static int link_reaches_accused(struct app *app, json_t *row, const char *other_no)
{
	struct scope all = { .all = 1 };
	json_t *other, *mine_acc, *other_acc, *mine_units, *other_units;
	int found, hit;

	other = store_case_row(app->st, other_no, &all, &found);
	if (!other)
		return found < 0 ? -1 : 0;
	mine_acc = accused_of(app, row);
	other_acc = accused_of(app, other);
	mine_units = store_case_unit_paths(app->st, row_int(row, "id"));
	other_units = store_case_unit_paths(app->st, row_int(other, "id"));
	hit = any_within(other_units, mine_acc) || any_within(mine_units, other_acc);
	json_decref(other);
	json_decref(mine_acc);
	json_decref(other_acc);
	json_decref(mine_units);
	json_decref(other_units);
	return hit;
}

static int link_refused(const char *field, struct xerr *err)
{
	return xerr_set(err, 422, "flow.accused_unit", field,
			"检举控告类信访事项不得与被检举控告单位经办的信访事项关联");
}

/* R22 art. 30: a case linked to an accusation is never sent into the accused
 * unit's subtree either (its relations would name the accusation). */
static int dispatch_reaches_linked_accused(struct app *app, json_t *row, const struct unit *const *to,
					   int n, struct xerr *err)
{
	json_t *acc = store_linked_accused_paths(app->st, row_int(row, "id"), row_str(row, "no")), *x;
	size_t j;
	int i, hit = 0;

	if (!acc)
		return xerr_internal(err, "linked accusations");
	for (i = 0; i < n && !hit; i++)
		json_array_foreach(acc, j, x)
			hit |= to[i] && flow_path_within(to[i]->path, row_str(x, "path"));
	json_decref(acc);
	if (hit)
		return xerr_set(err, 422, "flow.accused_unit", "lead_unit",
				"该信访事项与检举控告类信访事项关联，不得交由被检举控告单位办理");
	return 0;
}

int act_locked(struct app *app, const struct actor *a, int64_t now, json_t *row,
	       const char *action_name, json_t *body, struct xerr *err)
{
	struct act_body b;
	struct act_body_units bu;
	struct flow_input in;
	struct flow_result res;
	struct flow_unit co[MAX_CO];
	struct unit lead_u, co_u[MAX_CO], review_u, recheck_u, target_u;
	int action = flow_action_parse(action_name), i, outcome = 0, delivery = 0, sat = 0;
	int has_review, has_recheck, link_hit = 0, repeat_hit = 0;
	int64_t holder_id;
	json_t *payload = NULL;
	struct event ev = { 0 };
	const char *no = row_str(row, "no");
	int rc = -1;

	memset(&bu, 0, sizeof bu);
	if (action <= ACT_REGISTER)
		return xerr_set(err, 404, "flow.unknown_action", "action", "未知的操作“%.32s”",
				action_name);
	if (parse_act_body(body, (case_action)action, &b, err) ||
	    parse_enum(b.outcome_s, flow_outcome_parse, "outcome", &outcome, err) ||
	    parse_enum(b.delivery_s, flow_delivery_parse, "delivery", &delivery, err) ||
	    parse_enum(b.satisfaction_s, flow_satisfaction_parse, "satisfaction", &sat, err))
		return -1;
	if (flow_input_from(app, row, a, (case_action)action, &bu, &in, err))
		return -1;
	in.reason = b.reason;
	in.route = b.route;
	in.days = (int)b.days;
	in.due_days = (int)b.due_days;
	/* 督办: a feedback period sent must be a number of days (0 is not absent) */
	if (action == ACT_SUPERVISE && b.due_days_given && b.due_days == 0)
		in.due_days = -1;
	in.outcome = (case_outcome)outcome;
	in.facts = b.facts;
	in.opinion = b.opinion;
	in.legal_basis = b.legal_basis;
	in.delivery = (case_delivery)delivery;
	in.witness = b.witness;
	in.satisfaction = (case_satisfaction)sat;
	in.now = now;
	if (b.lead) {
		if (unit_load(app, b.lead, &lead_u, "lead_unit", err))
			return -1;
		in.lead.id = lead_u.id;
		in.lead.path = lead_u.path;
		if (a->kind == ACTOR_STAFF && lead_u.id == a->unit.id &&
		    (action == ACT_TRANSFER || action == ACT_ASSIGN))
			return xerr_set(err, 422, "flow.transfer_to_self", "lead_unit",
					"不能转送、交办给本单位，本单位办理请选择“自办”");
	}
	if (b.to_unit) {
		if (unit_load(app, b.to_unit, &target_u, "to_unit", err))
			return -1;
		in.target.id = target_u.id;
		in.target.path = target_u.path;
	}
	in.suggestion_type = b.suggestion_type;
	for (i = 0; i < b.n_co; i++) {
		if (unit_load(app, b.co[i], &co_u[i], "co_units", err))
			return -1;
		co[i].id = co_u[i].id;
		co[i].path = co_u[i].path;
	}
	in.co = co;
	in.n_co = b.n_co;
	if (b.into) {
		in.into_given = 1;
		in.into_is_self = strcmp(b.into, no) == 0;
		if (!in.into_is_self && related_case(app, a, b.into, &in.into_found, &in.into_state))
			return xerr_internal(err, "merge target");
		if (in.into_found && (link_hit = link_reaches_accused(app, row, b.into)) < 0)
			return xerr_internal(err, "merge target");
	}
	if (b.repeat_of) {
		struct actor everyone = { .kind = ACTOR_SYSTEM };

		in.repeat_given = 1;
		if (related_case(app, &everyone, b.repeat_of, &in.repeat_found, &in.repeat_state))
			return xerr_internal(err, "decline target");
		if (in.repeat_found && (repeat_hit = link_reaches_accused(app, row, b.repeat_of)) < 0)
			return xerr_internal(err, "decline target");
		if (repeat_hit) {
			int seen = 0;
			case_state ignored;

			/* a case the actor cannot see answers as one that does not exist */
			if (related_case(app, a, b.repeat_of, &seen, &ignored))
				return xerr_internal(err, "decline target");
			if (!seen)
				in.repeat_found = 0, repeat_hit = 0;
		}
	}
	if (higher_organs(app, row, &review_u, &has_review, &recheck_u, &has_recheck, err))
		return -1;
	in.has_review_organ = has_review;
	in.has_recheck_organ = has_recheck;

	if (flow_check(&in, &res, err))
		return -1;
	/* R22 art. 30: checked once the actor may act at all (no oracle before that) */
	if (link_hit || repeat_hit)
		return link_refused(link_hit ? "into" : "repeat_of", err);
	{
		const struct unit *to[MAX_CO + 2];
		int n = 0;

		if (b.lead)
			to[n++] = &lead_u;
		if (b.to_unit)
			to[n++] = &target_u;
		for (i = 0; i < b.n_co; i++)
			to[n++] = &co_u[i];
		if (n && dispatch_reaches_linked_accused(app, row, to, n, err))
			return -1;
	}

	switch (res.holder) {
	case HOLD_LEAD:
		/* transfer and assign name the lead; send_back returns it to the one it has */
		holder_id = action == ACT_TRANSFER || action == ACT_ASSIGN ? b.lead : row_int(row, "lead_unit_id");
		break;
	case HOLD_DISPATCH:
		holder_id = row_int(row, "dispatch_unit_id");
		break;
	case HOLD_REVIEW:
		holder_id = review_u.id;
		break;
	case HOLD_RECHECK:
		holder_id = recheck_u.id;
		break;
	default:
		holder_id = row_int(row, "holder_unit_id");
		break;
	}

	/* the event says what happened, in the terms the rules use */
	payload = json_object();
	SET_STR(payload, "reason", b.reason);
	SET_STR(payload, "route", b.route);
	SET_STR(payload, "comment", b.comment);
	SET_STR(payload, "facts", b.facts);
	SET_STR(payload, "opinion", b.opinion);
	SET_STR(payload, "legal_basis", b.legal_basis);
	SET_STR(payload, "witness", b.witness);
	SET_STR(payload, "into", b.into);
	SET_STR(payload, "repeat_of", b.repeat_of);
	if (outcome)
		json_object_set_new(payload, "outcome", json_string(b.outcome_s));
	if (delivery)
		json_object_set_new(payload, "delivery", json_string(b.delivery_s));
	if (sat)
		json_object_set_new(payload, "satisfaction", json_string(b.satisfaction_s));
	if (b.days)
		json_object_set_new(payload, "days", json_integer(b.days));
	if (action == ACT_TRANSFER || action == ACT_ASSIGN) {
		json_t *ids = json_array();

		for (i = 0; i < b.n_co; i++)
			json_array_append_new(ids, json_integer(b.co[i]));
		json_object_set_new(payload, "lead_unit_id", json_integer(b.lead));
		json_object_set_new(payload, "co_unit_ids", ids);
		if (action == ACT_ASSIGN)
			json_object_set_new(payload, "due_days", json_integer(b.due_days));
	}
	if (holder_id != row_int(row, "holder_unit_id"))
		json_object_set_new(payload, "holder_unit_id", json_integer(holder_id));
	if (action == ACT_REPLY && a->kind == ACTOR_STAFF)
		json_object_set_new(payload, "unit_id", json_integer(a->unit.id));
	if (action == ACT_SUGGEST) {
		json_object_set_new(payload, "to_unit_id", json_integer(b.to_unit));
		json_object_set_new(payload, "suggestion_type", json_string(b.suggestion_type));
	}
	/* R22 art. 38-40: 催办 and 督办 go to the unit holding the case; a supervision
	 * order's feedback date is counted like every limit (calendar days, the last
	 * day moved past days off, ending at 24:00) and kept as it was announced */
	if (action == ACT_REMIND || action == ACT_SUPERVISE)
		json_object_set_new(payload, "to_unit_id", json_integer(row_int(row, "holder_unit_id")));
	if (action == ACT_SUPERVISE && b.due_days) {
		json_object_set_new(payload, "due_days", json_integer(b.due_days));
		json_object_set_new(payload, "due_at", json_integer(calendar_due(app->cal, now, (int)b.due_days, CAL_DAYS)));
	}

	ev.case_no = no;
	ev.seq = (int)row_int(row, "version") + 1;
	ev.at = now;
	ev.actor_kind = a->kind == ACTOR_STAFF ? "staff" : a->kind == ACTOR_PETITIONER ? "petitioner" : "system";
	ev.actor_user_id = a->kind == ACTOR_STAFF ? a->user.id : 0;
	ev.actor_unit_id = a->kind == ACTOR_STAFF ? a->unit.id : 0;
	ev.action = flow_action_name((case_action)action);
	ev.from_state = flow_state_name(in.state);
	ev.to_state = flow_state_name(res.to);
	ev.payload = payload;
	rc = event_record(app, a, &ev, ev.actor_unit_id, NULL, now) ? xerr_internal(err, "event append") : 0;
	json_decref(payload);
	return rc;
}

int svc_act(struct app *app, const struct actor *a, int64_t now, const char *no,
	    const char *action, int64_t if_match, json_t *body, json_t **out, struct xerr *err)
{
	struct scope sc;
	json_t *row = NULL;
	int found, rc = -1;

	*out = NULL;
	if (body && !json_is_object(body))
		return xerr_set(err, 400, "validation.type", "body", "请求体必须是 JSON 对象");
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	if (store_begin(app->st)) {
		xerr_internal(err, "begin");
		goto out;
	}
	row = store_case_row(app->st, no, &sc, &found);
	if (found < 0) {
		xerr_internal(err, "case lookup");
		goto out;
	}
	/* out of scope reads as missing: 404, never 403 */
	if (!found) {
		xerr_set(err, 404, "case.not_found", NULL, "信访事项“%.20s”不存在", no);
		goto out;
	}
	if (if_match < 0) {
		xerr_set(err, 428, "request.if_match_required", "If-Match",
			 "请在 If-Match 中带上信访事项的版本号");
		goto out;
	}
	if (if_match != row_int(row, "version")) {
		xerr_set(err, 409, "case.version_conflict", "If-Match",
			 "该信访事项已被他人修改（当前版本%lld），请刷新后重试",
			 (long long)row_int(row, "version"));
		goto out;
	}
	if (act_locked(app, a, now, row, action, body, err))
		goto out;
	json_decref(row);
	row = store_case_row(app->st, no, &sc, &found);
	if (!row) {
		/* acted and left scope (e.g. returned to the sender): answer with the event's result */
		struct scope all = { .all = 1 };

		row = store_case_row(app->st, no, &all, &found);
		if (!row) {
			xerr_internal(err, "case reload");
			goto out;
		}
	}
	if (store_commit(app->st)) {
		xerr_internal(err, "commit");
		goto out;
	}
	*out = view_case(app, a, row);
	row = NULL;
	rc = 0;
out:
	if (rc)
		store_rollback(app->st);
	json_decref(row);
	pthread_mutex_unlock(&app->lock);
	return rc;
}

/* ---- reads ---------------------------------------------------------------- */

int svc_case_get(struct app *app, const struct actor *a, const char *no, json_t **out,
		 struct xerr *err)
{
	struct scope sc;
	json_t *row;
	int found;

	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	row = store_case_row(app->st, no, &sc, &found);
	*out = row ? view_case(app, a, row) : NULL;
	pthread_mutex_unlock(&app->lock);
	if (found < 0 || (row && !*out))
		return xerr_internal(err, "case read");
	if (!found)
		return xerr_set(err, 404, "case.not_found", NULL, "信访事项“%.20s”不存在", no);
	return 0;
}

int svc_case_events(struct app *app, const struct actor *a, const char *no, json_t **out,
		    struct xerr *err)
{
	struct scope sc;
	json_t *row, *ev, *e;
	int found;
	size_t i;

	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	row = store_case_row(app->st, no, &sc, &found);
	ev = row ? store_case_events(app->st, row_int(row, "id")) : NULL;
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	if (found < 0 || (found && !ev))
		return xerr_internal(err, "events read");
	if (!found)
		return xerr_set(err, 404, "case.not_found", NULL, "信访事项“%.20s”不存在", no);
	json_array_foreach(ev, i, e)
	{
		json_t *pl = json_object_get(e, "payload"), *p;
		size_t j;

		json_object_del(pl, "query_hash");
		json_array_foreach(json_object_get(pl, "petitioners"), j, p)
			pii_view_payload(p);
		view_times(pl); /* e.g. a supervision order's due_at */
		view_times(e);
	}
	*out = json_pack("{s:s,s:o}", "no", no, "events", ev);
	return 0;
}

int parse_list_query(const struct list_query *q, struct case_filter *f, struct list_fts *fq,
		     struct xerr *err)
{
	int64_t t;

	memset(f, 0, sizeof *f);
	if (q->state) {
		char buf[256], *tok, *save = NULL;

		snprintf(buf, sizeof buf, "%s", q->state);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (flow_state_parse(tok) <= 0)
				return xerr_set(err, 400, "validation.unknown_code", "state", "状态“%.20s”不存在", tok);
		f->state = q->state;
	}
	if (q->channel && !codes_find(CODES_CHANNEL, q->channel))
		return xerr_set(err, 400, "validation.unknown_code", "channel", "渠道“%.20s”不存在", q->channel);
	if (q->kind && !codes_find(CODES_KIND, q->kind))
		return xerr_set(err, 400, "validation.unknown_code", "kind", "类别“%.20s”不存在", q->kind);
	if (q->category && !codes_find(CODES_CATEGORY, q->category))
		return xerr_set(err, 400, "validation.unknown_code", "category", "内容分类“%.20s”不存在", q->category);
	if (q->locality) {
		size_t n = strlen(q->locality), i;

		for (i = 0; i < n; i++)
			if (q->locality[i] < '0' || q->locality[i] > '9')
				break;
		if (n < 2 || n > 6 || i != n)
			return xerr_set(err, 400, "validation.invalid", "locality", "问题属地须为2至6位行政区划代码");
	}
	f->channel = q->channel;
	f->kind = q->kind;
	f->category = q->category;
	f->locality = q->locality;
	if (q->unit) {
		char *end;

		f->unit_id = strtoll(q->unit, &end, 10);
		if (*end || f->unit_id <= 0)
			return xerr_set(err, 400, "validation.invalid", "unit", "单位须为单位编号");
	}
	if (q->from) {
		if (xtime_parse(q->from, &t))
			return xerr_set(err, 400, "validation.invalid", "from", "起始日期须为 YYYY-MM-DD");
		f->from = t;
	}
	if (q->to) {
		if (xtime_parse(q->to, &t))
			return xerr_set(err, 400, "validation.invalid", "to", "截止日期须为 YYYY-MM-DD");
		f->to = strlen(q->to) == 10 ? t + 86400 : t; /* a date includes the whole day */
	}
	if (q->q && input_chars(q->q) > 50)
		return xerr_set(err, 400, "validation.too_long", "q", "搜索词不能超过50个字");
	f->text = q->q;
	/* anything to search for: the full-text index, ranked (text/fts.h); text with
	 * no letter, digit or CJK character at all keeps the substring filter */
	if (q->q && fts_match(q->q, fq->match, sizeof fq->match, fq->kinds, sizeof fq->kinds) > 0) {
		f->match = fq->match;
		f->match_kinds = fq->kinds;
		f->text = NULL;
	}
	if (q->cursor) {
		char *end = NULL;

		if (f->match) { /* a ranked list pages by position: "r<offset>" */
			if (q->cursor[0] == 'r' && q->cursor[1] >= '0' && q->cursor[1] <= '9')
				f->offset = strtoll(q->cursor + 1, &end, 10);
			if (!end || *end || f->offset <= 0)
				return xerr_set(err, 400, "validation.invalid", "cursor", "分页游标无效");
		} else {
			f->cursor = strtoll(q->cursor, &end, 10);
			if (*end || f->cursor <= 0)
				return xerr_set(err, 400, "validation.invalid", "cursor", "分页游标无效");
		}
	}
	f->limit = 50;
	if (q->limit) {
		char *end;
		long v = strtol(q->limit, &end, 10);

		if (*end || v < 1 || v > 200)
			return xerr_set(err, 400, "validation.invalid", "limit", "每页条数须在1至200之间");
		f->limit = (int)v;
	}
	return 0;
}

void todo_rows(struct app *app, const struct actor *a, json_t *items, size_t keep)
{
	size_t i;

	for (i = 0; i < json_array_size(items);) {
		struct scope all = { .all = 1 };
		int found;
		json_t *full, *acts = NULL;

		pthread_mutex_lock(&app->lock);
		full = i < keep ? store_case_row(app->st, row_str(json_array_get(items, i), "no"), &all, &found) : NULL;
		if (full)
			acts = case_actions(app, a, full);
		pthread_mutex_unlock(&app->lock);
		if (!has_work(acts)) {
			json_array_remove(items, i);
		} else {
			/* the row carries what the case page would offer, so a bulk action needs no
			 * second read of each case */
			json_object_set(json_array_get(items, i), "actions", acts);
			i++;
		}
		json_decref(acts);
		json_decref(full);
	}
}

/* Run a list; with `todo`, keep only the cases this actor can act on now
 * (the same test as the case's "actions"), at most `keep`. */
static int list_run(struct app *app, const struct actor *a, struct case_filter *f, int todo,
		    size_t keep, json_t **out, struct xerr *err)
{
	struct scope sc;
	int64_t next = 0;
	json_t *items, *row;
	size_t i;

	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	items = store_case_list(app->st, f, &sc, &next);
	pthread_mutex_unlock(&app->lock);
	if (!items)
		return xerr_internal(err, "case list");
	if (todo)
		todo_rows(app, a, items, keep);
	json_array_foreach(items, i, row) view_list_row(row);
	*out = json_pack("{s:o}", "items", items);
	if (next) {
		char c[24];

		snprintf(c, sizeof c, f->match ? "r%lld" : "%lld", (long long)next);
		json_object_set_new(*out, "next_cursor", json_string(c));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	return 0;
}

int svc_case_list(struct app *app, const struct actor *a, const struct list_query *q,
		  json_t **out, struct xerr *err)
{
	struct case_filter f;
	struct list_fts fq;

	if (parse_list_query(q, &f, &fq, err))
		return -1;
	return list_run(app, a, &f, 0, 0, out, err);
}

void todo_filter(const struct actor *a, struct case_filter *f, char states[256])
{
	const struct flow_rule *rules;
	int n, i;

	/* the states in which this user's roles act, held by this user's unit */
	states[0] = '\0';
	rules = flow_rules(&n);
	for (i = 0; i < n; i++) {
		const char *name = flow_state_name(rules[i].from);

		if (!(rules[i].roles & a->user.roles & ~(unsigned)ROLE_PETITIONER) || strstr(states, name) ||
		    flow_action_oversight(rules[i].action))
			continue;
		if (*states)
			strcat(states, ",");
		strcat(states, name);
	}
	f->states_in = *states ? states : "none";
	f->holder_unit_id = a->unit.id;
	f->todo = 1;
	f->cursor = 0;
	f->offset = 0;
}

int svc_todo(struct app *app, const struct actor *a, int64_t now, const struct list_query *q,
	     json_t **out, struct xerr *err)
{
	struct case_filter f;
	struct list_fts fq;
	char states[256];
	size_t keep;

	(void)now;
	if (parse_list_query(q, &f, &fq, err))
		return -1;
	todo_filter(a, &f, states);
	keep = q->limit ? (size_t)f.limit : 200;
	f.limit = 500;
	return list_run(app, a, &f, 1, keep, out, err);
}
