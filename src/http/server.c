/*
 * server.c - HTTP front of the service layer.
 *
 * libmicrohttpd calls the handler several times per request: once with the
 * headers, then with body chunks, then once with nothing left. The body is
 * collected with a hard cap; the response is queued on the last call (never
 * the first: that closes the connection every time, DESIGN.md section 7).
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/utf8.h"
#include "base/xtime.h"
#include "domain/flow.h"
#include "domain/sniff.h"
#include "http/ui.h"
#include "service/audit.h"

#define BODY_MAX (1 << 20)     /* 1 MiB */
#define DISCARD_MAX (8 << 20)  /* read at most this much of an oversize body */
#define UPLOAD_BUDGET ((size_t)256 << 20) /* upload bodies held in memory at once, all connections */
#define COOKIE "xf_session"

struct req {
	struct MHD_Connection *conn;
	struct app *app;
	const char *method;
	const char *url;
	char *body;
	size_t len;
	int too_big;
	int answered;         /* a response was queued early (413) */
	size_t discarded;     /* bytes dropped past the cap */
	struct timespec start;
	/* filled by dispatch */
	const char *params[2];
	char param_buf[2][128];
	struct actor actor;
	char csrf[65];
	/* response extras */
	char set_cookie[256];
	char etag[32];
	char allow[32];
	char retry_after[16];
	char client[GUARD_ADDR_LEN]; /* the client's address (behind trusted proxies) */
	/* the body: its cap (BODY_MAX; an R_UPLOAD route's is ATTACH_MAX_BYTES) */
	size_t cap;
	size_t alloc;         /* bytes allocated for body */
	int upload;           /* an R_UPLOAD route */
	size_t reserved;      /* bytes counted against UPLOAD_BUDGET */
	int discard;          /* drop the body: refused when the headers came (pre_err), or no room */
	int busy;             /* no room in UPLOAD_BUDGET: 503 */
	struct xerr pre_err;
	/* a file answer (send_file): malloc'd bytes, handed to MHD */
	unsigned char *bin;
	size_t bin_len;
	int nul_path;         /* the raw path held %00 (the decoded one is cut there) */
};

typedef int (*handler_fn)(struct req *r, json_t *body, int *status, json_t **out,
			  struct xerr *err);

/* R_ENROL: open to an administrator's session before the second factor is
 * enrolled (everything else answers 403 auth.totp_enrolment_required). */
/* R_UPLOAD: the body is a raw file (any Content-Type, never parsed as JSON)
 * of up to ATTACH_MAX_BYTES; whether to keep it is decided when the headers
 * arrive (upload_begin). */
enum { R_AUTH = 1, R_BODY = 2, R_ENROL = 4, R_UPLOAD = 8 };

struct route {
	const char *method;
	const char *pattern; /* "{}" matches one path segment */
	handler_fn fn;
	int flags;
};

static const struct server_opts *opts;

/* ---- helpers -------------------------------------------------------------- */

static const char *header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static const char *arg(struct req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	return v && *v ? v : NULL;
}

static int64_t parse_if_match(const char *v)
{
	char *end;
	long long n;

	if (!v)
		return -1;
	if (v[0] == 'W' && v[1] == '/')
		v += 2;
	if (*v == '"')
		v++;
	n = strtoll(v, &end, 10);
	if (end == v || n < 0 || (*end && strcmp(end, "\"") != 0))
		return -2;
	return n;
}

/* ---- handlers ----------------------------------------------------------------- */

static int h_health(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	char buf[160];
	const char *warning = svc_calendar_warning(r->app, xtime_now(), buf);
	int schema;

	(void)body, (void)status, (void)err;
	pthread_mutex_lock(&r->app->lock);
	schema = store_schema_version(r->app->st);
	pthread_mutex_unlock(&r->app->lock);
	*out = json_pack("{s:s,s:i,s:o}", "status", "ok", "schema", schema, "warnings",
			 warning ? json_pack("[s]", warning) : json_array());
	return 0;
}

static int h_login(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	const char *u = json_string_value(json_object_get(body, "username"));
	const char *p = json_string_value(json_object_get(body, "password"));
	json_t *t = json_object_get(body, "totp");
	char token[64];

	(void)status;
	if (!u || !p)
		return xerr_set(err, 400, "validation.required", !u ? "username" : "password",
				"请输入用户名和密码");
	if (t && !json_is_string(t))
		return xerr_set(err, 400, "validation.type", "totp", "动态验证码须为6位数字文本");
	if (svc_login(r->app, u, p, json_string_value(t), xtime_now(), token, out, err))
		return -1;
	snprintf(r->set_cookie, sizeof r->set_cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
		 token, opts->secure_cookie ? "; Secure" : "");
	return 0;
}

static int h_logout(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status, (void)err;
	svc_logout(r->app, MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE));
	audit_add(r->app, r->actor.user.username, r->actor.unit.id, "logout", r->actor.user.username, "ok", NULL,
		  xtime_now());
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	*out = json_pack("{s:b}", "ok", 1);
	return 0;
}

static int h_me(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status, (void)err;
	*out = svc_me(r->app, &r->actor);
	json_object_set_new(*out, "csrf_token", json_string(r->csrf));
	return 0;
}

static int h_totp_setup(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_totp_setup(r->app, &r->actor, xtime_now(), out, err);
}

