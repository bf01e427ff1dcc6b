/*
 * text_bench.c - repeat/related candidate search and full-text search over
 * ~1,000,000 synthetic petitions (issue 5), through the application's own
 * code, against brute force, SQLite LIKE and PostgreSQL pg_trgm, in one run
 * on the same data.
 *
 *   bench/text/text_bench [--cases N] [--queries N] [--pg-queries N]
 *                         [--search-queries N] [--reg N] [--seed N]
 *                         [--db PATH] [--keep] [--no-pg] [--doc PATH]
 *
 * 1. Fill, in a child process (its memory is not the measured process's):
 *    gen.c writes N petitions with ground truth (matters, persons, repeats,
 *    related writers); each is signed exactly as the register hook signs it
 *    (text_signature over "title content request"); app_open creates the
 *    database and the units and a registrar are added through the service;
 *    cases, petitioners (keyed identity hashes), case_units, case_text and
 *    (schema 9) case_fts are inserted with SQL. Then the brute-force ground
 *    truth: for Q sampled query cases every case with exact Jaccard >= 0.3
 *    (all N cases, exact, counted through an inverted list of the queries'
 *    shingles), and the time of a plain linear scan for a few of them.
 * 2. Measure, in this process, which opens the file with app_open (the
 *    LSH index is built from case_text at start, as the server does):
 *    index build time and memory; lsh_query and svc_similar_case (the
 *    service's top 10) latency and recall of the brute-force pairs;
 *    PostgreSQL pg_trgm similarity (`%`, GIN gin_trgm_ops) top 10 over the
 *    same texts; full-text search (case_fts MATCH through store_case_list,
 *    LIKE '%q%', pg_trgm ILIKE) for 2-, 3- and 6-character queries, common
 *    and rare, with the hit sets cross-checked; registration throughput
 *    through svc_register with detection on and off.
 * 3. Report in Markdown; with --doc, between <!-- text-bench:begin --> and
 *    <!-- text-bench:end --> in that file.
 *
 * Detection on/off: this program is linked with
 * -Wl,--wrap=similar_on_event,--wrap=similar_for_case, so the same binary
 * can register with the text hook and the candidate search of svc_register
 * (both in src/service/similar.c) switched off; nothing else changes.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "base/sm.h"
#include "base/xerr.h"
#include "base/xtime.h"
#include "service/case.h"
#include "service/pii.h"
#include "service/similar.h"
#include "service/svc.h"
#include "store/store.h"
#include "text/text.h"
#if __has_include("text/fts.h")
#include "text/fts.h"
#include "store/fts_sql.h"
#define HAVE_FTS 1
#else
#define HAVE_FTS 0
#endif

#include "gen.h"
#include "pg.h"
#include "proto.h"
#include "../util.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DOC_BEGIN "<!-- text-bench:begin -->"
#define DOC_END "<!-- text-bench:end -->"
#define LSH_CAP 200     /* similar.c's LSH_CANDIDATES */
#define JMIN 0.3        /* ground-truth pairs kept from this Jaccard up */
#define TARGET_J 0.6    /* the recall target's threshold */
#define SCAN_QUERIES 5  /* linear brute-force scans timed */
#define PROTO_QUERIES 300 /* queries for each prototype variant */
#define FTS_WINDOW_S "2000" /* the search prototype ranks the newest this many matches */
#define PASSWORD "Bench-Registrar-2026"
/* the peers' queries, sent with PQexecParams (an unnamed statement: planned
 * with the value, as pg_trgm needs to use its index for LIKE) */
#define SIM_SQL "SELECT id FROM docs WHERE body % $1 AND id <> $2 ORDER BY similarity(body, $1) DESC, id DESC LIMIT 10"
#define ILIKE_SQL "SELECT id FROM docs WHERE body ILIKE $1 ORDER BY id DESC LIMIT 20"

/* ---- options ---------------------------------------------------------------------- */

struct opts {
	long cases;
	int queries, pg_queries, search_queries, reg;
	uint64_t seed;
	char db[512];
	int keep, no_pg;
	const char *doc;
	char cmd[1024];
};

static void usage(void)
{
	fprintf(stderr, "usage: text_bench [--cases N] [--queries N] [--pg-queries N] [--search-queries N] [--reg N]\n"
			"                  [--seed N] [--db PATH] [--keep] [--no-pg] [--doc PATH]\n");
	exit(2);
}

static long num_arg(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s ? s : "", &end, 10);
	if (!s || errno || *end || v < lo || v > hi)
		usage();
	return v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	size_t used = 0;
	int i;

	memset(o, 0, sizeof *o);
	o->cases = 1000000;
	o->queries = 1000;
	o->pg_queries = 100;
	o->search_queries = 20;
	o->reg = 1000;
	o->seed = 20260522;
	snprintf(o->db, sizeof o->db, "/tmp/xinfang-text-bench-%ld.db", (long)getpid());
	for (i = 0; i < argc; i++) {
		int n = snprintf(o->cmd + used, sizeof o->cmd - used, "%s%s", i ? " " : "", argv[i]);

		if (n > 0 && (size_t)n < sizeof o->cmd - used)
			used += (size_t)n;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--cases") == 0)
			o->cases = num_arg(v, 1000, 20000000), i++;
		else if (strcmp(a, "--queries") == 0)
			o->queries = (int)num_arg(v, 10, 100000), i++;
		else if (strcmp(a, "--pg-queries") == 0)
			o->pg_queries = (int)num_arg(v, 0, 100000), i++;
		else if (strcmp(a, "--search-queries") == 0)
			o->search_queries = (int)num_arg(v, 1, 64), i++;
		else if (strcmp(a, "--reg") == 0)
			o->reg = (int)num_arg(v, 0, 100000), i++;
		else if (strcmp(a, "--seed") == 0)
			o->seed = (uint64_t)num_arg(v, 0, 0x7fffffffL), i++;
		else if (strcmp(a, "--db") == 0) {
			if (!v)
				usage();
			snprintf(o->db, sizeof o->db, "%s", v);
			i++;
		} else if (strcmp(a, "--doc") == 0) {
			if (!v)
				usage();
			o->doc = v;
			i++;
		} else if (strcmp(a, "--keep") == 0)
			o->keep = 1;
		else if (strcmp(a, "--no-pg") == 0)
			o->no_pg = 1;
		else
			usage();
	}
	if (o->queries > o->cases / 2)
		o->queries = (int)(o->cases / 2);
	if (o->pg_queries > o->queries)
		o->pg_queries = o->queries;
}

/* ---- cleanup: the database and the PostgreSQL cluster go whatever happens ---------- */

static char g_db[512];
static int g_keep;
static struct pg g_pg;
static pid_t g_parent;
static int g_pg_ok;

static void cleanup(void)
{
	if (getpid() != g_parent)
		return;
	pg_stop(&g_pg);
	if (!g_keep && g_db[0])
		remove_db(g_db);
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fail_check(const char *what)
{
	fprintf(stderr, "text_bench: VERIFICATION FAILED: %s\n", what);
	exit(1);
}

static double query_dbl(sqlite3 *db, const char *key)
{
	sqlite3_stmt *s = bench_prep(db, "SELECT val FROM bench_meta WHERE key=?");
	double v = 0;

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void meta_put(sqlite3 *db, const char *key, double v)
{
	sqlite3_stmt *s = bench_prep(db, "INSERT OR REPLACE INTO bench_meta(key, val) VALUES(?,?)");

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 2, v);
	bench_step_done(db, s, "bench_meta");
	sqlite3_finalize(s);
}

static int table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *s = bench_prep(db, "SELECT count(*) FROM sqlite_master WHERE name=?");
	int n = 0;

	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n > 0;
}

/* ---- detection on and off (see the top of the file) -------------------------------- */

static int g_detect = 1;

struct proto_opts;
int __real_similar_on_event(struct app *app, const struct event *ev);
int __wrap_similar_on_event(struct app *app, const struct event *ev);
json_t *__real_similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit);
json_t *__wrap_similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit);

int __wrap_similar_on_event(struct app *app, const struct event *ev)
{
	return g_detect ? __real_similar_on_event(app, ev) : 0;
}

/* g_detect 2: the register hook as shipped, and the candidates of prototype
 * variant 5 (proto.c) instead of similar_for_case - their ids only */
static const struct proto_opts *g_lean;

json_t *__wrap_similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit)
{
	if (g_detect == 2 && g_lean) {
		int64_t ids[64];
		struct proto_time pt;
		int n = proto_find(app, a, case_id, g_lean, ids, limit < 64 ? limit : 64, &pt), i;
		json_t *out = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(out, json_pack("{s:I}", "id", (json_int_t)ids[i]));
		return out;
	}
	return g_detect ? __real_similar_for_case(app, a, case_id, limit) : json_array();
}

/* ---- the organisation ------------------------------------------------------------ */

struct bunit {
	const char *code, *name, *parent, *level, *division;
};

static const struct bunit bunits[] = {
	{ "hlj-xfj", "黑龙江省信访局", NULL, "province", "230000" },
	{ "hrb-xfj", "哈尔滨市信访局", "hlj-xfj", "city", "230100" },
	{ "dl-xfj", "道里区信访局", "hrb-xfj", "county", "230102" },
	{ "bx-xfj", "宾县信访局", "hrb-xfj", "county", "230125" },
	{ "qqhr-xfj", "齐齐哈尔市信访局", "hlj-xfj", "city", "230200" },
	{ "lj-xfj", "龙江县信访局", "qqhr-xfj", "county", "230221" },
};

/* the petition department that registers a case of this locality */
static int reg_unit(const char *div)
{
	int i;

	for (i = N_OF(bunits) - 1; i >= 0; i--)
		if (strcmp(bunits[i].division, div) == 0)
			return i;
	if (strncmp(div, "2301", 4) == 0)
		return 1;
	if (strncmp(div, "2302", 4) == 0)
		return 4;
	return 0;
}

static void add_units(struct app *app, int64_t ids[])
{
	struct xerr err;
	int i;

	for (i = 0; i < N_OF(bunits); i++) {
		const struct bunit *b = &bunits[i];
		struct unit u;

		if (svc_unit_add(app, b->code, b->name, b->parent, "petition", b->level, b->division, &err)) {
			fprintf(stderr, "text_bench: unit %s: %s\n", b->code, err.message);
			exit(1);
		}
		if (store_unit_by_code(app->st, b->code, &u) != 0)
			bench_die("unit lookup", NULL);
		ids[i] = u.id;
	}
	if (svc_user_add(app, "bench-registrar", "登记员", "hlj-xfj", "registrar,dispatcher", PASSWORD, xtime_now(),
			 &err)) {
		fprintf(stderr, "text_bench: user: %s\n", err.message);
		exit(1);
	}
}

/* ---- 1. fill -------------------------------------------------------------------------- */

struct signed_text {
	uint64_t *sh; /* shingles, sorted */
	uint32_t nsh;
	uint32_t sig[TEXT_K];
};

struct sign_job {
	const struct gen_corpus *g;
	struct signed_text *st;
	size_t from, to;
	int failed;
};

static char *case_text_of(const struct gen_case *c)
{
	size_t n = strlen(c->title) + strlen(c->content) + strlen(c->request) + 3;
	char *s = malloc(n);

	if (s) /* exactly as similar.c's case_text() */
		snprintf(s, n, "%s %s %s", c->title, c->content, c->request);
	return s;
}

static void *sign_main(void *arg)
{
	struct sign_job *j = arg;
	size_t i;

	for (i = j->from; i < j->to; i++) {
		char *s = case_text_of(&j->g->c[i]), *norm = s ? text_normalise(s, TEXT_T2S) : NULL;
		size_t n = 0;
		struct signed_text *t = &j->st[i];

		t->sh = norm ? text_shingles(norm, &n) : NULL;
		t->nsh = (uint32_t)n;
		text_minhash(t->sh, n, t->sig);
		if (!norm || (n && !t->sh))
			j->failed = 1;
		free(s);
		free(norm);
	}
	return NULL;
}

