/*
 * test_store.c - the store and the use cases over a real SQLite file:
 * migrations, the append-only event log, the unit tree, case numbers,
 * scope, and rebuild giving identical projections (DESIGN.md section 6).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xtime.h"
#include "service/svc.h"

static char path[64];
static struct app *app;
static int64_t t0;

static void unit(const char *code, const char *name, const char *parent, const char *type,
		 const char *level, const char *division)
{
	struct xerr err;

	cr_assert_eq(svc_unit_add(app, code, name, parent, type, level, division, &err), 0, "%s: %s",
		     code, err.message);
}

static void user(const char *username, const char *unit_code, const char *roles)
{
	struct xerr err;

	cr_assert_eq(svc_user_add_hashed(app, username, username, unit_code, roles, "$argon2id$x", t0,
					 &err),
		     0, "%s: %s", username, err.message);
}

static void setup(void)
{
	int fd;

	log_set_quiet(1);
	snprintf(path, sizeof path, "/tmp/xf-unit-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	struct xerr err;
	app = app_open(path, &err);
	cr_assert_not_null(app, "%s", err.message);
	cr_assert_eq(xtime_parse("2026-03-02T09:00:00+08:00", &t0), 0);
	unit("hlj", "黑龙江省信访局", NULL, "petition", "province", "230000");
	unit("hrb", "哈尔滨市信访局", "hlj", "petition", "city", "230100");
	unit("dl", "道里区信访局", "hrb", "petition", "county", "230102");
	unit("dl-cgj", "道里区城市管理局", "dl", "handling", "county", "230102");
	unit("dl-zjj", "道里区住房和城乡建设局", "dl", "handling", "county", "230102");
	unit("qqhr", "齐齐哈尔市信访局", "hlj", "petition", "city", "230200");
	user("reg", "dl", "registrar,dispatcher,unit_head");
	user("handler", "dl-cgj", "handler,unit_head");
	user("hrb-rev", "hrb", "reviewer");
	user("hlj-rev", "hlj", "reviewer");
	user("qqhr-disp", "qqhr", "dispatcher,registrar");
}

static void teardown(void)
{
	char more[80];

	app_close(app);
	unlink(path);
	snprintf(more, sizeof more, "%s-wal", path);
	unlink(more);
	snprintf(more, sizeof more, "%s-shm", path);
	unlink(more);
}

TestSuite(store, .init = setup, .fini = teardown);

static struct actor as(const char *username)
{
	struct actor a;
	struct xerr err;

	cr_assert_eq(svc_actor_for_user(app, username, &a, &err), 0, "%s", err.message);
	return a;
}

static json_t *body(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	cr_assert_not_null(j, "bad test JSON: %s", e.text);
	return j;
}

static const char *reg_body =
	"{\"channel\":\"letter\",\"kind\":\"claim\",\"purpose\":\"demand\",\"category\":\"0102\","
	"\"locality\":\"230102\",\"title\":\"占道经营噪声扰民\",\"content\":\"小区门口夜市每晚营业到凌晨\","
	"\"request\":\"依法整治\",\"petitioners\":[{\"name\":\"刘明\",\"phone\":\"13912345678\"}]}";

/* Register a case as reg; returns its number in no[32] and the query code in code[9]. */
static void register_one(char no[32], char code[9])
{
	struct actor a = as("reg");
	struct xerr err;
	json_t *b = body(reg_body), *out = NULL;
	int status = 0;

	cr_assert_eq(svc_register(app, &a, t0, b, NULL, &status, &out, &err), 0, "%s", err.message);
	cr_assert_eq(status, 201);
	snprintf(no, 32, "%s", json_string_value(json_object_get(json_object_get(out, "case"), "no")));
	snprintf(code, 9, "%s", json_string_value(json_object_get(out, "query_code")));
	json_decref(b);
	json_decref(out);
}

/* Act as user; returns 0 or the error code via err. */
static int act(const char *username, const char *no, const char *action, const char *json,
	       int64_t when, struct xerr *err)
{
	struct actor a = as(username);
	json_t *cur = NULL, *b = body(json), *out = NULL;
	int64_t version;
	struct xerr e2;
	int rc;

	cr_assert_eq(svc_case_get(app, &a, no, &cur, &e2), 0, "%s cannot see %s: %s", username, no, e2.message);
	version = json_integer_value(json_object_get(cur, "version"));
	json_decref(cur);
	rc = svc_act(app, &a, when, no, action, version, b, &out, err);
	json_decref(b);
	json_decref(out);
	return rc;
}

static void must(const char *username, const char *no, const char *action, const char *json,
		 int64_t when)
{
	struct xerr err;

	cr_assert_eq(act(username, no, action, json, when, &err), 0, "%s %s: %s %s", username, action,
		     err.code, err.message);
}

static void digest(char out[65])
{
	cr_assert_eq(store_projection_digest(app->st, out), 0);
}

Test(store, migrations_are_idempotent)
{
	struct xerr err;
	struct store *again = store_open(path, &err);

	cr_assert_not_null(again, "reopening runs migrations again: %s", err.message);
	cr_assert_eq(store_schema_version(again), store_migrations[store_n_migrations - 1].version);
	store_close(again);
}

/* DESIGN.md section 6: events are the source of truth and never change */
Test(store, case_events_are_append_only)
{
	char no[32], code[9];

	register_one(no, code);
	cr_assert_neq(store_exec(app->st, "UPDATE case_events SET action='x'"), 0);
	cr_assert_neq(store_exec(app->st, "DELETE FROM case_events"), 0);
}

