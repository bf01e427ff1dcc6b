/*
 * main.c - the `xinfang` command. One table of commands, each with its help
 * text; `xinfang help` prints them all.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/totp.h"
#include "base/xtime.h"
#include "cli/demo.h"
#include "http/server.h"
#include "service/svc.h"

#define VERSION "0.1.0"
#define DEFAULT_DB "var/xinfang.db"

struct opts {
	const char *db, *listen, *name, *unit, *roles, *password, *parent, *type, *level, *division;
	const char *actor, *trusted_proxies, *secret, *ui;
	int rate_login, rate_public, rate_given;
	int port, threads, cases, warn, scan_interval, db_given, secure_cookie;
	int export_max; /* serve --export-max (0: not given) */
	unsigned seed;
	const char *args[4];
	int nargs;
};

/* "xinfang: <what> '<arg>'" and a pointer to the help; exit status 2. */
static int usage_error(const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, "xinfang: %s '%s'\n(see 'xinfang help')\n", what, arg);
	else
		fprintf(stderr, "xinfang: %s\n(see 'xinfang help')\n", what);
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **sval = NULL;
		int *ival = NULL;

		if (strcmp(a, "--secure-cookie") == 0) {
			o->secure_cookie = 1;
			continue;
		}
		if (strcmp(a, "--db") == 0) sval = &o->db, o->db_given = 1;
		else if (strcmp(a, "--actor") == 0) sval = &o->actor;
		else if (strcmp(a, "--trusted-proxy") == 0) sval = &o->trusted_proxies;
		else if (strcmp(a, "--secret") == 0) sval = &o->secret;
		else if (strcmp(a, "--ui") == 0) sval = &o->ui;
		else if (strcmp(a, "--rate-login") == 0) ival = &o->rate_login, o->rate_given |= 1;
		else if (strcmp(a, "--rate-public") == 0) ival = &o->rate_public, o->rate_given |= 2;
		else if (strcmp(a, "--warn") == 0) ival = &o->warn;
		else if (strcmp(a, "--scan-interval") == 0) ival = &o->scan_interval;
		else if (strcmp(a, "--export-max") == 0) ival = &o->export_max;
		else if (strcmp(a, "--listen") == 0) sval = &o->listen;
		else if (strcmp(a, "--name") == 0) sval = &o->name;
		else if (strcmp(a, "--unit") == 0) sval = &o->unit;
		else if (strcmp(a, "--roles") == 0) sval = &o->roles;
		else if (strcmp(a, "--password") == 0) sval = &o->password;
		else if (strcmp(a, "--parent") == 0) sval = &o->parent;
		else if (strcmp(a, "--type") == 0) sval = &o->type;
		else if (strcmp(a, "--level") == 0) sval = &o->level;
		else if (strcmp(a, "--division") == 0) sval = &o->division;
		else if (strcmp(a, "--port") == 0) ival = &o->port;
		else if (strcmp(a, "--threads") == 0) ival = &o->threads;
		else if (strcmp(a, "--cases") == 0) ival = &o->cases;
		else if (strcmp(a, "--seed") == 0) ival = (int *)&o->seed;
		else if (a[0] == '-' && a[1] == '-')
			return usage_error("unknown option", a);
		else if (o->nargs < 4) {
			o->args[o->nargs++] = a;
			continue;
		} else
			return usage_error("too many arguments at", a);
		if (i + 1 >= argc)
			return usage_error("this option needs a value:", a);
		if (sval) {
			*sval = argv[++i];
		} else {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end || v < 0 || v > 1000000)
				return usage_error("this option needs a number:", a);
			*ival = (int)v;
		}
	}
	return 0;
}

static struct app *open_app(const struct opts *o)
{
	struct xerr err;
	struct app *app = app_open(o->db, &err);

	if (!app)
		fprintf(stderr, "xinfang: %s\n", err.message);
	return app;
}

static int fail(struct xerr *err)
{
	fprintf(stderr, "xinfang: %s (%s)\n", err->message, err->code ? err->code : "error");
	return 1;
}

/* The scheduler inside `serve`: escalate late clocks now and every interval,
 * and warn once a day while next year's holidays are missing. */