static int h_totp_enable(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_totp_enable(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_totp_disable(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_totp_disable(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_password(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_password_change(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_user_password(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_user_password_reset(r->app, &r->actor, r->params[0], body, xtime_now(), out, err);
}

static int h_users(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_users(r->app, &r->actor, out, err);
}

static int h_user_create(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	*status = 201;
	return svc_user_create(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_user_roles(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_user_roles(r->app, &r->actor, r->params[0], body, xtime_now(), out, err);
}

static int h_user_disabled(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_user_disable(r->app, &r->actor, r->params[0], body, xtime_now(), out, err);
}

static int h_user_totp_reset(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_user_totp_reset(r->app, &r->actor, r->params[0], xtime_now(), out, err);
}

static int h_codes(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status, (void)err;
	*out = svc_codes(r->app);
	return 0;
}

/* The organisation chart for the portal (an online accusation names the accused unit, so that it
 * is routed around it, R22 art. 30): names and places only, no policy. */
static int h_public_units(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	json_t *u = svc_units(r->app), *v;
	size_t i;

	(void)body, (void)status;
	if (!u)
		return xerr_internal(err, "units");
	json_array_foreach(u, i, v) json_object_del(v, "policy");
	*out = json_pack("{s:o}", "items", u);
	return 0;
}

static int h_units(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	json_t *u = svc_units(r->app);

	(void)body, (void)status;
	if (!u)
		return xerr_internal(err, "units");
	*out = json_pack("{s:o}", "items", u);
	return 0;
}

static void list_query(struct req *r, struct list_query *q)
{
	q->state = arg(r, "state");
	q->channel = arg(r, "channel");
	q->kind = arg(r, "kind");
	q->category = arg(r, "category");
	q->locality = arg(r, "locality");
	q->unit = arg(r, "unit");
	q->from = arg(r, "from");
	q->to = arg(r, "to");
	q->q = arg(r, "q");
	q->cursor = arg(r, "cursor");
	q->limit = arg(r, "limit");
}

static int h_cases(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	struct list_query q;

	(void)body, (void)status;
	list_query(r, &q);
	return svc_case_list(r->app, &r->actor, &q, out, err);
}

static int h_todo(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	struct list_query q;

	(void)body, (void)status;
	list_query(r, &q);
	return svc_todo(r->app, &r->actor, xtime_now(), &q, out, err);
}

/* A list as .xlsx: the bytes in r->bin, labelled by *out (send_file). */
static int h_cases_export(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	struct list_query q;

	(void)body, (void)status;
	list_query(r, &q);
	return svc_export(r->app, &r->actor, xtime_now(), "cases", &q, &r->bin, &r->bin_len, out, err);
}

static int h_todo_export(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	struct list_query q;

	(void)body, (void)status;
	list_query(r, &q);
	return svc_export(r->app, &r->actor, xtime_now(), "todo", &q, &r->bin, &r->bin_len, out, err);
}

/* ---- saved views (the user's own named list filters) ---- */

static int h_views(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_views(r->app, &r->actor, out, err);
}

static int h_view_create(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	*status = 201;
	return svc_view_create(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_view_delete(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_view_delete(r->app, &r->actor, r->params[0], body, out, err);
}

static int h_register(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	return svc_register(r->app, &r->actor, xtime_now(), body, header(r, "Idempotency-Key"), status,
			    out, err);
}

static int h_case(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	if (svc_case_get(r->app, &r->actor, r->params[0], out, err))
		return -1;
	snprintf(r->etag, sizeof r->etag, "\"%lld\"",
		 (long long)json_integer_value(json_object_get(*out, "version")));
	return 0;
}

static int h_events(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_case_events(r->app, &r->actor, r->params[0], out, err);
}

/* ---- attachments: the body is the file, the name is ?name= (UTF-8, percent-encoded) */

/* The file name argument; a NUL inside it (%00) is refused, not cut there. */
static int name_arg(struct req *r, const char **name, struct xerr *err)
{
	const char *v = NULL;
	size_t n = 0;

	*name = NULL;
	if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, "name", 4, &v, &n) != MHD_YES || !v)
		return 0;
	if (strlen(v) != n)
		return xerr_set(err, 400, "validation.invalid", "name", "文件名不能含控制字符");
	*name = v;
	return 0;
}

static int h_attach_upload(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	const char *name;

	(void)body;
	if (name_arg(r, &name, err) ||
	    svc_attach_upload(r->app, &r->actor, xtime_now(), r->params[0], name, r->body ? r->body : "",
			      r->len, header(r, "Idempotency-Key"), status, out, err))
		return -1;
	snprintf(r->etag, sizeof r->etag, "\"%lld\"",
		 (long long)json_integer_value(json_object_get(*out, "version")));
	return 0;
}

static int h_attach_list(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_attach_list(r->app, &r->actor, r->params[0], out, err);
}

/* The bytes go in r->bin; *out is what send_file needs to label them. */
static int h_attach_get(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_attach_download(r->app, &r->actor, xtime_now(), r->params[0], r->params[1], &r->bin,
				   &r->bin_len, out, err);
}

static int h_public_attach_upload(struct req *r, json_t *body, int *status, json_t **out,
				  struct xerr *err)
{
	const char *name;

	(void)body;
	if (name_arg(r, &name, err))
		return -1;
	return svc_public_attach_upload(r->app, xtime_now(), r->params[0], header(r, "X-Query-Code"), name,
					r->body ? r->body : "", r->len, header(r, "Idempotency-Key"), status,
					out, err);
}

static int h_public_attach_list(struct req *r, json_t *body, int *status, json_t **out,
				struct xerr *err)
{
	(void)body, (void)status;
	return svc_public_attach_list(r->app, r->params[0], header(r, "X-Query-Code"), out, err);
}

static int h_public_attach_get(struct req *r, json_t *body, int *status, json_t **out,
			       struct xerr *err)
{
	(void)body, (void)status;
	return svc_public_attach_download(r->app, xtime_now(), r->params[0], header(r, "X-Query-Code"),
					  r->params[1], &r->bin, &r->bin_len, out, err);
}

static int h_act(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	int64_t v = parse_if_match(header(r, "If-Match"));

	(void)status;
	if (v == -2)
		return xerr_set(err, 400, "request.bad_if_match", "If-Match", "If-Match 须为版本号");
	if (svc_act(r->app, &r->actor, xtime_now(), r->params[0], r->params[1], v, body, out, err))
		return -1;
	snprintf(r->etag, sizeof r->etag, "\"%lld\"",
		 (long long)json_integer_value(json_object_get(*out, "version")));
	return 0;
}

static int h_similar(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_similar_case(r->app, &r->actor, r->params[0], out, err);
}

static int h_similar_draft(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_similar_draft(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_unmask(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_pii_unmask(r->app, &r->actor, r->params[0], r->params[1], body, xtime_now(), out, err);
}

static int h_petitioner_lookup(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_petitioner_lookup(r->app, &r->actor, body, xtime_now(), out, err);
}

static int h_public_submit(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	return svc_public_submit(r->app, xtime_now(), body, header(r, "Idempotency-Key"), status, out, err);
}

static int h_public_query(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_public_query(r->app, xtime_now(), json_string_value(json_object_get(body, "no")),
				json_string_value(json_object_get(body, "query_code")), out, err);
}

static int h_public_act(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	json_t *rest = json_copy(body);
	const char *code = json_string_value(json_object_get(body, "query_code"));
	int rc;

	(void)status;
	json_object_del(rest, "query_code");
	rc = svc_public_act(r->app, xtime_now(), r->params[0], code, r->params[1], rest, out, err);
	json_decref(rest);
	return rc;
}

static int need_role(struct req *r, unsigned role, const char *what, struct xerr *err)
{
	if (r->actor.user.roles & role)
		return 0;
	return xerr_set(err, 403, "auth.role_denied", NULL, "只有系统管理员可以%s", what);
}

static int h_calendar(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	const char *y = arg(r, "year");
	char *end = NULL;
	long year = y ? strtol(y, &end, 10) : 0;
	int yy, mm, dd;

	(void)body, (void)status;
	if (!y) {
		xtime_civil_from_days((xtime_now() + XTIME_OFFSET) / 86400, &yy, &mm, &dd);
		year = yy;
	} else if (*end || end == y || year < 0 || year > 9999) {
		return xerr_set(err, 400, "validation.invalid", "year", "年份须为数字");
	}
	return svc_calendar_show(r->app, (int)year, out, err);
}

static int h_calendar_import(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	if (need_role(r, ROLE_SYSADMIN, "维护节假日安排", err))
		return -1;
	return svc_calendar_import(r->app, r->actor.user.username, r->body ? r->body : "{}", r->len,
				   xtime_now(), out, err);
}

static int h_due(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_due(r->app, arg(r, "start"), arg(r, "amount"), arg(r, "unit"), out, err);
}

static int h_workday(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_workday(r->app, arg(r, "date"), out, err);
}

static int h_policies(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status, (void)err;
	*out = svc_policies(r->app);
	return 0;
}

static int h_policy_set(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	json_t *amount = json_object_get(body, "amount"), *warn = json_object_get(body, "warn_pct");

	(void)status;
	if (need_role(r, ROLE_SYSADMIN, "调整时限策略", err))
		return -1;
	if (!json_is_integer(amount) || (warn && !json_is_integer(warn)))
		return xerr_set(err, 400, "validation.type", !json_is_integer(amount) ? "amount" : "warn_pct",
				"数量和预警比例须为整数");
	if (json_integer_value(amount) < 0 || json_integer_value(amount) > 3650 ||
	    (warn && (json_integer_value(warn) < 1 || json_integer_value(warn) > 100)))
		return xerr_set(err, 400, "validation.invalid", "amount", "数量须在0至3650之间，预警比例须在1%%至100%%之间");
	if ((json_object_get(body, "key") && !json_is_string(json_object_get(body, "key"))) ||
	    (json_object_get(body, "unit") && !json_is_string(json_object_get(body, "unit"))))
		return xerr_set(err, 400, "validation.type", "key", "key 和 unit 须为文本");
	if (svc_policy_set(r->app, r->actor.user.username, r->params[0],
			   json_string_value(json_object_get(body, "key")), (int)json_integer_value(amount),
			   json_string_value(json_object_get(body, "unit")) ? json_string_value(json_object_get(body, "unit")) : "days",
			   warn ? (int)json_integer_value(warn) : 80, xtime_now(), err))
		return -1;
	*out = svc_policies(r->app);
	return 0;
}

static int h_unit_policy(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	if (need_role(r, ROLE_SYSADMIN, "调整单位的时限策略", err))
		return -1;
	if (!json_is_null(json_object_get(body, "policy")) && !json_is_string(json_object_get(body, "policy")))
		return xerr_set(err, 400, "validation.type", "policy", "policy 须为策略名或 null");
	if (svc_unit_policy_set(r->app, r->actor.user.username, r->params[0],
				json_string_value(json_object_get(body, "policy")), xtime_now(), err))
		return -1;
	*out = json_pack("{s:s,s:s?}", "unit", r->params[0], "policy", json_string_value(json_object_get(body, "policy")));
	return 0;
}

/* from/to as dates (to inclusive); defaults: the last 30 days. */
static int period(struct req *r, int64_t now, int64_t *from, int64_t *to, struct xerr *err)
{
	const char *f = arg(r, "from"), *t = arg(r, "to");

	if (f && xtime_parse(f, from))
		return xerr_set(err, 400, "validation.invalid", "from", "起始日期须为 YYYY-MM-DD");
	if (t && xtime_parse(t, to))
		return xerr_set(err, 400, "validation.invalid", "to", "截止日期须为 YYYY-MM-DD");
	if (!t)
		*to = now + 1; /* up to and including this second */
	else if (strlen(t) == 10)
		*to += 86400; /* the whole last day */
	if (!f)
		*from = *to - 30 * 86400;
	return 0;
}

static int h_timeliness(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	int64_t from, to, now = xtime_now();

	(void)body, (void)status;
	if (period(r, now, &from, &to, err))
		return -1;
	return svc_stats_timeliness(r->app, &r->actor, from, to, now, out, err);
}

static int h_notices(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	int64_t from, to, now = xtime_now();
	const char *m = arg(r, "min");
	char *end = NULL;
	long min = m ? strtol(m, &end, 10) : 3;

	(void)body, (void)status;
	/* 通报 is the supervisors' and leaders' business (R22 art. 40) */
	if (!(r->actor.user.roles & (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ANALYST | ROLE_UNIT_HEAD)))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有督办员、领导、分析员和单位负责人可以查看通报候选");
	if (m && (*end || end == m || min < 1 || min > 1000))
		return xerr_set(err, 400, "validation.invalid", "min", "超期件数下限须为1至1000的整数");
	if (period(r, now, &from, &to, err))
		return -1;
	return svc_notice_candidates(r->app, &r->actor, from, to, (int)min, out, err);
}

static int h_hot(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	int64_t from, to, now = xtime_now();
	const char *m = arg(r, "min");
	char *end = NULL;
	long min = m ? strtol(m, &end, 10) : 3;

	(void)body, (void)status;
	if (m && (*end || end == m))
		return xerr_set(err, 400, "validation.invalid", "min", "每个热点的件数下限须为整数");
	if (period(r, now, &from, &to, err))
		return -1;
	return svc_hot_issues(r->app, &r->actor, from, to, (int)min, out, err);
}

/* The dashboard: from/to are dates, checked by the service (defaults: this month to today). */
static int h_overview(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_stats_overview(r->app, &r->actor, arg(r, "from"), arg(r, "to"), arg(r, "city"), xtime_now(),
				  out, err);
}

static int h_escalations(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_escalations(r->app, &r->actor, arg(r, "level"), out, err);
}

static int h_audit(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	const char *c = arg(r, "cursor"), *l = arg(r, "limit");
	char *end = NULL;
	long long before = c ? strtoll(c, &end, 10) : 0;
	long limit = 100;

	(void)body, (void)status;
	if (c && (*end || end == c || before < 1))
		return xerr_set(err, 400, "validation.invalid", "cursor", "分页游标无效");
	if (l) {
		limit = strtol(l, &end, 10);
		if (*end || end == l)
			return xerr_set(err, 400, "validation.invalid", "limit", "每页条数须为整数");
	}
	return svc_audit_list(r->app, &r->actor, before, (int)(limit > 1000 ? 1000 : limit), out, err);
}

static int h_retention(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status;
	return svc_audit_retention_get(r->app, &r->actor, out, err);
}

static int h_retention_set(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)status;
	return svc_audit_retention_set(r->app, &r->actor, body, xtime_now(), out, err);
}

/* Sorted by path, then method; one line per route. */
static const struct route routes[] = {
	{ "POST", "/api/public/v1/cases/{}/actions/{}", h_public_act, R_BODY },
	{ "GET", "/api/public/v1/cases/{}/attachments", h_public_attach_list, 0 },
	{ "POST", "/api/public/v1/cases/{}/attachments", h_public_attach_upload, R_UPLOAD },
	{ "GET", "/api/public/v1/cases/{}/attachments/{}", h_public_attach_get, 0 },
	{ "POST", "/api/public/v1/cases", h_public_submit, R_BODY },
	{ "GET", "/api/public/v1/codes", h_codes, 0 },
	{ "GET", "/api/public/v1/units", h_public_units, 0 },
	{ "POST", "/api/public/v1/query", h_public_query, R_BODY },
	{ "GET", "/api/v1/audit", h_audit, R_AUTH },
	{ "GET", "/api/v1/audit/retention", h_retention, R_AUTH },
	{ "POST", "/api/v1/audit/retention", h_retention_set, R_AUTH | R_BODY },
	{ "GET", "/api/v1/calendar", h_calendar, R_AUTH },
	{ "GET", "/api/v1/calendar/due", h_due, R_AUTH },
	{ "POST", "/api/v1/calendar/import", h_calendar_import, R_AUTH | R_BODY },
	{ "GET", "/api/v1/calendar/workday", h_workday, R_AUTH },
	{ "GET", "/api/v1/cases", h_cases, R_AUTH },
	{ "POST", "/api/v1/cases", h_register, R_AUTH | R_BODY },
	{ "GET", "/api/v1/cases/export", h_cases_export, R_AUTH },
	{ "POST", "/api/v1/cases/similar", h_similar_draft, R_AUTH | R_BODY },
	{ "GET", "/api/v1/cases/{}", h_case, R_AUTH },
	{ "POST", "/api/v1/cases/{}/actions/{}", h_act, R_AUTH | R_BODY },
	{ "GET", "/api/v1/cases/{}/attachments", h_attach_list, R_AUTH },
	{ "POST", "/api/v1/cases/{}/attachments", h_attach_upload, R_AUTH | R_UPLOAD },
	{ "GET", "/api/v1/cases/{}/attachments/{}", h_attach_get, R_AUTH },
	{ "GET", "/api/v1/cases/{}/events", h_events, R_AUTH },
	{ "POST", "/api/v1/cases/{}/petitioners/{}/unmask", h_unmask, R_AUTH | R_BODY },
	{ "GET", "/api/v1/cases/{}/similar", h_similar, R_AUTH },
	{ "GET", "/api/v1/codes", h_codes, R_AUTH },
	{ "GET", "/api/v1/escalations", h_escalations, R_AUTH },
	{ "POST", "/api/v1/login", h_login, R_BODY },
	{ "POST", "/api/v1/logout", h_logout, R_AUTH | R_ENROL },
	{ "GET", "/api/v1/me", h_me, R_AUTH | R_ENROL },
	{ "POST", "/api/v1/me/password", h_password, R_AUTH | R_BODY },
	{ "POST", "/api/v1/me/totp/disable", h_totp_disable, R_AUTH | R_BODY },
	{ "POST", "/api/v1/me/totp/enable", h_totp_enable, R_AUTH | R_BODY | R_ENROL },
	{ "POST", "/api/v1/me/totp/setup", h_totp_setup, R_AUTH | R_BODY | R_ENROL },
	{ "GET", "/api/v1/me/views", h_views, R_AUTH },
	{ "POST", "/api/v1/me/views", h_view_create, R_AUTH | R_BODY },
	{ "POST", "/api/v1/me/views/{}/delete", h_view_delete, R_AUTH | R_BODY },
	{ "POST", "/api/v1/petitioners/lookup", h_petitioner_lookup, R_AUTH | R_BODY },
	{ "GET", "/api/v1/policies", h_policies, R_AUTH },
	{ "POST", "/api/v1/policies/{}", h_policy_set, R_AUTH | R_BODY },
	{ "GET", "/api/v1/stats/hot", h_hot, R_AUTH },
	{ "GET", "/api/v1/stats/overview", h_overview, R_AUTH },
	{ "GET", "/api/v1/stats/timeliness", h_timeliness, R_AUTH },
	{ "GET", "/api/v1/supervision/notices", h_notices, R_AUTH },
	{ "GET", "/api/v1/todo", h_todo, R_AUTH },
	{ "GET", "/api/v1/todo/export", h_todo_export, R_AUTH },
	{ "GET", "/api/v1/units", h_units, R_AUTH },
	{ "GET", "/api/v1/users", h_users, R_AUTH },
	{ "POST", "/api/v1/users", h_user_create, R_AUTH | R_BODY },
	{ "POST", "/api/v1/users/{}/disabled", h_user_disabled, R_AUTH | R_BODY },
	{ "POST", "/api/v1/users/{}/password", h_user_password, R_AUTH | R_BODY },
	{ "POST", "/api/v1/users/{}/roles", h_user_roles, R_AUTH | R_BODY },
	{ "POST", "/api/v1/users/{}/totp/reset", h_user_totp_reset, R_AUTH | R_BODY },
	{ "POST", "/api/v1/units/{}/policy", h_unit_policy, R_AUTH | R_BODY },
	{ "GET", "/healthz", h_health, 0 },
};

/* Match url against pattern; captures up to two "{}" segments. */
static int match(const char *pattern, const char *url, struct req *r)
{
	int np = 0;

	while (*pattern && *url) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			size_t n = strcspn(url, "/");

			if (n == 0 || n >= sizeof r->param_buf[0] || np >= 2)
				return 0;
			memcpy(r->param_buf[np], url, n);
			r->param_buf[np][n] = '\0';
			r->params[np] = r->param_buf[np];
			np++;
			url += n;
			pattern += 2;
		} else if (*pattern++ != *url++) {
			return 0;
		}
	}
	return *pattern == '\0' && *url == '\0';
}

/* ---- responses ------------------------------------------------------------ */

/* The headers every answer carries, the front end's files (send_ui) too. */
static void safe_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

/* Queue resp (and let go of it) with the headers every API answer carries. */
static enum MHD_Result send_response(struct req *r, int status, const char *type,
				     struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", type);
	safe_headers(resp);
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->retry_after[0])
		MHD_add_response_header(resp, "Retry-After", r->retry_after);
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_text(struct req *r, int status, const char *type, const char *text,
				 size_t len)
{
	return send_response(r, status, type,
			     MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY));
}

/* One line per request; the path is the decoded one, so control characters
 * (a %0A in the URL) are shown escaped and cannot forge log lines. */
static void log_request(struct req *r, int status)
{
	struct timespec end;
	char url[512];
	size_t o = 0;
	const char *p;

	for (p = r->url; *p && o + 5 < sizeof url; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(url + o, sizeof url - o, "\\x%02x", c);
		else
			url[o++] = (char)c;
	}
	url[o] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &end);
	log_info("%.10s %s %d %.1fms", r->method, url, status,
		 (double)(end.tv_sec - r->start.tv_sec) * 1e3 + (double)(end.tv_nsec - r->start.tv_nsec) / 1e6);
}

/* A download: the bytes in r->bin (MHD frees them), labelled by meta
 * {"name","content_type"}, never shown in the browser (attachment, nosniff,
 * a sandboxing CSP on top of the usual one). */
static enum MHD_Result send_file(struct req *r, int status, json_t *meta)
{
	const char *name = json_string_value(json_object_get(meta, "name"));
	const char *type = json_string_value(json_object_get(meta, "content_type"));
	const char *ascii = json_string_value(json_object_get(meta, "ascii_name"));
	char disposition[2048], *utf;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (!name || sniff_disposition(name, disposition, sizeof disposition))
		snprintf(disposition, sizeof disposition, "attachment");
	/* a name of the server's own making (an export) may bring its ASCII fallback */
	else if (ascii && strspn(ascii, "abcdefghijklmnopqrstuvwxyz0123456789-_.") == strlen(ascii) &&
		 strlen(ascii) <= 64 && (utf = strstr(disposition, "; filename*=")) != NULL) {
		char head[96];
		int hl = snprintf(head, sizeof head, "attachment; filename=\"%s\"", ascii);
		size_t rl = strlen(utf);

		if (hl > 0 && (size_t)hl + rl < sizeof disposition) {
			memmove(disposition + hl, utf, rl + 1);
			memcpy(disposition, head, (size_t)hl);
		}
	}
	resp = MHD_create_response_from_buffer(r->bin_len, r->bin, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO; /* r->bin is freed when the request completes */
	r->bin = NULL;
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
	ret = send_response(r, status, type ? type : "application/octet-stream", resp);
	log_request(r, status);
	return ret;
}

static const char fallback_error[] =
	"{\"error\":{\"code\":\"server.error\",\"message\":\"服务器内部错误\"}}";

static enum MHD_Result send_json(struct req *r, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	enum MHD_Result ret;

	/* never leave a request without an answer */
	if (!text)
		ret = send_text(r, status = 500, "application/json; charset=utf-8", fallback_error,
				sizeof fallback_error - 1);
	else
		ret = send_text(r, status, "application/json; charset=utf-8", text, strlen(text));
	free(text);
	log_request(r, status);
	return ret;
}

static enum MHD_Result send_error(struct req *r, const struct xerr *e)
{
	json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", e->code ? e->code : "server.error",
			      "message", e->message);
	enum MHD_Result ret;

	if (e->field[0])
		json_object_set_new(json_object_get(j, "error"), "field", json_string(e->field));
	ret = send_json(r, e->status ? e->status : 500, j);
	json_decref(j);
	return ret;
}

static const char index_html[] =
	"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>信访事项办理系统</title>"
	"<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">"
	"<h1>信访事项办理系统</h1><p>服务运行正常。接口位于 <code>/api/v1/</code>，"
	"信访人查询接口位于 <code>/api/public/v1/</code>，说明见 docs/API.md。</p></body></html>";

/* The front end (serve --ui): a file of the UI directory, index.html for a
 * client-side route, 404 route.not_found for anything else (ui.c decides);
 * handed to MHD as a file descriptor (sendfile), never copied. */
static enum MHD_Result send_ui(struct req *r)
{
	const char *inm = header(r, "If-None-Match");
	struct MHD_Response *resp;
	struct ui_file f;
	struct xerr err;
	enum MHD_Result ret;
	int status = 200;

	xerr_clear(&err);
	if (strcmp(r->method, "GET") != 0) { /* HEAD is GET here */
		snprintf(r->allow, sizeof r->allow, "GET, HEAD");
		xerr_set(&err, 405, "route.method_not_allowed", NULL, "不支持的请求方法 %.10s", r->method);
		return send_error(r, &err);
	}
	if (r->nul_path || ui_open(opts->ui_dir, r->url, &f) != UI_OK) {
		xerr_set(&err, 404, "route.not_found", NULL, "页面或文件不存在");
		return send_error(r, &err);
	}
	if (inm && ui_etag_match(inm, f.etag)) {
		close(f.fd);
		status = 304;
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_fd64(f.size, f.fd); /* MHD closes f.fd */
		if (!resp)
			close(f.fd);
	}
	if (!resp)
		return MHD_NO;
	if (status == 200)
		MHD_add_response_header(resp, "Content-Type", f.type);
	safe_headers(resp);
	MHD_add_response_header(resp, "Content-Security-Policy", UI_CSP);
	MHD_add_response_header(resp, "Cache-Control", f.immutable ? UI_CACHE_IMMUTABLE : UI_CACHE_REVALIDATE);
	MHD_add_response_header(resp, "ETag", f.etag);
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	log_request(r, status);
	return ret;
}

/* ---- dispatch ------------------------------------------------------------- */

/* No Origin (not a browser, or a same-origin GET) passes; otherwise it must be
 * http(s)://<Host>. */
static int same_origin(struct req *r)
{
	const char *origin = header(r, "Origin"), *host = header(r, "Host"), *rest;

	if (!origin)
		return 1;
	if (!host)
		return 0;
	if (strncmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else
		return 0;
	return strcmp(rest, host) == 0;
}

/* ---- bodies ------------------------------------------------------------------ */

static atomic_size_t upload_bytes; /* held by upload bodies, all connections together */

static void too_large(struct req *r, struct xerr *err)
{
	if (r->upload)
		xerr_set(err, 413, "attachment.too_large", NULL, "附件不能超过%dMB", ATTACH_MAX_BYTES >> 20);
	else
		xerr_set(err, 413, "request.too_large", NULL, "请求体超过%d字节的上限", BODY_MAX);
}

/* When the headers arrive: an upload route gets its larger cap, and the
 * checks that can refuse it run now (all of them run again at the end), so
 * an upload that will be refused is read and dropped, never held. */
static void upload_begin(struct req *r)
{
	const struct route *rt = NULL;
	const char *cl = header(r, "Content-Length"), *name = NULL;
	size_t i;
	int rc;

	r->cap = BODY_MAX;
	for (i = 0; i < sizeof routes / sizeof routes[0] && !rt; i++)
		if ((routes[i].flags & R_UPLOAD) && strcmp(routes[i].method, r->method) == 0 &&
		    match(routes[i].pattern, r->url, r))
			rt = &routes[i];
	if (!rt)
		return;
	r->upload = 1;
	r->cap = ATTACH_MAX_BYTES;
	xerr_clear(&r->pre_err);
	rc = name_arg(r, &name, &r->pre_err);
	if (rc == 0 && (rt->flags & R_AUTH)) {
		const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
		const char *t = header(r, "X-CSRF-Token");
		struct actor a;
		char csrf[65];

		if (!same_origin(r))
			rc = xerr_set(&r->pre_err, 403, "auth.origin", "Origin", "请求来源与本站不一致，已拒绝");
		else if ((rc = svc_session(r->app, token, xtime_now(), &a, csrf, &r->pre_err)) == 0) {
			if (!t || strlen(t) != 64 || sodium_memcmp(t, csrf, 64) != 0)
				rc = xerr_set(&r->pre_err, 403, "auth.csrf", "X-CSRF-Token", "缺少或错误的 X-CSRF-Token 请求头");
			else
				rc = svc_attach_precheck(r->app, &a, r->params[0], NULL, name, &r->pre_err);
		}
	} else if (rc == 0) {
		rc = svc_attach_precheck(r->app, NULL, r->params[0], header(r, "X-Query-Code"), name, &r->pre_err);
	}
	if (rc)
		r->discard = 1;
	else if (cl && strtoull(cl, NULL, 10) > r->cap)
		r->too_big = 1;
}

static void body_release(struct req *r)
{
	if (r->reserved)
		atomic_fetch_sub(&upload_bytes, r->reserved);
	r->reserved = 0;
	free(r->body);
	r->body = NULL;
	r->len = r->alloc = 0;
}

/* Append a chunk (the caller checked the cap). 0; 1 when uploads already hold
 * UPLOAD_BUDGET (nothing is added); -1 out of memory. */
static int body_append(struct req *r, const char *data, size_t n)
{
	size_t need = r->len + n + 1;

	if (need > r->alloc) {
		size_t a = r->alloc ? r->alloc : 4096;
		char *nb;

		while (a < need)
			a *= 2;
		if (a > r->cap + 1)
			a = r->cap + 1;
		if (r->upload) {
			size_t grow = a - r->alloc;

			if (atomic_fetch_add(&upload_bytes, grow) + grow > UPLOAD_BUDGET) {
				atomic_fetch_sub(&upload_bytes, grow);
				return 1;
			}
			r->reserved += grow;
		}
		nb = realloc(r->body, a);
		if (!nb)
			return -1;
		r->body = nb;
		r->alloc = a;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return 0;
}

static enum MHD_Result dispatch_inner(struct req *r);

/* The client's address goes into the audit rows this request writes. */
static enum MHD_Result dispatch(struct req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "";
	enum MHD_Result ret;

	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, addr, sizeof addr);
	else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, addr, sizeof addr);
	guard_client(opts->proxies, addr, header(r, "X-Forwarded-For"), r->client);
	audit_set_client(r->client);
	ret = dispatch_inner(r);
	audit_set_client(NULL);
	return ret;
}

static enum MHD_Result dispatch_inner(struct req *r)
{
	const struct route *rt = NULL;
	int path_found = 0, status = 200, rc;
	json_t *body = NULL, *out = NULL;
	struct xerr err;
	size_t i;
	enum MHD_Result ret;

	xerr_clear(&err);
	/* the front end, when there is one: every path but /api/… and /healthz */
	if (opts->ui_dir && ui_is_path(r->url) && ui_dir_ready(opts->ui_dir))
		return send_ui(r);
	if (strcmp(r->url, "/") == 0 && strcmp(r->method, "GET") == 0)
		return send_text(r, 200, "text/html; charset=utf-8", index_html, sizeof index_html - 1);
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, r->url, r))
			continue;
		path_found = 1;
		if (strcmp(routes[i].method, r->method) == 0 && routes[i].fn) {
			rt = &routes[i];
			break;
		}
	}
	if (!rt) {
		if (path_found) {
			/* the methods this path takes, for the Allow header */
			for (i = 0; i < sizeof routes / sizeof routes[0]; i++)
				if (match(routes[i].pattern, r->url, r) && routes[i].fn &&
				    strlen(r->allow) + strlen(routes[i].method) + 3 < sizeof r->allow)
					snprintf(r->allow + strlen(r->allow), sizeof r->allow - strlen(r->allow),
						 "%s%s", r->allow[0] ? ", " : "", routes[i].method);
			xerr_set(&err, 405, "route.method_not_allowed", NULL, "不支持的请求方法 %.10s", r->method);
		} else
			xerr_set(&err, 404, "route.not_found", NULL, "接口不存在");
		return send_error(r, &err);
	}
	if (r->too_big) {
		too_large(r, &err);
		return send_error(r, &err);
	}
	if (r->busy) {
		snprintf(r->retry_after, sizeof r->retry_after, "%d", 10);
		return send_error(r, &r->pre_err);
	}
	/* logins and the public portal are rate-limited per client */
	if (rt->fn == h_login || strncmp(r->url, "/api/public/", 12) == 0) {
		struct timespec now;
		int wait;

		clock_gettime(CLOCK_MONOTONIC, &now);
		wait = rate_take(rt->fn == h_login ? RATE_LOGIN : RATE_PUBLIC, r->client,
				 (double)now.tv_sec + (double)now.tv_nsec / 1e9);
		if (wait) {
			snprintf(r->retry_after, sizeof r->retry_after, "%d", wait);
			xerr_set(&err, 429, "request.rate_limited", NULL, "请求过于频繁，请%d秒后再试", wait);
			return send_error(r, &err);
		}
	}
	/* a browser names the page a state change comes from: it must be this site */
	if (strcmp(r->method, "GET") != 0 && ((rt->flags & R_AUTH) || rt->fn == h_login) && !same_origin(r)) {
		xerr_set(&err, 403, "auth.origin", "Origin", "请求来源与本站不一致，已拒绝");
		return send_error(r, &err);
	}
	if (rt->flags & R_AUTH) {
		const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);

		if (svc_session(r->app, token, xtime_now(), &r->actor, r->csrf, &err))
			return send_error(r, &err);
		if (r->actor.enrol_only && !(rt->flags & R_ENROL)) {
			xerr_set(&err, 403, "auth.totp_enrolment_required", NULL,
				 "管理员须先启用动态验证码（双因素认证）才能使用系统");
			return send_error(r, &err);
		}
		/* state changes need the CSRF token the login returned */
		if (strcmp(r->method, "GET") != 0) {
			const char *t = header(r, "X-CSRF-Token");

			if (!t || strlen(t) != 64 || sodium_memcmp(t, r->csrf, 64) != 0) {
				xerr_set(&err, 403, "auth.csrf", "X-CSRF-Token", "缺少或错误的 X-CSRF-Token 请求头");
				return send_error(r, &err);
			}
		}
	}
	if (rt->flags & R_BODY) {
		const char *ct = header(r, "Content-Type");
		json_error_t jerr;

		if (r->len == 0) {
			body = json_object();
		} else {
			if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
				xerr_set(&err, 415, "request.unsupported_media_type", "Content-Type",
					 "请求体须为 application/json");
				return send_error(r, &err);
			}
			body = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
			if (!body) {
				xerr_set(&err, 400, "request.bad_json", NULL, "请求体不是合法的 JSON（第%d行第%d列）",
					 jerr.line, jerr.column);
				return send_error(r, &err);
			}
			if (!json_is_object(body)) {
				json_decref(body);
				xerr_set(&err, 400, "validation.type", "body", "请求体必须是 JSON 对象");
				return send_error(r, &err);
			}
		}
	}
	rc = rt->fn(r, body, &status, &out, &err);
	json_decref(body);
	/* a staff member refused for their role or unit is recorded (ASVS 7.1.3, 等保 8.1.4.3) */
	if (rc && err.status == 403 && (rt->flags & R_AUTH)) {
		char what[96];

		snprintf(what, sizeof what, "%.10s %.80s", r->method, r->url);
		/* the path is raw bytes after %-decoding and may be cut mid-character: an
		 * audit row that is not UTF-8 made GET /api/v1/audit answer 503 */
		utf8_clean(what);
		audit_add(r->app, r->actor.user.username, r->actor.unit.id, "access.denied", what, "refused",
			  err.code, xtime_now());
	}
	if (rc || !out) {
		if (!rc)
			xerr_internal(&err, "handler returned nothing");
		json_decref(out);
		return send_error(r, &err);
	}
	ret = r->bin ? send_file(r, status, out) : send_json(r, status, out);
	json_decref(out);
	return ret;
}

