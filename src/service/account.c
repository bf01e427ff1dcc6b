/*
 * account.c - the second factor and the administration of staff accounts,
 * split along 三员分立 (等保 2.0 level 3): the system administrator creates
 * and disables accounts; the security administrator grants roles and
 * permissions and resets second factors; each change is audited. Nobody
 * administers their own account.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/totp.h"
#include "domain/flow.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/input.h"
#include "service/svc.h"
#include "service/view.h"

#define ADMIN_ROLES (ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR)

int64_t totp_check(struct app *app, const struct user *u, const char *sealed, int64_t after,
		   int64_t now, const char *code);

/* ---- the user's own second factor ---------------------------------------------- */

int svc_totp_setup(struct app *app, const struct actor *a, int64_t now, json_t **out,
		   struct xerr *err)
{
	unsigned char key[TOTP_SECRET_BYTES];
	char b32[40], uri[256], *sealed;
	int rc;

	if (a->user.totp_enabled)
		return xerr_set(err, 409, "auth.totp_already_enabled", NULL,
				"已启用动态验证码；如需更换，请先停用或请安全管理员重置");
	randombytes_buf(key, sizeof key);
	base32_encode(key, sizeof key, b32, sizeof b32);
	sodium_memzero(key, sizeof key);
	sealed = sm_seal_text(&app->keys, b32);
	if (!sealed)
		return xerr_internal(err, "seal");
	pthread_mutex_lock(&app->lock);
	rc = store_begin(app->st) || store_user_totp(app->st, a->user.id, sealed, 0, 0) ||
	     audit_locked(app, a->user.username, a->unit.id, "totp.setup", a->user.username, "ok", NULL, now) ||
	     store_commit(app->st);
	if (rc)
		store_rollback(app->st);
	pthread_mutex_unlock(&app->lock);
	free(sealed);
	if (rc)
		return xerr_internal(err, "totp setup");
	snprintf(uri, sizeof uri,
		 "otpauth://totp/Xinfang:%s?secret=%s&issuer=Xinfang&algorithm=SHA1&digits=6&period=30",
		 a->user.username, b32);
	*out = json_pack("{s:s,s:s,s:i,s:i}", "secret", b32, "otpauth_uri", uri, "digits", 6, "period",
			 TOTP_STEP);
	return 0;
}

/* The user's row as stored now (the actor's copy may predate a setup). */
static int user_fresh(struct app *app, const char *username, struct user *u, struct xerr *err)
{
	int rc = store_user_by_name(app->st, username, u);

	if (rc < 0)
		return xerr_internal(err, "user read");
	if (rc)
		return xerr_set(err, 404, "user.not_found", NULL, "用户“%.64s”不存在", username);
	return 0;
}