struct scheduler {
	struct app *app;
	int interval;
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *scheduler_main(void *arg)
{
	struct scheduler *s = arg;
	int64_t last_warning_day = -1;

	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		struct scan_result res;
		struct xerr err;
		struct timespec until;
		char buf[160];
		int64_t now = xtime_now();

		pthread_mutex_unlock(&s->mu);
		if (svc_scan(s->app, now, &res, &err))
			log_error("scan failed: %s", err.message);
		else if (res.warnings || res.overdue)
			log_info("scan: %d reminders (催办), %d supervision items (督办)", res.warnings, res.overdue);
		if (now / 86400 != last_warning_day) {
			int64_t purged = 0;

			/* once a day: the calendar warning and audit retention */
			if (svc_calendar_warning(s->app, now, buf))
				log_warn("calendar: %s", buf);
			if (svc_audit_purge(s->app, now, &purged, &err))
				log_error("audit retention: %s", err.message);
			else if (purged)
				log_info("audit retention: %lld rows past the retention period removed", (long long)purged);
			last_warning_day = now / 86400;
		}
		pthread_mutex_lock(&s->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += s->interval;
		while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static int cmd_serve(struct opts *o)
{
	struct server_opts so = { .listen = o->listen, .port = o->port, .threads = o->threads,
				  .secure_cookie = o->secure_cookie };
	const char *bad = NULL;
	struct proxy_list *proxies = proxy_list_parse(o->trusted_proxies, &bad);
	struct app *app;
	struct scheduler sched = { .interval = o->scan_interval > 0 ? o->scan_interval : 60 };
	pthread_t th;
	int rc;

	if (!proxies)
		return usage_error("--trusted-proxy: not an IP address or network:", bad ? bad : "?");
	so.proxies = proxies;
	/* the front end's files: --ui, else XINFANG_UI; neither: the API only */
	so.ui_dir = o->ui && *o->ui ? o->ui : getenv("XINFANG_UI");
	if (so.ui_dir && !*so.ui_dir)
		so.ui_dir = NULL;
	if (o->rate_given & 1)
		rate_configure(RATE_LOGIN, o->rate_login);
	if (o->rate_given & 2)
		rate_configure(RATE_PUBLIC, o->rate_public);
	if (o->export_max > EXPORT_MAX_ROWS) {
		proxy_list_free(proxies);
		return usage_error("--export-max: at most 10000 rows", NULL);
	}
	app = open_app(o);
	if (!app) {
		proxy_list_free(proxies);
		return 1;
	}
	if (o->export_max > 0)
		app->export_max = o->export_max;
	if (getenv("XINFANG_NOW"))
		log_warn("XINFANG_NOW is set: the clock is fixed at %s (for tests only)", getenv("XINFANG_NOW"));
	sched.app = app;
	pthread_mutex_init(&sched.mu, NULL);
	pthread_cond_init(&sched.cv, NULL);
	/* signals are handled by server_run's sigwait, not by the scheduler */
	{
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
	}
	if (pthread_create(&th, NULL, scheduler_main, &sched) != 0) {
		log_error("cannot start the scheduler");
		app_close(app);
		return 1;
	}
	rc = server_run(app, &so);
	pthread_mutex_lock(&sched.mu);
	sched.stop = 1;
	pthread_cond_signal(&sched.cv);
	pthread_mutex_unlock(&sched.mu);
	pthread_join(th, NULL);
	pthread_cond_destroy(&sched.cv);
	pthread_mutex_destroy(&sched.mu);
	app_close(app);
	proxy_list_free(proxies);
	return rc ? 1 : 0;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(6));

	if (s)
		puts(s);
	free(s);
}

/* due and workday read the database's calendar when --db is given, else the shipped one */
static struct app *calendar_app(const struct opts *o)
{
	struct opts mem = *o;

	if (!o->db_given)
		mem.db = ":memory:";
	log_set_quiet(1);
	return open_app(&mem);
}

static int cmd_due(struct opts *o)
{
	struct app *app;
	struct xerr err;
	json_t *out = NULL;
	int rc = 0;

	if (o->nargs != 3)
		return usage_error("usage: xinfang due START AMOUNT days|workdays|hours", NULL);
	app = calendar_app(o);
	if (!app)
		return 1;
	if (svc_due(app, o->args[0], o->args[1], o->args[2], &out, &err))
		rc = fail(&err);
	else
		puts(json_string_value(json_object_get(out, json_object_get(out, "due") ? "due" : "last_day")));
	json_decref(out);
	app_close(app);
	return rc;
}

static int cmd_workday(struct opts *o)
{
	struct app *app;
	struct xerr err;
	json_t *out = NULL;
	int rc = 0;

	if (o->nargs != 1)
		return usage_error("usage: xinfang workday YYYY-MM-DD", NULL);
	app = calendar_app(o);
	if (!app)
		return 1;
	if (svc_workday(app, o->args[0], &out, &err))
		rc = fail(&err);
	else
		puts(json_is_true(json_object_get(out, "workday")) ? "workday" : "off");
	json_decref(out);
	app_close(app);
	return rc;
}

static int cmd_calendar(struct opts *o)
{
	struct app *app;
	struct xerr err;
	json_t *out = NULL;
	int rc = 0;

	if (o->nargs != 2 || (strcmp(o->args[0], "import") && strcmp(o->args[0], "show")))
		return usage_error("usage: xinfang calendar import FILE | xinfang calendar show YEAR", NULL);
	app = open_app(o);
	if (!app)
		return 1;
	if (strcmp(o->args[0], "show") == 0) {
		char *end;
		long year = strtol(o->args[1], &end, 10);
		size_t i;
		json_t *d;

		if (*end || svc_calendar_show(app, (int)year, &out, &err)) {
			if (*end)
				xerr_set(&err, 400, "validation.invalid", "year", "年份须为数字");
			rc = fail(&err);
		} else {
			printf("%ld: %s\n", year, json_is_true(json_object_get(out, "loaded")) ? "loaded" : "NOT LOADED (weekends only)");
			json_array_foreach(json_object_get(out, "days"), i, d)
				printf("%s %s\n", json_string_value(json_object_get(d, "date")),
				       json_is_true(json_object_get(d, "isOffDay")) ? "off" : "workday (调休)");
			json_array_foreach(json_object_get(out, "changes"), i, d)
				printf("# %s %s: %s\n", json_string_value(json_object_get(d, "at")),
				       json_string_value(json_object_get(d, "actor")), json_string_value(json_object_get(d, "what")));
			if (json_object_get(out, "warning"))
				printf("warning: %s\n", json_string_value(json_object_get(out, "warning")));
		}
	} else {
		FILE *f = fopen(o->args[1], "rb");
		char *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			fprintf(stderr, "xinfang: cannot read %s\n", o->args[1]);
			app_close(app);
			return 1;
		}
		for (;;) {
			if (len + 4096 > cap) {
				size_t want = cap ? cap * 2 : 65536;
				char *nb;

				if (want > (16u << 20)) { /* no calendar file is that big */
					free(buf);
					buf = NULL;
					break;
				}
				nb = realloc(buf, want);
				if (!nb) {
					free(buf);
					buf = NULL;
					break;
				}
				buf = nb;
				cap = want;
			}
			n = fread(buf + len, 1, cap - len, f);
			if (n == 0)
				break;
			len += n;
		}
		fclose(f);
		if (!buf || svc_calendar_import(app, o->actor ? o->actor : "cli", buf, len, xtime_now(), &out, &err)) {
			if (!buf)
				xerr_internal(&err, "read");
			rc = fail(&err);
		} else {
			printf("imported years:");
			{
				size_t i;
				json_t *y;

				json_array_foreach(json_object_get(out, "years"), i, y)
					printf(" %lld", (long long)json_integer_value(y));
			}
			printf("\n");
		}
		free(buf);
	}
	json_decref(out);
	app_close(app);
	return rc;
}

static int cmd_audit(struct opts *o)
{
	struct app *app;
	struct xerr err;
	int64_t rows, broken;
	int rc = 0;

	if (o->nargs != 1 || (strcmp(o->args[0], "verify") != 0 && strcmp(o->args[0], "purge") != 0))
		return usage_error("usage: xinfang audit verify|purge [--db FILE]", NULL);
	app = open_app(o);
	if (!app)
		return 1;
	if (strcmp(o->args[0], "purge") == 0) {
		if (svc_audit_purge(app, xtime_now(), &rows, &err))
			rc = fail(&err);
		else
			printf("audit log: %lld rows past the retention period removed\n", (long long)rows);
	} else if (svc_audit_verify(app, &rows, &broken, &err)) {
		rc = fail(&err);
	} else {
		int64_t events, ebroken, unaudited;

		if (broken) {
			printf("audit log BROKEN at row %lld (%lld rows before it verified)\n", (long long)broken,
			       (long long)rows);
			rc = 3;
		} else {
			printf("audit log intact: %lld rows verified\n", (long long)rows);
		}
		if (svc_event_verify(app, &events, &ebroken, &unaudited, &err)) {
			rc = fail(&err);
		} else if (ebroken) {
			printf("case events BROKEN at event %lld (%lld events before it verified)\n", (long long)ebroken,
			       (long long)events);
			rc = 3;
		} else if (unaudited) {
			printf("case events: event %lld is not vouched for by the audit log (added or rewritten)\n",
			       (long long)unaudited);
			rc = 3;
		} else {
			printf("case events intact: %lld events verified\n", (long long)events);
		}
	}
	app_close(app);
	return rc;
}

/* Repeat and related candidates of a text (the whole database, as an operator). */
static int cmd_similar(struct opts *o)
{
	struct actor system = { .kind = ACTOR_SYSTEM };
	struct app *app;
	struct xerr err;
	json_t *body, *out = NULL;
	int rc = 0;

	if (o->nargs != 1 || !*o->args[0])
		return usage_error("usage: xinfang similar \"TEXT\" [--db FILE]", NULL);
	app = open_app(o);
	if (!app)
		return 1;
	body = json_pack("{s:s}", "content", o->args[0]);
	if (svc_similar_draft(app, &system, body, xtime_now(), &out, &err))
		rc = fail(&err);
	else
		print_json(out);
	json_decref(body);
	json_decref(out);
	app_close(app);
	return rc;
}

static int cmd_scan(struct opts *o)
{
	struct app *app = open_app(o);
	struct scan_result res;
	struct xerr err;
	int rc = 0;

	if (!app)
		return 1;
	if (svc_scan(app, xtime_now(), &res, &err))
		rc = fail(&err);
	else
		printf("looked at %d clocks: %d new reminders (催办), %d new supervision items (督办)\n",
		       res.looked, res.warnings, res.overdue);
	app_close(app);
	return rc;
}

static int cmd_policy(struct opts *o)
{
	struct app *app;
	struct xerr err;
	int rc = 0;

	if (o->nargs < 1 || (strcmp(o->args[0], "show") && strcmp(o->args[0], "set") && strcmp(o->args[0], "unit")))
		return usage_error("usage: xinfang policy show | policy set POLICY KEY AMOUNT UNIT [--warn PCT] | policy unit UNIT-CODE POLICY", NULL);
	app = open_app(o);
	if (!app)
		return 1;
	if (strcmp(o->args[0], "show") == 0) {
		json_t *p = svc_policies(app);

		print_json(p);
		json_decref(p);
	} else if (strcmp(o->args[0], "set") == 0) {
		char *end = NULL;
		long amount = o->nargs >= 4 ? strtol(o->args[3], &end, 10) : -1;

		if (o->nargs != 4 || *end) {
			app_close(app);
			return usage_error("usage: xinfang policy set POLICY KEY AMOUNT --unit days|workdays|hours [--warn PCT]", NULL);
		}
		if (svc_policy_set(app, o->actor ? o->actor : "cli", o->args[1], o->args[2], (int)amount,
				   o->unit ? o->unit : "days", o->warn ? o->warn : 80, xtime_now(), &err))
			rc = fail(&err);
	} else {
		if (o->nargs != 3) {
			app_close(app);
			return usage_error("usage: xinfang policy unit UNIT-CODE POLICY", NULL);
		}
		if (svc_unit_policy_set(app, o->actor ? o->actor : "cli", o->args[1], o->args[2], xtime_now(), &err))
			rc = fail(&err);
	}
	app_close(app);
	return rc;
}

static int cmd_init(struct opts *o)
{
	struct app *app = open_app(o);
	struct xerr err;
	int rc = 0;

	if (!app)
		return 1;
	if (o->unit) {
		if (svc_unit_add(app, o->unit, o->name ? o->name : o->unit, NULL, "petition",
				 o->level ? o->level : "province", o->division ? o->division : "230000", &err))
			rc = fail(&err);
		else
			printf("created root unit %s\n", o->unit);
	}
	if (rc == 0)
		printf("database %s ready (schema version %d)\n", o->db, store_schema_version(app->st));
	app_close(app);
	return rc;
}

static int cmd_demo(struct opts *o)
{
	struct app *app;
	struct xerr err;
	int rc = 0;

	app = open_app(o);
	if (!app)
		return 1;
	if (store_unit_count(app->st) > 0) {
		printf("%s already holds data; leaving it as it is\n", o->db);
		demo_print_logins(stdout);
		app_close(app);
		return 0;
	}
	log_set_quiet(1);
	if (demo_run(app, o->cases >= 0 ? o->cases : 300, o->seed, xtime_now(), stdout, &err))
		rc = fail(&err);
	else
		demo_print_logins(stdout);
	app_close(app);
	return rc;
}

static int cmd_rebuild(struct opts *o)
{
	struct app *app = open_app(o);
	char before[65], after[65];
	struct xerr err;
	int n, rc = 0;

	if (!app)
		return 1;
	if (svc_rebuild(app, before, after, &n, &err)) {
		rc = fail(&err);
	} else {
		printf("replayed %d events\nprojections before: %s\nprojections after:  %s\n%s\n", n, before,
		       after, strcmp(before, after) == 0 ? "identical" : "DIFFERENT");
		rc = strcmp(before, after) == 0 ? 0 : 3;
	}
	app_close(app);
	return rc;
}

static int cmd_user(struct opts *o)
{
	struct app *app;
	struct xerr err;
	const char *pw = o->password ? o->password : getenv("XINFANG_PASSWORD");
	int rc = 0;

	if (o->nargs < 2 || strcmp(o->args[0], "add") != 0)
		return usage_error("usage: xinfang user add USERNAME --name NAME --unit CODE --roles R1,R2 [--password P]", NULL);
	if (!o->unit || !o->roles || !pw)
		return usage_error("user add needs --unit, --roles and --password (or XINFANG_PASSWORD)", NULL);
	app = open_app(o);
	if (!app)
		return 1;
	if (svc_user_add(app, o->args[1], o->name ? o->name : o->args[1], o->unit, o->roles, pw,
			 xtime_now(), &err))
		rc = fail(&err);
	else
		printf("added user %s\n", o->args[1]);
	app_close(app);
	return rc;
}

static int cmd_unit(struct opts *o)
{
	struct app *app;
	struct xerr err;
	int rc = 0;

	if (o->nargs < 2 || strcmp(o->args[0], "add") != 0)
		return usage_error("usage: xinfang unit add CODE --name NAME --parent CODE --type T --level L --division D", NULL);
	app = open_app(o);
	if (!app)
		return 1;
	if (svc_unit_add(app, o->args[1], o->name, o->parent, o->type, o->level, o->division, &err))
		rc = fail(&err);
	else
		printf("added unit %s\n", o->args[1]);
	app_close(app);
	return rc;
}

/* The current code of a TOTP secret (the demo's administrators, or an operator
 * checking an authenticator against the server's clock). */
static int cmd_totp(struct opts *o)
{
	unsigned char key[64];
	char code[7];
	int n = o->secret ? base32_decode(o->secret, key, sizeof key) : -1;
	int64_t now = xtime_now();

	if (n <= 0)
		return usage_error("totp needs --secret BASE32", NULL);
	if (totp_code(key, (size_t)n, (uint64_t)(now / TOTP_STEP), code))
		return 1;
	printf("%s (valid for %d more seconds)\n", code, (int)(TOTP_STEP - now % TOTP_STEP));
	return 0;
}

static int cmd_version(struct opts *o)
{
	(void)o;
	printf("xinfang %s\n", VERSION);
	return 0;
}

static int cmd_help(struct opts *o);

static const struct command {
	const char *name;
	int (*fn)(struct opts *o);
	const char *usage;
	const char *help;
} commands[] = {
	{ "audit", cmd_audit, "audit verify|purge [--db FILE]",
	  "verify: check the HMAC-SM3 chain of the audit log; names the first row that does not match (exit 3);\n"
	  "      purge: remove rows past the retention (at least 184 days; `serve` does it daily)" },
	{ "calendar", cmd_calendar, "calendar import FILE | calendar show YEAR [--db FILE] [--actor NAME]",
	  "import holiday-cn JSON (replaces those years; recorded with who and when) or list a year's days off" },
	{ "demo", cmd_demo, "demo [--db FILE] [--cases N] [--seed S]",
	  "create the demo organisation, users and N cases (default 300) in an empty database" },
	{ "due", cmd_due, "due START AMOUNT days|workdays|hours [--db FILE]",
	  "the last day of a period (its deadline is 24:00 that day), or the hour for hours" },
	{ "help", cmd_help, "help", "show this text" },
	{ "init", cmd_init, "init [--db FILE] [--unit CODE --name NAME --division D --level L]",
	  "create or upgrade the database; optionally its root petition bureau" },
	{ "policy", cmd_policy, "policy show | policy set POLICY KEY AMOUNT --unit days|workdays|hours [--warn PCT] | policy unit UNIT-CODE POLICY",
	  "show the time-limit policies, override one limit, or give a unit its own policy" },
	{ "rebuild", cmd_rebuild, "rebuild [--db FILE]",
	  "regenerate every derived table from the event log and compare digests" },
	{ "scan", cmd_scan, "scan [--db FILE]",
	  "escalate late clocks once (for cron; `serve` also scans every minute)" },
	{ "serve", cmd_serve,
	  "serve [--db FILE] [--listen 127.0.0.1] [--port 8080] [--threads 2] [--scan-interval 60] [--secure-cookie]\n"
	  "        [--trusted-proxy ADDR[/LEN],...] [--rate-login 60] [--rate-public 30] [--ui DIR]\n"
	  "        [--export-max 10000]",
	  "serve the JSON API; escalates late clocks every --scan-interval seconds; X-Forwarded-For is\n"
	  "      believed only from --trusted-proxy peers; logins and portal requests per client per minute (0: no limit);\n"
	  "      --ui DIR (or env XINFANG_UI): also serve the browser front end (a Vite build, e.g. ui/dist) from DIR\n"
	  "      at every path outside /api/ and /healthz, index.html for client-side routes; a missing DIR is logged\n"
	  "      and only the API answers until it exists; --export-max N: rows an Excel export may hold\n"
	  "      (1-10000, default 10000; more matching rows are refused with 422 export.too_many)" },
	{ "similar", cmd_similar, "similar \"TEXT\" [--db FILE]",
	  "repeat and related candidates of a text, with scores and reasons (the whole database)" },
	{ "totp", cmd_totp, "totp --secret BASE32", "print the current second-factor code of a TOTP secret" },
	{ "unit", cmd_unit, "unit add CODE --name NAME --parent CODE --type T --level L --division D",
	  "add a unit (type petition|handling|discipline; level province|city|county|township)" },
	{ "user", cmd_user, "user add USERNAME --name NAME --unit CODE --roles R1,R2 [--password P]",
	  "add a staff user (password also from XINFANG_PASSWORD)" },
	{ "version", cmd_version, "version", "print the version" },
	{ "workday", cmd_workday, "workday YYYY-MM-DD [--db FILE]", "print workday or off" },
};

static int cmd_help(struct opts *o)
{
	size_t i;

	(void)o;
	printf("xinfang %s - 信访事项办理系统\n\nusage: xinfang COMMAND [options]\n\n", VERSION);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		printf("  %s\n      %s\n", commands[i].usage, commands[i].help);
	printf("\nDefaults: --db %s, --listen 127.0.0.1, --port 8080.\n", DEFAULT_DB);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .db = DEFAULT_DB, .listen = "127.0.0.1", .port = 8080, .threads = 2, .cases = -1 };
	size_t i;
	int rc;

	if (argc < 2)
		return cmd_help(&o), 2;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(&o);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(&o);
	rc = parse(argc - 2, argv + 2, &o);
	if (rc)
		return rc;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].fn(&o);
	return usage_error("unknown command", argv[1]);
}
