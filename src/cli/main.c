/*
 * main.c - the `xinfang` command. One table of commands, each with its help
 * text; `xinfang help` prints them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xtime.h"
#include "cli/demo.h"
#include "http/server.h"
#include "service/svc.h"

#define VERSION "0.1.0"
#define DEFAULT_DB "var/xinfang.db"

struct opts {
	const char *db, *listen, *name, *unit, *roles, *password, *parent, *type, *level, *division;
	int port, threads, cases;
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

		if (strcmp(a, "--db") == 0) sval = &o->db;
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

static int cmd_serve(struct opts *o)
{
	struct server_opts so = { .listen = o->listen, .port = o->port, .threads = o->threads };
	struct app *app = open_app(o);
	int rc;

	if (!app)
		return 1;
	if (getenv("XINFANG_NOW"))
		log_warn("XINFANG_NOW is set: the clock is fixed at %s (for tests only)", getenv("XINFANG_NOW"));
	rc = server_run(app, &so);
	app_close(app);
	return rc ? 1 : 0;
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
	{ "demo", cmd_demo, "demo [--db FILE] [--cases N] [--seed S]",
	  "create the demo organisation, users and N cases (default 300) in an empty database" },
	{ "help", cmd_help, "help", "show this text" },
	{ "init", cmd_init, "init [--db FILE] [--unit CODE --name NAME --division D --level L]",
	  "create or upgrade the database; optionally its root petition bureau" },
	{ "rebuild", cmd_rebuild, "rebuild [--db FILE]",
	  "regenerate every derived table from the event log and compare digests" },
	{ "serve", cmd_serve, "serve [--db FILE] [--listen 127.0.0.1] [--port 8080] [--threads 2]",
	  "serve the JSON API" },
	{ "unit", cmd_unit, "unit add CODE --name NAME --parent CODE --type T --level L --division D",
	  "add a unit (type petition|handling|discipline; level province|city|county|township)" },
	{ "user", cmd_user, "user add USERNAME --name NAME --unit CODE --roles R1,R2 [--password P]",
	  "add a staff user (password also from XINFANG_PASSWORD)" },
	{ "version", cmd_version, "version", "print the version" },
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