/* the brute force: every case with Jaccard >= JMIN against each query */
struct bf_pair {
	int32_t q;   /* query index */
	int32_t c;   /* case index */
	float j;
};

struct bf_index {
	uint64_t *key; /* open addressing, 0 = empty (a shingle hash of 0 is remapped) */
	uint32_t *off, *cnt;
	uint32_t *list;
	size_t cap;
};

static uint64_t bkey(uint64_t s)
{
	return s ? s : 1;
}

static size_t bslot(const struct bf_index *x, uint64_t k)
{
	size_t i = (size_t)(mix64(k) & (x->cap - 1));

	while (x->key[i] && x->key[i] != k)
		i = (i + 1) & (x->cap - 1);
	return i;
}

struct bf_job {
	const struct signed_text *st;
	const struct bf_index *ix;
	const int32_t *qidx;
	int nq;
	size_t from, to;
	struct bf_pair *pairs;
	size_t np, cap;
	int failed;
};

static void *bf_main(void *arg)
{
	struct bf_job *j = arg;
	uint32_t *cnt = calloc((size_t)j->nq, sizeof *cnt);
	int32_t *touched = malloc((size_t)j->nq * sizeof *touched);
	size_t d, k;
	int nt, t;

	if (!cnt || !touched) {
		j->failed = 1;
		goto out;
	}
	for (d = j->from; d < j->to; d++) {
		const struct signed_text *td = &j->st[d];

		nt = 0;
		for (k = 0; k < td->nsh; k++) {
			uint64_t key = bkey(td->sh[k]);
			size_t s = bslot(j->ix, key);
			uint32_t u;

			if (!j->ix->key[s])
				continue;
			for (u = 0; u < j->ix->cnt[s]; u++) {
				uint32_t q = j->ix->list[j->ix->off[s] + u];

				if (cnt[q]++ == 0)
					touched[nt++] = (int32_t)q;
			}
		}
		for (t = 0; t < nt; t++) {
			int32_t q = touched[t];
			const struct signed_text *tq = &j->st[j->qidx[q]];
			double jac = (double)cnt[q] / (double)(tq->nsh + td->nsh - cnt[q]);

			cnt[q] = 0;
			if (jac >= JMIN && (size_t)j->qidx[q] != d) {
				if (j->np == j->cap) {
					size_t c = j->cap ? j->cap * 2 : 4096;
					struct bf_pair *np = realloc(j->pairs, c * sizeof *np);

					if (!np) {
						j->failed = 1;
						goto out;
					}
					j->pairs = np;
					j->cap = c;
				}
				j->pairs[j->np].q = q;
				j->pairs[j->np].c = (int32_t)d;
				j->pairs[j->np++].j = (float)jac;
			}
		}
	}
out:
	free(cnt);
	free(touched);
	return NULL;
}

static void pg_exec_fill(PGconn *pc, const char *sql)
{
	PGresult *r = PQexec(pc, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "text_bench: %s: %s", sql, PQerrorMessage(pc));
		exit(1);
	}
	PQclear(r);
}