/* The URI as it came, before MHD decodes it: a %00 in the path cuts the
 * decoded path short (/index.html%00.js would read as /index.html), so it
 * is noted here for the front end to refuse. What this returns is the first
 * *con_cls: &nul_mark (a marker, nothing allocated) or NULL. */
static char nul_mark;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	const char *q = strchr(uri, '?'), *z = strstr(uri, "%00");

	(void)cls, (void)conn;
	return z && (!q || z < q) ? &nul_mark : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct req *r = *con_cls;
	int nul_path = r == (void *)&nul_mark;

	(void)version;
	if (!r || nul_path) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->nul_path = nul_path;
		r->conn = conn;
		r->app = cls;
		/* HEAD is GET without the body (MHD leaves the body out): RFC 9110 9.3.2 */
		r->method = strcmp(method, "HEAD") == 0 ? "GET" : method;
		r->url = url;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		*con_cls = r;
		upload_begin(r);
		/* a client waiting for "100 Continue" need not send a file that is too big */
		if (r->too_big && header(r, "Expect") && strcasecmp(header(r, "Expect"), "100-continue") == 0) {
			struct xerr err;

			r->answered = 1;
			too_large(r, &err);
			return send_error(r, &err);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (r->too_big || r->discard) {
			/* a body over the cap (or one refused at the headers) is read and dropped
			 * so the client can read the answer; past DISCARD_MAX (beyond an upload's
			 * cap: it was not even held), answer at once and let MHD close the
			 * connection */
			r->discarded += *upload_data_size;
			if (r->discarded > DISCARD_MAX + (r->upload ? r->cap : 0) && !r->answered) {
				struct xerr err;

				*upload_data_size = 0;
				r->answered = 1;
				if (r->discard)
					return send_error(r, &r->pre_err);
				too_large(r, &err);
				return send_error(r, &err);
			}
		} else {
			if (r->len + *upload_data_size > r->cap) {
				r->too_big = 1;
				body_release(r);
			} else {
				int rc = body_append(r, upload_data, *upload_data_size);

				if (rc < 0)
					return MHD_NO;
				if (rc > 0) {
					body_release(r);
					r->busy = r->discard = 1;
					xerr_set(&r->pre_err, 503, "server.busy", NULL, "服务器正忙，请稍后再上传");
				}
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return r->answered ? MHD_YES : dispatch(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	(void)cls, (void)conn, (void)toe;
	if (r && r != (void *)&nul_mark) {
		body_release(r);
		free(r->bin);
		free(r);
		*con_cls = NULL;
	}
}

struct server {
	struct MHD_Daemon *d;
};

struct server *server_start(struct app *app, const struct server_opts *o)
{
	struct sockaddr_in addr;
	struct server *s;

	opts = o;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->listen, &addr.sin_addr) != 1) {
		log_error("bad listen address %s", o->listen);
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
				(uint16_t)o->port, NULL, NULL, on_request, app, MHD_OPTION_SOCK_ADDR, &addr,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 2),
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)1000, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_END);
	if (!s->d) {
		log_error("cannot listen on %s:%d (in use?)", o->listen, o->port);
		free(s);
		return NULL;
	}
	return s;
}

int server_port(const struct server *s)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);

	return info ? info->port : -1;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}

int server_run(struct app *app, const struct server_opts *o)
{
	struct server *s;
	sigset_t set;
	int sig;

	/* handle SIGINT/SIGTERM here, in sigwait, not in MHD's threads */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	s = server_start(app, o);
	if (!s)
		return -1;
	log_info("listening on http://%s:%d", o->listen, server_port(s));
	if (o->ui_dir && !ui_dir_ready(o->ui_dir))
		log_warn("UI directory %s is missing: answering the API only (the front end is served once it exists)",
			 o->ui_dir);
	else if (o->ui_dir)
		log_info("serving the front end from %s", o->ui_dir);
	sigwait(&set, &sig);
	log_info("signal %d: stopping", sig);
	server_stop(s);
	return 0;
}