int svc_totp_enable(struct app *app, const struct actor *a, json_t *body, int64_t now,
		    json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "code", NULL };
	const char *code;
	struct user u;
	int64_t step;
	int rc = -1;

	if (input_only(body, keys, "body", err) || input_str(body, "code", 1, 6, &code, err))
		return -1;
	pthread_mutex_lock(&app->lock);
	if (user_fresh(app, a->user.username, &u, err))
		goto out;
	if (u.totp_enabled) {
		xerr_set(err, 409, "auth.totp_already_enabled", NULL, "已启用动态验证码");
		goto out;
	}
	if (!u.totp_secret[0]) {
		xerr_set(err, 409, "auth.totp_not_set_up", NULL, "请先生成动态验证码密钥");
		goto out;
	}
	step = totp_check(app, &u, u.totp_secret, 0, now, code);
	if (step == -2) {
		xerr_internal(err, "totp secret");
		goto out;
	}
	if (step < 0) {
		xerr_set(err, 400, "auth.totp_invalid", "code", "动态验证码不正确，请核对手机时间后重试");
		goto out;
	}
	if (store_begin(app->st) || store_user_totp(app->st, u.id, u.totp_secret, 1, step) ||
	    store_session_unrestrict(app->st, u.id, a->session) ||
	    audit_locked(app, u.username, a->unit.id, "totp.enable", u.username, "ok", NULL, now) ||
	    store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "totp enable");
		goto out;
	}
	*out = json_pack("{s:b}", "totp_enabled", 1);
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_totp_disable(struct app *app, const struct actor *a, json_t *body, int64_t now,
		     json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "code", NULL };
	const char *code;
	struct user u;
	int64_t step;
	int rc = -1;

	if (input_only(body, keys, "body", err) || input_str(body, "code", 1, 6, &code, err))
		return -1;
	if (a->user.roles & ADMIN_ROLES)
		return xerr_set(err, 403, "auth.totp_mandatory", NULL, "管理员必须使用动态验证码，不能停用");
	pthread_mutex_lock(&app->lock);
	if (user_fresh(app, a->user.username, &u, err))
		goto out;
	if (!u.totp_enabled) {
		xerr_set(err, 409, "auth.totp_not_enabled", NULL, "未启用动态验证码");
		goto out;
	}
	step = totp_check(app, &u, u.totp_secret, u.totp_last_step, now, code);
	if (step < 0) {
		xerr_set(err, 400, "auth.totp_invalid", "code", "动态验证码错误或已使用过");
		goto out;
	}
	if (store_begin(app->st) || store_user_totp(app->st, u.id, NULL, 0, 0) ||
	    audit_locked(app, u.username, a->unit.id, "totp.disable", u.username, "ok", NULL, now) ||
	    store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "totp disable");
		goto out;
	}
	*out = json_pack("{s:b}", "totp_enabled", 0);
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

/* ---- administration of accounts ---------------------------------------------------- */

static int need(const struct actor *a, unsigned role, const char *what, struct xerr *err)
{
	if (a->user.roles & role)
		return 0;
	return xerr_set(err, 403, "auth.role_denied", NULL, "只有%s可以%s",
			role == ROLE_SECADMIN ? "安全管理员" : role == ROLE_SYSADMIN ? "系统管理员" : "系统管理员或安全管理员",
			what);
}

static json_t *roles_json(unsigned bits)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ROLE__COUNT; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(flow_role_name(1u << i)));
	return a;
}

/* ["a","b"] -> "a,b" (out[512]). */
static int roles_text(json_t *arr, char out[512], struct xerr *err)
{
	size_t i, o = 0;
	json_t *v;

	out[0] = '\0';
	if (!json_is_array(arr) || json_array_size(arr) > 20)
		return xerr_set(err, 400, "validation.type", "roles", "roles 须为角色名数组");
	json_array_foreach(arr, i, v)
	{
		const char *r = json_string_value(v);

		if (!r || strlen(r) > 32)
			return xerr_set(err, 400, "validation.type", "roles", "roles 须为角色名数组");
		o += (size_t)snprintf(out + o, 512 - o, "%s%s", o ? "," : "", r);
	}
	return 0;
}

int svc_users(struct app *app, const struct actor *a, json_t **out, struct xerr *err)
{
	json_t *rows, *r;
	size_t i;

	if (need(a, ROLE_SYSADMIN | ROLE_SECADMIN, "查看用户", err))
		return -1;
	pthread_mutex_lock(&app->lock);
	rows = store_user_list(app->st);
	pthread_mutex_unlock(&app->lock);
	if (!rows)
		return xerr_internal(err, "users");
	json_array_foreach(rows, i, r)
	{
		json_object_set_new(r, "roles", roles_json((unsigned)json_integer_value(json_object_get(r, "roles"))));
		json_object_set_new(r, "disabled", json_boolean(json_integer_value(json_object_get(r, "disabled"))));
		json_object_set_new(r, "totp_enabled",
				    json_boolean(json_integer_value(json_object_get(r, "totp_enabled"))));
		view_unit(r, "unit");
		json_object_del(json_object_get(r, "unit"), "code");
		json_object_set(json_object_get(r, "unit"), "code", json_object_get(r, "unit_code"));
		json_object_del(r, "unit_code");
		view_times(r);
	}
	*out = json_pack("{s:o}", "items", rows);
	return 0;
}