/* COPY the texts as case_text() joins them, in the text format */
static void pg_copy(PGconn *pc, const struct gen_corpus *g)
{
	PGresult *pr = PQexec(pc, "COPY docs(id, body) FROM STDIN");
	size_t i;

	if (PQresultStatus(pr) != PGRES_COPY_IN)
		bench_die("COPY", NULL);
	PQclear(pr);
	for (i = 0; i < g->n; i++) {
		char *b = case_text_of(&g->c[i]), line[40000];
		const char *p;
		int n = snprintf(line, sizeof line, "%lld\t", (long long)i + 1);

		if (!b)
			bench_die("out of memory", NULL);
		for (p = b; *p && n < (int)sizeof line - 4; p++) {
			if (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r') {
				line[n++] = '\\';
				line[n++] = *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
			} else
				line[n++] = *p;
		}
		line[n++] = '\n';
		free(b);
		if (PQputCopyData(pc, line, n) != 1)
			bench_die("PQputCopyData", NULL);
	}
	if (PQputCopyEnd(pc, NULL) != 1)
		bench_die("PQputCopyEnd", NULL);
	pr = PQgetResult(pc);
	if (PQresultStatus(pr) != PGRES_COMMAND_OK) {
		fprintf(stderr, "text_bench: COPY: %s", PQerrorMessage(pc));
		exit(1);
	}
	PQclear(pr);
	while ((pr = PQgetResult(pc)) != NULL)
		PQclear(pr);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void fill(const struct opts *o)
{
	struct gen_corpus g;
	struct signed_text *st;
	struct app *app;
	struct xerr err;
	sqlite3 *db;
	sqlite3_stmt *ins_case, *ins_pet, *ins_cu, *ins_text, *ins_truth, *ins_q, *ins_bf;
	int64_t unit_ids[N_OF(bunits)];
	double t0, t_gen, t_sign, t_insert, t_fts = 0, t_bf, t_scan = 0, t_pg_load = 0, t_pg_index0 = 0, t_pg_index = 0;
	PGconn *pc = NULL;
	size_t i, k, total_chars = 0, total_sh = 0;
	int32_t *qidx;
	int nq = o->queries, q, have_fts;
	struct sign_job sj[2];
	struct bf_job bj[2];
	pthread_t th[2];
	struct gen_rng r = { o->seed ^ 0x717565726965ull };
	char day[9], prev_day[9] = "", no[32], date[11];
	long seq = 0;
	uint64_t role_n[GEN__ROLES] = { 0 };

	/* the corpus */
	t0 = now_ms();
	if (gen_corpus(&g, (size_t)o->cases, o->seed))
		bench_die("out of memory (corpus)", NULL);
	t_gen = (now_ms() - t0) / 1000;
	fprintf(stderr, "text_bench: %zu cases generated in %.1f s (%zu matters, %zu persons)\n", g.n, t_gen, g.matters,
		g.np);

	/* signatures and shingles, on both cores */
	st = calloc(g.n, sizeof *st);
	if (!st)
		bench_die("out of memory (signatures)", NULL);
	t0 = now_ms();
	for (k = 0; k < 2; k++) {
		sj[k].g = &g;
		sj[k].st = st;
		sj[k].from = g.n * k / 2;
		sj[k].to = g.n * (k + 1) / 2;
		sj[k].failed = 0;
		if (pthread_create(&th[k], NULL, sign_main, &sj[k]))
			bench_die("pthread_create", NULL);
	}
	for (k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	if (sj[0].failed || sj[1].failed)
		bench_die("signing failed", NULL);
	t_sign = (now_ms() - t0) / 1000;
	for (i = 0; i < g.n; i++) {
		total_sh += st[i].nsh;
		total_chars += strlen(g.c[i].title) + strlen(g.c[i].content) + strlen(g.c[i].request);
		role_n[g.c[i].role]++;
	}
	fprintf(stderr, "text_bench: signed in %.1f s (2 threads)\n", t_sign);

	/* PostgreSQL: the same texts, then its index built while SQLite is filled */
	if (g_pg_ok) {
		pc = pg_connect(&g_pg);
		if (!pc)
			bench_die("PostgreSQL connection (fill)", NULL);
		pg_exec_fill(pc, "CREATE TABLE docs(id bigint PRIMARY KEY, body text NOT NULL)");
		t0 = now_ms();
		pg_copy(pc, &g);
		pg_exec_fill(pc, "VACUUM ANALYZE docs");
		t_pg_load = (now_ms() - t0) / 1000;
		fprintf(stderr, "text_bench: PostgreSQL loaded in %.1f s; building its index meanwhile\n", t_pg_load);
		t_pg_index0 = now_ms();
		if (!PQsendQuery(pc, "CREATE INDEX docs_trgm ON docs USING gin (body gin_trgm_ops); ANALYZE docs"))
			bench_die("PQsendQuery", NULL);
	}

	/* the database */
	app = app_open(o->db, &err);
	if (!app) {
		fprintf(stderr, "text_bench: app_open: %s\n", err.message);
		exit(1);
	}
	add_units(app, unit_ids);
	db = app->st->db;
	have_fts = table_exists(db, "case_fts");
	bench_exec(db, "PRAGMA journal_mode=OFF");
	bench_exec(db, "PRAGMA synchronous=OFF");
	bench_exec(db, "PRAGMA cache_size=-1048576");
	bench_exec(db, "CREATE TABLE bench_meta(key TEXT PRIMARY KEY, val)");
	bench_exec(db, "CREATE TABLE bench_truth(case_id INTEGER PRIMARY KEY, matter INTEGER, person INTEGER, role INTEGER,"
		 " topic INTEGER, nsh INTEGER)");
	bench_exec(db, "CREATE TABLE bench_queries(qi INTEGER PRIMARY KEY, case_id INTEGER)");
	bench_exec(db, "CREATE TABLE bench_brute(qi INTEGER, case_id INTEGER, j REAL)");
	t0 = now_ms();
	bench_exec(db, "BEGIN");
	ins_case = bench_prep(db, "INSERT INTO cases(id, no, version, state, channel, kind, purpose, category, locality, title,"
			    " content, request, flags, people_count, involved_count, petition_date, query_hash,"
			    " registered_at, registered_unit_id, dispatch_unit_id, holder_unit_id, updated_at)"
			    " VALUES(?1,?2,1,'registered',?3,?4,?5,?6,?7,?8,?9,?10,'[]',1,1,?11,?12,?13,?14,?14,?14,?13)");
	ins_pet = bench_prep(db, "INSERT INTO petitioners(case_id, ord, name, id_type, id_number_idx, id_number_mask,"
			   " phone_idx, phone_mask, address_code) VALUES(?1,0,?2,'resident_id',?3,?4,?5,?6,?7)");
	ins_cu = bench_prep(db, "INSERT INTO case_units VALUES(?1,?2,'registrar')");
	ins_text = bench_prep(db, "INSERT INTO case_text(case_id, sig) VALUES(?1,?2)");
	ins_truth = bench_prep(db, "INSERT INTO bench_truth VALUES(?1,?2,?3,?4,?5,?6)");
	for (i = 0; i < g.n; i++) {
		const struct gen_case *c = &g.c[i];
		const struct gen_person *p = &g.p[c->person];
		int64_t id = (int64_t)i + 1;
		char key[32], idx_id[2 * SM3_BYTES + 1], idx_ph[2 * SM3_BYTES + 1], mask_id[24], mask_ph[16], qh[65];

		xtime_day(c->at, day);
		if (strcmp(day, prev_day) != 0)
			seq = 0, memcpy(prev_day, day, sizeof day);
		snprintf(no, sizeof no, "XF%.8s%05ld", day, ++seq);
		xtime_date(c->at, date);
		pii_id_key(p->id_number, key);
		sm_index(&app->keys, key, idx_id);
		pii_phone_key(p->phone, key);
		sm_index(&app->keys, key, idx_ph);
		snprintf(mask_id, sizeof mask_id, "%.3s***********%.4s", p->id_number, p->id_number + 14);
		snprintf(mask_ph, sizeof mask_ph, "%.3s****%.4s", p->phone, p->phone + 7);
		snprintf(qh, sizeof qh, "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64, gen_next(&r), gen_next(&r),
			 gen_next(&r), gen_next(&r));
		sqlite3_bind_int64(ins_case, 1, id);
		sqlite3_bind_text(ins_case, 2, no, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_case, 3, gen_channels[c->channel], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 4, c->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 5, c->purpose, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 6, c->category, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 7, c->division, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 8, c->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 9, c->content, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 10, c->request, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_case, 11, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_case, 12, qh, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins_case, 13, c->at);
		sqlite3_bind_int64(ins_case, 14, unit_ids[reg_unit(c->division)]);
		bench_step_done(db, ins_case, "insert case");
		sqlite3_bind_int64(ins_pet, 1, id);
		sqlite3_bind_text(ins_pet, 2, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_pet, 3, idx_id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_pet, 4, mask_id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_pet, 5, idx_ph, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_pet, 6, mask_ph, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_pet, 7, p->division, -1, SQLITE_STATIC);
		bench_step_done(db, ins_pet, "insert petitioner");
		sqlite3_bind_int64(ins_cu, 1, id);
		sqlite3_bind_int64(ins_cu, 2, unit_ids[reg_unit(c->division)]);
		bench_step_done(db, ins_cu, "insert case_units");
		sqlite3_bind_int64(ins_text, 1, id);
		sqlite3_bind_blob(ins_text, 2, st[i].sig, (int)sizeof st[i].sig, SQLITE_STATIC);
		bench_step_done(db, ins_text, "insert case_text");
		sqlite3_bind_int64(ins_truth, 1, id);
		sqlite3_bind_int64(ins_truth, 2, c->matter);
		sqlite3_bind_int64(ins_truth, 3, c->person);
		sqlite3_bind_int(ins_truth, 4, c->role);
		sqlite3_bind_int(ins_truth, 5, c->topic);
		sqlite3_bind_int64(ins_truth, 6, st[i].nsh);
		bench_step_done(db, ins_truth, "insert truth");
	}
	bench_exec(db, "COMMIT");
	sqlite3_finalize(ins_case);
	sqlite3_finalize(ins_pet);
	sqlite3_finalize(ins_cu);
	sqlite3_finalize(ins_text);
	sqlite3_finalize(ins_truth);
	t_insert = (now_ms() - t0) / 1000;
	fprintf(stderr, "text_bench: inserted in %.1f s\n", t_insert);
#if HAVE_FTS
	if (have_fts) { /* the migration's own statement (schema 9) */
		t0 = now_ms();
		bench_exec(db, "BEGIN");
		bench_exec(db, FTS_FILL_ALL);
		bench_exec(db, "COMMIT");
		t_fts = (now_ms() - t0) / 1000;
		fprintf(stderr, "text_bench: case_fts filled in %.1f s\n", t_fts);
	}
#endif

	/* the queries: a uniform sample of the cases */
	qidx = malloc((size_t)nq * sizeof *qidx);
	if (!qidx)
		bench_die("out of memory", NULL);
	{
		uint8_t *used = calloc(g.n, 1);

		for (q = 0; q < nq;) {
			size_t c = (size_t)(gen_next(&r) % g.n);

			if (!used[c])
				used[c] = 1, qidx[q++] = (int32_t)c;
		}
		free(used);
	}

	/* brute force through an inverted list of the queries' shingles: exact */
	t0 = now_ms();
	{
		struct bf_index ix = { 0 };
		size_t total = 0, u;
		uint64_t *keys;

		for (q = 0; q < nq; q++)
			total += st[qidx[q]].nsh;
		ix.cap = 1;
		while (ix.cap < total * 2 + 16)
			ix.cap <<= 1;
		ix.key = calloc(ix.cap, sizeof *ix.key);
		ix.off = calloc(ix.cap, sizeof *ix.off);
		ix.cnt = calloc(ix.cap, sizeof *ix.cnt);
		ix.list = malloc((total + 1) * sizeof *ix.list);
		keys = malloc((total + 1) * sizeof *keys);
		if (!ix.key || !ix.off || !ix.cnt || !ix.list || !keys)
			bench_die("out of memory (brute force)", NULL);
		for (q = 0; q < nq; q++) /* count */
			for (k = 0; k < st[qidx[q]].nsh; k++) {
				size_t s = bslot(&ix, bkey(st[qidx[q]].sh[k]));

				ix.key[s] = bkey(st[qidx[q]].sh[k]);
				ix.cnt[s]++;
			}
		for (u = 0, total = 0; u < ix.cap; u++) /* offsets */
			if (ix.key[u]) {
				ix.off[u] = (uint32_t)total;
				total += ix.cnt[u];
				ix.cnt[u] = 0;
			}
		for (q = 0; q < nq; q++)
			for (k = 0; k < st[qidx[q]].nsh; k++) {
				size_t s = bslot(&ix, bkey(st[qidx[q]].sh[k]));

				ix.list[ix.off[s] + ix.cnt[s]++] = (uint32_t)q;
			}
		free(keys);
		(void)cmp_u64;
		for (k = 0; k < 2; k++) {
			memset(&bj[k], 0, sizeof bj[k]);
			bj[k].st = st;
			bj[k].ix = &ix;
			bj[k].qidx = qidx;
			bj[k].nq = nq;
			bj[k].from = g.n * k / 2;
			bj[k].to = g.n * (k + 1) / 2;
			if (pthread_create(&th[k], NULL, bf_main, &bj[k]))
				bench_die("pthread_create", NULL);
		}
		for (k = 0; k < 2; k++)
			pthread_join(th[k], NULL);
		if (bj[0].failed || bj[1].failed)
			bench_die("brute force failed", NULL);
		free(ix.key);
		free(ix.off);
		free(ix.cnt);
		free(ix.list);
	}
	t_bf = (now_ms() - t0) / 1000;
	/* and the plain way, for its time: every case's Jaccard against a few queries, one thread */
	{
		int nscan = nq < SCAN_QUERIES ? nq : SCAN_QUERIES;
		size_t hits = 0;

		t0 = now_ms();
		for (q = 0; q < nscan; q++)
			for (i = 0; i < g.n; i++)
				hits += text_jaccard(st[qidx[q]].sh, st[qidx[q]].nsh, st[i].sh, st[i].nsh) >= TARGET_J;
		t_scan = (now_ms() - t0) / nscan;
		meta_put(db, "scan_hits", (double)hits);
	}
	fprintf(stderr, "text_bench: brute force in %.1f s; a linear scan takes %.0f ms a query\n", t_bf, t_scan);
	bench_exec(db, "BEGIN");
	ins_q = bench_prep(db, "INSERT INTO bench_queries VALUES(?1,?2)");
	for (q = 0; q < nq; q++) {
		sqlite3_bind_int(ins_q, 1, q);
		sqlite3_bind_int64(ins_q, 2, (int64_t)qidx[q] + 1);
		bench_step_done(db, ins_q, "insert query");
	}
	sqlite3_finalize(ins_q);
	ins_bf = bench_prep(db, "INSERT INTO bench_brute VALUES(?1,?2,?3)");
	for (k = 0; k < 2; k++)
		for (i = 0; i < bj[k].np; i++) {
			sqlite3_bind_int(ins_bf, 1, bj[k].pairs[i].q);
			sqlite3_bind_int64(ins_bf, 2, (int64_t)bj[k].pairs[i].c + 1);
			sqlite3_bind_double(ins_bf, 3, bj[k].pairs[i].j);
			bench_step_done(db, ins_bf, "insert brute");
		}
	sqlite3_finalize(ins_bf);
	bench_exec(db, "COMMIT");
	if (pc) { /* the index, built meanwhile */
		PGresult *pr;

		while ((pr = PQgetResult(pc)) != NULL) {
			if (PQresultStatus(pr) != PGRES_COMMAND_OK) {
				fprintf(stderr, "text_bench: PostgreSQL index: %s", PQerrorMessage(pc));
				exit(1);
			}
			PQclear(pr);
		}
		t_pg_index = (now_ms() - t_pg_index0) / 1000;
		PQfinish(pc);
		fprintf(stderr, "text_bench: PostgreSQL index ready after %.0f s\n", t_pg_index);
	}
	meta_put(db, "pg_load_s", t_pg_load);
	meta_put(db, "pg_index_s", t_pg_index);
	meta_put(db, "gen_s", t_gen);
	meta_put(db, "sign_s", t_sign);
	meta_put(db, "insert_s", t_insert);
	meta_put(db, "fts_s", t_fts);
	meta_put(db, "brute_s", t_bf);
	meta_put(db, "scan_ms", t_scan);
	meta_put(db, "matters", (double)g.matters);
	meta_put(db, "persons", (double)g.np);
	meta_put(db, "first", (double)role_n[GEN_FIRST]);
	meta_put(db, "repeat", (double)role_n[GEN_REPEAT]);
	meta_put(db, "related", (double)role_n[GEN_RELATED]);
	meta_put(db, "chars", (double)total_chars / 3.0 / (double)g.n); /* nearly all 3-byte characters */
	meta_put(db, "shingles", (double)total_sh / (double)g.n);
	meta_put(db, "fill_rss_mib", (double)rss_peak_kib() / 1024.0);
	/* random pairs of the same topic: how alike unrelated petitions are */
	{
		double sum = 0, mx = 0, v[4000];
		int n = 0;

		while (n < 4000) {
			size_t a = (size_t)(gen_next(&r) % g.n), b = (size_t)(gen_next(&r) % g.n);

			if (g.c[a].topic != g.c[b].topic || g.c[a].matter == g.c[b].matter)
				continue;
			v[n] = text_jaccard(st[a].sh, st[a].nsh, st[b].sh, st[b].nsh);
			sum += v[n];
			if (v[n] > mx)
				mx = v[n];
			n++;
		}
		meta_put(db, "rand_mean", sum / n);
		meta_put(db, "rand_p99", pct_of(v, n).p99);
		meta_put(db, "rand_max", mx);
	}
	bench_exec(db, "CREATE INDEX bench_brute_q ON bench_brute(qi)");
	bench_exec(db, "CREATE INDEX bench_truth_matter ON bench_truth(matter)");
	bench_exec(db, "PRAGMA journal_mode=WAL");
	app_close(app);
	for (i = 0; i < g.n; i++)
		free(st[i].sh);
	free(st);
	free(qidx);
	for (k = 0; k < 2; k++)
		free(bj[k].pairs);
	gen_free(&g);
}

/* ---- 2. measure ------------------------------------------------------------------------ */

struct truth {
	int32_t matter, person;
	uint8_t role, topic;
	uint16_t nsh;
};

/* case numbers -> ids (similar_for_case answers with numbers) */
struct noid {
	char no[16];
	int64_t id;
};

static struct noid *g_nos;
static size_t g_nnos;
static char (*g_no_of)[16]; /* by id */

static int noid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct noid *)a)->no, ((const struct noid *)b)->no);
}

static int64_t id_of_no(const char *no)
{
	struct noid k, *f;

	snprintf(k.no, sizeof k.no, "%s", no);
	f = bsearch(&k, g_nos, g_nnos, sizeof k, noid_cmp);
	return f ? f->id : 0;
}

/* sorted lists of ground-truth pairs per query */
struct qtruth {
	int64_t id;            /* the query case */
	int64_t *c;            /* cases with J >= JMIN, by id */
	float *j;
	int n;
};

static int has_id(const int64_t *v, int n, int64_t id)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

/* recall of the pairs with J >= thr: in a candidate list (found / all) */
struct recall {
	long found, all;
};

static void recall_add(struct recall *r, const struct qtruth *t, double thr, const int64_t *got, int ngot)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->j[i] >= thr) {
			r->all++;
			r->found += has_id(got, ngot, t->c[i]);
		}
}

/* recall at k: of the min(k, |pairs|) best pairs, how many are in the k answers */
static void recall_at_add(struct recall *r, const struct qtruth *t, double thr, const int64_t *got, int ngot, int k)
{
	int i, n = 0, f = 0;

	for (i = 0; i < t->n; i++)
		if (t->j[i] >= thr) {
			n++;
			f += has_id(got, ngot, t->c[i]);
		}
	r->all += n < k ? n : k;
	r->found += f < k ? f : k;
}

/* the answers with Jaccard >= 0.3 (those a relation can be proposed for) are
 * the same set in both lists */
static int same_strong(const struct qtruth *t, const int64_t *a, int na, const int64_t *b, int nb)
{
	int i, ka = 0, kb = 0;

	for (i = 0; i < t->n; i++) {
		int ia = has_id(a, na, t->c[i]), ib = has_id(b, nb, t->c[i]);

		if (ia != ib)
			return 0;
		ka += ia, kb += ib;
	}
	return ka == kb;
}

