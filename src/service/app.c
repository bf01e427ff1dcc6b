/*
 * app.c - opening the application, staff accounts, sessions, code lists,
 * rebuild. See svc.h.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xtime.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "base/sm.h"
#include "base/totp.h"
#include "service/attach.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/pii.h"
#include "service/similar.h"
#include "service/svc.h"
#include "service/time.h"

/* The database remembers a check value of its key (a keyed hash of a label,
 * which tells nothing about the key): opened with another key, it refuses at
 * once instead of failing to read personal data later and chaining new audit
 * rows under the wrong key. A database without one learns it now. */
static int key_check(struct app *app, struct xerr *err)
{
	static const char label[] = "xinfang key check v1";
	const void *parts[1] = { label };
	size_t lens[1] = { sizeof label - 1 };
	unsigned char mac[SM3_BYTES];
	char want[33], have[80];
	int rc;

	if (sm_hmac_sm3(app->keys.mac, parts, lens, 1, mac))
		return xerr_internal(err, "key check");
	sodium_bin2hex(want, sizeof want, mac, 16);
	rc = store_meta_get(app->st, "key_check", have, sizeof have);
	if (rc < 0)
		return xerr_internal(err, "key check");
	if (rc == 1)
		return store_meta_set(app->st, "key_check", want) ? xerr_internal(err, "key check") : 0;
	if (strcmp(have, want) != 0)
		return xerr_set(err, 503, "store.key_mismatch", NULL,
				"密钥与数据库不符（XINFANG_KEY 或密钥文件不是这个数据库的），已拒绝启动");
	return 0;
}

struct app *app_open(const char *db_path, struct xerr *err)
{
	unsigned char master[SM_KEY_BYTES];
	struct app *app;
	int rc;

	if (sodium_init() < 0) {
		xerr_internal(err, "libsodium init");
		return NULL;
	}
	app = calloc(1, sizeof *app);
	if (!app) {
		xerr_internal(err, "out of memory");
		return NULL;
	}
	app->st = store_open(db_path, err);
	if (!app->st) {
		free(app);
		return NULL;
	}
	pthread_mutex_init(&app->lock, NULL);
	app->max_extension_days = 30; /* R22 art. 34 */
	app->review_window_days = 30; /* R22 art. 35 */
	app->session_idle = 30 * 60;
	app->session_max = 12 * 3600;
	app->export_max = EXPORT_MAX_ROWS;
	/* the master key lives beside the database, never in it (or in XINFANG_KEY) */
	if (strcmp(db_path, ":memory:") == 0) {
		randombytes_buf(master, sizeof master);
	} else {
		char key_path[4096];
		const char *kf = getenv("XINFANG_KEY_FILE");

		snprintf(key_path, sizeof key_path, "%s%s", kf ? kf : db_path, kf ? "" : ".key");
		if (sm_key_load(key_path, master)) {
			xerr_set(err, 503, "store.key", NULL, "无法读取或创建密钥文件 %.200s", key_path);
			app_close(app);
			return NULL;
		}
	}
	rc = sm_keys_derive(master, &app->keys);
	sodium_memzero(master, sizeof master);
	if (rc) {
		xerr_internal(err, "key derivation (SM3)");
		app_close(app);
		return NULL;
	}
	if (key_check(app, err)) {
		app_close(app);
		return NULL;
	}
	if (time_open(app, err)) {
		app_close(app);
		return NULL;
	}
	/* a database from before personal data was sealed: seal it, then project */
	if (app->st->opened_version > 0 && app->st->opened_version < 5) {
		char before[65], after[65];
		int n = 0, events = 0;

		if (pii_seal_legacy(app, &n, err) || svc_rebuild(app, before, after, &events, err)) {
			app_close(app);
			return NULL;
		}
		log_info("sealed the personal data of %d registrations; projections rebuilt from %d events",
			 n, events);
		/* and the old page images leave the WAL */
		store_exec(app->st, "PRAGMA wal_checkpoint(TRUNCATE)");
	}
	/* events from before they were hash-chained: chain them as they stand */
	if (app->st->opened_version > 0 && app->st->opened_version < 8 && audit_events_chain_init(app)) {
		xerr_internal(err, "event chain");
		app_close(app);
		return NULL;
	}
	/* the text index: signatures of cases from before schema 10, then into memory */
	if (similar_open(app, err)) {
		app_close(app);
		return NULL;
	}
	/* a log from before the chain had a head: its newest row becomes the head */
	if (app->st->opened_version > 0 && app->st->opened_version < 7 && audit_head_init(app)) {
		xerr_internal(err, "audit head");
		app_close(app);
		return NULL;
	}
	return app;
}

