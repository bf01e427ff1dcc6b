/*
 * fuzz_http.c - libFuzzer harness for the HTTP front (src/http/server.c) and
 * everything behind it: path matching, query arguments, the headers the
 * server reads, and the JSON body of every POST.
 *
 * LLVMFuzzerInitialize builds a world once: a temporary database (in
 * /dev/shm when there is one: SQLite's fsyncs cost nothing there) with the
 * demo organisation, its users and 24 demo cases (demo_run, as `xinfang
 * demo` does), the server from server_start() on 127.0.0.1 and a free port,
 * a session per staff user of sessions[] below, and ten cases of its own
 * driven into known states through the API (their numbers and query codes
 * are the @Cn@ and @Qn@ tokens). Rate limits are off and 127.0.0.1 is a
 * trusted proxy. That database is then copied; every RESET_EVERY inputs, and
 * after an input that ended one of the saved sessions (a role change, a
 * disabled user), the server is stopped and the copy put back, so the known
 * cases stay in their states and the database does not grow without bound.
 *
 * One input is one request, in a line-oriented format (the seeds in
 * tests/fuzz/seeds/fuzz_http/, written by mkseeds.mjs, are readable examples):
 *
 *   line 0   byte 0: route template, templates[byte & 63] (past the end of the
 *            table: byte % N_TEMPLATES); byte 1: session, byte & 15: 0 none,
 *            1..12 sessions[], 13 a forged cookie, 14 and 15 none; the rest of
 *            the line is ignored (seeds put a comment there)
 *   line 1   the first "{}" of the template (a path segment)
 *   line 2   the second "{}"
 *   line 3   query string (without '?'), empty: none
 *   line 4   method, empty: the template's
 *   line 5   Content-Type        ) each header is sent when its line is not
 *   line 6   If-Match            ) empty
 *   line 7   Idempotency-Key     )
 *   line 8   Origin              )
 *   line 9   Cookie: appended to the session cookie after "; "
 *   line 10  X-CSRF-Token
 *   line 11  X-Forwarded-For (the server trusts 127.0.0.1 as a proxy, so it is read)
 *   line 12  X-Query-Code
 *   line 13  Expect
 *   rest     the body (sent with Content-Length)
 *
 * Tokens replaced in every field: @C0@..@C9@ the harness's cases, @Q0@..@Q9@
 * their query codes, @D0@..@D9@ demo cases, @A0@ an attachment of C0 (staff
 * upload), @A1@ one of C8 (the petitioner's), @CSRF@ the CSRF token of the
 * session used, @HOST@ the server's host:port, @V@ the current version of the
 * case named on line 1 (looked up in process before the request).
 *
 * A finding (abort with the request and the answer on stderr): a crash or
 * sanitizer report, no answer or one that is not HTTP, a 5xx status, a body
 * that is not a JSON object where the server promises JSON (Content-Type
 * application/json, and every /api/ answer except the few a malformed
 * request gets from libmicrohttpd itself), an error without a code and a
 * message, or an answer with a secret column as a key (pwhash, token_hash,
 * query_hash, totp_secret), or a front-end answer (the server runs with a
 * small UI directory, make_ui) holding a file it must never serve: one
 * outside the directory, reached through a link or a dot segment, or a
 * dot-file (they hold OUTSIDE_MARK), or /etc/passwd.
 *
 * FUZZ_HTTP_VERBOSE=1 prints each request's method, path, status and the
 * start of the answer (to see how deep a seed gets); FUZZ_HTTP_STATS=1 the
 * number and mean time of the requests of each template at exit.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/log.h"
#include "base/totp.h"
#include "base/xtime.h"
#include "cli/demo.h"
#include "http/guard.h"
#include "http/server.h"
#include "service/svc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RESET_EVERY 1000
#define DEMO_CASES 24
#define IO_TIMEOUT 20 /* seconds without progress: the server hangs */
#define RESP_MAX (64 << 20)

/* ---- route templates -------------------------------------------------------
 * Every route of server.c's routes[] plus unknown paths (mkseeds.mjs warns
 * about a route without one). Append only, at most 64: the index is part of
 * the saved corpus. */
struct tmpl {
	const char *method, *path;
};