static double ratio(struct recall r)
{
	return r.all ? (double)r.found / (double)r.all : 1.0;
}

/* a search query and what each method found */
struct squery {
	char q[32];
	int len, common;
	int64_t df_fts, df_like, df_pg;
	double t_fts[8], t_like[8], t_instr[8], t_pg[8], t_new[8], t_win[8];
	int same_top;      /* LIKE and pg top 20 (newest first) identical */
};

/* CJK ideograph at p (3-byte UTF-8, U+4E00..U+9FFF) */
static int is_han(const unsigned char *p)
{
	unsigned cp;

	if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return 0;
	cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	return cp >= 0x4E00 && cp <= 0x9FFF;
}

struct cand {
	char s[32];
	int df;
};

static int cand_df_desc(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return y->df - x->df;
}

static int cand_df_asc(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->df != y->df ? x->df - y->df : strcmp(x->s, y->s);
}

/* Pick search queries of `len` characters from the texts: the most frequent
 * (common) and ones found once in a sample (rare). */
static int pick_queries(sqlite3 *db, int64_t ncases, int len, int per_class, struct gen_rng *r, struct squery *out)
{
	enum { SAMPLE = 6000, CANDS = 500 };
	char **docs = calloc(SAMPLE, sizeof *docs);
	struct cand *cand = calloc(CANDS, sizeof *cand);
	sqlite3_stmt *s = bench_prep(db, "SELECT title || ' ' || content || ' ' || request FROM cases WHERE id=?");
	int nd = 0, nc = 0, i, j, n = 0, tries = 0;

	if (!docs || !cand)
		bench_die("out of memory", NULL);
	for (i = 0; i < SAMPLE; i++) {
		sqlite3_bind_int64(s, 1, 1 + (int64_t)(gen_next(r) % (uint64_t)ncases));
		if (sqlite3_step(s) == SQLITE_ROW)
			docs[nd++] = strdup((const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	while (nc < CANDS && tries++ < CANDS * 200) {
		const unsigned char *d = (const unsigned char *)docs[gen_next(r) % (uint64_t)nd];
		size_t dl = strlen((const char *)d), at = (size_t)(gen_next(r) % (uint64_t)(dl ? dl : 1)), k;
		int ok = 1;

		while (at > 0 && (d[at] & 0xC0) == 0x80) /* the start of a character */
			at--;
		if (at + (size_t)len * 3 > dl)
			continue;
		for (k = 0; k < (size_t)len && ok; k++)
			ok = is_han(d + at + 3 * k);
		if (!ok)
			continue;
		memcpy(cand[nc].s, d + at, (size_t)len * 3);
		cand[nc].s[len * 3] = '\0';
		for (j = 0; j < nc && strcmp(cand[j].s, cand[nc].s); j++)
			;
		if (j == nc)
			nc++;
	}
	for (i = 0; i < nc; i++)
		for (j = 0; j < nd; j++)
			cand[i].df += strstr(docs[j], cand[i].s) != NULL;
	qsort(cand, (size_t)nc, sizeof *cand, cand_df_desc);
	for (i = 0; i < per_class && i < nc; i++, n++) {
		snprintf(out[n].q, sizeof out[n].q, "%s", cand[i].s);
		out[n].len = len;
		out[n].common = 1;
	}
	qsort(cand, (size_t)nc, sizeof *cand, cand_df_asc);
	for (i = 0; i < nc && n < 2 * per_class; i++)
		if (cand[i].df == 1) {
			snprintf(out[n].q, sizeof out[n].q, "%s", cand[i].s);
			out[n].len = len;
			out[n].common = 0;
			n++;
		}
	for (i = 0; i < nd; i++)
		free(docs[i]);
	free(docs);
	free(cand);
	return n;
}

/* append at most max bytes of s, cut at a character boundary */
static size_t append_cut(char *out, size_t cap, const char *sep, const char *s, size_t max)
{
	size_t n = strlen(s), o = strlen(out);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (o + strlen(sep) + n + 1 > cap)
		return o;
	o += (size_t)snprintf(out + o, cap - o, "%s%.*s", sep, (int)n, s);
	return o;
}

static void like_pattern(const char *q, char *out, size_t n)
{
	if (snprintf(out, n, "%%%s%%", q) >= (int)n) /* CJK-only queries: nothing to escape */
		bench_die("query too long", NULL);
}

/* ---- registration bodies ---- */
static json_t *reg_body(struct gen_rng *r, int64_t serial)
{
	char title[8192], content[8192], request[8192];
	struct gen_case k;
	struct gen_person p;

	gen_one(r, serial, &k, &p, title, content, request, sizeof title);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s}]}", "channel", gen_channels[k.channel], "kind",
			 k.kind, "purpose", k.purpose, "category", k.category, "locality", k.division, "title", title,
			 "content", content, "request", request, "petitioners", "name", p.name, "id_number", p.id_number,
			 "phone", p.phone);
}

static void fmt_ms(double v, char *out, size_t n)
{
	if (v >= 100)
		snprintf(out, n, "%.0f", v);
	else if (v >= 10)
		snprintf(out, n, "%.1f", v);
	else if (v >= 1)
		snprintf(out, n, "%.2f", v);
	else
		snprintf(out, n, "%.3f", v);
}

static const char *met(int ok)
{
	return ok ? "**met**" : "**missed**";
}

