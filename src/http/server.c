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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/xtime.h"
#include "domain/flow.h"
#include "service/audit.h"

#define BODY_MAX (1 << 20)     /* 1 MiB */
#define DISCARD_MAX (8 << 20)  /* read at most this much of an oversize body */
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
};

typedef int (*handler_fn)(struct req *r, json_t *body, int *status, json_t **out,
			  struct xerr *err);

enum { R_AUTH = 1, R_BODY = 2 };

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
	char token[64];

	(void)status;
	if (!u || !p)
		return xerr_set(err, 400, "validation.required", !u ? "username" : "password",
				"请输入用户名和密码");
	if (svc_login(r->app, u, p, xtime_now(), token, out, err))
		return -1;
	snprintf(r->set_cookie, sizeof r->set_cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
		 token, opts->secure_cookie ? "; Secure" : "");
	return 0;
}

static int h_logout(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status, (void)err;
	svc_logout(r->app, MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE));
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

static int h_codes(struct req *r, json_t *body, int *status, json_t **out, struct xerr *err)
{
	(void)body, (void)status, (void)err;
	*out = svc_codes(r->app);
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
		*to = now;
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

/* Sorted by path, then method; one line per route. */
static const struct route routes[] = {
	{ "POST", "/api/public/v1/cases/{}/actions/{}", h_public_act, R_BODY },
	{ "POST", "/api/public/v1/cases", h_public_submit, R_BODY },
	{ "POST", "/api/public/v1/query", h_public_query, R_BODY },
	{ "GET", "/api/v1/audit", h_audit, R_AUTH },
	{ "GET", "/api/v1/calendar", h_calendar, R_AUTH },
	{ "GET", "/api/v1/calendar/due", h_due, R_AUTH },
	{ "POST", "/api/v1/calendar/import", h_calendar_import, R_AUTH | R_BODY },
	{ "GET", "/api/v1/calendar/workday", h_workday, R_AUTH },
	{ "GET", "/api/v1/cases", h_cases, R_AUTH },
	{ "POST", "/api/v1/cases", h_register, R_AUTH | R_BODY },
	{ "GET", "/api/v1/cases/{}", h_case, R_AUTH },
	{ "POST", "/api/v1/cases/{}/actions/{}", h_act, R_AUTH | R_BODY },
	{ "GET", "/api/v1/cases/{}/events", h_events, R_AUTH },
	{ "GET", "/api/v1/codes", h_codes, R_AUTH },
	{ "GET", "/api/v1/escalations", h_escalations, R_AUTH },
	{ "POST", "/api/v1/login", h_login, R_BODY },
	{ "POST", "/api/v1/logout", h_logout, R_AUTH },
	{ "GET", "/api/v1/me", h_me, R_AUTH },
	{ "GET", "/api/v1/policies", h_policies, R_AUTH },
	{ "POST", "/api/v1/policies/{}", h_policy_set, R_AUTH | R_BODY },
	{ "GET", "/api/v1/stats/timeliness", h_timeliness, R_AUTH },
	{ "GET", "/api/v1/supervision/notices", h_notices, R_AUTH },
	{ "GET", "/api/v1/todo", h_todo, R_AUTH },
	{ "GET", "/api/v1/units", h_units, R_AUTH },
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

static enum MHD_Result send_text(struct req *r, int status, const char *type, const char *text,
				 size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static const char fallback_error[] =
	"{\"error\":{\"code\":\"server.error\",\"message\":\"服务器内部错误\"}}";

static enum MHD_Result send_json(struct req *r, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	enum MHD_Result ret;
	struct timespec end;

	/* never leave a request without an answer */
	if (!text)
		ret = send_text(r, status = 500, "application/json; charset=utf-8", fallback_error,
				sizeof fallback_error - 1);
	else
		ret = send_text(r, status, "application/json; charset=utf-8", text, strlen(text));
	free(text);
	clock_gettime(CLOCK_MONOTONIC, &end);
	log_info("%s %s %d %.1fms", r->method, r->url, status,
		 (double)(end.tv_sec - r->start.tv_sec) * 1e3 + (double)(end.tv_nsec - r->start.tv_nsec) / 1e6);
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
	audit_set_client(addr);
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
		xerr_set(&err, 413, "request.too_large", NULL, "请求体超过%d字节的上限", BODY_MAX);
		return send_error(r, &err);
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
	if (rc || !out) {
		if (!rc)
			xerr_internal(&err, "handler returned nothing");
		json_decref(out);
		return send_error(r, &err);
	}
	ret = send_json(r, status, out);
	json_decref(out);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct req *r = *con_cls;

	(void)version;
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->conn = conn;
		r->app = cls;
		r->method = method;
		r->url = url;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (r->too_big) {
			/* a body over the cap is read and dropped so the client can read the 413;
			 * past DISCARD_MAX, answer at once and let MHD close the connection */
			r->discarded += *upload_data_size;
			if (r->discarded > DISCARD_MAX && !r->answered) {
				struct xerr err;

				*upload_data_size = 0;
				r->answered = 1;
				xerr_set(&err, 413, "request.too_large", NULL, "请求体超过%d字节的上限", BODY_MAX);
				return send_error(r, &err);
			}
		} else {
			if (r->len + *upload_data_size > BODY_MAX) {
				r->too_big = 1;
				free(r->body);
				r->body = NULL;
				r->len = 0;
			} else {
				char *nb = realloc(r->body, r->len + *upload_data_size + 1);

				if (!nb)
					return MHD_NO;
				memcpy(nb + r->len, upload_data, *upload_data_size);
				r->body = nb;
				r->len += *upload_data_size;
				r->body[r->len] = '\0';
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
	if (r) {
		free(r->body);
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
				MHD_OPTION_END);
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
	sigwait(&set, &sig);
	log_info("signal %d: stopping", sig);
	server_stop(s);
	return 0;
}