static const struct tmpl templates[] = {
	{ "GET", "/" },
	{ "GET", "/healthz" },
	{ "POST", "/api/public/v1/cases" },
	{ "POST", "/api/public/v1/query" },
	{ "POST", "/api/public/v1/cases/{}/actions/{}" },
	{ "POST", "/api/v1/login" },
	{ "POST", "/api/v1/logout" },
	{ "GET", "/api/v1/me" },
	{ "GET", "/api/v1/codes" },
	{ "GET", "/api/v1/units" },
	{ "GET", "/api/v1/cases" },
	{ "POST", "/api/v1/cases" },
	{ "GET", "/api/v1/cases/{}" },
	{ "GET", "/api/v1/cases/{}/events" },
	{ "POST", "/api/v1/cases/{}/actions/{}" },
	{ "GET", "/api/v1/todo" },
	{ "GET", "/api/v1/calendar" },
	{ "GET", "/api/v1/calendar/due" },
	{ "GET", "/api/v1/calendar/workday" },
	{ "POST", "/api/v1/calendar/import" },
	{ "GET", "/api/v1/policies" },
	{ "POST", "/api/v1/policies/{}" },
	{ "POST", "/api/v1/units/{}/policy" },
	{ "GET", "/api/v1/stats/timeliness" },
	{ "GET", "/api/v1/supervision/notices" },
	{ "GET", "/api/v1/escalations" },
	{ "GET", "/api/v1/audit" },
	{ "GET", "/api/v1/{}/{}" },
	{ "GET", "/api/public/v1/{}/{}" },
	{ "GET", "/{}/{}" },
	{ "GET", "{}{}" },
	{ "GET", "/api/v1/cases/{}/{}" },
	{ "POST", "/api/v1/cases/{}/petitioners/{}/unmask" },
	{ "POST", "/api/v1/petitioners/lookup" },
	{ "POST", "/api/v1/me/totp/setup" },
	{ "POST", "/api/v1/me/totp/enable" },
	{ "POST", "/api/v1/me/totp/disable" },
	{ "GET", "/api/v1/users" },
	{ "POST", "/api/v1/users" },
	{ "POST", "/api/v1/users/{}/disabled" },
	{ "POST", "/api/v1/users/{}/roles" },
	{ "POST", "/api/v1/users/{}/totp/reset" },
	{ "GET", "/api/public/v1/cases/{}/attachments" },
	{ "POST", "/api/public/v1/cases/{}/attachments" },
	{ "GET", "/api/public/v1/cases/{}/attachments/{}" },
	{ "GET", "/api/v1/cases/{}/attachments" },
	{ "POST", "/api/v1/cases/{}/attachments" },
	{ "GET", "/api/v1/cases/{}/attachments/{}" },
	{ "GET", "/api/v1/audit/retention" },
	{ "POST", "/api/v1/audit/retention" },
	{ "POST", "/api/v1/me/password" },
	{ "POST", "/api/v1/users/{}/password" },
	{ "POST", "/api/v1/cases/similar" },
	{ "GET", "/api/v1/cases/{}/similar" },
	{ "GET", "/api/v1/stats/hot" },
	{ "GET", "/api/public/v1/codes" },
	{ "GET", "/api/v1/stats/overview" },
	{ "GET", "/api/v1/cases/export" },
	{ "GET", "/api/v1/todo/export" },
	{ "GET", "/api/v1/me/views" },
	{ "POST", "/api/v1/me/views" },
	{ "POST", "/api/v1/me/views/{}/delete" },
	{ "GET", "/api/public/v1/units" },
};
#define N_TEMPLATES (sizeof templates / sizeof templates[0])
_Static_assert(N_TEMPLATES <= 64, "the route byte selects one of 64 templates");

/* ---- sessions ----------------------------------------------------------------
 * 1..12 by role; 11 is the one a logout may end (any request whose path
 * mentions logout uses it); the next reset brings it back. Append only. */
#define N_SESS 12
_Static_assert(N_SESS + 2 <= 16, "the session byte selects one of 16");
static const char *const sessions[N_SESS + 1] = {
	NULL,
	"dl-xfj.registrar",
	"dl-xfj.dispatcher",
	"dl-cgj.handler",
	"dl-cgj.unit_head",
	"hrb-xfj.reviewer",
	"hlj-xfj.sysadmin",
	"hlj-xfj.auditor",
	"hlj-xfj.supervisor",
	"hlj-xfj.dispatcher", /* sees every case: the harness reads versions with it */
	"hlj-xfj.secadmin",
	"lj-nyj.handler",
	"hrb-xfj.pii_reader",
};
#define READER 9
#define SACRIFICE 11
#define FORGED (N_SESS + 1)

struct sess {
	char token[64 + 1]; /* "" when not logged in */
	char csrf[64 + 1];
};

static const char forged_token[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/* ---- the world ------------------------------------------------------------------ */

static struct world {
	char dir[256], db[300], pristine[300];
	struct app *app;
	struct server *srv;
	struct server_opts opts;
	int port;
	char host[32];
	struct sess sess[N_SESS + 1], sess_saved[N_SESS + 1];
	char cases[10][32], codes[10][16], demo[10][32], attach[2][80];
	char saved_files[8][256]; /* attachment files of the saved world */
	size_t n_saved_files;
	unsigned long runs;
	int ready;
	int verbose; /* FUZZ_HTTP_VERBOSE=1: one line per request on stderr */
	int dirty;   /* a saved session stopped working: reset before the next input */
	int stats;   /* FUZZ_HTTP_STATS=1: time per route template, printed at exit */
	double t_tmpl[64], t_reset;
	unsigned long n_tmpl[64], n_reset;
} W;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_http: %s\n", what);
	abort();
}

static void die_errno(const char *what)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, strerror(errno));
	abort();
}

/* ---- a tiny HTTP client -------------------------------------------------------- */

struct buf {
	char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			die("out of memory");
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

struct resp {
	int status;
	int complete;        /* the whole answer (by Content-Length) arrived */
	const char *headers; /* into raw, after the status line */
	size_t headers_len;
	const char *body;
	size_t body_len;
	char ctype[128];
	int has_clen;
	struct buf raw;
};

/* The value of header `name` in the header block, copied into out. */
static int resp_header(const struct resp *r, const char *name, char *out, size_t n)
{
	const char *p = r->headers, *end = r->headers + r->headers_len;
	size_t nl = strlen(name);

	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			size_t len;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			len = (size_t)(eol - v);
			if (len >= n)
				len = n - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 1;
		}
		p = eol + 2;
	}
	return 0;
}

/* Close once the server has (Connection: close), so that TIME_WAIT stays on
 * its side: thousands of connections a second in TIME_WAIT on ours would use
 * up the ephemeral ports within a minute. A server that keeps the connection
 * gets a reset after a second. */