/* 三员分立: the system administrator makes the account, the security
 * administrator gives it roles (POST /users/{u}/roles): neither alone can make
 * an account that reads cases. A new account has no role and sees nothing. */
int svc_user_create(struct app *app, const struct actor *a, json_t *body, int64_t now, json_t **out,
		    struct xerr *err)
{
	static const char *const keys[] = { "username", "name", "unit", "roles", "password", NULL };
	const char *username, *name, *unit, *password;
	json_t *roles = json_object_get(body, "roles");
	char hash[160];
	const char *p;

	if (need(a, ROLE_SYSADMIN, "创建用户", err) || input_only(body, keys, "body", err) ||
	    input_str(body, "username", 1, 63, &username, err) || input_str(body, "name", 1, 30, &name, err) ||
	    input_str(body, "unit", 1, 31, &unit, err) || input_str(body, "password", 1, 128, &password, err))
		return -1;
	if (roles && !(json_is_array(roles) && json_array_size(roles) == 0))
		return xerr_set(err, 403, "auth.separation_of_duties", "roles",
				"角色和权限由安全管理员授予；系统管理员创建的账号没有角色");
	for (p = username; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return xerr_set(err, 400, "validation.invalid", "username",
					"用户名只能包含小写字母、数字和 . - _");
	if (svc_password_hash(password, hash, err) ||
	    user_add_as(app, a->user.username, username, name, unit, "", hash, now, err))
		return -1;
	*out = json_pack("{s:s,s:s,s:s,s:[]}", "username", username, "name", name, "unit", unit, "roles");
	return 0;
}

/* A target account, never the actor's own (lock held). */
static int target(struct app *app, const struct actor *a, const char *username, struct user *u,
		  struct xerr *err)
{
	if (user_fresh(app, username, u, err))
		return -1;
	if (u->id == a->user.id)
		return xerr_set(err, 403, "auth.self_administration", NULL, "不能管理自己的账号");
	return 0;
}

/* What an administrator does to another account, in one transaction with its
 * audit row; the account's sessions end (end_sessions) so the change holds at
 * once. */
struct change {
	const char *action;         /* audit action */
	const char *column;         /* users.roles / users.disabled, or NULL */
	int64_t value;
	const char *pwhash;         /* a new password hash, or NULL */
	const char *detail;         /* for the audit row */
	int clear_totp, end_sessions;
};

static int change_account(struct app *app, const struct actor *a, const char *username,
			  const struct change *c, int64_t now, struct xerr *err)
{
	struct user u;
	int rc = -1;

	pthread_mutex_lock(&app->lock);
	if (target(app, a, username, &u, err))
		goto out;
	if (store_begin(app->st) || (c->column && store_user_set(app->st, u.id, c->column, c->value)) ||
	    (c->pwhash && store_user_set_pwhash(app->st, u.id, c->pwhash)) ||
	    (c->clear_totp && store_user_totp(app->st, u.id, NULL, 0, 0)) ||
	    (c->end_sessions && store_session_delete_user(app->st, u.id)) ||
	    audit_locked(app, a->user.username, a->unit.id, c->action, username, "ok", c->detail, now) ||
	    store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, c->action);
		goto out;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_user_roles(struct app *app, const struct actor *a, const char *username, json_t *body,
		   int64_t now, json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "roles", NULL };
	char roles[512];
	unsigned bits;

	if (need(a, ROLE_SECADMIN, "调整角色和权限", err) || input_only(body, keys, "body", err) ||
	    roles_text(json_object_get(body, "roles"), roles, err) || roles_parse(roles, &bits, err))
		return -1;
	/* sessions end: the next login carries the new roles (and second-factor duty) */
	if (change_account(app, a, username,
			   &(struct change){ .action = "user.roles", .column = "roles", .value = bits,
					     .detail = roles, .end_sessions = 1 },
			   now, err))
		return -1;
	*out = json_pack("{s:s,s:o}", "username", username, "roles", roles_json(bits));
	return 0;
}

int svc_user_disable(struct app *app, const struct actor *a, const char *username, json_t *body,
		     int64_t now, json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "disabled", NULL };
	int disabled;