int main(int argc, char **argv)
{
	struct opts o;
	struct app *app;
	struct xerr err;
	struct actor actor;
	struct scope sc;
	sqlite3 *db;
	sqlite3_stmt *s;
	pid_t pid;
	int status, nq, q, i, k, have_fts, pg_ok = 0;
	double t0, t_total0 = now_ms(), t_open, t_reload, t_mem_build = 0, t_bulk = 0;
	int bulk_same = 0;
	size_t bulk_bytes = 0;
	long rss0, rss1;
	size_t lsh_n, lsh_b, mem_b = 0;
	struct truth *truth;
	struct qtruth *qt;
	uint32_t (*sigs)[TEXT_K];
	int64_t ncases;
	double *t_lsh, *t_svc, *t_top10, *n_cand, *t_pg;
	struct recall r_lsh_all[4] = { 0 }, r_lsh_cap[4] = { 0 }, r_svc10[4] = { 0 }, r_pg10 = { 0 }, r_pg_all = { 0 },
		      r_est10 = { 0 };
	static const double thr[4] = { 0.3, 0.5, 0.6, 0.8 };
	long capped = 0, svc_cands = 0;
	/* relation labels of the service's top 10 against the ground truth */
	long rel_tp[2] = { 0 }, rel_fp[2] = { 0 }, rel_gold[2] = { 0 }, rel_found[2] = { 0 };
	struct squery sq[6 * 64];
	int64_t (*svc_ids)[10];
	int *svc_n;
	static const struct proto_opts variants[] = {
		{ "0: `find()` as it was before adb8255 (a copy: the query re-signed, 200 candidates, exact Jaccard from estimate 0.15)", 200, 0.15, 0, 0, 0 },
		{ "1: the query's signature read from `case_text`, not re-signed", 200, 0.15, 1, 0, 0 },
		{ "2: 1 + candidates' statements prepared once, a brief read only when its estimate passes 0.15 or it came from the identity hashes", 200, 0.15, 1, 1, 0 },
		{ "3: 2 + exact Jaccard only from estimate 0.2 (below: the estimate; the same person always exact)", 200, 0.2, 1, 1, 0 },
		{ "4: 3 + 50 LSH candidates instead of 200", 50, 0.2, 1, 1, 0 },
		{ "5: 4 + only candidates that can be proposed (estimate >= 0.2, or the same person) are read and shown", 50, 0.2, 1, 1, 0.2 },
	};
	enum { NV = 6 };
	double *pv_total[NV];
	struct proto_time pv_sum[NV];
	struct recall pv_rec[NV];
	long pv_same[NV];
	int npq = 0;
	int nsq = 0;
	double reg_on_s = 0, reg_off_s = 0, reg_lean_s = 0, *t_reg_on = NULL, *t_reg_off = NULL, *t_reg_lean = NULL;
	int n_reg_on = 0, n_reg_off = 0, n_reg_lean = 0;
	double pg_load_s = 0, pg_index_s = 0;
	long long pg_index_bytes = 0, pg_table_bytes = 0;
	char pg_plan_sim[512] = "", pg_plan_like[6][512], fts_plan[512] = "";
	double pg_thr = 0.3;
	char cpu[256], rev[128];
	struct utsname un;
	char *md = NULL;
	size_t md_len = 0;
	FILE *m;

	parse_opts(argc, argv, &o);
	code_revision(rev, sizeof rev); /* the tree the library was built from (make rebuilds it first) */
	g_parent = getpid();
	snprintf(g_db, sizeof g_db, "%s", o.db);
	g_keep = o.keep;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setenv("XINFANG_LOG", "warn", 0);
	remove_db(o.db);
	memset(pg_plan_like, 0, sizeof pg_plan_like);

	/* 1. fill (PostgreSQL is started first, and the fill loads it) */
	if (!o.no_pg) {
		if (pg_start(&g_pg, "-c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=2GB"
				    " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
				    " -c max_wal_size=8GB -c checkpoint_timeout=1h") == 0) {
			pg_ok = 1;
			fprintf(stderr, "text_bench: PostgreSQL %s started in %s\n", g_pg.version, g_pg.dir);
		} else
			fprintf(stderr, "text_bench: going on without PostgreSQL\n");
	}
	g_pg_ok = pg_ok;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork", NULL);
	if (pid == 0) {
		fill(&o);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("the fill failed", NULL);

	/* 2. open as the server does: the LSH index is built from case_text */
	rss0 = rss_kib();
	t0 = now_ms();
	app = app_open(o.db, &err);
	if (!app) {
		fprintf(stderr, "text_bench: app_open: %s\n", err.message);
		return 1;
	}
	t_open = now_ms() - t0;
	rss1 = rss_kib();
	lsh_n = lsh_count(app->lsh);
	lsh_b = lsh_bytes(app->lsh);
	db = app->st->db;
	pthread_mutex_lock(&app->lock);
	t0 = now_ms();
	if (similar_reload(app))
		bench_die("similar_reload", NULL);
	t_reload = now_ms() - t0;
	pthread_mutex_unlock(&app->lock);
	ncases = bench_query_int(db, "SELECT count(*) FROM cases");
	have_fts = HAVE_FTS && table_exists(db, "case_fts");
	if (svc_actor_for_user(app, "bench-registrar", &actor, &err))
		bench_die("actor", NULL);
	scope_of(&actor, &sc);
	fprintf(stderr, "text_bench: opened in %.0f ms (index of %zu cases, %zu bytes)\n", t_open, lsh_n, lsh_b);

	/* ground truth and numbers into memory */
	truth = calloc((size_t)ncases + 1, sizeof *truth);
	g_nos = calloc((size_t)ncases + 1, sizeof *g_nos);
	g_no_of = calloc((size_t)ncases + 1, sizeof *g_no_of);
	sigs = malloc(((size_t)ncases + 1) * sizeof *sigs);
	if (!truth || !g_nos || !g_no_of || !sigs)
		bench_die("out of memory", NULL);
	s = bench_prep(db, "SELECT t.case_id, t.matter, t.person, t.role, t.topic, t.nsh, c.no, x.sig FROM bench_truth t"
		     " JOIN cases c ON c.id=t.case_id JOIN case_text x ON x.case_id=t.case_id");
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		if (id < 1 || id > ncases || sqlite3_column_bytes(s, 7) != (int)sizeof sigs[0])
			bench_die("bad truth row", NULL);
		truth[id].matter = sqlite3_column_int(s, 1);
		truth[id].person = sqlite3_column_int(s, 2);
		truth[id].role = (uint8_t)sqlite3_column_int(s, 3);
		truth[id].topic = (uint8_t)sqlite3_column_int(s, 4);
		truth[id].nsh = (uint16_t)sqlite3_column_int(s, 5);
		snprintf(g_nos[g_nnos].no, sizeof g_nos[0].no, "%s", (const char *)sqlite3_column_text(s, 6));
		memcpy(g_no_of[id], g_nos[g_nnos].no, sizeof g_no_of[0]);
		g_nos[g_nnos++].id = id;
		memcpy(sigs[id], sqlite3_column_blob(s, 7), sizeof sigs[0]);
	}
	sqlite3_finalize(s);
	qsort(g_nos, g_nnos, sizeof *g_nos, noid_cmp);
	nq = (int)bench_query_int(db, "SELECT count(*) FROM bench_queries");
	if (nq < 1)
		bench_die("no queries", NULL);
	if (o.pg_queries > nq)
		o.pg_queries = nq;
	qt = calloc((size_t)nq, sizeof *qt);
	t_lsh = calloc((size_t)nq, sizeof(double));
	t_svc = calloc((size_t)nq, sizeof(double));
	t_top10 = calloc((size_t)nq, sizeof(double));
	n_cand = calloc((size_t)nq, sizeof(double));
	t_pg = calloc((size_t)nq + 1, sizeof(double));
	svc_ids = calloc((size_t)nq, sizeof *svc_ids);
	svc_n = calloc((size_t)nq, sizeof *svc_n);
	if (!qt || !t_lsh || !t_svc || !t_top10 || !n_cand || !t_pg || !svc_ids || !svc_n)
		bench_die("out of memory", NULL);
	s = bench_prep(db, "SELECT case_id FROM bench_queries ORDER BY qi");
	for (q = 0; q < nq && sqlite3_step(s) == SQLITE_ROW; q++)
		qt[q].id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = bench_prep(db, "SELECT case_id, j FROM bench_brute WHERE qi=? ORDER BY j DESC");
	for (q = 0; q < nq; q++) {
		int cap = 0;

		sqlite3_bind_int(s, 1, q);
		while (sqlite3_step(s) == SQLITE_ROW) {
			if (qt[q].n == cap) {
				cap = cap ? cap * 2 : 16;
				qt[q].c = realloc(qt[q].c, (size_t)cap * sizeof *qt[q].c);
				qt[q].j = realloc(qt[q].j, (size_t)cap * sizeof *qt[q].j);
				if (!qt[q].c || !qt[q].j)
					bench_die("out of memory", NULL);
			}
			qt[q].c[qt[q].n] = sqlite3_column_int64(s, 0);
			qt[q].j[qt[q].n++] = (float)sqlite3_column_double(s, 1);
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);

	/* the index built in memory from the signatures (what similar_open costs without SQLite) */
	{
		struct lsh_index *x = lsh_new();
		int64_t id;

		t0 = now_ms();
		for (id = 1; id <= ncases; id++)
			if (lsh_add(x, id, sigs[id]))
				bench_die("lsh_add", NULL);
		t_mem_build = now_ms() - t0;
		mem_b = lsh_bytes(x);
		lsh_free(x);
	}

	/* a prototype: the same index built in bulk */
	{
		int64_t *qids = malloc((size_t)nq * sizeof *qids);

		if (!qids)
			bench_die("out of memory", NULL);
		for (q = 0; q < nq; q++)
			qids[q] = qt[q].id;
		t_bulk = proto_lsh_bulk((const uint32_t(*)[128])sigs, ncases, app->lsh, qids, nq < 100 ? nq : 100, &bulk_same,
					&bulk_bytes);
		free(qids);
	}

	/* candidate search: the index alone, and the service's top 10 */
	{
		int64_t *cand = malloc((size_t)(ncases + 1) * sizeof *cand), got[LSH_CAP];

		if (!cand)
			bench_die("out of memory", NULL);
		for (q = 0; q < nq; q++) {
			int64_t id = qt[q].id;
			size_t n, nall;
			int t;

			/* uncapped: what banding finds at all */
			nall = lsh_query(app->lsh, sigs[id], cand, (size_t)ncases);
			n_cand[q] = (double)nall;
			capped += nall > LSH_CAP;
			for (t = 0; t < 4; t++)
				recall_add(&r_lsh_all[t], &qt[q], thr[t], cand, (int)nall);
			/* as similar.c asks: at most 200, timed */
			t0 = now_ms();
			n = lsh_query(app->lsh, sigs[id], got, LSH_CAP);
			t_lsh[q] = now_ms() - t0;
			for (t = 0; t < 4; t++)
				recall_add(&r_lsh_cap[t], &qt[q], thr[t], got, (int)n);
			/* top 10 of those by the MinHash estimate (index-level, no SQLite) */
			{
				double best[10];
				int64_t bid[10];
				int nb = 0, b;

				t0 = now_ms();
				for (i = 0; i < (int)n; i++) {
					double e;

					if (got[i] == id)
						continue;
					e = text_sig_similarity(sigs[id], sigs[got[i]]);
					if (nb < 10 || e > best[nb - 1]) {
						b = nb < 10 ? nb++ : 9;
						while (b > 0 && best[b - 1] < e)
							best[b] = best[b - 1], bid[b] = bid[b - 1], b--;
						best[b] = e;
						bid[b] = got[i];
					}
				}
				t_top10[q] += now_ms() - t0 + t_lsh[q];
				recall_at_add(&r_est10, &qt[q], TARGET_J, bid, nb, 10);
			}
		}
		/* the service: svc_similar_case (lock, the case in scope, similar_for_case(10)) */
		for (q = 0; q < nq; q++) {
			int64_t id = qt[q].id, ids[10];
			const char *no = g_no_of[id];
			json_t *out = NULL, *cands, *c;
			size_t ci;
			int n = 0, t, rel;

			t0 = now_ms();
			if (svc_similar_case(app, &actor, no, &out, &err))
				bench_die("svc_similar_case", NULL);
			t_svc[q] = now_ms() - t0;
			cands = json_object_get(out, "candidates");
			json_array_foreach(cands, ci, c)
			{
				int64_t cid = id_of_no(json_string_value(json_object_get(c, "no")));
				const char *relation = json_string_value(json_object_get(c, "relation"));
				int gold;

				if (n < 10)
					ids[n++] = cid;
				svc_cands++;
				/* 0 repeat, 1 related; gold: same matter and same person / other person */
				gold = truth[cid].matter != truth[id].matter ? -1 : truth[cid].person == truth[id].person ? 0 : 1;
				rel = relation && strcmp(relation, "repeat") == 0 ? 0 : relation && strcmp(relation, "related") == 0 ? 1 : -1;
				if (rel >= 0) {
					if (rel == gold)
						rel_tp[rel]++;
					else
						rel_fp[rel]++;
				}
				if (gold >= 0 && rel == gold)
					rel_found[gold]++;
			}
			for (t = 0; t < 4; t++)
				recall_at_add(&r_svc10[t], &qt[q], thr[t], ids, n, 10);
			memcpy(svc_ids[q], ids, sizeof ids);
			svc_n[q] = n;
			json_decref(out);
		}
		/* gold pairs of the queries: every other case of the same matter */
		{
			s = bench_prep(db, "SELECT t.case_id, t.person FROM bench_truth t WHERE t.matter=? AND t.case_id<>?");
			for (q = 0; q < nq; q++) {
				int64_t id = qt[q].id;

				sqlite3_bind_int(s, 1, truth[id].matter);
				sqlite3_bind_int64(s, 2, id);
				while (sqlite3_step(s) == SQLITE_ROW)
					rel_gold[sqlite3_column_int(s, 1) == truth[id].person ? 0 : 1]++;
				sqlite3_reset(s);
			}
			sqlite3_finalize(s);
		}
		free(cand);
	}
	fprintf(stderr, "text_bench: candidate search measured\n");

	/* where the service's time goes, and what changes would buy: proto.c (on
	 * the first PROTO_QUERIES queries) */
	npq = nq < PROTO_QUERIES ? nq : PROTO_QUERIES;
	for (k = 0; k < NV; k++) {
		pv_total[k] = calloc((size_t)nq, sizeof(double));
		memset(&pv_sum[k], 0, sizeof pv_sum[k]);
		memset(&pv_rec[k], 0, sizeof pv_rec[k]);
		pv_same[k] = 0;
		if (!pv_total[k])
			bench_die("out of memory", NULL);
		for (q = 0; q < npq; q++) {
			struct proto_time pt;
			int64_t got[10];
			int n;

			pthread_mutex_lock(&app->lock);
			n = proto_find(app, &actor, qt[q].id, &variants[k], got, 10, &pt);
			pthread_mutex_unlock(&app->lock);
			pv_total[k][q] = pt.total;
			pv_sum[k].sig += pt.sig, pv_sum[k].lsh += pt.lsh, pv_sum[k].ident += pt.ident;
			pv_sum[k].read += pt.read, pv_sum[k].exact += pt.exact, pv_sum[k].final += pt.final;
			pv_sum[k].cands += pt.cands, pv_sum[k].exact_n += pt.exact_n;
			recall_at_add(&pv_rec[k], &qt[q], TARGET_J, got, n, 10);
			pv_same[k] += same_strong(&qt[q], got, n, svc_ids[q], svc_n[q]);
		}
	}
	fprintf(stderr, "text_bench: prototype variants measured\n");

	/* full-text search queries */
	if (have_fts) {
		struct gen_rng r = { o.seed ^ 0x736561726368ull };
		static const int lens[3] = { 2, 3, 6 };

		for (k = 0; k < 3; k++)
			nsq += pick_queries(db, ncases, lens[k], o.search_queries, &r, sq + nsq);
	}

	/* PostgreSQL: loaded and indexed by the fill */
	if (pg_ok) {
		pg_load_s = query_dbl(db, "pg_load_s");
		pg_index_s = query_dbl(db, "pg_index_s");
		pg_index_bytes = pg_int(&g_pg, "SELECT pg_relation_size('docs_trgm')");
		pg_table_bytes = pg_int(&g_pg, "SELECT pg_total_relation_size('docs') - pg_relation_size('docs_trgm')");
		if (pg_int(&g_pg, "SELECT count(*) FROM docs") != ncases)
			fail_check("PostgreSQL holds another number of rows");
		pg_do(&g_pg, "SET statement_timeout = '60s'");
	}

	/* pg_trgm similarity: the top 10 by similarity() among body % query */
	if (pg_ok && o.pg_queries > 0) {
		PGconn *pc = g_pg.conn;
		PGresult *pr;
		char set[64];

		snprintf(set, sizeof set, "SET pg_trgm.similarity_threshold = %.2f", pg_thr);
		pg_do(&g_pg, set);
		s = bench_prep(db, "SELECT title || ' ' || content || ' ' || request FROM cases WHERE id=?");
		for (q = 0; q < o.pg_queries; q++) {
			const char *pv[2];
			char idbuf[24];
			int64_t got[10];
			int n, row;

			sqlite3_bind_int64(s, 1, qt[q].id);
			if (sqlite3_step(s) != SQLITE_ROW)
				bench_die("query text", db);
			pv[0] = (const char *)sqlite3_column_text(s, 0);
			snprintf(idbuf, sizeof idbuf, "%lld", (long long)qt[q].id);
			pv[1] = idbuf;
			if (q == 0) { /* the plan, once */
				char ex[20000];
				PGresult *er;

				snprintf(ex, sizeof ex, "EXPLAIN %s", SIM_SQL);
				er = PQexecParams(pc, ex, 2, NULL, pv, NULL, NULL, 0);
				if (PQresultStatus(er) == PGRES_TUPLES_OK) {
					size_t o2 = 0;

					for (row = 0; row < PQntuples(er) && o2 < sizeof pg_plan_sim - 80; row++) {
						const char *l = PQgetvalue(er, row, 0);

						while (*l == ' ' || *l == '-' || *l == '>')
							l++;
						o2 = append_cut(pg_plan_sim, sizeof pg_plan_sim, row ? "; " : "", l, 70);
					}
				}
				PQclear(er);
			}
			t0 = now_ms();
			pr = PQexecParams(pc, SIM_SQL, 2, NULL, pv, NULL, NULL, 0);
			t_pg[q] = now_ms() - t0;
			if (PQresultStatus(pr) != PGRES_TUPLES_OK) {
				fprintf(stderr, "text_bench: pg similarity: %s", PQerrorMessage(pc));
				exit(1);
			}
			n = PQntuples(pr);
			for (row = 0; row < n && row < 10; row++)
				got[row] = atoll(PQgetvalue(pr, row, 0));
			PQclear(pr);
			recall_at_add(&r_pg10, &qt[q], TARGET_J, got, n < 10 ? n : 10, 10);
			(void)r_pg_all;
			sqlite3_reset(s);
			if (q % 50 == 49)
				fprintf(stderr, "text_bench: pg similarity %d/%d\n", q + 1, o.pg_queries);
		}
		sqlite3_finalize(s);
	}

	/* full-text search: FTS5 (the application's list query), LIKE, pg_trgm ILIKE */
#if HAVE_FTS
	if (have_fts && nsq) {
		sqlite3_stmt *like = bench_prep(db, "SELECT id FROM cases WHERE title LIKE ?1 OR content LIKE ?1 OR request LIKE ?1"
					      " ORDER BY id DESC LIMIT 20");
		sqlite3_stmt *c_fts = bench_prep(db, "SELECT rowid FROM case_fts WHERE case_fts MATCH ?1");
		sqlite3_stmt *newest = bench_prep(db, "SELECT rowid FROM case_fts WHERE case_fts MATCH ?1 ORDER BY rowid DESC LIMIT 20");
		sqlite3_stmt *window = bench_prep(db, "SELECT id FROM (SELECT rowid AS id, bm25(case_fts, 10.0, 4.0, 3.0, 2.0) AS score"
						" FROM case_fts WHERE case_fts MATCH ?1 ORDER BY rowid DESC LIMIT " FTS_WINDOW_S ")"
						" ORDER BY score, id DESC LIMIT 20");
		sqlite3_stmt *c_like = bench_prep(db, "SELECT id FROM cases WHERE instr(title,?1)>0 OR instr(content,?1)>0"
						" OR instr(request,?1)>0");
		PGconn *pc = pg_ok ? g_pg.conn : NULL;
		int reps_fast = 3, rep;

		for (i = 0; i < nsq; i++) {
			struct squery *x = &sq[i];
			char match[256], kinds[32], pat[64];
			struct idset a = { 0 }, b = { 0 }, cset = { 0 };
			int64_t top_like[20], top_pg[20];
			int ntl = 0, ntp = 0;

			if (fts_match(x->q, match, sizeof match, kinds, sizeof kinds) <= 0)
				fail_check("fts_match made nothing of a query");
			like_pattern(x->q, pat, sizeof pat);
			/* hit sets, untimed: FTS, instr, pg */
			sqlite3_bind_text(c_fts, 1, match, -1, SQLITE_STATIC);
			while (sqlite3_step(c_fts) == SQLITE_ROW)
				idset_add(&a, sqlite3_column_int64(c_fts, 0));
			sqlite3_reset(c_fts);
			sqlite3_bind_text(c_like, 1, x->q, -1, SQLITE_STATIC);
			while (sqlite3_step(c_like) == SQLITE_ROW)
				idset_add(&b, sqlite3_column_int64(c_like, 0));
			sqlite3_reset(c_like);
			x->df_fts = a.n;
			x->df_like = b.n;
			if (!idset_eq(&a, &b)) {
				fprintf(stderr, "text_bench: \"%s\": FTS %lld hits, substring %lld\n", x->q, (long long)a.n,
					(long long)b.n);
				fail_check("FTS and substring search find different cases");
			}
			if (pc) {
				const char *pv[1] = { pat };
				PGresult *pr = PQexecParams(pc, "SELECT id FROM docs WHERE body ILIKE $1", 1, NULL, pv, NULL, NULL, 0);
				int row;

				if (PQresultStatus(pr) != PGRES_TUPLES_OK)
					bench_die("pg ilike_all", NULL);
				for (row = 0; row < PQntuples(pr); row++)
					idset_add(&cset, atoll(PQgetvalue(pr, row, 0)));
				PQclear(pr);
				x->df_pg = cset.n;
				if (!idset_eq(&a, &cset)) {
					fprintf(stderr, "text_bench: \"%s\": FTS %lld hits, pg ILIKE %lld\n", x->q, (long long)a.n,
						(long long)cset.n);
					fail_check("FTS and pg ILIKE find different cases");
				}
			}
			/* timed: FTS through store_case_list (bm25, snippets, scope), top 20; a
			 * query slower than half a second runs once (its other runs repeat the first) */
			for (rep = 0; rep < reps_fast; rep++) {
				if (rep > 0 && x->t_fts[0] > 500) {
					x->t_fts[rep] = x->t_fts[0];
					continue;
				}
				struct case_filter f = { 0 };
				int64_t next;
				json_t *rows;

				f.match = match;
				f.match_kinds = kinds;
				f.limit = 20;
				t0 = now_ms();
				rows = store_case_list(app->st, &f, &sc, &next);
				x->t_fts[rep] = now_ms() - t0;
				if (!rows)
					bench_die("store_case_list (FTS)", db);
				if ((int64_t)json_array_size(rows) != (x->df_fts < 20 ? x->df_fts : 20))
					fail_check("the FTS page has the wrong number of rows");
				json_decref(rows);
			}
			/* timed, a prototype: FTS5 without ranking, newest first (the index
			 * walked in rowid order, stopping at 20) */
			for (rep = 0; rep < reps_fast; rep++) {
				int nn = 0;

				if (rep > 0 && x->t_new[0] > 500) {
					x->t_new[rep] = x->t_new[0];
					continue;
				}
				t0 = now_ms();
				sqlite3_bind_text(newest, 1, match, -1, SQLITE_STATIC);
				while (sqlite3_step(newest) == SQLITE_ROW)
					nn++;
				sqlite3_reset(newest);
				x->t_new[rep] = now_ms() - t0;
				if (nn != (x->df_fts < 20 ? x->df_fts : 20))
					fail_check("FTS5 newest-first page has the wrong number of rows");
			}
			/* timed, a prototype: bm25 ranking within the newest WINDOW matches */
			for (rep = 0; rep < reps_fast; rep++) {
				int nn = 0;

				if (rep > 0 && x->t_win[0] > 500) {
					x->t_win[rep] = x->t_win[0];
					continue;
				}
				t0 = now_ms();
				sqlite3_bind_text(window, 1, match, -1, SQLITE_STATIC);
				while (sqlite3_step(window) == SQLITE_ROW)
					nn++;
				sqlite3_reset(window);
				x->t_win[rep] = now_ms() - t0;
				if (nn != (x->df_fts < 20 ? x->df_fts : 20))
					fail_check("FTS5 windowed page has the wrong number of rows");
			}
			/* timed: the LIKE peer, newest first, top 20 */
			{
				t0 = now_ms();
				sqlite3_bind_text(like, 1, pat, -1, SQLITE_STATIC);
				while (sqlite3_step(like) == SQLITE_ROW)
					if (ntl < 20)
						top_like[ntl++] = sqlite3_column_int64(like, 0);
				sqlite3_reset(like);
				x->t_like[0] = now_ms() - t0;
			}
			/* timed: today's substring filter of the list (instr, newest first, scope) */
			{
				struct case_filter f = { 0 };
				int64_t next;
				json_t *rows;

				f.text = x->q;
				f.limit = 20;
				t0 = now_ms();
				rows = store_case_list(app->st, &f, &sc, &next);
				x->t_instr[0] = now_ms() - t0;
				json_decref(rows);
			}
			if (pc)
				for (rep = 0; rep < reps_fast; rep++) {
					const char *pv[1] = { pat };
					PGresult *pr;
					int row;

					if (rep > 0 && x->t_pg[0] > 500) {
						x->t_pg[rep] = x->t_pg[0];
						continue;
					}
					t0 = now_ms();
					pr = PQexecParams(pc, ILIKE_SQL, 1, NULL, pv, NULL, NULL, 0);
					x->t_pg[rep] = now_ms() - t0;
					if (PQresultStatus(pr) != PGRES_TUPLES_OK)
						bench_die("pg ilike", NULL);
					ntp = 0;
					for (row = 0; row < PQntuples(pr) && row < 20; row++)
						top_pg[ntp++] = atoll(PQgetvalue(pr, row, 0));
					PQclear(pr);
				}
			x->same_top = !pc || (ntl == ntp && memcmp(top_like, top_pg, (size_t)ntl * sizeof top_like[0]) == 0);
			if (!x->same_top)
				fail_check("LIKE and pg ILIKE give different top 20 (newest first)");
			/* plans, once per class */
			if (pc && (i == 0 || sq[i - 1].len != x->len || sq[i - 1].common != x->common)) {
				int cls = (x->len == 2 ? 0 : x->len == 3 ? 2 : 4) + !x->common;
				char ex[256];
				const char *pv[1] = { pat };
				PGresult *er;

				snprintf(ex, sizeof ex, "EXPLAIN %s", ILIKE_SQL);
				er = PQexecParams(pc, ex, 1, NULL, pv, NULL, NULL, 0);
				if (PQresultStatus(er) == PGRES_TUPLES_OK) {
					size_t o2 = 0;
					int row;

					for (row = 0; row < PQntuples(er) && o2 < sizeof pg_plan_like[0] - 80; row++) {
						const char *l = PQgetvalue(er, row, 0);

						while (*l == ' ' || *l == '-' || *l == '>')
							l++;
						if (strncmp(l, "Recheck", 7) == 0 || strncmp(l, "Filter", 6) == 0 ||
						    strncmp(l, "Index Cond", 10) == 0 || strncmp(l, "Workers", 7) == 0)
							continue;
						o2 = append_cut(pg_plan_like[cls], sizeof pg_plan_like[0], o2 ? "; " : "", l, 60);
					}
				}
				PQclear(er);
			}
		}
		{
			char ex[512];
			sqlite3_stmt *e;

			snprintf(ex, sizeof ex, "EXPLAIN QUERY PLAN SELECT rowid, bm25(case_fts) FROM case_fts WHERE case_fts MATCH 'x'");
			e = bench_prep(db, ex);
			while (sqlite3_step(e) == SQLITE_ROW)
				snprintf(fts_plan + strlen(fts_plan), sizeof fts_plan - strlen(fts_plan), "%s%s",
					 fts_plan[0] ? "; " : "", (const char *)sqlite3_column_text(e, 3));
			sqlite3_finalize(e);
		}
		sqlite3_finalize(like);
		sqlite3_finalize(c_fts);
		sqlite3_finalize(newest);
		sqlite3_finalize(window);
		sqlite3_finalize(c_like);
		fprintf(stderr, "text_bench: search measured (%d queries)\n", nsq);
	}
#endif
	if (pg_ok) {
		pg_stop(&g_pg);
		fprintf(stderr, "text_bench: PostgreSQL stopped and removed\n");
	}

	/* registration: svc_register with detection on, off, and with prototype 5, in turns of 50 */
	if (o.reg > 0) {
		struct gen_rng r = { o.seed ^ 0x726567ull };
		int64_t now = bench_query_int(db, "SELECT max(registered_at) FROM cases") + 86400, serial = 50000000;
		int blk;

		t_reg_on = calloc((size_t)o.reg, sizeof(double));
		t_reg_off = calloc((size_t)o.reg, sizeof(double));
		t_reg_lean = calloc((size_t)o.reg, sizeof(double));
		if (!t_reg_on || !t_reg_off || !t_reg_lean)
			bench_die("out of memory", NULL);
		g_lean = &variants[NV - 1];
		for (blk = 0; n_reg_on < o.reg || n_reg_off < o.reg || n_reg_lean < o.reg; blk++) {
			int mode = blk % 3 == 0 ? 1 : blk % 3 == 1 ? 0 : 2;
			int *cnt = mode == 1 ? &n_reg_on : mode == 0 ? &n_reg_off : &n_reg_lean;
			double *tv = mode == 1 ? t_reg_on : mode == 0 ? t_reg_off : t_reg_lean;

			g_detect = mode;
			for (k = 0; k < 50 && *cnt < o.reg; k++) {
				json_t *body = reg_body(&r, serial++), *out = NULL;
				int st2;

				now += 7;
				t0 = now_ms();
				if (svc_register(app, &actor, now, body, NULL, &st2, &out, &err)) {
					fprintf(stderr, "text_bench: svc_register: %s\n", err.message);
					exit(1);
				}
				tv[(*cnt)++] = now_ms() - t0;
				json_decref(out);
				json_decref(body);
			}
		}
		g_detect = 1;
		for (k = 0; k < n_reg_on; k++)
			reg_on_s += t_reg_on[k] / 1000;
		for (k = 0; k < n_reg_off; k++)
			reg_off_s += t_reg_off[k] / 1000;
		for (k = 0; k < n_reg_lean; k++)
			reg_lean_s += t_reg_lean[k] / 1000;
		if (bench_query_int(db, "SELECT count(*) FROM cases") != ncases + n_reg_on + n_reg_off + n_reg_lean)
			fail_check("registrations missing");
		if (bench_query_int(db, "SELECT count(*) FROM case_text") != ncases + n_reg_on + n_reg_lean)
			fail_check("the text hook ran when it was off, or not when it was on");
	}

	/* 3. the report */
	{
		struct pct p_lsh = pct_of(t_lsh, nq), p_svc = pct_of(t_svc, nq), p_top = pct_of(t_top10, nq),
			   p_cand = pct_of(n_cand, nq), p_pg = pct_of(t_pg, pg_ok ? o.pg_queries : 0),
			   p_on = pct_of(t_reg_on, n_reg_on), p_off = pct_of(t_reg_off, n_reg_off),
			   p_lean = pct_of(t_reg_lean, n_reg_lean);
		double per_case = (double)lsh_b / (double)lsh_n, rss_case = (double)(rss1 - rss0) * 1024.0 / (double)lsh_n;
		long pairs06 = 0, q06 = 0;
		char a1[32], a2[32], a3[32];
		double thr_on = n_reg_on ? n_reg_on / reg_on_s : 0, thr_off = n_reg_off ? n_reg_off / reg_off_s : 0,
		       thr_lean = n_reg_lean ? n_reg_lean / reg_lean_s : 0;

		for (q = 0; q < nq; q++) {
			int any = 0;

			for (i = 0; i < qt[q].n; i++)
				if (qt[q].j[i] >= TARGET_J)
					pairs06++, any = 1;
			q06 += any;
		}
		cpu_model(cpu, sizeof cpu);
		uname(&un);
		m = open_memstream(&md, &md_len);
		if (!m)
			bench_die("out of memory", NULL);
		fprintf(m, DOC_BEGIN "\n## Repeat and related candidates, full-text search (issue 5)\n\n");
		fprintf(m, "Produced by `bench/text/text_bench.c` (see `bench/README.md`); numbers from the last run of:\n\n");
		fprintf(m, "    %s\n\n", o.cmd);
		fprintf(m, "**Machine.** %ld cores (nproc), %s, %ld MiB RAM; Linux %s; SQLite %s; %s%s; gcc %s, -O2. "
			   "Database file in %s (%s). Code: %s.\n\n",
			sysconf(_SC_NPROCESSORS_ONLN), cpu, mem_total_mb(), un.release, sqlite3_libversion(),
			pg_ok ? "PostgreSQL " : "no PostgreSQL", pg_ok ? g_pg.version : "", __VERSION__, o.db,
			fs_name("/tmp"), rev);
		fprintf(m, "**Data.** %lld synthetic petitions from `bench/text/gen.c` (seed %llu): %.0f matters written up by "
			   "%.0f people; %.0f first petitions, %.0f repeats (the same person again, text edited) and %.0f "
			   "related petitions (other people on the same matter, in their own words); 15 topics, 34 "
			   "localities; %.0f characters and %.0f distinct shingles a case on average. Unrelated petitions "
			   "of the same topic share templates: their Jaccard similarity averages %.3f (p99 %.3f, max %.3f "
			   "in 4,000 random pairs), against 0.014 for random pairs of the real messages in "
			   "`../shared/data/tipdm2020c` (same bigram shingles) - so the index meets many more weak "
			   "collisions here than it would on real text. Cases, petitioners (keyed identity hashes), "
			   "`case_units`, `case_text` (signatures computed with `text_signature`, as the register hook "
			   "does) and `case_fts` (the FTS migration's own `INSERT ... SELECT`, `FTS_FILL_ALL`) were inserted with SQL "
			   "into the schema v%lld that `app_open` created. Fill: generation %.0f s, signing %.0f s (2 "
			   "threads), inserts %.0f s, `case_fts` %.0f s; database %.0f MiB.\n\n",
			(long long)ncases, (unsigned long long)o.seed, query_dbl(db, "matters"), query_dbl(db, "persons"),
			query_dbl(db, "first"), query_dbl(db, "repeat"), query_dbl(db, "related"), query_dbl(db, "chars"),
			query_dbl(db, "shingles"), query_dbl(db, "rand_mean"), query_dbl(db, "rand_p99"),
			query_dbl(db, "rand_max"), (long long)store_schema_version(app->st),
			query_dbl(db, "gen_s"), query_dbl(db, "sign_s"), query_dbl(db, "insert_s"), query_dbl(db, "fts_s"),
			(double)file_size(o.db) / 1048576.0);
		fprintf(m, "### Candidate search\n\n");
		fprintf(m, "%d query cases drawn uniformly from the %lld; the brute force compared each with every case "
			   "(exact Jaccard of the shingle sets): %ld pairs have Jaccard >= 0.6 (%ld of the queries have "
			   "at least one).\n\n",
			nq, (long long)ncases, pairs06, q06);
		fprintf(m, "| | queries | p50 ms | p99 ms | max ms | recall of the Jaccard >= 0.6 pairs |\n|---|---:|---:|---:|---:|---:|\n");
		fmt_ms(p_lsh.p50, a1, sizeof a1), fmt_ms(p_lsh.p99, a2, sizeof a2), fmt_ms(p_lsh.max, a3, sizeof a3);
		fprintf(m, "| LSH index only (`lsh_query`, at most %d candidates) | %d | %s | %s | %s | %.3f (all it would "
			   "return: %.3f) |\n",
			LSH_CAP, nq, a1, a2, a3, ratio(r_lsh_cap[2]), ratio(r_lsh_all[2]));
		fmt_ms(p_top.p50, a1, sizeof a1), fmt_ms(p_top.p99, a2, sizeof a2), fmt_ms(p_top.max, a3, sizeof a3);
		fprintf(m, "| top 10 by the MinHash estimate over those (in memory, no SQLite) | %d | %s | %s | %s | %.3f "
			   "at 10 |\n",
			nq, a1, a2, a3, ratio(r_est10));
		fmt_ms(p_svc.p50, a1, sizeof a1), fmt_ms(p_svc.p99, a2, sizeof a2), fmt_ms(p_svc.max, a3, sizeof a3);
		fprintf(m, "| **service top 10** (`svc_similar_case`: lock, case in scope, `similar_for_case(10)`: index, "
			   "identity hashes, SQLite reads, exact Jaccard, reasons) | %d | **%s** | **%s** | %s | **%.3f** at 10 |\n",
			nq, a1, a2, a3, ratio(r_svc10[2]));
		fmt_ms(query_dbl(db, "scan_ms"), a1, sizeof a1);
		fprintf(m, "| brute force: exact Jaccard against all %lld shingle sets in memory (1 thread) | %d | %s | | | "
			   "1 (the reference) |\n",
			(long long)ncases, SCAN_QUERIES, a1);
		if (pg_ok && o.pg_queries) {
			fmt_ms(p_pg.p50, a1, sizeof a1), fmt_ms(p_pg.p99, a2, sizeof a2), fmt_ms(p_pg.max, a3, sizeof a3);
			fprintf(m, "| PostgreSQL pg_trgm: `body %% q` (threshold %.1f) ordered by `similarity()`, top 10, GIN "
				   "`gin_trgm_ops` | %d | %s | %s | %s | %.3f at 10 |\n",
				pg_thr, o.pg_queries, a1, a2, a3, ratio(r_pg10));
		}
		fprintf(m, "\n");
		fprintf(m, "- Recall at other thresholds (pairs found / pairs): index with the cap %.3f / %.3f / %.3f / "
			   "%.3f at Jaccard >= 0.3 / 0.5 / 0.6 / 0.8; the service's top 10 %.3f / %.3f / %.3f / %.3f "
			   "(\"at 10\": of the min(10, pairs) best pairs of a query). Banding alone (every case sharing a "
			   "band, no cap) finds %.3f / %.3f / %.3f / %.3f.\n",
			ratio(r_lsh_cap[0]), ratio(r_lsh_cap[1]), ratio(r_lsh_cap[2]), ratio(r_lsh_cap[3]),
			ratio(r_svc10[0]), ratio(r_svc10[1]), ratio(r_svc10[2]), ratio(r_svc10[3]), ratio(r_lsh_all[0]),
			ratio(r_lsh_all[1]), ratio(r_lsh_all[2]), ratio(r_lsh_all[3]));
		fprintf(m, "- Cases sharing at least one band with a query: median %.0f, p99 %.0f, max %.0f; %ld of %d "
			   "queries (%.1f %%) exceed the cap of %d, and the service then scores the %d that share the most "
			   "bands.\n",
			p_cand.p50, p_cand.p99, p_cand.max, capped, nq, 100.0 * capped / nq, LSH_CAP, LSH_CAP);
		fprintf(m, "- The service's relations against the ground truth (top 10 of the %d queries, %ld candidates "
			   "shown): `repeat` %ld right, %ld wrong (precision %.3f; %ld of the %ld same-person same-matter "
			   "cases found, recall %.3f); `related` %ld right, %ld wrong (precision %.3f; %ld of %ld "
			   "other-person same-matter cases, recall %.3f - most related texts share less than the 0.3-0.5 "
			   "of content the rule needs).\n",
			nq, svc_cands, rel_tp[0], rel_fp[0],
			rel_tp[0] + rel_fp[0] ? (double)rel_tp[0] / (double)(rel_tp[0] + rel_fp[0]) : 0, rel_found[0],
			rel_gold[0], rel_gold[0] ? (double)rel_found[0] / (double)rel_gold[0] : 0, rel_tp[1], rel_fp[1],
			rel_tp[1] + rel_fp[1] ? (double)rel_tp[1] / (double)(rel_tp[1] + rel_fp[1]) : 0, rel_found[1],
			rel_gold[1], rel_gold[1] ? (double)rel_found[1] / (double)rel_gold[1] : 0);
		if (pg_ok)
			fprintf(m, "- PostgreSQL %s, its own cluster in /tmp (initdb -E UTF8 --locale=C.UTF-8, so that pg_trgm "
				   "treats Chinese characters as word characters), shared_buffers 1 GB, fsync off, default "
				   "parallelism; table `docs(id, body)` with body = title, content, request joined by spaces "
				   "(what the signature is taken over): loaded with COPY and analysed in %.0f s; the GIN index "
				   "took %.0f s (built while the fill wrote the SQLite database on the other core) and %.0f MiB "
				   "(table %.0f MiB). Queries are sent with `PQexecParams` (planned with the value). Plan: `%s`.\n",
				g_pg.version[0] ? g_pg.version : "", pg_load_s, pg_index_s, (double)pg_index_bytes / 1048576.0,
				(double)pg_table_bytes / 1048576.0, pg_plan_sim);
		fprintf(m, "\n#### Where the service's time goes\n\n");
		fprintf(m, "`bench/text/proto.c` is a copy of `similar.c`'s `find()` as it was before commit adb8255 "
			   "(which took over variants 1 and 3 and part of 2), with a timer around each step and "
			   "switches for changes the service could make; it ran over the first %d of the same queries "
			   "after the service (so the page cache was as warm). Mean ms a query by step, then p50/p99 of the whole; "
			   "\"same answers\": queries whose answers with Jaccard >= 0.3 (those that can be proposed as "
			   "repeat or related) are those of the service measured above.\n\n",
			npq);
		fprintf(m, "| variant | sign query | LSH | identity | read candidates (n) | exact Jaccard (n) | answer | p50 | "
			   "p99 | recall at 10 | same answers |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (k = 0; k < NV; k++) {
			struct pct pp = pct_of(pv_total[k], npq);

			fprintf(m, "| %s | %.2f | %.3f | %.2f | %.2f (%.0f) | %.2f (%.0f) | %.2f | %.2f | %.2f | %.3f | %ld/%d |\n",
				variants[k].name, pv_sum[k].sig / npq, pv_sum[k].lsh / npq, pv_sum[k].ident / npq,
				pv_sum[k].read / npq, (double)pv_sum[k].cands / npq, pv_sum[k].exact / npq,
				(double)pv_sum[k].exact_n / npq, pv_sum[k].final / npq, pp.p50, pp.p99, ratio(pv_rec[k]), pv_same[k],
				npq);
		}
		fprintf(m, "\n\"exact Jaccard\" is mostly `text_normalise` with ICU's Traditional-Simplified "
			   "transliterator on each candidate's text (it is also 60-70 %% of signing a case; see the notes "
			   "below the tables).\n");
		fprintf(m, "\n### Index build and memory\n\n");
		fprintf(m, "| | value | target |\n|---|---:|---|\n");
		fprintf(m, "| `lsh_bytes / lsh_count` (arrays allocated, capacity included) | %.0f B a case | < 512 B: %s |\n",
			per_case, met(per_case < 512));
		fprintf(m, "| growth of the resident set while `app_open` built the index | %.0f B a case | |\n", rss_case);
		fprintf(m, "| `app_open` (the index built from `case_text`, %zu signatures) | %.1f s | |\n", lsh_n,
			t_open / 1000);
		fprintf(m, "| `similar_reload` alone (read `case_text`, `lsh_add` each) | %.1f s (%.2f µs a case) | |\n",
			t_reload / 1000, 1000 * t_reload / (double)lsh_n);
		fprintf(m, "| `lsh_add` of %lld signatures already in memory | %.1f s (%.2f µs a case; %.0f B a case) | |\n",
			(long long)ncases, t_mem_build / 1000, 1000 * t_mem_build / (double)ncases, (double)mem_b / (double)ncases);
		fprintf(m, "| *prototype*: the same index built in bulk (`bench/text/proto.c`: all band keys appended, one "
			   "sort per band) | %.1f s (%.2f µs a case; %.0f B a case); the same candidates as the "
			   "application's index for %d of %d queries | |\n",
			t_bulk / 1000, 1000 * t_bulk / (double)ncases, (double)bulk_bytes / (double)ncases, bulk_same,
			nq < 100 ? nq : 100);
		fprintf(m, "| signing (`text_signature`: normalise, shingle, MinHash) | %.0f s for all on 2 threads (%.0f µs a case "
			   "a thread) | |\n",
			query_dbl(db, "sign_s"), 1e6 * query_dbl(db, "sign_s") / (double)ncases * 2);
		if (o.reg > 0) {
			fprintf(m, "\n### Registration with and without detection\n\n");
			fprintf(m, "`svc_register` on the %lld-case database file, as the server runs it (WAL, "
				   "synchronous=FULL: every registration is one transaction with its fsync; the event, "
				   "audit row, projections including `case_fts`). *With detection*: as shipped - the event hook "
				   "signs the text, stores it in `case_text` and adds it to the index, and the answer carries "
				   "`similar_for_case(10)`. *Without*: the same binary with those two calls switched off "
				   "(linker `--wrap`). *With prototype 5*: the hook as shipped, and instead of `similar_for_case` "
				   "the candidate search of variant 5 above (ids only, no reasons). %d registrations each, in "
				   "turns of 50, new matters by new people from `gen_one`.\n\n",
				(long long)ncases, o.reg);
			fprintf(m, "| | registrations/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
			fprintf(m, "| without detection | %.1f | %.2f | %.2f |\n", thr_off, p_off.p50, p_off.p99);
			fprintf(m, "| with detection | %.1f | %.2f | %.2f |\n", thr_on, p_on.p50, p_on.p99);
			fprintf(m, "| *with the candidates of prototype 5* | %.1f | %.2f | %.2f |\n", thr_lean, p_lean.p50,
				p_lean.p99);
			fprintf(m, "\nRatio %.2f (target: at least 0.5: %s). Detection adds %.2f ms a registration at the median; "
				   "with prototype 5 the ratio would be %.2f.\n",
				thr_off > 0 ? thr_on / thr_off : 0, met(thr_off > 0 && thr_on / thr_off >= 0.5),
				p_on.p50 - p_off.p50, thr_off > 0 ? thr_lean / thr_off : 0);
		}
		if (have_fts && nsq) {
			static const char *const cls_name[6] = { "2 chars, common", "2 chars, rare", "3 chars, common",
								 "3 chars, rare", "6 chars, common", "6 chars, rare" };
			int cls;

			fprintf(m, "\n### Full-text search\n\n");
			fprintf(m, "For each class %d queries taken from the texts (common: the most frequent in a sample of 6,000 "
				   "cases; rare: found in one case of that sample), CJK characters only. FTS5: "
				   "`store_case_list` with `fts_match()` (the list query: `case_fts MATCH`, bm25 ranking, scope "
				   "clause, snippets of the page), top 20, 3 runs a query. LIKE: `title LIKE '%%q%%' OR content "
				   "LIKE ... OR request LIKE ... ORDER BY id DESC LIMIT 20`, 1 run. The list's substring filter "
				   "(`instr` over the three columns, scope, newest first: what `q` did before FTS, and still does "
				   "for a query without a token), 1 run. pg_trgm: `body ILIKE '%%q%%' ORDER BY id DESC LIMIT "
				   "20` with the GIN `gin_trgm_ops` index, 3 runs. A query whose first run took more than 0.5 s "
				   "is run once and counted 3 times. p50/p99 over all runs of the class. The last two "
				   "columns are prototypes, not the application's query (no scope clause, no snippets): *newest "
				   "first* is `case_fts MATCH q ORDER BY rowid DESC LIMIT 20` (no ranking); *bm25 in newest "
				   FTS_WINDOW_S "* ranks, with the list's bm25 weights, only the newest " FTS_WINDOW_S " matches "
				   "(`ORDER BY rowid DESC LIMIT " FTS_WINDOW_S "` in a subquery), so a very common term costs a "
				   "bounded amount; 3 runs each.\n\n",
				o.search_queries);
			fprintf(m, "| class | hits (min / median / max) | FTS5 p50 | FTS5 p99 | LIKE p50 | LIKE p99 | instr list p50 | "
				   "instr list p99 |%s *FTS5 newest first* p50 | p99 | *FTS5 bm25 in newest " FTS_WINDOW_S "* p50 | p99 |"
				   "\n|---|---:|---:|---:|---:|---:|---:|---:|%s---:|---:|---:|---:|\n",
				pg_ok ? " pg_trgm p50 | pg_trgm p99 |" : "", pg_ok ? "---:|---:|" : "");
			for (cls = 0; cls < 6; cls++) {
				double vf[64 * 8], vl[64], vi[64], vp[64 * 8], df[64], vn[64 * 8], vw[64 * 8];
				int nf = 0, nl = 0, ni = 0, np = 0, nd = 0, nn = 0, nw = 0, rep;
				struct pct a, b, c, d, e, fnew, fwin;
				char f1[32], f2[32], l1[32], l2[32], i1[32], i2[32], g1[32], g2[32], n1[32], n2[32], w1[32], w2[32];

				for (i = 0; i < nsq; i++) {
					int ccls = (sq[i].len == 2 ? 0 : sq[i].len == 3 ? 2 : 4) + !sq[i].common;

					if (ccls != cls)
						continue;
					for (rep = 0; rep < 3; rep++) {
						vf[nf++] = sq[i].t_fts[rep];
						vn[nn++] = sq[i].t_new[rep];
						vw[nw++] = sq[i].t_win[rep];
						if (pg_ok)
							vp[np++] = sq[i].t_pg[rep];
					}
					vl[nl++] = sq[i].t_like[0];
					vi[ni++] = sq[i].t_instr[0];
					df[nd++] = (double)sq[i].df_fts;
				}
				if (!nd)
					continue;
				a = pct_of(vf, nf), b = pct_of(vl, nl), c = pct_of(vi, ni), d = pct_of(vp, np), e = pct_of(df, nd);
				fnew = pct_of(vn, nn);
				fwin = pct_of(vw, nw);
				fmt_ms(fnew.p50, n1, sizeof n1), fmt_ms(fnew.p99, n2, sizeof n2);
				fmt_ms(fwin.p50, w1, sizeof w1), fmt_ms(fwin.p99, w2, sizeof w2);
				fmt_ms(a.p50, f1, sizeof f1), fmt_ms(a.p99, f2, sizeof f2), fmt_ms(b.p50, l1, sizeof l1),
					fmt_ms(b.p99, l2, sizeof l2), fmt_ms(c.p50, i1, sizeof i1), fmt_ms(c.p99, i2, sizeof i2),
					fmt_ms(d.p50, g1, sizeof g1), fmt_ms(d.p99, g2, sizeof g2);
				fprintf(m, "| %s | %.0f / %.0f / %.0f | %s | %s | %s | %s | %s | %s |", cls_name[cls], df[0], e.p50,
					e.max, f1, f2, l1, l2, i1, i2);
				if (pg_ok)
					fprintf(m, " %s | %s |", g1, g2);
				fprintf(m, " %s | %s | %s | %s |\n", n1, n2, w1, w2);
			}
			fprintf(m, "\n- Verified for every query: FTS5 (`case_fts MATCH`), the substring search (`instr` over "
				   "title, content, request) %s find the same set of cases (count and two order-independent "
				   "checksums)%s. The FTS5 page had min(20, hits) rows.\n",
				pg_ok ? "and pg_trgm `ILIKE`" : "",
				pg_ok ? "; LIKE and pg_trgm (both newest first) returned the same 20 ids in the same order" : "");
			fprintf(m, "- FTS5 plan: `%s`.", fts_plan);
			if (pg_ok) {
				fprintf(m, " pg_trgm plans (first query of each class): ");
				for (cls = 0; cls < 6; cls++)
					fprintf(m, "%s%s `%s`", cls ? "; " : "", cls_name[cls], pg_plan_like[cls]);
				fprintf(m, ".");
			}
			fprintf(m, "\n");
		}
		fprintf(m, "\nWhole run %.0f s. Peak RSS of the fill process %.0f MiB, of the measuring process %.0f MiB "
			   "(it holds all %lld signatures, %.0f MiB, for the in-memory comparisons).\n" DOC_END "\n",
			(now_ms() - t_total0) / 1000, query_dbl(db, "fill_rss_mib"), (double)rss_peak_kib() / 1024.0,
			(long long)ncases, (double)ncases * sizeof sigs[0] / 1048576.0);
		fclose(m);
	}
	app_close(app);
	fputs(md, stdout);
	if (o.doc) {
		if (write_doc(o.doc, DOC_BEGIN, DOC_END, md))
			bench_die("write doc", NULL);
		fprintf(stderr, "text_bench: wrote %s\n", o.doc);
	}
	free(md);
	return 0;
}