static void close_after_server(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[4096];

	while (poll(&p, 1, 1000) == 1) {
		ssize_t k = recv(fd, b, sizeof b, 0);

		if (k <= 0 && !(k < 0 && errno == EINTR)) {
			close(fd);
			return;
		}
	}
	{
		struct linger l = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
	close(fd);
}

/* Send req, read the answer into *r. -1: could not connect or send. */
static int http_exchange(const char *req, size_t len, int head, struct resp *r)
{
	struct sockaddr_in sa;
	struct timeval tv = { .tv_sec = IO_TIMEOUT };
	int fd, one = 1;
	size_t off = 0, hdr_end = 0, want = 0;

	memset(r, 0, sizeof *r);
	r->status = -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)W.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	while (off < len) {
		ssize_t k = send(fd, req + off, len - off, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break; /* the server may answer before reading it all */
		off += (size_t)k;
	}
	for (;;) {
		char chunk[16384];
		ssize_t k = recv(fd, chunk, sizeof chunk, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			close(fd);
			buf_str(&r->raw, "");
			r->status = -2; /* timed out */
			return 0;
		}
		if (k <= 0)
			break;
		buf_add(&r->raw, chunk, (size_t)k);
		if (r->raw.n > RESP_MAX)
			break;
		if (!hdr_end) {
			char *e = memmem(r->raw.p, r->raw.n, "\r\n\r\n", 4);

			/* an interim "100 Continue" (Expect): drop it, the answer follows */
			while (e && r->raw.n >= 12 && memcmp(r->raw.p, "HTTP/1.1 100", 12) == 0) {
				size_t skip = (size_t)(e - r->raw.p) + 4;

				memmove(r->raw.p, r->raw.p + skip, r->raw.n - skip);
				r->raw.n -= skip;
				r->raw.p[r->raw.n] = '\0';
				e = memmem(r->raw.p, r->raw.n, "\r\n\r\n", 4);
			}
			if (e) {
				char cl[32];

				hdr_end = (size_t)(e - r->raw.p) + 4;
				r->headers = r->raw.p;
				r->headers_len = hdr_end - 2;
				if (head) {
					want = hdr_end;
				} else if (resp_header(r, "Content-Length", cl, sizeof cl)) {
					r->has_clen = 1;
					want = hdr_end + strtoull(cl, NULL, 10);
				}
			}
		}
		if (want && r->raw.n >= want)
			break;
	}
	close_after_server(fd);
	if (!r->raw.p)
		buf_str(&r->raw, "");
	if (!hdr_end)
		return 0;
	/* pointers again: raw.p may have moved since */
	{
		const char *line_end = memmem(r->raw.p, hdr_end, "\r\n", 2);

		if (strncmp(r->raw.p, "HTTP/1.", 7) != 0 || !line_end || line_end - r->raw.p < 12 ||
		    r->raw.p[8] != ' ')
			return 0;
		r->status = atoi(r->raw.p + 9);
		r->headers = line_end + 2;
		r->headers_len = (size_t)(r->raw.p + hdr_end - 2 - r->headers);
		r->body = r->raw.p + hdr_end;
		r->body_len = r->raw.n - hdr_end;
		r->complete = !want || r->raw.n >= want;
		if (want && r->raw.n > want)
			r->body_len = want - hdr_end;
		if (!resp_header(r, "Content-Type", r->ctype, sizeof r->ctype))
			r->ctype[0] = '\0';
	}
	return 0;
}

static void resp_free(struct resp *r)
{
	free(r->raw.p);
	memset(r, 0, sizeof *r);
}

/* A request the harness itself makes (setup). extra: more header lines, or NULL. */
static int api_full(int s, const char *method, const char *path, long if_match, const char *ctype,
		    const char *extra, const char *body, json_t **out)
{
	struct buf q = { 0 };
	struct resp r;
	char line[512];
	int status;

	snprintf(line, sizeof line, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, path,
		 W.host);
	buf_str(&q, line);
	if (s && W.sess[s].token[0]) {
		snprintf(line, sizeof line, "Cookie: xf_session=%s\r\nX-CSRF-Token: %s\r\n", W.sess[s].token,
			 W.sess[s].csrf);
		buf_str(&q, line);
	}
	if (if_match >= 0) {
		snprintf(line, sizeof line, "If-Match: %ld\r\n", if_match);
		buf_str(&q, line);
	}
	if (extra)
		buf_str(&q, extra);
	if (body) {
		snprintf(line, sizeof line, "Content-Type: %s\r\nContent-Length: %zu\r\n", ctype,
			 strlen(body));
		buf_str(&q, line);
	}
	buf_str(&q, "\r\n");
	if (body)
		buf_str(&q, body);
	if (http_exchange(q.p, q.n, 0, &r) != 0)
		die_errno("cannot reach the server");
	free(q.p);
	status = r.status;
	if (out)
		*out = r.body ? json_loadb(r.body, r.body_len, 0, NULL) : NULL;
	if (status == 200 && strcmp(path, "/api/v1/login") == 0 && s) {
		char sc[512], *t, *e;

		if (resp_header(&r, "Set-Cookie", sc, sizeof sc) && (t = strstr(sc, "xf_session=")) != NULL) {
			t += strlen("xf_session=");
			e = strchr(t, ';');
			if (e)
				*e = '\0';
			snprintf(W.sess[s].token, sizeof W.sess[s].token, "%s", t);
		}
	}
	resp_free(&r);
	return status;
}

static int api(int s, const char *method, const char *path, long if_match, const char *body,
	       json_t **out)
{
	return api_full(s, method, path, if_match, "application/json", NULL, body, out);
}

static int is_admin(int s)
{
	return strstr(sessions[s], ".sysadmin") || strstr(sessions[s], ".secadmin") ||
	       strstr(sessions[s], ".auditor");
}

/* The current TOTP code of a base32 secret into code[7]. */
static int totp_now(const char *secret, char code[7])
{
	unsigned char key[64];
	int n = base32_decode(secret, key, sizeof key);

	return n > 0 ? totp_code(key, (size_t)n, (uint64_t)(time(NULL) / TOTP_STEP), code) : -1;
}

/* An administrator's session that may only enrol a second factor: enrol one. */
static void enrol_totp(int s)
{
	json_t *out = NULL;
	char code[7], body[64];

	if (api(s, "POST", "/api/v1/me/totp/setup", -1, "{}", &out) == 200 &&
	    json_string_value(json_object_get(out, "secret")) &&
	    totp_now(json_string_value(json_object_get(out, "secret")), code) == 0) {
		snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
		if (api(s, "POST", "/api/v1/me/totp/enable", -1, body, NULL) != 200)
			fprintf(stderr, "fuzz_http: setup: %s could not enable TOTP\n", sessions[s]);
	}
	json_decref(out);
}

static int login(int s)
{
	char body[256], totp[32] = "";
	json_t *out = NULL;
	int status;

	W.sess[s].token[0] = W.sess[s].csrf[0] = '\0';
#ifdef DEMO_TOTP_SECRET
	{
		char code[7];

		/* the demo's administrators have a second factor */
		if (is_admin(s) && totp_now(DEMO_TOTP_SECRET, code) == 0)
			snprintf(totp, sizeof totp, ",\"totp\":\"%s\"", code);
	}
#endif
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"%s}", sessions[s], DEMO_PASSWORD,
		 totp);
	status = api(s, "POST", "/api/v1/login", -1, body, &out);
	if (status == 200 && json_string_value(json_object_get(out, "csrf_token")))
		snprintf(W.sess[s].csrf, sizeof W.sess[s].csrf, "%s",
			 json_string_value(json_object_get(out, "csrf_token")));
	else
		W.sess[s].token[0] = '\0';
	if (W.sess[s].token[0] && json_is_true(json_object_get(out, "totp_enrolment_required")))
		enrol_totp(s);
	json_decref(out);
	return W.sess[s].token[0] ? 0 : -1;
}