	if (need(a, ROLE_SYSADMIN, "停用或启用账号", err) || input_only(body, keys, "body", err))
		return -1;
	if (!json_is_boolean(json_object_get(body, "disabled")))
		return xerr_set(err, 400, "validation.required", "disabled", "请指定 disabled（true 或 false）");
	disabled = json_is_true(json_object_get(body, "disabled"));
	if (change_account(app, a, username,
			   &(struct change){ .action = disabled ? "user.disable" : "user.enable", .column = "disabled",
					     .value = disabled, .end_sessions = disabled },
			   now, err))
		return -1;
	*out = json_pack("{s:s,s:b}", "username", username, "disabled", disabled);
	return 0;
}

int svc_user_totp_reset(struct app *app, const struct actor *a, const char *username, int64_t now,
			json_t **out, struct xerr *err)
{
	if (need(a, ROLE_SECADMIN, "重置动态验证码", err) ||
	    change_account(app, a, username,
			   &(struct change){ .action = "totp.reset", .clear_totp = 1, .end_sessions = 1 }, now, err))
		return -1;
	*out = json_pack("{s:s,s:b}", "username", username, "totp_enabled", 0);
	return 0;
}

/* ---- passwords ------------------------------------------------------------------------ */

int svc_password_change(struct app *app, const struct actor *a, json_t *body, int64_t now,
			json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "old_password", "new_password", NULL };
	const char *old_pw, *new_pw;
	char hash[160];
	struct user u;
	int ok, rc = -1;

	if (input_only(body, keys, "body", err) || input_str(body, "old_password", 1, 128, &old_pw, err) ||
	    input_str(body, "new_password", 1, 128, &new_pw, err))
		return -1;
	if (strcmp(old_pw, new_pw) == 0)
		return xerr_set(err, 400, "auth.password_reused", "new_password", "新密码不能与原密码相同");
	if (svc_password_hash(new_pw, hash, err)) {
		snprintf(err->field, sizeof err->field, "new_password");
		return -1;
	}
	pthread_mutex_lock(&app->lock);
	rc = user_fresh(app, a->user.username, &u, err);
	pthread_mutex_unlock(&app->lock);
	if (rc)
		return -1;
	/* Argon2id outside the lock (~0.1 s) */
	ok = crypto_pwhash_str_verify(u.pwhash, old_pw, strlen(old_pw)) == 0;
	if (!ok) {
		audit_add(app, u.username, a->unit.id, "password.change", u.username, "failure", NULL, now);
		return xerr_set(err, 400, "auth.invalid_credentials", "old_password", "原密码不正确");
	}
	pthread_mutex_lock(&app->lock);
	/* other sessions end: whoever else knew the old password is out */
	rc = store_begin(app->st) || store_user_set_pwhash(app->st, u.id, hash) ||
	     store_session_delete_others(app->st, u.id, a->session) ||
	     audit_locked(app, u.username, a->unit.id, "password.change", u.username, "ok", NULL, now) ||
	     store_commit(app->st);
	if (rc)
		store_rollback(app->st);
	pthread_mutex_unlock(&app->lock);
	sodium_memzero(hash, sizeof hash);
	if (rc)
		return xerr_internal(err, "password change");
	*out = json_pack("{s:b}", "ok", 1);
	return 0;
}

int svc_user_password_reset(struct app *app, const struct actor *a, const char *username, json_t *body,
			    int64_t now, json_t **out, struct xerr *err)
{
	static const char *const keys[] = { "password", NULL };
	const char *pw;
	char hash[160];
	int rc;

	if (need(a, ROLE_SYSADMIN, "重置密码", err) || input_only(body, keys, "body", err) ||
	    input_str(body, "password", 1, 128, &pw, err) || svc_password_hash(pw, hash, err))
		return -1;
	rc = change_account(app, a, username,
			    &(struct change){ .action = "password.reset", .pwhash = hash, .end_sessions = 1 }, now, err);
	sodium_memzero(hash, sizeof hash);
	if (rc)
		return -1;
	*out = json_pack("{s:s,s:b}", "username", username, "ok", 1);
	return 0;
}