Test(store, unit_paths_nest)
{
	struct unit hlj, dl, cgj;

	cr_assert_eq(store_unit_by_code(app->st, "hlj", &hlj), 0);
	cr_assert_eq(store_unit_by_code(app->st, "dl", &dl), 0);
	cr_assert_eq(store_unit_by_code(app->st, "dl-cgj", &cgj), 0);
	cr_assert_str_eq(hlj.path, "/1/");
	cr_assert(strncmp(cgj.path, dl.path, strlen(dl.path)) == 0, "%s under %s", cgj.path, dl.path);
	cr_assert(strncmp(dl.path, hlj.path, strlen(hlj.path)) == 0);
}

/* R22 art. 35: review goes to the next level up, recheck to the one above it */
Test(store, petition_department_above_is_one_level_up)
{
	struct unit cgj, up, up2, hlj;

	cr_assert_eq(store_unit_by_code(app->st, "dl-cgj", &cgj), 0);
	cr_assert_eq(store_unit_petition_above(app->st, &cgj, &up), 0);
	cr_assert_str_eq(up.code, "hrb", "a county department is reviewed by the city, not its own county");
	cr_assert_eq(store_unit_petition_above(app->st, &up, &up2), 0);
	cr_assert_str_eq(up2.code, "hlj");
	cr_assert_eq(store_unit_by_code(app->st, "hlj", &hlj), 0);
	cr_assert_eq(store_unit_petition_above(app->st, &hlj, &up), 1, "nothing above the province here");
}

/* R22 art. 17/21: an online petition goes to the petition department of its locality */
Test(store, online_petition_finds_the_locality_bureau)
{
	struct unit u;

	cr_assert_eq(store_unit_petition_for_division(app->st, "230102", &u), 0);
	cr_assert_str_eq(u.code, "dl");
	cr_assert_eq(store_unit_petition_for_division(app->st, "230103", &u), 0);
	cr_assert_str_eq(u.code, "hrb", "no 南岗区 bureau: the city's receives it");
	cr_assert_eq(store_unit_petition_for_division(app->st, "230300", &u), 0);
	cr_assert_str_eq(u.code, "hlj");
}

Test(store, case_numbers_count_per_day)
{
	char a[32], b[32], code[9];

	register_one(a, code);
	register_one(b, code);
	cr_assert_str_eq(a, "XF2026030200001");
	cr_assert_str_eq(b, "XF2026030200002");
}

/* Out of scope reads as missing: another city's bureau cannot see the case */
Test(store, scope_hides_other_subtrees)
{
	char no[32], code[9];
	struct actor q = as("qqhr-disp"), h = as("handler");
	struct xerr err;
	json_t *out = NULL;

	register_one(no, code);
	cr_assert_eq(svc_case_get(app, &q, no, &out, &err), -1);
	cr_assert_eq(err.status, 404);
	cr_assert_str_eq(err.code, "case.not_found");
	cr_assert_eq(svc_case_get(app, &h, no, &out, &err), -1, "not sent to the handler's unit yet");
	must("reg", no, "transfer", "{\"lead_unit\":4}", t0 + 3600);
	cr_assert_eq(svc_case_get(app, &h, no, &out, &err), 0, "%s", err.message);
	json_decref(out);
}

/* A refused action changes nothing: same projections, same events */
Test(store, refusal_changes_nothing)
{
	char no[32], code[9], before[65], after[65];
	struct xerr err;

	register_one(no, code);
	digest(before);
	cr_assert_eq(act("reg", no, "accept", "{}", t0 + 60, &err), -1);
	cr_assert_str_eq(err.code, "flow.invalid_transition");
	cr_assert_eq(act("reg", no, "reject", "{\"reason\":\"不属于信访事项\",\"route\":\"bogus\"}", t0 + 60, &err), -1);
	cr_assert_str_eq(err.code, "validation.unknown_code");
	digest(after);
	cr_assert_str_eq(before, after);
}

/* `xinfang rebuild` regenerates every projection from the events: identical */
Test(store, rebuild_gives_identical_projections)
{
	char no[32], no2[32], code[9], code2[9], before[65], after[65];
	struct xerr err;
	json_t *out = NULL, *rate;
	int n;

	register_one(no, code);
	register_one(no2, code2);
	must("reg", no, "transfer", "{\"lead_unit\":4,\"co_units\":[5]}", t0 + 3600);
	must("handler", no, "accept", "{}", t0 + 7200);
	must("handler", no, "request_extension", "{\"days\":20,\"reason\":\"需现场核查\"}", t0 + 86400);
	must("handler", no, "approve_extension", "{}", t0 + 90000);
	must("handler", no, "reply",
	     "{\"outcome\":\"support\",\"facts\":\"经查属实\",\"opinion\":\"责令整改\","
	     "\"legal_basis\":\"《城市市容和环境卫生管理条例》第十四条\",\"delivery\":\"signed\"}",
	     t0 + 5 * 86400);
	must("reg", no, "approve", "{}", t0 + 6 * 86400);
	rate = body("{\"satisfaction\":\"fair\"}");
	cr_assert_eq(svc_public_act(app, t0 + 7 * 86400, no, code, "rate", rate, &out, &err), 0, "%s",
		     err.message);
	json_decref(rate);
	json_decref(out);
	must("reg", no2, "merge", "{\"into\":\"XF2026030200001\"}", t0 + 3600);
	cr_assert_eq(svc_rebuild(app, before, after, &n, &err), 0);
	cr_assert_str_eq(before, after);
	cr_assert_eq(n, 10);
}