/* ---- setting the world up ------------------------------------------------------ */

static void start_server(void)
{
	W.app->session_idle = W.app->session_max = 1 << 30; /* the saved sessions never expire */
	W.srv = server_start(W.app, &W.opts);
	if (!W.srv)
		die("server_start failed");
	W.port = server_port(W.srv);
	snprintf(W.host, sizeof W.host, "127.0.0.1:%d", W.port);
}

static void stop_server(void)
{
	server_stop(W.srv);
	W.srv = NULL;
	app_close(W.app);
	W.app = NULL;
}

static void open_app(void)
{
	struct xerr err;

	W.app = app_open(W.db, &err);
	if (!W.app) {
		fprintf(stderr, "fuzz_http: app_open: %s\n", err.message);
		abort();
	}
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char b[65536];
	size_t n;

	if (!in || !out)
		die("cannot copy the database");
	while ((n = fread(b, 1, sizeof b, in)) > 0)
		if (fwrite(b, 1, n, out) != n)
			die("cannot copy the database");
	fclose(in);
	if (fclose(out) != 0)
		die("cannot copy the database");
}

static void remove_db_files(const char *db)
{
	char p[320];

	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-journal", db);
	unlink(p);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* The attachments' directory beside the database (service/attach.c). */
static void remove_files_dir(void)
{
	char p[320];

	snprintf(p, sizeof p, "%s.files", W.db);
	nftw(p, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Remember the attachment files of the saved world (keep: 0), or remove every
 * other one (keep: 1), so uploads do not pile up in /dev/shm. */
static void files_snapshot(int keep)
{
	char dir[320], p[700];
	DIR *d;
	struct dirent *e;
	size_t i;

	snprintf(dir, sizeof dir, "%s.files", W.db);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		int saved = 0;

		if (e->d_name[0] == '.')
			continue;
		for (i = 0; i < W.n_saved_files; i++)
			saved |= strcmp(W.saved_files[i], e->d_name) == 0;
		if (!keep && !saved && W.n_saved_files < sizeof W.saved_files / sizeof W.saved_files[0])
			snprintf(W.saved_files[W.n_saved_files++], sizeof W.saved_files[0], "%s", e->d_name);
		else if (keep && !saved) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	closedir(d);
}

/* Put the saved database back. */
static void reset_world(void)
{
	stop_server();
	files_snapshot(1);
	remove_db_files(W.db);
	copy_file(W.pristine, W.db);
	open_app();
	start_server();
	memcpy(W.sess, W.sess_saved, sizeof W.sess);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void cleanup(void)
{
	char p[320];
	size_t i;

	if (!W.ready)
		return;
	if (W.stats) {
		for (i = 0; i < N_TEMPLATES; i++)
			if (W.n_tmpl[i])
				fprintf(stderr, "fuzz_http: %-6lu %8.3f ms  %s %s\n", W.n_tmpl[i],
					W.t_tmpl[i] / (double)W.n_tmpl[i], templates[i].method, templates[i].path);
		fprintf(stderr, "fuzz_http: %lu resets, %.1f ms each\n", W.n_reset,
			W.n_reset ? W.t_reset / (double)W.n_reset : 0.0);
	}
	W.ready = 0;
	if (W.srv)
		stop_server();
	remove_files_dir();
	remove_db_files(W.db);
	remove_db_files(W.pristine);
	snprintf(p, sizeof p, "%s.key", W.db);
	unlink(p);
	snprintf(p, sizeof p, "%s/ui", W.dir); /* make_ui */
	nftw(p, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	snprintf(p, sizeof p, "%s/outside.txt", W.dir);
	unlink(p);
	rmdir(W.dir);
	proxy_list_free((struct proxy_list *)W.opts.proxies);
	W.opts.proxies = NULL;
}

/* POST an action as session s; the new version, or die. */
static long act(int s, int c, long version, const char *action, const char *body)
{
	char path[128];
	json_t *out = NULL;
	int status;
	long v;

	snprintf(path, sizeof path, "/api/v1/cases/%s/actions/%s", W.cases[c], action);
	status = api(s, "POST", path, version, body, &out);
	if (status != 200) {
		char *t = out ? json_dumps(out, 0) : NULL;

		fprintf(stderr, "fuzz_http: setup: %s on case %d as %s: %d %s\n", action, c, sessions[s],
			status, t ? t : "");
		abort();
	}
	v = (long)json_integer_value(json_object_get(out, "version"));
	json_decref(out);
	return v;
}

static const char case_body[] =
	"{\"channel\":\"visit\",\"kind\":\"claim\",\"purpose\":\"demand\",\"category\":\"0301\","
	"\"locality\":\"230102\",\"title\":\"道里区某工地拖欠农民工工资（第%d件）\","
	"\"content\":\"我们在道里区某工地干了四个月，工资至今未结，多次找公司无果。\","
	"\"request\":\"请督促公司结清工资\",\"petitioners\":[{\"name\":\"王建国\",\"sex\":\"male\","
	"\"id_type\":\"resident_id\",\"id_number\":\"230102198503150017\",\"phone\":\"13904510000\","
	"\"address\":\"哈尔滨市道里区安静街1号\",\"representative\":true}]}";

static const char reply_body[] =
	"{\"outcome\":\"support\",\"facts\":\"经查，该公司确欠12名农民工工资共计38万元。\","
	"\"opinion\":\"责令该公司于30日内结清所欠工资。\","
	"\"legal_basis\":\"《保障农民工工资支付条例》第十五条\",\"delivery\":\"signed\"}";

/* Register case c: through the staff API (registrar) or, online, the portal. */
static void new_case(int c, int online)
{
	char body[2048];
	json_t *out = NULL;
	int status;

	snprintf(body, sizeof body, case_body, c);
	if (online) {
		/* the portal's body has no channel */
		json_t *j = json_loads(body, 0, NULL);
		char *t;

		json_object_del(j, "channel");
		t = json_dumps(j, JSON_COMPACT);
		status = api(0, "POST", "/api/public/v1/cases", -1, t, &out);
		free(t);
		json_decref(j);
	} else {
		status = api(1, "POST", "/api/v1/cases", -1, body, &out);
	}
	if (status != 201)
		die("setup: cannot register a case");
	snprintf(W.cases[c], sizeof W.cases[c], "%s",
		 json_string_value(json_object_get(json_object_get(out, "case"), "no")));
	snprintf(W.codes[c], sizeof W.codes[c], "%s", json_string_value(json_object_get(out, "query_code")));
	json_decref(out);
}

/* Ten cases in known states at 道里区信访局 (dl-xfj) and its 城管局 (dl-cgj). */
static void make_cases(void)
{
	char transfer[64];
	struct unit cgj;
	long v;
	int c;

	if (store_unit_by_code(W.app->st, "dl-cgj", &cgj) != 0)
		die("setup: no unit dl-cgj");
	snprintf(transfer, sizeof transfer, "{\"lead_unit\":%lld}", (long long)cgj.id);
	for (c = 0; c < 10; c++)
		new_case(c, c == 8);
	/* C0 registered; C8 registered online */
	v = act(2, 1, 1, "transfer", transfer);                   /* C1 dispatched */
	v = act(2, 2, 1, "transfer", transfer);
	v = act(3, 2, v, "accept", "{}");                          /* C2 accepted */
	v = act(2, 3, 1, "transfer", transfer);
	v = act(3, 3, v, "accept", "{}");
	v = act(3, 3, v, "request_extension", "{\"days\":10,\"reason\":\"需调查取证\"}"); /* C3 */
	for (c = 4; c <= 7; c++) {
		v = act(2, c, 1, "transfer", transfer);
		v = act(3, c, v, "accept", "{}");
		v = act(3, c, v, "reply", reply_body);            /* C4 replied */
		if (c >= 5)
			v = act(2, c, v, "approve", "{}");        /* C5, C6 closed */
	}
	{
		char path[128], body[64];
		int status;

		snprintf(path, sizeof path, "/api/public/v1/cases/%s/actions/request_review", W.cases[7]);
		snprintf(body, sizeof body, "{\"query_code\":\"%s\"}", W.codes[7]);
		status = api(0, "POST", path, -1, body, NULL);   /* C7 review */
		if (status != 200)
			die("setup: request_review failed");
	}
	act(2, 9, 1, "reject", "{\"reason\":\"属诉讼事项\",\"route\":\"litigation\"}"); /* C9 rejected */
	(void)v;

	/* an attachment on C0 (staff) and on C8 (the petitioner): @A0@, @A1@ */
	{
		static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
		char path[160], extra[64];
		json_t *out = NULL;

		snprintf(path, sizeof path, "/api/v1/cases/%s/attachments?name=a.pdf", W.cases[0]);
		if (api_full(1, "POST", path, -1, "application/pdf", NULL, pdf, &out) == 201)
			snprintf(W.attach[0], sizeof W.attach[0], "%s",
				 json_string_value(json_object_get(json_object_get(out, "attachment"), "id")));
		json_decref(out);
		out = NULL;
		snprintf(path, sizeof path, "/api/public/v1/cases/%s/attachments?name=b.pdf", W.cases[8]);
		snprintf(extra, sizeof extra, "X-Query-Code: %s\r\n", W.codes[8]);
		if (api_full(0, "POST", path, -1, "application/pdf", extra, pdf, &out) == 201)
			snprintf(W.attach[1], sizeof W.attach[1], "%s",
				 json_string_value(json_object_get(json_object_get(out, "attachment"), "id")));
		json_decref(out);
		if (!W.attach[0][0] || !W.attach[1][0])
			fprintf(stderr, "fuzz_http: setup: could not upload the attachments (@A0@, @A1@ are empty)\n");
	}
}

/* Ten demo cases (any that are not the harness's own). */
static void find_demo_cases(void)
{
	json_t *out = NULL, *items;
	size_t i, k = 0;
	int c;

	if (api(READER, "GET", "/api/v1/cases?limit=50", -1, NULL, &out) != 200)
		die("setup: cannot list cases");
	items = json_object_get(out, "items");
	for (i = 0; i < json_array_size(items) && k < 10; i++) {
		const char *no = json_string_value(json_object_get(json_array_get(items, i), "no"));
		int own = 0;

		for (c = 0; c < 10 && no; c++)
			own |= strcmp(no, W.cases[c]) == 0;
		if (no && !own)
			snprintf(W.demo[k++], sizeof W.demo[0], "%s", no);
	}
	json_decref(out);
	if (k < 10)
		die("setup: fewer than ten demo cases");
}

/* Remove the worlds of harness processes that died without cleaning up
 * (a finding aborts): tmp/xinfang-fuzz-<pid>-* whose pid is gone. */
static void sweep_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	char p[600];
	int pid;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (sscanf(e->d_name, "xinfang-fuzz-%d-", &pid) != 1 || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(p, sizeof p, "%s/%s", tmp, e->d_name);
		nftw(p, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

/* ---- the front end (server_opts.ui_dir, src/http/ui.c) -------------------------
 * W.dir/ui: index.html, assets/app-abc123.js, and what must never be served:
 * a dot-file and, through links, a file beside the directory, the directory
 * above it and /etc/passwd. The route templates "/", "/{}/{}" and "{}{}"
 * reach it with any path. */
#define OUTSIDE_MARK "fuzz-http-outside-the-ui-directory"
static char ui_dir[300];

static void ui_put(const char *dir, const char *name, const char *text)
{
	char p[400];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		die_errno("cannot write the UI directory");
}

static void make_ui(void)
{
	char p[400];

	snprintf(ui_dir, sizeof ui_dir, "%s/ui", W.dir);
	snprintf(p, sizeof p, "%s/assets", ui_dir);
	if (mkdir(ui_dir, 0700) != 0 || mkdir(p, 0700) != 0)
		die_errno("cannot make the UI directory");
	ui_put(ui_dir, "index.html", "<!doctype html><title>fuzz</title><script src=\"/assets/app-abc123.js\"></script>");
	ui_put(ui_dir, "assets/app-abc123.js", "console.log(1)");
	ui_put(ui_dir, ".env", OUTSIDE_MARK);
	ui_put(W.dir, "outside.txt", OUTSIDE_MARK);
	snprintf(p, sizeof p, "%s/outside.txt", ui_dir);
	if (symlink("../outside.txt", p) != 0)
		die_errno("symlink");
	snprintf(p, sizeof p, "%s/up", ui_dir);
	if (symlink("..", p) != 0)
		die_errno("symlink");
	snprintf(p, sizeof p, "%s/passwd", ui_dir);
	if (symlink("/etc/passwd", p) != 0)
		die_errno("symlink");
	W.opts.ui_dir = ui_dir;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	struct xerr err;
	int s;

	(void)argc, (void)argv;
	signal(SIGPIPE, SIG_IGN);
	log_set_quiet(1);
	W.verbose = getenv("FUZZ_HTTP_VERBOSE") != NULL;
	W.stats = getenv("FUZZ_HTTP_STATS") != NULL;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	sweep_stale(tmp && *tmp ? tmp : "/tmp");
	snprintf(W.dir, sizeof W.dir, "%s/xinfang-fuzz-%d-XXXXXX", tmp && *tmp ? tmp : "/tmp", (int)getpid());
	if (!mkdtemp(W.dir))
		die("mkdtemp failed");
	snprintf(W.db, sizeof W.db, "%s/fuzz.db", W.dir);
	snprintf(W.pristine, sizeof W.pristine, "%s/pristine.db", W.dir);
	W.ready = 1;
	make_ui();

	open_app();
	if (demo_run(W.app, DEMO_CASES, 1, xtime_now(), NULL, &err)) {
		fprintf(stderr, "fuzz_http: demo_run: %s\n", err.message);
		abort();
	}
	W.opts.listen = "127.0.0.1";
	W.opts.port = 0;
	W.opts.threads = 2;
	/* the harness is a trusted proxy, so X-Forwarded-For is parsed */
	W.opts.proxies = proxy_list_parse("127.0.0.1", NULL);
	/* no rate limits: every input is one client, thousands a second */
	rate_configure(RATE_LOGIN, 0);
	rate_configure(RATE_PUBLIC, 0);
	start_server();
	for (s = 1; s <= N_SESS; s++)
		if (login(s))
			die("setup: login failed");
	make_cases();
	find_demo_cases();

	/* save the world */
	stop_server();
	copy_file(W.db, W.pristine);
	files_snapshot(0);
	memcpy(W.sess_saved, W.sess, sizeof W.sess);
	open_app();
	start_server();
	/* registered after OpenSSL's own atexit handler so that it runs first: the
	 * server's threads must end (and free their OpenSSL state) before OpenSSL
	 * cleans up, or LeakSanitizer reports that state at exit */
	atexit(cleanup);
	return 0;
}

/* ---- one input ----------------------------------------------------------------- */

enum { F_SEG0, F_SEG1, F_QUERY, F_METHOD, F_CTYPE, F_IFMATCH, F_IDEM, F_ORIGIN, F_COOKIE, F_CSRF,
       F_XFF, F_QCODE, F_EXPECT, N_FIELDS };

struct input {
	unsigned tmpl, sess;
	const uint8_t *f[N_FIELDS];
	size_t n[N_FIELDS];
	const uint8_t *body;
	size_t body_len;
};

static void split(const uint8_t *d, size_t size, struct input *in)
{
	const uint8_t *p = d, *end = d + size, *nl;
	int i;

	memset(in, 0, sizeof *in);
	in->tmpl = size > 0 ? d[0] & 63u : 0;
	if (in->tmpl >= N_TEMPLATES)
		in->tmpl %= N_TEMPLATES;
	in->sess = size > 1 ? d[1] & 15u : 0;
	if (in->sess > FORGED)
		in->sess = 0;
	nl = memchr(p, '\n', (size_t)(end - p)); /* line 0: the selectors and a comment */
	p = nl ? nl + 1 : end;
	for (i = 0; i < N_FIELDS && p < end; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		in->f[i] = p;
		in->n[i] = (size_t)((nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
	}
	in->body = p;
	in->body_len = (size_t)(end - p);
}

/* The current version of case `no` as the province's dispatcher sees it, or 1.
 * In process: a round trip through the server would cost as much as the input. */
static long version_of(const char *no)
{
	struct actor a;
	struct xerr err;
	json_t *out = NULL;
	long v = 1;

	if (svc_actor_for_user(W.app, sessions[READER], &a, &err) == 0 &&
	    svc_case_get(W.app, &a, no, &out, &err) == 0)
		v = (long)json_integer_value(json_object_get(out, "version"));
	json_decref(out);
	return v;
}

/* Append p[0..n) to out with the @..@ tokens replaced (@V@ only when version is given). */
static void subst(const uint8_t *p, size_t n, struct buf *out, int s, const char *version)
{
	size_t i = 0;

	while (i < n) {
		if (p[i] == '@') {
			const char *rest = (const char *)p + i;
			size_t left = n - i;

			if (left >= 4 && rest[3] == '@' && rest[2] >= '0' && rest[2] <= '9' &&
			    (rest[1] == 'C' || rest[1] == 'Q' || rest[1] == 'D')) {
				int k = rest[2] - '0';

				buf_str(out, rest[1] == 'C' ? W.cases[k] : rest[1] == 'Q' ? W.codes[k] : W.demo[k]);
				i += 4;
				continue;
			}
			if (left >= 4 && rest[1] == 'A' && (rest[2] == '0' || rest[2] == '1') && rest[3] == '@') {
				buf_str(out, W.attach[rest[2] - '0']);
				i += 4;
				continue;
			}
			if (left >= 6 && memcmp(rest, "@CSRF@", 6) == 0) {
				buf_str(out, s >= 1 && s <= N_SESS && W.sess[s].csrf[0] ? W.sess[s].csrf
							: "0000000000000000000000000000000000000000000000000000000000000000");
				i += 6;
				continue;
			}
			if (left >= 6 && memcmp(rest, "@HOST@", 6) == 0) {
				buf_str(out, W.host);
				i += 6;
				continue;
			}
			if (left >= 3 && memcmp(rest, "@V@", 3) == 0 && version) {
				buf_str(out, version);
				i += 3;
				continue;
			}
		}
		buf_add(out, p + i, 1);
		i++;
	}
}

/* Percent-encode what cannot stand in a request target. */
static void escape_target(const char *s, size_t n, struct buf *out, int in_path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '#' || c == '"' || (in_path && c == '?')) {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(out, e, 3);
		} else {
			buf_add(out, &s[i], 1);
		}
	}
}

/* A header value: no CR, LF, NUL or other control bytes but TAB. */
static void add_header(struct buf *q, const char *name, const char *v, size_t n)
{
	size_t i;

	buf_str(q, name);
	buf_str(q, ": ");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 ? c != 0x7f : c == '\t')
			buf_add(q, &v[i], 1);
	}
	buf_str(q, "\r\n");
}

static int path_mentions_logout(const char *path)
{
	/* logout, possibly percent-encoded in any letter */
	char plain[2048];
	size_t i, j = 0;

	for (i = 0; path[i] && j < sizeof plain - 1; i++) {
		if (path[i] == '%' && path[i + 1] && path[i + 2]) {
			char h[3] = { path[i + 1], path[i + 2], 0 };

			plain[j++] = (char)strtol(h, NULL, 16);
			i += 2;
		} else {
			plain[j++] = path[i];
		}
	}
	plain[j] = '\0';
	return strcasestr(plain, "logout") != NULL;
}

static void finding(const char *why, const struct buf *req, const struct resp *r)
{
	fprintf(stderr, "\n==== fuzz_http finding: %s\n---- request (%zu bytes)\n%.*s\n---- answer (%zu bytes)\n%.*s\n====\n",
		why, req->n, (int)(req->n > 4000 ? 4000 : req->n), req->p, r->raw.n,
		(int)(r->raw.n > 4000 ? 4000 : r->raw.n), r->raw.p ? r->raw.p : "");
	abort();
}

/* Does any object in j have a key that names a secret column? */
static int secret_key(json_t *j, int depth)
{
	static const char *const secrets[] = { "pwhash", "token_hash", "query_hash", "totp_secret", NULL };
	const char *k;
	json_t *v;
	size_t i;

	if (depth > 64)
		return 0;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			for (i = 0; secrets[i]; i++)
				if (strcmp(k, secrets[i]) == 0)
					return 1;
			if (secret_key(v, depth + 1))
				return 1;
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (secret_key(v, depth + 1))
				return 1;
	}
	return 0;
}

static void check(const struct buf *req, const char *path, int head, const struct resp *r)
{
	int api_path = strncmp(path, "/api/", 5) == 0;
	int is_json = strncasecmp(r->ctype, "application/json", 16) == 0;
	char disp[256];
	/* an attachment's download is the file itself */
	int download = r->status == 200 && resp_header(r, "Content-Disposition", disp, sizeof disp) &&
		       strncmp(disp, "attachment", 10) == 0;
	/* answers libmicrohttpd gives a malformed request itself, before the handler */
	int mhd_own = r->status == 400 || r->status == 413 || r->status == 414 || r->status == 431 ||
		      r->status == 505;
	json_t *j;
	json_error_t jerr;

	if (r->status == -2)
		finding("no answer within the time limit", req, r);
	if (r->status < 0)
		finding("the answer is not HTTP", req, r);
	if (r->status >= 500)
		finding("5xx status", req, r);
	if (!r->complete)
		finding("the answer is shorter than its Content-Length", req, r);
	if (api_path && !is_json && !mhd_own && !download)
		finding("an /api/ answer that is not application/json", req, r);
	/* only the front end's answers: JSON can echo anything an input stored */
	if (!api_path && !is_json && r->body &&
	    (memmem(r->body, r->body_len, OUTSIDE_MARK, strlen(OUTSIDE_MARK)) ||
	     memmem(r->body, r->body_len, "root:x:0:0:", 11)))
		finding("the front end served a file from outside its directory or a dot-file", req, r);
	if (!is_json || head)
		return;
	j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		finding("the body is not a JSON object", req, r);
	}
	if (secret_key(j, 0))
		finding("the answer has a secret column as a key", req, r);
	if (r->status >= 400) {
		json_t *e = json_object_get(j, "error");

		if (!json_is_string(json_object_get(e, "code")) || !json_is_string(json_object_get(e, "message")))
			finding("an error without code and message", req, r);
	}
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tmpl *t;
	struct input in;
	struct buf q = { 0 }, path = { 0 }, f = { 0 };
	struct resp r;
	char version[32] = "1";
	const char *method;
	int s, head, i;
	int seg = 0;
	const char *c;
	double t0;

	if (!W.ready)
		return 0;
	t0 = now_ms();
	if (++W.runs % RESET_EVERY == 0 || W.dirty) {
		reset_world();
		W.dirty = 0;
		W.n_reset++;
		W.t_reset += now_ms() - t0;
		t0 = now_ms();
	}
	split(data, size, &in);
	t = &templates[in.tmpl];
	s = (int)in.sess;

	/* the path, with the two segments in place of "{}" */
	for (c = t->path; *c; c++) {
		if (c[0] == '{' && c[1] == '}') {
			int k = seg < 2 ? (seg == 0 ? F_SEG0 : F_SEG1) : -1;

			if (k >= 0) {
				f.n = 0;
				subst(in.f[k], in.n[k], &f, s, NULL);
				escape_target(f.p ? f.p : "", f.n, &path, 1);
			}
			seg++;
			c++;
		} else {
			buf_add(&path, c, 1);
		}
	}
	if (!path.p)
		buf_str(&path, "");
	if (s >= 1 && s <= N_SESS && s != SACRIFICE && path_mentions_logout(path.p))
		s = SACRIFICE;

	/* @V@ needs the case's version: look it up first */
	if (in.n[F_IFMATCH] && memmem(in.f[F_IFMATCH], in.n[F_IFMATCH], "@V@", 3)) {
		struct buf no = { 0 };

		subst(in.f[F_SEG0], in.n[F_SEG0], &no, s, NULL);
		snprintf(version, sizeof version, "%ld", version_of(no.p ? no.p : ""));
		free(no.p);
	}

	/* the method: a token, else the template's */
	f.n = 0;
	for (i = 0; i < (int)in.n[F_METHOD]; i++) {
		unsigned char ch = in.f[F_METHOD][i];

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    (ch && strchr("!#$%&'*+-.^_`|~", ch)))
			buf_add(&f, &ch, 1);
	}
	method = f.n ? f.p : t->method;
	head = strcmp(method, "HEAD") == 0;
	buf_str(&q, method);
	buf_str(&q, " ");
	buf_add(&q, path.p, path.n);
	if (in.n[F_QUERY]) {
		struct buf v = { 0 };

		subst(in.f[F_QUERY], in.n[F_QUERY], &v, s, NULL);
		buf_str(&q, "?");
		escape_target(v.p ? v.p : "", v.n, &q, 0);
		free(v.p);
	}
	buf_str(&q, " HTTP/1.1\r\nConnection: close\r\n");
	add_header(&q, "Host", W.host, strlen(W.host));

	/* the headers the server reads */
	{
		static const struct { int field; const char *name; } hs[] = {
			{ F_CTYPE, "Content-Type" }, { F_IFMATCH, "If-Match" }, { F_IDEM, "Idempotency-Key" },
			{ F_ORIGIN, "Origin" }, { F_CSRF, "X-CSRF-Token" }, { F_XFF, "X-Forwarded-For" },
			{ F_QCODE, "X-Query-Code" }, { F_EXPECT, "Expect" },
		};
		size_t k;

		for (k = 0; k < sizeof hs / sizeof hs[0]; k++) {
			struct buf v = { 0 };

			if (!in.n[hs[k].field])
				continue;
			subst(in.f[hs[k].field], in.n[hs[k].field], &v, s, version);
			add_header(&q, hs[k].name, v.p ? v.p : "", v.n);
			free(v.p);
		}
	}
	{
		struct buf v = { 0 };

		if (s >= 1 && s <= N_SESS && W.sess[s].token[0]) {
			buf_str(&v, "xf_session=");
			buf_str(&v, W.sess[s].token);
		} else if (s == FORGED) {
			buf_str(&v, "xf_session=");
			buf_str(&v, forged_token);
		}
		if (in.n[F_COOKIE]) {
			if (v.n)
				buf_str(&v, "; ");
			subst(in.f[F_COOKIE], in.n[F_COOKIE], &v, s, NULL);
		}
		if (v.n)
			add_header(&q, "Cookie", v.p, v.n);
		free(v.p);
	}
	{
		struct buf b = { 0 };
		char cl[48];

		subst(in.body, in.body_len, &b, s, NULL);
		if (b.n || (strcmp(method, "GET") != 0 && !head)) {
			snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", b.n);
			buf_str(&q, cl);
		}
		buf_str(&q, "\r\n");
		if (b.n)
			buf_add(&q, b.p, b.n);
		free(b.p);
	}

	if (http_exchange(q.p, q.n, head, &r) != 0)
		die_errno("cannot reach the server");
	check(&q, path.p, head, &r);
	if (W.verbose)
		fprintf(stderr, "fuzz_http: %s %s -> %d %.*s\n", method, path.p, r.status,
			(int)(r.body_len > 160 ? 160 : r.body_len), r.body ? r.body : "");
	/* an input ended a saved session (roles changed, user disabled, second factor reset) */
	if (s >= 1 && s <= N_SESS && s != SACRIFICE && !in.n[F_COOKIE] && r.body &&
	    (r.status == 401 || r.status == 403) &&
	    (memmem(r.body, r.body_len, "\"auth.required\"", 15) ||
	     memmem(r.body, r.body_len, "\"auth.totp_enrolment_required\"", 30)))
		W.dirty = 1;
	resp_free(&r);
	free(q.p);
	free(path.p);
	free(f.p);
	W.n_tmpl[in.tmpl]++;
	W.t_tmpl[in.tmpl] += now_ms() - t0;
	return 0;
}