void app_close(struct app *app)
{
	if (!app)
		return;
	time_close(app);
	attach_close(app);
	similar_close(app);
	store_close(app->st);
	pthread_mutex_destroy(&app->lock);
	free(app);
}

int actor_load(struct app *app, const struct user *u, struct actor *a, struct xerr *err)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_STAFF;
	a->user = *u;
	if (store_unit_get(app->st, u->unit_id, &a->unit) != 0)
		return xerr_internal(err, "user's unit missing");
	return 0;
}

int svc_actor_for_user(struct app *app, const char *username, struct actor *a, struct xerr *err)
{
	struct user u;
	int rc;

	pthread_mutex_lock(&app->lock);
	rc = store_user_by_name(app->st, username, &u);
	if (rc == 1)
		rc = xerr_set(err, 404, "user.not_found", "username", "用户“%.64s”不存在", username);
	else if (rc < 0)
		rc = xerr_internal(err, "user lookup");
	else
		rc = actor_load(app, &u, a, err);
	pthread_mutex_unlock(&app->lock);
	return rc;
}

/* ---- passwords and sessions ------------------------------------------------ */

int svc_password_hash(const char *password, char out[160], struct xerr *err)
{
	int classes = 0, upper = 0, lower = 0, digit = 0, other = 0;
	const char *p;

	for (p = password; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	classes = upper + lower + digit + other;
	if (strlen(password) < 12 || classes < 3)
		return xerr_set(err, 400, "auth.weak_password", "password",
				"密码至少12位，且包含大写字母、小写字母、数字、符号中的至少三类");
	if (strlen(password) > 128)
		return xerr_set(err, 400, "validation.too_long", "password", "密码不能超过128位");
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return xerr_internal(err, "argon2id out of memory");
	return 0;
}

static void sha256_hex(const char *s, char out[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, md, sizeof md);
}

json_t *svc_me(struct app *app, const struct actor *a)
{
	json_t *roles = json_array();
	int i;

	(void)app;
	for (i = 0; i < ROLE__COUNT; i++)
		if (a->user.roles & (1u << i))
			json_array_append_new(roles, json_string(flow_role_name(1u << i)));
	return json_pack("{s:{s:s,s:s,s:b},s:{s:I,s:s,s:s,s:s,s:s},s:o,s:b}", "user", "username",
			 a->user.username, "name", a->user.name, "totp_enabled", a->user.totp_enabled,
			 "unit", "id", (json_int_t)a->unit.id, "code", a->unit.code, "name", a->unit.name,
			 "type", a->unit.type, "level", a->unit.level, "roles", roles,
			 "totp_enrolment_required", a->enrol_only);
}

/* verified against when the user does not exist, so timing tells nothing */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	if (crypto_pwhash_str(dummy, "x-not-a-password-x", 18, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		log_error("argon2id: cannot hash the dummy password");
}

/* 等保 2.0 level 3: lock an account after 5 failed logins in a row, for 15 minutes. */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_SECONDS (15 * 60)

/* 1 locked (err filled), 0 not, -1 error. Lock held. */
static int login_locked(struct app *app, const char *username, int64_t now, struct xerr *err)
{
	int failures;
	int64_t locked_at;
	char until[32];

	if (store_login_state(app->st, username, &failures, &locked_at))
		return xerr_internal(err, "login state");
	if (!locked_at || now >= locked_at + LOGIN_LOCK_SECONDS)
		return 0;
	xtime_iso(locked_at + LOGIN_LOCK_SECONDS, until);
	xerr_set(err, 423, "auth.locked", NULL, "连续%d次登录失败，账号已锁定，请于%.5s后再试",
		 LOGIN_MAX_FAILURES, until + 11);
	return 1;
}

/* Count a failed attempt (unknown names too: the answer must not tell which
 * names exist) and fill err: 423 when this one locks the account. Lock not held. */
static int login_failed(struct app *app, const char *username, int64_t now, const char *code,
			const char *what, struct xerr *err)
{
	int failures = 0;
	int64_t locked_at = 0;

	pthread_mutex_lock(&app->lock);
	if (store_login_record(app->st, username, now, 0, NULL) == 0 &&
	    store_login_state(app->st, username, &failures, &locked_at) == 0 &&
	    failures >= LOGIN_MAX_FAILURES)
		store_login_record(app->st, username, now, 2, NULL);
	pthread_mutex_unlock(&app->lock);
	audit_add(app, username, 0, "login", username, failures >= LOGIN_MAX_FAILURES ? "locked" : "failure",
		  code, now);
	if (failures >= LOGIN_MAX_FAILURES)
		return xerr_set(err, 423, "auth.locked", NULL,
				"连续%d次登录失败，账号已锁定%d分钟", LOGIN_MAX_FAILURES, LOGIN_LOCK_SECONDS / 60);
	return xerr_set(err, 401, code, strcmp(code, "auth.invalid_credentials") ? "totp" : NULL,
			"%s（还可尝试%d次）", what, LOGIN_MAX_FAILURES - failures);
}

/* 等保 2.0 level 3: administrators identify with two factors */
#define ADMIN_ROLES (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)

/* The step a TOTP code matches (later than the last one used), -1 none,
 * -2 the sealed secret cannot be opened. */
int64_t totp_check(struct app *app, const struct user *u, const char *sealed, int64_t after,
		   int64_t now, const char *code)
{
	unsigned char key[64];
	char *b32 = sm_open_text(&app->keys, sealed);
	int n = b32 ? base32_decode(b32, key, sizeof key) : -1;
	int64_t step;

	free(b32);
	if (n <= 0) {
		log_error("user %s: the TOTP secret cannot be opened", u->username);
		return -2;
	}
	step = totp_match(key, (size_t)n, now, 1, after, code);
	sodium_memzero(key, sizeof key);
	return step;
}

int svc_login(struct app *app, const char *username, const char *password, const char *totp,
	      int64_t now, char token[64], json_t **out, struct xerr *err)
{
	unsigned char raw[32];
	char token_hash[65], csrf[65];
	struct user u;
	struct actor a;
	int found, ok, locked, enrol_only, rc = -1;
	int64_t step = 0;

	if (strlen(username) > 64 || strlen(password) > 128)
		return xerr_set(err, 401, "auth.invalid_credentials", NULL, "用户名或密码错误");
	pthread_mutex_lock(&app->lock);
	found = store_user_by_name(app->st, username, &u);
	locked = login_locked(app, username, now, err);
	pthread_mutex_unlock(&app->lock);
	if (found < 0 || locked < 0)
		return found < 0 ? xerr_internal(err, "user lookup") : -1;
	if (locked) {
		audit_add(app, username, 0, "login", username, "refused (locked)", NULL, now);
		return -1;
	}
	if (found == 1) {
		pthread_once(&dummy_once, dummy_init);
		ok = crypto_pwhash_str_verify(dummy, password, strlen(password));
		ok = 0;
	} else {
		/* hashing runs outside the lock: it takes ~0.1 s and 64 MiB */
		ok = crypto_pwhash_str_verify(u.pwhash, password, strlen(password)) == 0 && !u.disabled;
	}
	if (!ok)
		return login_failed(app, username, now, "auth.invalid_credentials", "用户名或密码错误", err);
	if (u.totp_enabled) {
		if (!totp || !*totp)
			return xerr_set(err, 401, "auth.totp_required", "totp", "请输入动态验证码（6位数字）");
		step = totp_check(app, &u, u.totp_secret, u.totp_last_step, now, totp);
		if (step == -2)
			return xerr_internal(err, "totp secret");
		if (step < 0)
			return login_failed(app, username, now, "auth.totp_invalid",
					    "动态验证码错误或已使用过", err);
	}
	/* an administrator without a second factor may only enrol one */
	enrol_only = (u.roles & ADMIN_ROLES) && !u.totp_enabled;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, 64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(csrf, sizeof csrf, raw, sizeof raw);
	sha256_hex(token, token_hash);

	pthread_mutex_lock(&app->lock);
	if (u.totp_enabled) {
		/* two logins racing with one code: only the first takes it (RFC 6238 5.2) */
		struct user fresh;

		if (store_user_by_name(app->st, username, &fresh) != 0 || fresh.totp_last_step >= step) {
			pthread_mutex_unlock(&app->lock);
			return login_failed(app, username, now, "auth.totp_invalid", "动态验证码错误或已使用过", err);
		}
	}
	if (store_begin(app->st) || store_login_record(app->st, username, now, 1, NULL) ||
	    (u.totp_enabled && store_user_totp(app->st, u.id, u.totp_secret, 1, step)) ||
	    store_session_create(app->st, token_hash, u.id, csrf, enrol_only, now) ||
	    audit_locked(app, u.username, u.unit_id, "login", u.username, "ok",
			 u.totp_enabled ? "password+totp" : enrol_only ? "password (totp enrolment required)" : "password",
			 now) ||
	    store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "session create");
		goto out;
	}
	if (actor_load(app, &u, &a, err))
		goto out;
	a.enrol_only = enrol_only;
	*out = svc_me(app, &a);
	if (!*out) {
		xerr_internal(err, "login answer");
		goto out;
	}
	json_object_set_new(*out, "csrf_token", json_string(csrf));
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_session(struct app *app, const char *token, int64_t now, struct actor *a, char *csrf,
		struct xerr *err)
{
	char token_hash[65];
	struct user u;
	int64_t created, seen;
	int rc, enrol_only = 0;

	if (!token || !*token || strlen(token) > 64)
		return xerr_set(err, 401, "auth.required", NULL, "请先登录");
	sha256_hex(token, token_hash);
	pthread_mutex_lock(&app->lock);
	rc = store_session_get(app->st, token_hash, &u, csrf, &created, &seen, &enrol_only);
	if (rc < 0) {
		rc = xerr_internal(err, "session lookup");
	} else if (rc == 1 || u.disabled) {
		rc = xerr_set(err, 401, "auth.required", NULL, "请先登录");
	} else if (now - seen > app->session_idle || now - created > app->session_max) {
		store_session_delete(app->st, token_hash);
		rc = xerr_set(err, 401, "auth.session_expired", NULL, "登录已超时，请重新登录");
	} else {
		rc = actor_load(app, &u, a, err);
		a->enrol_only = enrol_only;
		memcpy(a->session, token_hash, sizeof a->session);
		if (rc == 0 && now - seen >= 60)
			store_session_touch(app->st, token_hash, now);
	}
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_logout(struct app *app, const char *token)
{
	char token_hash[65];
	int rc;

	if (!token)
		return 0;
	sha256_hex(token, token_hash);
	pthread_mutex_lock(&app->lock);
	rc = store_session_delete(app->st, token_hash);
	pthread_mutex_unlock(&app->lock);
	return rc;
}

/* ---- administration ------------------------------------------------------- */

int roles_parse(const char *roles, unsigned *out, struct xerr *err)
{
	char buf[512], *tok, *save = NULL;
	unsigned bits = 0;

	snprintf(buf, sizeof buf, "%s", roles ? roles : "");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int bit = flow_role_parse(tok);

		if (!bit || bit == ROLE_PETITIONER)
			return xerr_set(err, 400, "validation.unknown_code", "roles", "角色“%.32s”不存在", tok);
		bits |= (unsigned)bit;
	}
	if (!bits)
		return xerr_set(err, 400, "validation.required", "roles", "请至少指定一个角色");
	/* 等保 2.0 三员分立: the three administrators are separate people */
	if (__builtin_popcount(bits & (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)) > 1)
		return xerr_set(err, 400, "auth.separation_of_duties", "roles",
				"系统管理员、安全管理员、审计管理员须由不同人员担任");
	if ((bits & (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)) &&
	    (bits & ~(unsigned)(ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)))
		return xerr_set(err, 400, "auth.separation_of_duties", "roles",
				"三员（系统、安全、审计管理员）不得兼任业务角色");
	*out = bits;
	return 0;
}

int svc_user_add_hashed(struct app *app, const char *username, const char *name,
			const char *unit_code, const char *roles, const char *pwhash, int64_t now,
			struct xerr *err)
{
	return user_add_as(app, "cli", username, name, unit_code, roles, pwhash, now, err);
}

int user_add_as(struct app *app, const char *by, const char *username, const char *name,
		const char *unit_code, const char *roles, const char *pwhash, int64_t now,
		struct xerr *err)
{
	struct user u = { 0 };
	struct unit unit;
	int rc;

	if (!username || strlen(username) < 2 || strlen(username) >= sizeof u.username)
		return xerr_set(err, 400, "validation.invalid", "username", "用户名须为2至63个字符");
	if (!name || !*name || strlen(name) >= sizeof u.name)
		return xerr_set(err, 400, "validation.invalid", "name", "请填写姓名");
	/* "" only from the API: an account without roles until the secadmin grants some */
	if (roles && !*roles && strcmp(by, "cli") != 0)
		u.roles = 0;
	else if (roles_parse(roles, &u.roles, err))
		return -1;
	snprintf(u.username, sizeof u.username, "%s", username);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.pwhash, sizeof u.pwhash, "%s", pwhash);
	pthread_mutex_lock(&app->lock);
	rc = store_unit_by_code(app->st, unit_code, &unit);
	if (rc) {
		rc = rc < 0 ? xerr_internal(err, "unit lookup")
			    : xerr_set(err, 404, "unit.not_found", "unit", "单位“%.32s”不存在", unit_code);
		goto out;
	}
	u.unit_id = unit.id;
	if (store_user_by_name(app->st, username, &(struct user){ 0 }) == 0) {
		rc = xerr_set(err, 409, "user.exists", "username", "用户名“%.64s”已存在", username);
		goto out;
	}
	rc = store_user_insert(app->st, &u, now) ? xerr_internal(err, "user insert") : 0;
out:
	pthread_mutex_unlock(&app->lock);
	if (rc == 0) {
		char what[600];

		snprintf(what, sizeof what, "unit %s, roles %s", unit_code, roles);
		audit_add(app, by, u.unit_id, "user.add", username, "ok", what, now);
	}
	return rc;
}

int svc_user_add(struct app *app, const char *username, const char *name, const char *unit_code,
		 const char *roles, const char *password, int64_t now, struct xerr *err)
{
	char hash[160];

	if (svc_password_hash(password ? password : "", hash, err))
		return -1;
	return svc_user_add_hashed(app, username, name, unit_code, roles, hash, now, err);
}

int svc_unit_add(struct app *app, const char *code, const char *name, const char *parent_code,
		 const char *type, const char *level, const char *division, struct xerr *err)
{
	struct unit u = { 0 }, parent;
	int rc = -1;

	if (!code || !*code || strlen(code) >= sizeof u.code)
		return xerr_set(err, 400, "validation.invalid", "code", "单位代码须为1至31个字符");
	if (!name || !*name || strlen(name) >= sizeof u.name)
		return xerr_set(err, 400, "validation.invalid", "name", "请填写单位名称");
	if (!type || (strcmp(type, "petition") && strcmp(type, "handling") && strcmp(type, "discipline")))
		return xerr_set(err, 400, "validation.unknown_code", "type",
				"单位类型须为 petition、handling 或 discipline");
	if (!level || (strcmp(level, "province") && strcmp(level, "city") && strcmp(level, "county") &&
		       strcmp(level, "township")))
		return xerr_set(err, 400, "validation.unknown_code", "level",
				"层级须为 province、city、county 或 township");
	if (!codes_find(CODES_DIVISION, division))
		return xerr_set(err, 400, "validation.unknown_code", "division", "行政区划代码“%.8s”不存在",
				division ? division : "");
	snprintf(u.code, sizeof u.code, "%s", code);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.type, sizeof u.type, "%s", type);
	snprintf(u.level, sizeof u.level, "%s", level);
	snprintf(u.division, sizeof u.division, "%s", division);
	pthread_mutex_lock(&app->lock);
	if (store_unit_by_code(app->st, code, &parent) == 0) {
		xerr_set(err, 409, "unit.exists", "code", "单位代码“%.32s”已存在", code);
		goto out;
	}
	if (parent_code) {
		if (store_unit_by_code(app->st, parent_code, &parent) != 0) {
			xerr_set(err, 404, "unit.not_found", "parent", "上级单位“%.32s”不存在", parent_code);
			goto out;
		}
		u.parent_id = parent.id;
	}
	if (store_begin(app->st) || store_unit_insert(app->st, &u) ||
	    audit_locked(app, "cli", u.id, "unit.add", u.code, "ok", u.name, xtime_now()) || store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "unit insert");
		goto out;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_rebuild(struct app *app, char before[65], char after[65], int *n_events,
		struct xerr *err)
{
	int rc = 0;

	pthread_mutex_lock(&app->lock);
	if (store_projection_digest(app->st, before) || store_rebuild(app->st, n_events) ||
	    store_projection_digest(app->st, after) || (app->lsh && similar_reload(app)))
		rc = xerr_internal(err, "rebuild");
	pthread_mutex_unlock(&app->lock);
	return rc;
}

json_t *svc_codes(struct app *app)
{
	json_t *o = json_object();
	int l, i, n;

	(void)app;
	for (l = 0; l < CODES__COUNT; l++) {
		const struct code *c = codes_list((enum code_list)l, &n);
		json_t *a = json_array();

		for (i = 0; i < n; i++) {
			json_t *e = json_pack("{s:s,s:s}", "code", c[i].code, "label", c[i].label);

			if (c[i].parent)
				json_object_set_new(e, "parent", json_string(c[i].parent));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, codes_list_name((enum code_list)l), a);
	}
	{
		json_t *states = json_array(), *actions = json_array();

		for (i = 1; i < ST__COUNT; i++)
			json_array_append_new(states, json_pack("{s:s,s:s}", "code", flow_state_name(i),
								"label", flow_state_label(i)));
		for (i = 0; i < ACT__COUNT; i++)
			json_array_append_new(actions, json_pack("{s:s,s:s}", "code", flow_action_name(i),
								 "label", flow_action_label(i)));
		json_object_set_new(o, "state", states);
		json_object_set_new(o, "action", actions);
	}
	return o;
}

json_t *svc_units(struct app *app)
{
	json_t *a;

	pthread_mutex_lock(&app->lock);
	a = store_units_json(app->st);
	pthread_mutex_unlock(&app->lock);
	return a;
}
