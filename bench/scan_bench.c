/*
 * scan_bench.c - the overdue scan (svc_scan) over ~1,000,000 open cases,
 * against a full table scan of case_clocks that finds the same crossings
 * without the case_clocks_next index, in the same run on the same data.
 *
 *   bench/scan_bench [--cases N] [--reps N] [--steady N] [--now ISO]
 *                    [--gap SECONDS] [--seed N] [--db PATH] [--keep]
 *                    [--doc PATH]
 *
 * 1. Fill (in a child process, so its memory does not count against the
 *    scanner): a fresh database in /tmp opened with app_open (migrations,
 *    calendar, policies), the units of a province, N open cases inserted
 *    directly with SQL, their clocks (running ones and the stopped clocks of
 *    earlier stages, as the projection keeps them) with limits from the real
 *    policies and due times from the real calendar, and the escalations the
 *    scanner would already have recorded if it had last run `gap` seconds
 *    before `now`. Everything comes from one PRNG: the same seed gives the
 *    same database.
 * 2. Measure (in this process, with the application's own settings: WAL,
 *    synchronous=FULL, default page cache): each round restores the
 *    pre-scan state, runs the peer (a NOT INDEXED scan of case_clocks that
 *    checks each candidate against escalations), then the first
 *    svc_scan(now) (which escalates the crossings, one transaction per
 *    batch of 512 clocks), then several repeated svc_scan(now) (nothing
 *    left to do: the steady state every minute). Further rounds look at the
 *    first scan from outside: through SQLite's commit and WAL hooks on the
 *    application's connection (time per batch, i.e. per hold of the app
 *    lock, split into statements, WAL write and checkpoint), and with a
 *    second thread that takes the app lock every millisecond, as a clerk's
 *    request would, to see how long such a request waits.
 * 3. Verify that the peer, the scanner's own query and what the scanner
 *    wrote are the same set of clocks (count and two order-independent
 *    checksums), and that the numbers of new 催办/督办 agree; any mismatch
 *    stops the benchmark with exit status 1.
 * 4. Print a Markdown report; with --doc, write it into that file between
 *    the markers <!-- scan-bench:begin --> and <!-- scan-bench:end -->.
 *
 * The default scenario: the scanner was stopped overnight, from 18:00 to
 * 08:30, so its first scan catches up on the evening's warning points (a
 * warning point is 80 % of the way to a due time at 24:00, so most fall
 * between 19:00 and 23:00) and on the midnight at which every clock due that
 * day lapsed (calendar.h) - about 1-2 % of the cases. --now and --gap choose
 * another moment (--now 2026-05-21T00:00:30+08:00 --gap 60: a scanner
 * running every minute, just after midnight).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/xerr.h"
#include "base/xtime.h"
#include "domain/calendar.h"
#include "domain/policy.h"
#include "service/clock.h"
#include "service/svc.h"
#include "store/store.h"
#include "util.h"

#define HOUR 3600
#define DAY 86400
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TARGET_MS 100.0
#define HOOK_ROUNDS 5  /* first scans timed through SQLite's commit and WAL hooks */
#define PROBE_ROUNDS 5 /* first scans with a second thread taking the app lock every ms */
#define SCAN_BATCH 512 /* svc_scan's batch (src/service/clock.c) */
#define DOC_BEGIN "<!-- scan-bench:begin -->"
#define DOC_END "<!-- scan-bench:end -->"

/* ---- options ------------------------------------------------------------------- */

struct opts {
	long cases;
	int reps;       /* rounds: peer + first scan each */
	int steady;     /* repeated scans per round */
	int64_t now;
	int64_t gap;    /* seconds since the previous scan */
	uint64_t seed;
	char db[512];
	int keep;
	const char *doc;
	char cmd[1024];
};

static void usage(void)
{
	fprintf(stderr, "usage: scan_bench [--cases N] [--reps N] [--steady N] [--now ISO] [--gap SECONDS]\n"
			"                  [--seed N] [--db PATH] [--keep] [--doc PATH]\n");
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
	o->reps = 20;
	o->steady = 25;
	o->gap = 14 * HOUR + HOUR / 2;
	o->seed = 20260521;
	if (xtime_parse("2026-05-21T08:30:00+08:00", &o->now))
		abort();
	snprintf(o->db, sizeof o->db, "/tmp/xinfang-scan-bench-%ld.db", (long)getpid());
	for (i = 0; i < argc; i++) {
		int n = snprintf(o->cmd + used, sizeof o->cmd - used, "%s%s", i ? " " : "", argv[i]);

		if (n > 0 && (size_t)n < sizeof o->cmd - used)
			used += (size_t)n;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--cases") == 0)
			o->cases = num_arg(v, 100, 20000000), i++;
		else if (strcmp(a, "--reps") == 0)
			o->reps = (int)num_arg(v, 1, 1000), i++;
		else if (strcmp(a, "--steady") == 0)
			o->steady = (int)num_arg(v, 1, 100000), i++;
		else if (strcmp(a, "--gap") == 0)
			o->gap = num_arg(v, 1, 30L * DAY), i++;
		else if (strcmp(a, "--seed") == 0)
			o->seed = (uint64_t)num_arg(v, 0, 0x7fffffffL), i++;
		else if (strcmp(a, "--now") == 0) {
			if (!v || xtime_parse(v, &o->now))
				usage();
			i++;
		} else if (strcmp(a, "--db") == 0) {
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
		else
			usage();
	}
}

/* ---- small things ------------------------------------------------------------- */

/* the database file, removed at exit unless --keep (also when a check fails) */
static char g_db[512];
static int g_keep;


static void cleanup(void)
{
	if (!g_keep && g_db[0])
		remove_db(g_db);
}

/* splitmix64 */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int rnd(struct rng *r, int n)
{
	return n <= 1 ? 0 : (int)(rng_next(r) % (uint64_t)n);
}

static int chance(struct rng *r, int percent)
{
	return rnd(r, 100) < percent;
}

/* uniform in [lo, hi) */
static double frac(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

#define PICK(r, a) ((a)[rnd((r), N_OF(a))])

/* An order-independent fingerprint of a set of clock runs (case, clock, start). */
struct set_sum {
	int64_t n;
	uint64_t sum, xor;
};

static void set_add(struct set_sum *s, int64_t case_id, const char *name, int64_t start)
{
	uint64_t h = 1469598103934665603ull;

	for (; name && *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	h = mix64(h ^ mix64((uint64_t)case_id * 0x9E3779B97F4A7C15ull) ^ mix64((uint64_t)start + 0x632BE59BD9B4E019ull));
	s->n++;
	s->sum += h;
	s->xor ^= h;
}

static int set_eq(const struct set_sum *a, const struct set_sum *b)
{
	return a->n == b->n && a->sum == b->sum && a->xor == b->xor;
}

/* ---- the organisation ------------------------------------------------------------ */

struct bunit {
	const char *code, *name, *parent, *type, *level, *division, *dept;
};

static const struct bunit bunits[] = {
	{ "hlj-xfj", "黑龙江省信访局", NULL, "petition", "province", "230000", NULL },
	{ "hlj-zjt", "黑龙江省住房和城乡建设厅", "hlj-xfj", "handling", "province", "230000", "zjj" },
	{ "hlj-rst", "黑龙江省人力资源和社会保障厅", "hlj-xfj", "handling", "province", "230000", "rsj" },
	{ "hrb-xfj", "哈尔滨市信访局", "hlj-xfj", "petition", "city", "230100", NULL },
	{ "hrb-cgj", "哈尔滨市城市管理局", "hrb-xfj", "handling", "city", "230100", "cgj" },
	{ "hrb-tjj", "哈尔滨市统计局", "hrb-xfj", "handling", "city", "230100", "tjj" },
	{ "hrb-rsj", "哈尔滨市人力资源和社会保障局", "hrb-xfj", "handling", "city", "230100", "rsj" },
	{ "hrb-zjj", "哈尔滨市住房和城乡建设局", "hrb-xfj", "handling", "city", "230100", "zjj" },
	{ "dl-xfj", "道里区信访局", "hrb-xfj", "petition", "county", "230102", NULL },
	{ "dl-cgj", "道里区城市管理局", "dl-xfj", "handling", "county", "230102", "cgj" },
	{ "dl-zjj", "道里区住房和城乡建设局", "dl-xfj", "handling", "county", "230102", "zjj" },
	{ "dl-rsj", "道里区人力资源和社会保障局", "dl-xfj", "handling", "county", "230102", "rsj" },
	{ "bx-xfj", "宾县信访局", "hrb-xfj", "petition", "county", "230125", NULL },
	{ "bx-rsj", "宾县人力资源和社会保障局", "bx-xfj", "handling", "county", "230125", "rsj" },
	{ "bx-nyj", "宾县农业农村局", "bx-xfj", "handling", "county", "230125", "nyj" },
	{ "qqhr-xfj", "齐齐哈尔市信访局", "hlj-xfj", "petition", "city", "230200", NULL },
	{ "qqhr-cgj", "齐齐哈尔市城市管理局", "qqhr-xfj", "handling", "city", "230200", "cgj" },
	{ "qqhr-tjj", "齐齐哈尔市统计局", "qqhr-xfj", "handling", "city", "230200", "tjj" },
	{ "qqhr-sthj", "齐齐哈尔市生态环境局", "qqhr-xfj", "handling", "city", "230200", "sthj" },
	{ "qqhr-zjj", "齐齐哈尔市住房和城乡建设局", "qqhr-xfj", "handling", "city", "230200", "zjj" },
	{ "lj-xfj", "龙江县信访局", "qqhr-xfj", "petition", "county", "230221", NULL },
	{ "lj-nyj", "龙江县农业农村局", "lj-xfj", "handling", "county", "230221", "nyj" },
	{ "lj-rsj", "龙江县人力资源和社会保障局", "lj-xfj", "handling", "county", "230221", "rsj" },
};
#define N_UNITS N_OF(bunits)

/* clock kinds used here, in the order of policy.c */
enum { K_TRIAGE, K_ACCEPT, K_OBJECTION, K_HANDLE, K_REVIEW_REQ, K_REVIEW, K_RECHECK_REQ, K_RECHECK,
       K_IMPLEMENT, K_SUGGESTION, K__COUNT };
static const char *const kind_names[K__COUNT] = {
	"triage", "accept", "objection", "handle", "review_request", "review", "recheck_request", "recheck",
	"implement", "suggestion",
};

struct uinfo {
	int64_t id;
	int parent;        /* index, -1 at the root */
	int64_t sup_id;    /* nearest petition department above (0: none) */
	char policy[40];
	struct limit lim[K__COUNT];
};

struct world {
	struct app *app;
	struct uinfo u[N_UNITS];
	int escalate[K__COUNT];
	int64_t now, last; /* scan time; the previous scan */
};

static int unit_index(const char *code)
{
	int i;

	for (i = 0; i < N_UNITS; i++)
		if (strcmp(bunits[i].code, code) == 0)
			return i;
	return -1;
}

static void world_units(struct world *w)
{
	struct xerr err;
	int i, k;

	for (i = 0; i < N_UNITS; i++) {
		const struct bunit *b = &bunits[i];
		struct unit u, sup;

		if (svc_unit_add(w->app, b->code, b->name, b->parent, b->type, b->level, b->division, &err)) {
			fprintf(stderr, "scan_bench: unit %s: %s\n", b->code, err.message);
			exit(1);
		}
		if (store_unit_by_code(w->app->st, b->code, &u) != 0)
			bench_die("unit lookup", NULL);
		w->u[i].id = u.id;
		w->u[i].parent = b->parent ? unit_index(b->parent) : -1;
		w->u[i].sup_id = store_unit_petition_ancestor(w->app->st, &u, &sup) == 0 ? sup.id : 0;
		if (clock_unit_policy(w->app, u.id, w->u[i].policy))
			bench_die("unit policy", NULL);
		for (k = 0; k < K__COUNT; k++)
			if (clock_unit_limit(w->app, u.id, kind_names[k], 0, &w->u[i].lim[k])) {
				fprintf(stderr, "scan_bench: no limit for %s under %s\n", kind_names[k], w->u[i].policy);
				exit(1);
			}
	}
	for (k = 0; k < K__COUNT; k++) {
		const struct clock_kind *ck = clock_kind_find(kind_names[k]);

		if (!ck)
			bench_die("unknown clock kind", NULL);
		w->escalate[k] = ck->escalate;
	}
}

/* The petition department a case is reviewed by: the one above `u`, else u. */
static int review_unit(const struct world *w, int u)
{
	int p = w->u[u].parent;

	while (p >= 0 && strcmp(bunits[p].type, "petition") != 0)
		p = w->u[p].parent;
	return p >= 0 ? p : u;
}

/* ---- cases ------------------------------------------------------------------------- */

/* What a petition is about; dept picks the handling unit. */
struct topic {
	const char *dept, *category, *kind, *purpose;
};

static const struct topic topics[] = {
	{ "rsj", "0301", "claim", "demand" },      /* 欠薪 */
	{ "rsj", "0302", "claim", "demand" },      /* 社保 */
	{ "zjj", "0103", "claim", "demand" },      /* 物业 */
	{ "zjj", "0101", "claim", "demand" },      /* 办证 */
	{ "zjj", "0104", "claim", "appeal" },      /* 拆迁补偿 */
	{ "cgj", "0102", "claim", "demand" },      /* 违建、占道 */
	{ "cgj", "0102", "proposal", "suggest" },  /* 建议 */
	{ "sthj", "0501", "claim", "demand" },     /* 噪声 */
	{ "nyj", "0201", "claim", "demand" },      /* 土地承包 */
	{ "tjj", "1201", "accusation", "accuse" }, /* 统计造假 */
};

static const char *const estates[] = {
	"阳光家园", "和平小区", "锦华苑", "幸福里小区", "康安小区", "铁路家属楼", "红旗小区", "新华小区",
	"丽水苑", "滨江花园", "福泰小区", "嘉和园", "书香苑", "枫叶小区", "安居小区", "明珠花园",
};
static const char *const companies[] = {
	"鑫达建筑劳务有限公司", "宏盛建设工程有限公司", "瑞丰商贸有限公司", "北辰机械制造有限公司",
	"永昌建材有限公司", "金穗农业科技有限公司", "兴业食品有限公司", "华通物流有限公司",
};
static const char *const villages[] = {
	"新立村", "永胜村", "双合村", "东兴村", "红星村", "太平村", "长发村", "兴隆村",
};
static const char *const channels[] = { "letter", "visit", "visit", "phone", "online", "online", "online", "fax" };

static void topic_text(int t, struct rng *r, char *title, char *content, char *request, size_t n)
{
	const char *est = PICK(r, estates), *co = PICK(r, companies), *vil = PICK(r, villages);
	int people = 2 + rnd(r, 40), months = 2 + rnd(r, 10), money = 8000 + rnd(r, 400) * 1000;

	switch (t) {
	case 0:
		snprintf(title, n, "关于%s拖欠农民工工资的问题", co);
		snprintf(content, n,
			 "我们是%s在%s项目上的务工人员，共%d人，已被拖欠工资%d个月，共计%d元。多次找公司和项目负责人讨要，对方一直以工程款未结算为由推脱。",
			 co, est, people, months, money);
		snprintf(request, n, "请求督促%s尽快足额支付拖欠的工资。", co);
		break;
	case 1:
		snprintf(title, n, "关于%s未依法缴纳社会保险的问题", co);
		snprintf(content, n, "我在%s工作%d年，单位一直未给我缴纳养老和医疗保险，现在看病无法报销，向单位反映多次没有结果。", co,
			 months);
		snprintf(request, n, "请求责令单位补缴社会保险费。");
		break;
	case 2:
		snprintf(title, n, "关于%s物业服务不到位的问题", est);
		snprintf(content, n, "%s物业公司收费后不履行服务，电梯经常停运，楼道照明损坏%d个月无人维修，垃圾清运不及时，业主多次反映未果。", est,
			 months);
		snprintf(request, n, "请求主管部门督促物业公司整改，依法履行服务合同。");
		break;
	case 3:
		snprintf(title, n, "关于%s回迁房屋无法办理不动产权证的问题", est);
		snprintf(content, n, "%s回迁户共%d户，入住已%d年仍无法办理不动产权证，开发企业称手续不全，影响子女入学和房屋交易。", est,
			 people * 3, months);
		snprintf(request, n, "请求协调有关部门尽快为回迁户办理不动产权证。");
		break;
	case 4:
		snprintf(title, n, "关于%s征收补偿标准的问题", est);
		snprintf(content, n, "我家房屋位于%s，在征收中被认定面积少算了%d平方米，补偿款比同类房屋低%d元，申请复核后没有答复。", est,
			 1 + rnd(r, 30), money);
		snprintf(request, n, "请求重新核定面积，按标准给予补偿。");
		break;
	case 5:
		snprintf(title, n, "关于%s附近违法建设和占道经营的问题", est);
		snprintf(content, n, "%s北侧有人私搭乱建彩钢房，并占用人行道经营，夜间噪声和油烟扰民，已持续%d个月。", est, months);
		snprintf(request, n, "请求依法拆除违法建设，规范占道经营。");
		break;
	case 6:
		snprintf(title, n, "关于在%s周边增设公共停车位的建议", est);
		snprintf(content, n, "%s周边车辆多，停车位不足，车辆乱停导致消防通道堵塞。建议利用闲置地块增设停车位约%d个。", est,
			 people * 5);
		snprintf(request, n, "建议城市管理部门研究采纳。");
		break;
	case 7:
		snprintf(title, n, "关于%s夜间施工噪声扰民的问题", est);
		snprintf(content, n, "%s旁边的工地每天夜里施工到凌晨，噪声很大，老人孩子无法休息，已持续%d个月，向施工方反映无效。", est,
			 months);
		snprintf(request, n, "请求依法查处夜间违规施工。");
		break;
	case 8:
		snprintf(title, n, "关于%s土地承包经营权纠纷的问题", vil);
		snprintf(content, n, "我家在%s承包的%d亩耕地被村委会收回另行发包，没有与我协商，也没有任何补偿。", vil, 2 + rnd(r, 20));
		snprintf(request, n, "请求恢复我家的土地承包经营权。");
		break;
	default:
		snprintf(title, n, "关于%s虚报统计数据的问题", co);
		snprintf(content, n, "%s在%d年度统计报表中虚报产值约%d万元，用于申请补贴。", co, 2025, money / 100);
		snprintf(request, n, "请求依法调查处理。");
		break;
	}
}

struct gclock {
	int kind, u;
	int64_t start, stop, paused; /* 0: running / not paused */
	int64_t warn, due;
};

enum { P_REGISTERED, P_DISPATCHED, P_ACCEPTED, P_REVIEW, P_RECHECK };
static const char *const profile_state[] = { "registered", "dispatched", "accepted", "review", "recheck" };

struct gcase {
	int profile, topic, h, p, r, rr;
	int64_t t[7]; /* register, dispatch, accept, approve, request_review, decide_review, request_recheck */
	int64_t registered_at, updated_at;
	int n;
	struct gclock k[12];
	int implement;
	uint64_t text_seed;
};

static int64_t office_time(const struct world *w, int64_t day, struct rng *r)
{
	while (!calendar_is_workday(w->app->cal, day))
		day--;
	return calendar_day_start(day) + 8 * HOUR + HOUR / 2 + rnd(r, 9 * HOUR);
}

static int64_t nominal(const struct limit *l)
{
	return l->unit == CAL_HOURS ? (int64_t)l->amount * HOUR
	     : l->unit == CAL_WORKDAYS ? (int64_t)l->amount * DAY * 7 / 5
				       : (int64_t)l->amount * DAY;
}

/* When a stage ended at `end` began: most finish in time, some late. */
static int64_t stage_start(const struct world *w, struct rng *r, int64_t end, int u, int kind, int late_ok)
{
	double f = late_ok && chance(r, 15) ? frac(r, 0.9, 1.4) : frac(r, 0.1, 0.9);
	int64_t s = office_time(w, calendar_day_of(end - (int64_t)(f * (double)nominal(&w->u[u].lim[kind]))), r);

	return s < end ? s : end - HOUR / 2 - rnd(r, HOUR);
}

static void add_clock(const struct world *w, struct gcase *g, int kind, int u, int64_t start, int64_t stop)
{
	const struct limit *l = &w->u[u].lim[kind];
	struct gclock *c = &g->k[g->n++];

	c->kind = kind;
	c->u = u;
	c->start = start;
	c->stop = stop;
	c->paused = 0;
	c->due = calendar_due(w->app->cal, start, l->amount, l->unit);
	c->warn = start + (c->due - start) * l->warn_pct / 100;
}

/* A start moment after `after` and before now. */
static int64_t later(const struct world *w, struct rng *r, int64_t after)
{
	return after + 1 + (int64_t)(frac(r, 0.0, 1.0) * (double)(w->now - 1 - after));
}

static void gen_case(const struct world *w, uint64_t seed, long idx, struct gcase *g)
{
	struct rng r = { seed * 0x2545F4914F6CDD1Dull + (uint64_t)idx * 0x9E3779B97F4A7C15ull };
	int64_t today = calendar_day_of(w->now), cur, *t = g->t;
	int pick = rnd(&r, 100), cands[N_UNITS], nc = 0, i;

	memset(g, 0, sizeof *g);
	rng_next(&r);
	g->profile = pick < 12 ? P_REGISTERED : pick < 30 ? P_DISPATCHED : pick < 82 ? P_ACCEPTED : pick < 94 ? P_REVIEW : P_RECHECK;
	g->topic = rnd(&r, N_OF(topics));
	for (i = 0; i < N_UNITS; i++)
		if (bunits[i].dept && strcmp(bunits[i].dept, topics[g->topic].dept) == 0)
			cands[nc++] = i;
	g->h = cands[rnd(&r, nc)];
	g->p = w->u[g->h].parent;
	g->r = review_unit(w, g->p);
	g->rr = review_unit(w, g->r);
	g->text_seed = rng_next(&r);

	/* the running clock of the current stage started in the last 90 days */
	cur = office_time(w, today - 1 - rnd(&r, 90), &r);
	switch (g->profile) {
	case P_REGISTERED:
		t[0] = cur;
		add_clock(w, g, K_TRIAGE, g->p, t[0], 0);
		break;
	case P_DISPATCHED:
		t[1] = cur;
		t[0] = stage_start(w, &r, t[1], g->p, K_TRIAGE, 1);
		add_clock(w, g, K_TRIAGE, g->p, t[0], t[1]);
		add_clock(w, g, K_ACCEPT, g->h, t[1], 0);
		add_clock(w, g, K_OBJECTION, g->h, t[1], 0);
		break;
	default:
		if (g->profile == P_ACCEPTED) {
			t[2] = cur;
		} else if (g->profile == P_REVIEW) {
			t[4] = cur;
			t[3] = stage_start(w, &r, t[4], g->h, K_REVIEW_REQ, 0);
			t[2] = stage_start(w, &r, t[3], g->h, K_HANDLE, 1);
		} else {
			t[6] = cur;
			t[5] = stage_start(w, &r, t[6], g->r, K_RECHECK_REQ, 0);
			t[4] = stage_start(w, &r, t[5], g->r, K_REVIEW, 1);
			t[3] = stage_start(w, &r, t[4], g->h, K_REVIEW_REQ, 0);
			t[2] = stage_start(w, &r, t[3], g->h, K_HANDLE, 1);
		}
		t[1] = stage_start(w, &r, t[2], g->h, K_ACCEPT, 1);
		t[0] = stage_start(w, &r, t[1], g->p, K_TRIAGE, 1);
		add_clock(w, g, K_TRIAGE, g->p, t[0], t[1]);
		add_clock(w, g, K_ACCEPT, g->h, t[1], t[2]);
		add_clock(w, g, K_OBJECTION, g->h, t[1], t[2]);
		if (g->profile == P_ACCEPTED) {
			add_clock(w, g, K_HANDLE, g->h, t[2], 0);
			if (chance(&r, 3)) /* waiting for material the petitioner is to supply */
				g->k[g->n - 1].paused = later(w, &r, t[2]);
			if (chance(&r, 20))
				add_clock(w, g, K_SUGGESTION, g->h, later(w, &r, t[2]), 0);
			break;
		}
		add_clock(w, g, K_HANDLE, g->h, t[2], t[3]);
		add_clock(w, g, K_REVIEW_REQ, g->h, t[3], t[4]);
		g->implement = chance(&r, 60);
		if (g->implement) /* the decision supported the request: it must be implemented */
			add_clock(w, g, K_IMPLEMENT, g->h, t[3], chance(&r, 50) ? 0 : later(w, &r, t[3]));
		if (chance(&r, 10))
			add_clock(w, g, K_SUGGESTION, g->h, later(w, &r, t[2]), 0);
		if (g->profile == P_REVIEW) {
			add_clock(w, g, K_REVIEW, g->r, t[4], 0);
			break;
		}
		add_clock(w, g, K_REVIEW, g->r, t[4], t[5]);
		add_clock(w, g, K_RECHECK_REQ, g->r, t[5], t[6]);
		add_clock(w, g, K_RECHECK, g->rr, t[6], 0);
		break;
	}
	g->registered_at = t[0];
	g->updated_at = cur;
	for (i = 0; i < g->n; i++) {
		if (g->k[i].start > g->updated_at)
			g->updated_at = g->k[i].start;
		if (g->k[i].stop > g->updated_at)
			g->updated_at = g->k[i].stop;
	}
}

/* ---- fill ------------------------------------------------------------------------ */

struct fill_stats {
	int64_t cases, clocks, running, escalating, paused, escalations, next_set, limits;
	int64_t crossings, cross_warn, cross_overdue; /* expected at `now` */
	double fill_s, gen_s;
	long maxrss_kb;
	int ok;
};

struct order {
	int64_t registered_at;
	long idx;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->registered_at != y->registered_at)
		return x->registered_at < y->registered_at ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static void bind_str(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void fill(const struct opts *o, struct fill_stats *fs)
{
	struct world w = { 0 };
	struct xerr err;
	struct order *ord;
	sqlite3 *db;
	sqlite3_stmt *ins_case, *ins_clock, *ins_esc, *ins_limit = NULL;
	int64_t day0 = calendar_day_of(o->now) - 1999;
	static int per_day[2000];
	double t0 = now_ms(), t1;
	long i;
	struct rusage ru;

	w.app = app_open(o->db, &err);
	if (!w.app) {
		fprintf(stderr, "scan_bench: app_open %s: %s\n", o->db, err.message);
		exit(1);
	}
	w.now = o->now;
	w.last = o->now - o->gap;
	db = w.app->st->db;
	world_units(&w);

	/* order cases by registration time so ids and numbers grow with time */
	ord = malloc(sizeof *ord * (size_t)o->cases);
	if (!ord)
		bench_die("out of memory", NULL);
	for (i = 0; i < o->cases; i++) {
		struct gcase g;

		gen_case(&w, o->seed, i, &g);
		ord[i].registered_at = g.registered_at;
		ord[i].idx = i;
	}
	qsort(ord, (size_t)o->cases, sizeof *ord, order_cmp);
	t1 = now_ms();
	fs->gen_s = (t1 - t0) / 1e3;

	/* bulk-load settings, for the fill only; the measuring process opens the file afresh */
	bench_exec(db, "PRAGMA journal_mode=OFF");
	bench_exec(db, "PRAGMA synchronous=OFF");
	bench_exec(db, "PRAGMA cache_size=-1048576");
	bench_exec(db, "BEGIN");
	ins_case = bench_prep(db, "INSERT INTO cases(id, no, version, state, channel, kind, purpose, category, locality,"
			    " title, content, request, flags, people_count, involved_count, petition_date,"
			    " query_hash, registered_at, registered_unit_id, dispatch_unit_id, holder_unit_id,"
			    " lead_unit_id, dispatch_mode, dispatched_at, accepted_at, reply, replied_at, closed_at,"
			    " stage, review_unit_id, review_requested_at, review_decision, recheck_unit_id,"
			    " recheck_requested_at, updated_at)"
			    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	ins_clock = bench_prep(db, "INSERT INTO case_clocks(case_id, name, unit_id, supervisor_unit_id, policy, escalate,"
			     " start_at, amount, unit, warn_pct, extra_days, paused_at, paused_secs, warn_at, due_at,"
			     " stopped_at, next_at) VALUES(?,?,?,?,?,?,?,?,?,?,0,?,0,?,?,?,?)");
	ins_esc = bench_prep(db, "INSERT INTO escalations(case_id, clock, clock_start, level, unit_id,"
			   " supervisor_unit_id, due_at, created_at) VALUES(?,?,?,?,?,?,?,?)");
	/* the limit each clock run started with, where the schema keeps it (not read by the scanner) */
	if (bench_query_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='clock_limits'"))
		ins_limit = bench_prep(db, "INSERT INTO clock_limits(case_no, clock, start_at, unit_id, policy, amount,"
				     " unit, warn_pct) VALUES(?,?,?,?,?,?,?,?)");
	for (i = 0; i < o->cases; i++) {
		static const int versions[] = { 1, 2, 3, 6, 8 };
		struct gcase g;
		struct rng tr;
		char no[32], date[11], ymd[9], hash[65], title[256], content[768], request[256];
		int64_t id = i + 1, d;
		int j, holder;
		const struct topic *tp;

		gen_case(&w, o->seed, ord[i].idx, &g);
		tr.s = g.text_seed;
		tp = &topics[g.topic];
		d = calendar_day_of(g.registered_at) - day0;
		if (d < 0 || d >= 2000 || per_day[d] >= 99999)
			bench_die("case number out of range", NULL);
		xtime_day(g.registered_at, ymd);
		xtime_date(g.registered_at, date);
		snprintf(no, sizeof no, "XF%s%05d", ymd, ++per_day[d]);
		for (j = 0; j < 64; j++)
			hash[j] = "0123456789abcdef"[rnd(&tr, 16)];
		hash[64] = '\0';
		topic_text(g.topic, &tr, title, content, request, sizeof title);
		holder = g.profile == P_REGISTERED ? g.p : g.profile == P_REVIEW ? g.r : g.profile == P_RECHECK ? g.rr : g.h;

		sqlite3_bind_int64(ins_case, 1, id);
		bind_str(ins_case, 2, no);
		sqlite3_bind_int(ins_case, 3, versions[g.profile]);
		bind_str(ins_case, 4, profile_state[g.profile]);
		bind_str(ins_case, 5, PICK(&tr, channels));
		bind_str(ins_case, 6, tp->kind);
		bind_str(ins_case, 7, tp->purpose);
		bind_str(ins_case, 8, tp->category);
		bind_str(ins_case, 9, bunits[g.h].division);
		bind_str(ins_case, 10, title);
		bind_str(ins_case, 11, content);
		bind_str(ins_case, 12, request);
		bind_str(ins_case, 13, chance(&tr, 5) ? "[\"collective\"]" : chance(&tr, 10) ? "[\"first_local\"]" : "[]");
		sqlite3_bind_int(ins_case, 14, 1 + rnd(&tr, 3));
		sqlite3_bind_int(ins_case, 15, 1 + rnd(&tr, 20));
		bind_str(ins_case, 16, date);
		bind_str(ins_case, 17, hash);
		sqlite3_bind_int64(ins_case, 18, g.registered_at);
		sqlite3_bind_int64(ins_case, 19, w.u[g.p].id);
		sqlite3_bind_int64(ins_case, 20, w.u[g.p].id);
		sqlite3_bind_int64(ins_case, 21, w.u[holder].id);
		bind_opt(ins_case, 22, g.profile >= P_DISPATCHED ? w.u[g.h].id : 0);
		bind_str(ins_case, 23, g.profile >= P_DISPATCHED ? (chance(&tr, 70) ? "transfer" : "assign") : NULL);
		bind_opt(ins_case, 24, g.t[1]);
		bind_opt(ins_case, 25, g.t[2]);
		bind_str(ins_case, 26, g.profile >= P_REVIEW ? (g.implement ? "{\"outcome\":\"support\"}"
									    : "{\"outcome\":\"explain\"}")
							     : NULL);
		bind_opt(ins_case, 27, g.t[3]);
		bind_opt(ins_case, 28, g.t[3]);
		sqlite3_bind_int(ins_case, 29, g.profile == P_REVIEW ? 1 : g.profile == P_RECHECK ? 2 : 0);
		bind_opt(ins_case, 30, g.profile >= P_REVIEW ? w.u[g.r].id : 0);
		bind_opt(ins_case, 31, g.t[4]);
		bind_str(ins_case, 32, g.profile == P_RECHECK ? "uphold" : NULL);
		bind_opt(ins_case, 33, g.profile == P_RECHECK ? w.u[g.rr].id : 0);
		bind_opt(ins_case, 34, g.t[6]);
		sqlite3_bind_int64(ins_case, 35, g.updated_at);
		bench_step_done(db, ins_case, "insert case");
		fs->cases++;

		for (j = 0; j < g.n; j++) {
			const struct gclock *c = &g.k[j];
			const struct uinfo *u = &w.u[c->u];
			const struct limit *l = &u->lim[c->kind];
			int esc = w.escalate[c->kind], warned = 0, overdue = 0;
			int64_t horizon = w.last, next = 0;

			/* what the scanner, running every minute up to `last`, has recorded */
			if (c->stop && c->stop < horizon)
				horizon = c->stop;
			if (c->paused && c->paused < horizon)
				horizon = c->paused;
			if (esc) {
				warned = c->warn <= horizon;
				overdue = c->due <= horizon;
				if (!c->stop && !c->paused)
					next = !warned ? c->warn : !overdue ? c->due : 0;
			}
			sqlite3_bind_int64(ins_clock, 1, id);
			bind_str(ins_clock, 2, kind_names[c->kind]);
			bind_opt(ins_clock, 3, u->id);
			bind_opt(ins_clock, 4, u->sup_id);
			bind_str(ins_clock, 5, u->policy);
			sqlite3_bind_int(ins_clock, 6, esc);
			sqlite3_bind_int64(ins_clock, 7, c->start);
			sqlite3_bind_int(ins_clock, 8, l->amount);
			bind_str(ins_clock, 9, calendar_unit_name(l->unit));
			sqlite3_bind_int(ins_clock, 10, l->warn_pct);
			bind_opt(ins_clock, 11, c->paused);
			sqlite3_bind_int64(ins_clock, 12, c->warn);
			sqlite3_bind_int64(ins_clock, 13, c->due);
			bind_opt(ins_clock, 14, c->stop);
			bind_opt(ins_clock, 15, next);
			bench_step_done(db, ins_clock, "insert clock");
			fs->clocks++;
			if (ins_limit) {
				bind_str(ins_limit, 1, no);
				bind_str(ins_limit, 2, kind_names[c->kind]);
				sqlite3_bind_int64(ins_limit, 3, c->start);
				bind_opt(ins_limit, 4, u->id);
				bind_str(ins_limit, 5, u->policy);
				sqlite3_bind_int(ins_limit, 6, l->amount);
				bind_str(ins_limit, 7, calendar_unit_name(l->unit));
				sqlite3_bind_int(ins_limit, 8, l->warn_pct);
				bench_step_done(db, ins_limit, "insert clock limit");
				fs->limits++;
			}
			if (!c->stop) {
				fs->running++;
				fs->escalating += esc && !c->paused;
				fs->paused += c->paused != 0;
			}
			if (next) {
				fs->next_set++;
				if (next <= w.now) {
					fs->crossings++;
					fs->cross_warn += !warned;
					fs->cross_overdue += c->due <= w.now;
				}
			}
			for (int lv = 0; lv < 2; lv++) {
				int64_t at = lv ? c->due : c->warn, lag;

				if (!(lv ? overdue : warned))
					continue;
				lag = rnd(&tr, 60);
				if (at + lag > w.last)
					lag = w.last - at;
				sqlite3_bind_int64(ins_esc, 1, id);
				bind_str(ins_esc, 2, kind_names[c->kind]);
				sqlite3_bind_int64(ins_esc, 3, c->start);
				bind_str(ins_esc, 4, lv ? "overdue" : "warning");
				bind_opt(ins_esc, 5, u->id);
				bind_opt(ins_esc, 6, u->sup_id);
				sqlite3_bind_int64(ins_esc, 7, c->due);
				sqlite3_bind_int64(ins_esc, 8, at + lag);
				bench_step_done(db, ins_esc, "insert escalation");
				fs->escalations++;
			}
		}
		if ((i + 1) % 100000 == 0)
			fprintf(stderr, "  filled %ld cases (%.0f s)\n", i + 1, (now_ms() - t0) / 1e3);
	}
	sqlite3_finalize(ins_case);
	sqlite3_finalize(ins_clock);
	sqlite3_finalize(ins_esc);
	sqlite3_finalize(ins_limit);
	bench_exec(db, "COMMIT");
	bench_exec(db, "PRAGMA journal_mode=WAL");
	bench_exec(db, "PRAGMA synchronous=FULL");
	free(ord);
	app_close(w.app);
	fs->fill_s = (now_ms() - t0) / 1e3;
	getrusage(RUSAGE_SELF, &ru);
	fs->maxrss_kb = ru.ru_maxrss;
	fs->ok = 1;
}

/* ---- measuring ------------------------------------------------------------------- */

#define PEER_SQL                                                                                   \
	"SELECT k.case_id, k.name, k.start_at,"                                                      \
	" NOT EXISTS(SELECT 1 FROM escalations e WHERE e.case_id=k.case_id AND e.clock=k.name"       \
	"   AND e.clock_start=k.start_at AND e.level='warning'),"                                    \
	" CASE WHEN k.due_at <= ?1 THEN NOT EXISTS(SELECT 1 FROM escalations e"                      \
	"   WHERE e.case_id=k.case_id AND e.clock=k.name AND e.clock_start=k.start_at"               \
	"   AND e.level='overdue') ELSE 0 END"                                                       \
	" FROM case_clocks AS k NOT INDEXED"                                                         \
	" WHERE k.stopped_at IS NULL AND k.paused_at IS NULL AND k.escalate=1"                       \
	"   AND (k.warn_at <= ?1 OR k.due_at <= ?1)"

/* the scanner's own predicate read without its index: isolates what the index saves.
 * SQLite 3.40 still uses the secondary indexes of a WITHOUT ROWID table under
 * NOT INDEXED (only the primary key is excluded), and `next_at <= ?` implies the
 * partial index's WHERE; COALESCE hides the column from both. The plans are checked. */
#define PLAIN_SQL                                                                                  \
	"SELECT case_id, name, start_at FROM case_clocks NOT INDEXED"                                \
	" WHERE COALESCE(next_at, 0) BETWEEN 1 AND ?1"

/* the scanner's own WHERE clause (store_clocks_due), without the batching */
#define INDEX_SQL                                                                                  \
	"SELECT case_id, name, start_at, next_at FROM case_clocks"                                   \
	" WHERE next_at IS NOT NULL AND next_at <= ?1"

struct peer_result {
	struct set_sum set;
	int64_t candidates, warn, overdue;
};

/* The peer: every running escalating clock past a threshold, checked against
 * escalations; a crossing is one that lacks the escalation of a threshold it passed. */
static void peer_scan(sqlite3 *db, sqlite3_stmt *s, int64_t now, struct peer_result *pr)
{
	int rc;

	memset(pr, 0, sizeof *pr);
	sqlite3_bind_int64(s, 1, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int w = sqlite3_column_int(s, 3), o = sqlite3_column_int(s, 4);

		pr->candidates++;
		if (!w && !o)
			continue;
		pr->warn += w;
		pr->overdue += o;
		set_add(&pr->set, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
			sqlite3_column_int64(s, 2));
	}
	if (rc != SQLITE_DONE)
		bench_die("peer scan", db);
	sqlite3_reset(s);
}

static void plain_scan(sqlite3 *db, sqlite3_stmt *s, int64_t now, struct set_sum *set)
{
	int rc;

	memset(set, 0, sizeof *set);
	sqlite3_bind_int64(s, 1, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		set_add(set, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
			sqlite3_column_int64(s, 2));
	if (rc != SQLITE_DONE)
		bench_die("plain scan", db);
	sqlite3_reset(s);
}

struct due_clock {
	int64_t case_id, next_at;
	char name[24];
};

/* The clocks the scanner's query selects, kept to restore next_at afterwards. */
static struct due_clock *index_set(sqlite3 *db, int64_t now, struct set_sum *set, int64_t *n)
{
	sqlite3_stmt *s = bench_prep(db, INDEX_SQL);
	struct due_clock *v = NULL;
	size_t cap = 0;
	int rc;

	memset(set, 0, sizeof *set);
	*n = 0;
	sqlite3_bind_int64(s, 1, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((size_t)*n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				bench_die("out of memory", NULL);
		}
		v[*n].case_id = sqlite3_column_int64(s, 0);
		snprintf(v[*n].name, sizeof v[*n].name, "%s", (const char *)sqlite3_column_text(s, 1));
		v[*n].next_at = sqlite3_column_int64(s, 3);
		set_add(set, v[*n].case_id, v[*n].name, sqlite3_column_int64(s, 2));
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		bench_die("index query", db);
	sqlite3_finalize(s);
	return v;
}

/* What the scanner wrote: the clock runs of the escalations it added. */
static void written_set(sqlite3 *db, int64_t after_id, struct set_sum *set, int64_t *warn, int64_t *overdue)
{
	sqlite3_stmt *s = bench_prep(db, "SELECT case_id, clock, clock_start, SUM(level='warning'), SUM(level='overdue')"
				   " FROM escalations WHERE id > ? GROUP BY case_id, clock, clock_start");
	int rc;

	memset(set, 0, sizeof *set);
	*warn = *overdue = 0;
	sqlite3_bind_int64(s, 1, after_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		set_add(set, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
			sqlite3_column_int64(s, 2));
		*warn += sqlite3_column_int64(s, 3);
		*overdue += sqlite3_column_int64(s, 4);
	}
	if (rc != SQLITE_DONE)
		bench_die("written set", db);
	sqlite3_finalize(s);
}

/* Put the database back as it was before the first scan. */
static void restore(sqlite3 *db, int64_t after_id, const struct due_clock *v, int64_t n)
{
	sqlite3_stmt *del = bench_prep(db, "DELETE FROM escalations WHERE id > ?"),
		     *upd = bench_prep(db, "UPDATE case_clocks SET next_at=? WHERE case_id=? AND name=?");
	int64_t i;

	bench_exec(db, "BEGIN IMMEDIATE");
	sqlite3_bind_int64(del, 1, after_id);
	bench_step_done(db, del, "restore escalations");
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(upd, 1, v[i].next_at);
		sqlite3_bind_int64(upd, 2, v[i].case_id);
		sqlite3_bind_text(upd, 3, v[i].name, -1, SQLITE_STATIC);
		bench_step_done(db, upd, "restore next_at");
	}
	bench_exec(db, "COMMIT");
	sqlite3_finalize(del);
	sqlite3_finalize(upd);
}

static void checkpoint(sqlite3 *db)
{
	bench_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

static void query_plan(sqlite3 *db, const char *sql, char *out, size_t n)
{
	char buf[2048];
	sqlite3_stmt *s;
	size_t used = 0;

	snprintf(buf, sizeof buf, "EXPLAIN QUERY PLAN %s", sql);
	s = bench_prep(db, buf);
	sqlite3_bind_int64(s, 1, 0);
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW && used < n) {
		int k = snprintf(out + used, n - used, "%s%s", used ? "; " : "", (const char *)sqlite3_column_text(s, 3));

		if (k > 0)
			used += (size_t)k;
	}
	sqlite3_finalize(s);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat_ms {
	int n;
	double median, p95, min, max;
};

/* median (mean of the middle two when even) and nearest-rank p95 */
static struct stat_ms stats(double *v, int n)
{
	struct stat_ms s = { n, 0, 0, 0, 0 };
	int rank;

	if (n <= 0)
		return s;
	qsort(v, (size_t)n, sizeof *v, dbl_cmp);
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	rank = (95 * n + 99) / 100;
	s.p95 = v[rank - 1];
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

static void fail_check(const char *what)
{
	fprintf(stderr, "scan_bench: VERIFICATION FAILED: %s\n", what);
	exit(1);
}

/* ---- the first scan seen from outside ------------------------------------------- */

/*
 * svc_scan takes the app lock once per batch: PRAGMA synchronous=NORMAL,
 * BEGIN IMMEDIATE, up to SCAN_BATCH clocks, COMMIT, PRAGMA synchronous=FULL,
 * unlock. Every batch writes, so every batch's COMMIT calls the WAL hook
 * once (after writing its frames); the commit hook runs just before. The
 * time between the ends of two WAL hooks is one batch: one hold of the app
 * lock (plus the unlock and lock between batches, nanoseconds).
 *
 * The WAL hook replaces SQLite's default one (sqlite3WalDefaultHook, which
 * PRAGMA wal_autocheckpoint installs) and does the same thing: a passive
 * checkpoint once the WAL holds wal_autocheckpoint frames, inside the
 * COMMIT, so while the app lock is held. Only this one is timed.
 */
#define MAX_BATCHES 65536

struct batch_rec {
	double commit_at, wal_at, end_at; /* ms: COMMIT starts, frames written, checkpoint done */
	int frames;                       /* frames this commit wrote */
	int ckpt;                         /* it ran a checkpoint */
};

static struct {
	int on, autockpt, n, wal_frames, reset; /* reset: the last checkpoint emptied the WAL */
	double commit_at;
	struct batch_rec b[MAX_BATCHES];
} g_hk;

static int hook_commit(void *ctx)
{
	(void)ctx;
	if (g_hk.on)
		g_hk.commit_at = now_ms();
	return 0;
}

static int hook_wal(void *ctx, sqlite3 *db, const char *name, int frames)
{
	double t0 = now_ms(), t1 = t0;
	int ckpt = 0, log = -1, done = -1;

	(void)ctx;
	if (g_hk.autockpt > 0 && frames >= g_hk.autockpt) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		t1 = now_ms();
		ckpt = 1;
	}
	if (g_hk.on && g_hk.n < MAX_BATCHES) {
		struct batch_rec *b = &g_hk.b[g_hk.n++];

		b->commit_at = g_hk.commit_at;
		b->wal_at = t0;
		b->end_at = t1;
		/* `frames` counts the WAL from its start, which the first commit after a
		 * complete checkpoint rewinds to */
		b->frames = g_hk.reset ? frames : frames - g_hk.wal_frames;
		b->ckpt = ckpt;
	}
	g_hk.wal_frames = frames;
	g_hk.reset = ckpt && log >= 0 && log == done;
	return SQLITE_OK;
}

static void hooks_on(sqlite3 *db)
{
	g_hk.autockpt = (int)bench_query_int(db, "PRAGMA wal_autocheckpoint");
	sqlite3_commit_hook(db, hook_commit, NULL);
	sqlite3_wal_hook(db, hook_wal, NULL);
}

static void hooks_off(sqlite3 *db)
{
	sqlite3_commit_hook(db, NULL, NULL);
	sqlite3_wal_autocheckpoint(db, g_hk.autockpt); /* SQLite's own hook again */
}

/* A clerk's request reduced to its lock: take app->lock, let go, wait 1 ms, again. */
struct prober {
	struct app *app;
	atomic_int stop;
	int n;
	double max_wait, sum_wait;
};

static void *prober_main(void *arg)
{
	struct prober *p = arg;
	const struct timespec ms = { 0, 1000000 };

	while (!atomic_load(&p->stop)) {
		double t0 = now_ms(), w;

		pthread_mutex_lock(&p->app->lock);
		w = now_ms() - t0;
		pthread_mutex_unlock(&p->app->lock);
		p->n++;
		p->sum_wait += w;
		if (w > p->max_wait)
			p->max_wait = w;
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/* ---- the machine ------------------------------------------------------------------ */

/* ---- report ------------------------------------------------------------------------ */

static void ratio_str(double x, double peer, char *out, size_t n)
{
	double r = peer > 0 ? x / peer : 0;

	if (r <= 0)
		snprintf(out, n, "-");
	else if (r >= 0.5)
		snprintf(out, n, "%.2f", r);
	else
		snprintf(out, n, "%.2g (1/%.0f)", r, 1 / r);
}

/* ---- main ------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	struct opts o;
	struct fill_stats fs;
	int pipefd[2], status;
	pid_t pid;
	struct xerr err;
	struct app *app;
	sqlite3 *db;
	sqlite3_stmt *peer, *plain;
	struct due_clock *due;
	struct set_sum idx_set, idx_again, wset, plain_set;
	struct peer_result pr, pr0, pr_after;
	struct scan_result res, res0;
	int64_t n_due, n_again, max_esc, esc_rows, ww, wo, db_bytes, wal_bytes, page_size, page_count;
	double *t_first, *t_peer, *t_plain, *t_find, *t_steady, *wal_first, *t_hold, t0, t_total0 = now_ms();
	double h_total[HOOK_ROUNDS], h_work[HOOK_ROUNDS], h_write[HOOK_ROUNDS], h_ckpt[HOOK_ROUNDS],
		h_other[HOOK_ROUNDS], h_mib[HOOK_ROUNDS], h_nckpt[HOOK_ROUNDS], h_maxhold[HOOK_ROUNDS];
	double p_scan[PROBE_ROUNDS], p_max[PROBE_ROUNDS], p_n[PROBE_ROUNDS], p_mean[PROBE_ROUNDS];
	int n_batches, n_hold = 0;
	int r, k, n_steady = 0, schema_version;
	struct stat_ms s_first, s_peer, s_plain, s_find, s_steady, s_wal, s_hold, s_htotal, s_hwork, s_hwrite,
		s_hckpt, s_hother, s_hmib, s_hnckpt, s_hmax, s_pscan, s_pmax, s_pn, s_pmean;
	char plan_scan[512], plan_peer[512], plan_plain[512], rp[64], rx[64], wal_path[600], rev[160], cpu[256], now_iso[32], last_iso[32], rf[64], rs[64];
	struct utsname un;
	struct rusage ru_self, ru_child;
	char *md = NULL;
	size_t md_len = 0;
	FILE *m;

	parse_opts(argc, argv, &o);
	log_set_quiet(1);
	remove_db(o.db);
	snprintf(g_db, sizeof g_db, "%s", o.db);
	g_keep = o.keep;
	atexit(cleanup);
	xtime_iso(o.now, now_iso);
	xtime_iso(o.now - o.gap, last_iso);
	fprintf(stderr, "scan_bench: %ld cases into %s (scan at %s, previous scan %s)\n", o.cases, o.db, now_iso,
		last_iso);

	/* 1. fill, in a child process */
	if (pipe(pipefd))
		bench_die("pipe", NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork", NULL);
	if (pid == 0) {
		memset(&fs, 0, sizeof fs);
		close(pipefd[0]);
		fill(&o, &fs);
		if (write(pipefd[1], &fs, sizeof fs) != (ssize_t)sizeof fs)
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	memset(&fs, 0, sizeof fs);
	if (read(pipefd[0], &fs, sizeof fs) != (ssize_t)sizeof fs || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs.ok)
		bench_die("fill failed", NULL);
	close(pipefd[0]);
	fprintf(stderr, "scan_bench: filled in %.1f s: %" PRId64 " cases, %" PRId64 " clocks (%" PRId64
			" running), %" PRId64 " escalations; %" PRId64 " crossings expected\n",
		fs.fill_s, fs.cases, fs.clocks, fs.running, fs.escalations, fs.crossings);

	/* 2. measure, in this process, with the application's own settings */
	app = app_open(o.db, &err);
	if (!app) {
		fprintf(stderr, "scan_bench: app_open %s: %s\n", o.db, err.message);
		return 1;
	}
	db = app->st->db;
	schema_version = store_schema_version(app->st);
	page_size = bench_query_int(db, "PRAGMA page_size");
	page_count = bench_query_int(db, "PRAGMA page_count");
	max_esc = bench_query_int(db, "SELECT COALESCE(MAX(id),0) FROM escalations");
	esc_rows = bench_query_int(db, "SELECT COUNT(*) FROM escalations");
	if (esc_rows != fs.escalations || bench_query_int(db, "SELECT COUNT(*) FROM case_clocks") != fs.clocks)
		fail_check("row counts in the database differ from the generator's");
	query_plan(db, "SELECT * FROM case_clocks WHERE next_at IS NOT NULL AND next_at <= ?1 ORDER BY next_at LIMIT 512",
		   plan_scan, sizeof plan_scan);
	query_plan(db, PEER_SQL, plan_peer, sizeof plan_peer);
	query_plan(db, PLAIN_SQL, plan_plain, sizeof plan_plain);
	if (!strstr(plan_scan, "case_clocks_next"))
		fail_check("the scanner's query does not use case_clocks_next");
	if (strstr(plan_peer, "case_clocks_next") || strstr(plan_peer, "case_clocks_unit") ||
	    strstr(plan_plain, "case_clocks_next") || strstr(plan_plain, "case_clocks_unit"))
		fail_check("the peer uses an index on case_clocks");

	due = index_set(db, o.now, &idx_set, &n_due);
	if (n_due != fs.crossings)
		fail_check("the scanner's query finds a different number of clocks than the generator made");
	if (n_due == 0)
		fail_check("nothing crosses a threshold at the scan time: choose another --now or --gap");
	peer = bench_prep(db, PEER_SQL);
	plain = bench_prep(db, PLAIN_SQL);
	t_first = calloc((size_t)o.reps, sizeof *t_first);
	t_peer = calloc((size_t)o.reps, sizeof *t_peer);
	t_plain = calloc((size_t)o.reps, sizeof *t_plain);
	t_find = calloc((size_t)o.reps, sizeof *t_find);
	wal_first = calloc((size_t)o.reps, sizeof *wal_first);
	snprintf(wal_path, sizeof wal_path, "%s-wal", o.db);
	t_steady = calloc((size_t)o.reps * (size_t)o.steady, sizeof *t_steady);
	if (!t_first || !t_peer || !t_plain || !t_find || !wal_first || !t_steady)
		bench_die("out of memory", NULL);
	memset(&pr0, 0, sizeof pr0);
	memset(&res0, 0, sizeof res0);

	for (r = 0; r < o.reps; r++) {
		if (r > 0) {
			restore(db, max_esc, due, n_due);
			free(index_set(db, o.now, &idx_again, &n_again));
			if (!set_eq(&idx_again, &idx_set) ||
			    bench_query_int(db, "SELECT COUNT(*) FROM escalations") != esc_rows)
				fail_check("restoring the pre-scan state");
		}
		checkpoint(db);

		/* (b) the peer, on the pre-scan state */
		t0 = now_ms();
		peer_scan(db, peer, o.now, &pr);
		t_peer[r] = now_ms() - t0;
		if (!set_eq(&pr.set, &idx_set))
			fail_check("the full table scan and the scanner's index query find different clocks");
		if (r == 0)
			pr0 = pr;
		else if (pr.warn != pr0.warn || pr.overdue != pr0.overdue || pr.candidates != pr0.candidates)
			fail_check("the peer found different things in different rounds");
		if (pr.warn != fs.cross_warn || pr.overdue != fs.cross_overdue)
			fail_check("the peer's warning/overdue counts differ from the generator's");

		/* the scanner's predicate without the index */
		t0 = now_ms();
		plain_scan(db, plain, o.now, &plain_set);
		t_plain[r] = now_ms() - t0;
		if (!set_eq(&plain_set, &idx_set))
			fail_check("next_at <= now read without the index finds different clocks");

		/* the scanner's query alone, through the index: finding without writing */
		t0 = now_ms();
		free(index_set(db, o.now, &idx_again, &n_again));
		t_find[r] = now_ms() - t0;
		if (!set_eq(&idx_again, &idx_set))
			fail_check("the scanner's query changed between runs");

		/* (a) the first scan: escalates every crossing */
		t0 = now_ms();
		if (svc_scan(app, o.now, &res, &err))
			fail_check("svc_scan failed");
		t_first[r] = now_ms() - t0;
		wal_first[r] = (double)file_size(wal_path) / 1048576.0;
		if (res.looked != n_due || res.warnings != pr.warn || res.overdue != pr.overdue)
			fail_check("svc_scan's counts differ from the peer's");
		written_set(db, max_esc, &wset, &ww, &wo);
		if (!set_eq(&wset, &idx_set) || ww != pr.warn || wo != pr.overdue)
			fail_check("the escalations svc_scan wrote are not for the clocks the peer found");
		if (r == 0)
			res0 = res;

		/* (a) the steady state: nothing left to do */
		for (k = 0; k < o.steady; k++) {
			t0 = now_ms();
			if (svc_scan(app, o.now, &res, &err))
				fail_check("svc_scan failed");
			t_steady[n_steady++] = now_ms() - t0;
			if (res.looked || res.warnings || res.overdue)
				fail_check("a repeated scan found work");
		}
		fprintf(stderr, "  round %d/%d: peer %.1f ms, plain %.1f ms, first scan %.1f ms, steady %.3f ms\n",
			r + 1, o.reps, t_peer[r], t_plain[r], t_first[r], t_steady[n_steady - 1]);
	}
	/* where the first scan's time goes, batch by batch (see hook_wal) */
	n_batches = (int)((n_due + SCAN_BATCH - 1) / SCAN_BATCH);
	t_hold = calloc((size_t)HOOK_ROUNDS * (size_t)n_batches, sizeof *t_hold);
	if (n_batches > MAX_BATCHES)
		bench_die("more batches than MAX_BATCHES", NULL);
	if (!t_hold)
		bench_die("out of memory", NULL);
	hooks_on(db);
	for (r = 0; r < HOOK_ROUNDS; r++) {
		double ts, te, prev, work = 0, write = 0, ckpt = 0, maxhold = 0;
		int64_t frames = 0, nckpt = 0;
		int b;

		restore(db, max_esc, due, n_due);
		checkpoint(db);
		g_hk.n = 0;
		g_hk.wal_frames = 0;
		g_hk.reset = 1;
		g_hk.on = 1;
		ts = now_ms();
		if (svc_scan(app, o.now, &res, &err))
			fail_check("svc_scan failed");
		te = now_ms();
		g_hk.on = 0;
		if (res.looked != res0.looked || res.warnings != res0.warnings || res.overdue != res0.overdue)
			fail_check("the first scan timed through the hooks differs from svc_scan");
		if (g_hk.n != n_batches)
			fail_check("svc_scan did not commit once per batch of 512 clocks");
		prev = ts;
		for (b = 0; b < g_hk.n; b++) {
			const struct batch_rec *x = &g_hk.b[b];

			t_hold[n_hold++] = x->end_at - prev;
			if (x->end_at - prev > maxhold)
				maxhold = x->end_at - prev;
			work += x->commit_at - prev;
			write += x->wal_at - x->commit_at;
			ckpt += x->end_at - x->wal_at;
			frames += x->frames;
			nckpt += x->ckpt;
			prev = x->end_at;
		}
		h_total[r] = te - ts;
		h_work[r] = work;
		h_write[r] = write;
		h_ckpt[r] = ckpt;
		h_other[r] = te - prev;
		h_mib[r] = (double)frames * (double)(page_size + 24) / 1048576.0;
		h_nckpt[r] = (double)nckpt;
		h_maxhold[r] = maxhold;
	}
	hooks_off(db);

	/* a clerk's request waiting behind the first scan: a second thread takes
	 * the app lock (and lets go at once) every millisecond while svc_scan runs */
	for (r = 0; r < PROBE_ROUNDS; r++) {
		struct prober pb;
		pthread_t th;

		restore(db, max_esc, due, n_due);
		checkpoint(db);
		memset(&pb, 0, sizeof pb);
		pb.app = app;
		atomic_init(&pb.stop, 0);
		if (pthread_create(&th, NULL, prober_main, &pb))
			bench_die("pthread_create", NULL);
		t0 = now_ms();
		if (svc_scan(app, o.now, &res, &err))
			fail_check("svc_scan failed");
		p_scan[r] = now_ms() - t0;
		atomic_store(&pb.stop, 1);
		pthread_join(th, NULL);
		if (res.looked != res0.looked || res.warnings != res0.warnings || res.overdue != res0.overdue)
			fail_check("the first scan with a concurrent request differs from svc_scan");
		p_max[r] = pb.max_wait;
		p_n[r] = pb.n;
		p_mean[r] = pb.n ? pb.sum_wait / pb.n : 0;
	}

	/* after the scan the peer must find nothing either (not timed) */
	peer_scan(db, peer, o.now, &pr_after);
	if (pr_after.set.n != 0)
		fail_check("the full table scan still finds crossings after svc_scan");
	sqlite3_finalize(peer);
	sqlite3_finalize(plain);
	getrusage(RUSAGE_SELF, &ru_self);
	getrusage(RUSAGE_CHILDREN, &ru_child);
	db_bytes = file_size(o.db);
	wal_bytes = file_size(wal_path);
	s_first = stats(t_first, o.reps);
	s_peer = stats(t_peer, o.reps);
	s_plain = stats(t_plain, o.reps);
	s_find = stats(t_find, o.reps);
	s_wal = stats(wal_first, o.reps);
	s_hold = stats(t_hold, n_hold);
	s_htotal = stats(h_total, HOOK_ROUNDS);
	s_hwork = stats(h_work, HOOK_ROUNDS);
	s_hwrite = stats(h_write, HOOK_ROUNDS);
	s_hckpt = stats(h_ckpt, HOOK_ROUNDS);
	s_hother = stats(h_other, HOOK_ROUNDS);
	s_hmib = stats(h_mib, HOOK_ROUNDS);
	s_hnckpt = stats(h_nckpt, HOOK_ROUNDS);
	s_hmax = stats(h_maxhold, HOOK_ROUNDS);
	s_pscan = stats(p_scan, PROBE_ROUNDS);
	s_pmax = stats(p_max, PROBE_ROUNDS);
	s_pn = stats(p_n, PROBE_ROUNDS);
	s_pmean = stats(p_mean, PROBE_ROUNDS);
	s_steady = stats(t_steady, n_steady);
	app_close(app);
	if (!o.keep)
		remove_db(o.db);

	/* 4. the report */
	cpu_model(cpu, sizeof cpu);
	code_revision(rev, sizeof rev);
	uname(&un);
	m = open_memstream(&md, &md_len);
	if (!m)
		bench_die("out of memory", NULL);
	fprintf(m, DOC_BEGIN "\n## Overdue scan (svc_scan) against a full table scan\n\n");
	fprintf(m, "Produced by `bench/scan_bench.c` (see `bench/README.md`); numbers from the last run of:\n\n");
	fprintf(m, "    %s\n\n", o.cmd);
	fprintf(m, "**Machine.** %ld cores (nproc), %s, %ld MiB RAM; Linux %s; SQLite %s; gcc %s, -O2. "
		   "Database file in %s (%s). Code: %s.\n\n",
		sysconf(_SC_NPROCESSORS_ONLN), cpu, mem_total_mb(), un.release, sqlite3_libversion(), __VERSION__,
		o.db, fs_name(o.db[0] == '/' ? "/tmp" : "."), rev);
	fprintf(m, "**Data.** %" PRId64 " open cases (registered 12 %%, dispatched 18 %%, accepted 52 %%, review 12 %%, "
		   "recheck 6 %%), inserted with SQL into the schema v%d that `app_open` created, with the units of a "
		   "province and their real policies. `case_clocks` holds %" PRId64 " rows: %" PRId64
		   " running clocks (1-3 per case; %" PRId64 " escalating and not paused, %" PRId64
		   " paused) and the stopped clocks of earlier stages, as the projection keeps them. The running "
		   "clock of the current stage started on a working day in the last 90 days; limits (5 workdays to 60 "
		   "days) and warning points come from `data/policy/policies.txt`, due times from the calendar "
		   "(24:00 of the last day). `escalations` holds the %" PRId64
		   " reminders and supervision items a scanner running every minute up to %s would have written; "
		   "%" PRId64 " clocks have a `next_at`.",
		fs.cases, schema_version, fs.clocks, fs.running, fs.escalating, fs.paused,
		fs.escalations, last_iso, fs.next_set);
	if (fs.limits)
		fprintf(m, " `clock_limits` holds the %" PRId64 " limits the clock runs started with.", fs.limits);
	fprintf(m, "\n\n");
	fprintf(m, "**Scan.** `svc_scan` at %s; the previous scan ran at %s", now_iso, last_iso);
	if (o.gap > 120)
		fprintf(m, " (the scanner was stopped for %.1f h, e.g. the server was shut down overnight), so "
			   "this first scan catches up on that time's warning points (most fall in the evening: "
			   "80 %% of the way to a due time at 24:00)",
			(double)o.gap / HOUR);
	else
		fprintf(m, " (a scanner running every minute)");
	if (calendar_day_of(o.now) != calendar_day_of(o.now - o.gap))
		fprintf(m, "%s the midnight at which every clock due that day lapsed (due times end at 24:00)",
			o.gap > 120 ? " and on" : ", just after");
	fprintf(m, ". %" PRId64 " clocks cross a threshold (%.2f %% of the cases): %" PRId64
		   " new 催办 (warning) and %" PRId64 " new 督办 (overdue).\n\n",
		n_due, 100.0 * (double)n_due / (double)fs.cases, pr0.warn, pr0.overdue);
	ratio_str(s_steady.median, s_peer.median, rs, sizeof rs);
	ratio_str(s_first.median, s_peer.median, rf, sizeof rf);
	fprintf(m, "| | runs | median ms | p95 ms | ratio to peer (median) |\n");
	fprintf(m, "|---|---:|---:|---:|---:|\n");
	fprintf(m, "| steady-state scan (`svc_scan`, nothing due) | %d | %.3f | %.3f | %s |\n", s_steady.n,
		s_steady.median, s_steady.p95, rs);
	fprintf(m, "| first scan, %" PRId64 " crossings (`svc_scan`) | %d | %.1f | %.1f | %s |\n", n_due, s_first.n,
		s_first.median, s_first.p95, rf);
	fprintf(m, "| full-table-scan peer (`NOT INDEXED` + escalations check) | %d | %.1f | %.1f | 1 |\n",
		s_peer.n, s_peer.median, s_peer.p95);
	ratio_str(s_plain.median, s_peer.median, rp, sizeof rp);
	fprintf(m, "| *for reference:* the scanner's predicate `next_at <= now` read `NOT INDEXED` | %d | %.1f | %.1f | %s |\n",
		s_plain.n, s_plain.median, s_plain.p95, rp);
	ratio_str(s_find.median, s_peer.median, rx, sizeof rx);
	fprintf(m, "| *for reference:* the scanner's query through `case_clocks_next`, reading only (finds the %" PRId64
		   " crossings) | %d | %.1f | %.1f | %s |\n\n",
		n_due, s_find.n, s_find.median, s_find.p95, rx);
	fprintf(m, "- Scanner cost per crossing: %.1f µs (first-scan median / %" PRId64
		   " crossings). Each crossing is one or two `INSERT OR IGNORE` into escalations and an "
		   "`UPDATE` of `next_at`, through statements prepared once and reused; `svc_scan` works in "
		   "batches of %d clocks (%d here), each its own transaction under the app lock, committed with "
		   "synchronous=NORMAL (no fsync at the COMMIT itself).\n",
		1000.0 * s_first.median / (double)n_due, n_due, SCAN_BATCH, n_batches);
	fprintf(m, "- Where the time goes: %d further first scans timed through SQLite's commit and WAL hooks on "
		   "the application's connection took %.0f ms each (median): statements (the due query, the "
		   "inserts, the updates) %.0f ms, writing the WAL at `COMMIT` %.0f ms, checkpoints %.0f ms, the "
		   "rest %.1f ms. In %.0f of the %d commits (median) the WAL had reached %d pages (SQLite's "
		   "`wal_autocheckpoint`), so the `COMMIT` also copied it into the database file, under the "
		   "app lock; such a checkpoint fsyncs the WAL and the database file even with "
		   "synchronous=NORMAL. The scan writes %.1f MiB of WAL "
		   "(median): the crossings are spread over the whole table, so nearly every one dirties its own "
		   "pages of case_clocks, case_clocks_next and the three indexes of escalations, and a page "
		   "that several batches touch goes into the WAL once per batch. The WAL file "
		   "ends at %.1f MiB (median; it starts over after each complete checkpoint).\n",
		HOOK_ROUNDS, s_htotal.median, s_hwork.median, s_hwrite.median, s_hckpt.median, s_hother.median,
		s_hnckpt.median, n_batches, g_hk.autockpt, s_hmib.median, s_wal.median);
	fprintf(m, "- The app lock: one batch holds it %.1f ms at the median and %.1f ms at p95 (%d batches in "
		   "%d rounds); the longest single hold was %.1f ms (the rounds' longest: median %.1f ms). A "
		   "second thread that takes the app lock every millisecond while `svc_scan` runs (a clerk's "
		   "request with no work of its own; %d rounds, scans of %.0f ms median) got it %.0f times per "
		   "scan (which has %d batch boundaries) and waited at most %.1f ms (medians over the rounds; longest "
		   "in any round %.1f ms; mean wait %.1f ms).\n",
		s_hold.median, s_hold.p95, s_hold.n, HOOK_ROUNDS, s_hold.max, s_hmax.median, PROBE_ROUNDS,
		s_pscan.median, s_pn.median, n_batches - 1, s_pmax.median, s_pmax.max, s_pmean.median);
	fprintf(m, "- Peer: reads all %" PRId64 " rows of case_clocks, %" PRId64
		   " candidates past a threshold are checked against escalations. The %.0f MiB file stays "
		   "in the operating system's cache (the page cache of SQLite itself is its default 2 MiB); "
		   "from a cold disk the full scans would be slower still.\n",
		fs.clocks, pr0.candidates, (double)db_bytes / 1048576.0);
	fprintf(m, "- Database: %.1f MiB (%" PRId64 " pages of %" PRId64 " B; WAL %.1f MiB at the end). "
		   "Peak RSS of the measuring process (getrusage): %.1f MiB; of the fill process: %.1f MiB "
		   "(1 GiB page cache during the fill only).\n",
		(double)db_bytes / 1048576.0, page_count, page_size, (double)wal_bytes / 1048576.0,
		(double)ru_self.ru_maxrss / 1024.0, (double)ru_child.ru_maxrss / 1024.0);
	fprintf(m, "- Fill: %.1f s (generation %.1f s); whole run %.0f s.\n", fs.fill_s, fs.gen_s,
		(now_ms() - t_total0) / 1000.0);
	fprintf(m, "- Query plans. Scanner (`store_clocks_due`): `%s`. Peer: `%s`. Reference: `%s`.\n", plan_scan,
		plan_peer, plan_plain);
	fprintf(m, "- Verified in every round: the peer, the scanner's query and the escalations `svc_scan` "
		   "wrote are the same %" PRId64 " clock runs (count, sum and xor of a 64-bit hash of "
		   "case, clock, start: %016" PRIx64 "/%016" PRIx64 "); svc_scan's looked/warnings/overdue = "
		   "%d/%d/%d equal the peer's; every repeated scan found nothing; after the scan the peer "
		   "finds nothing either; every hooked scan committed once per batch (%d commits).\n\n",
		idx_set.n, idx_set.sum, idx_set.xor, res0.looked, res0.warnings, res0.overdue, n_batches);
	fprintf(m, "**Against the 100 ms target.** ");
	fprintf(m, "The steady-state scan - what runs every minute - takes %.3f ms (p95 %.3f ms): %s. ",
		s_steady.median, s_steady.p95,
		s_steady.p95 < TARGET_MS ? "well within the target" : "it misses the target");
	fprintf(m, "The first scan with %" PRId64 " crossings takes %.0f ms at the median and %.0f ms at p95: %s; "
		   "at %.1f µs per crossing, 100 ms covers about %.0f crossings in one scan. ",
		n_due, s_first.median, s_first.p95,
		s_first.p95 < TARGET_MS      ? "within the target"
		: s_first.median < TARGET_MS ? "within the target at the median, over it at p95"
					     : "over the target",
		1000.0 * s_first.median / (double)n_due, TARGET_MS / (s_first.median / (double)n_due));
	fprintf(m, "Finding the crossings is not what costs: through the index it takes %.1f ms; the first "
		   "scan's time goes into the statements that write the escalations (%.0f ms), the WAL writes "
		   "(%.0f ms) and the checkpoints (%.0f ms). ",
		s_find.median, s_hwork.median, s_hwrite.median, s_hckpt.median);
	fprintf(m, "Split into batches, the scan holds the app lock at most %.1f ms at a time (%s). ", s_hold.max,
		s_hold.max < TARGET_MS ? "within the target" : "over the target");
	if (n_batches > 1 && s_pmax.median >= 0.8 * s_pscan.median)
		fprintf(m, "But a request that arrives during the scan does not get in between the batches: it "
			   "waited %.1f ms (median over %d rounds of the longest wait), about the whole scan "
			   "(%.0f ms), and got the lock %.0f time(s) per scan although it asked every millisecond. "
			   "The app lock is a default pthread mutex, which does not hand over to a waiter: "
			   "`svc_scan` unlocks and locks again for the next batch before the woken request runs. "
			   "What a clerk can wait behind the scan is therefore the whole scan, not one batch. ",
			s_pmax.median, PROBE_ROUNDS, s_pscan.median, s_pn.median);
	else if (s_pmax.median <= 1.5 * s_hold.max + 1.0)
		fprintf(m, "A request that arrives during the scan waited at most %.1f ms (median over %d rounds): "
			   "about one batch, so requests do get in between the batches. ",
			s_pmax.median, PROBE_ROUNDS);
	else
		fprintf(m, "But a request that arrives during the scan waited up to %.1f ms (median over %d rounds "
			   "of the longest wait; mean %.1f ms), %.0f times the longest batch: it got the lock %.0f "
			   "times per scan although it asked every millisecond. The app lock is a default pthread "
			   "mutex, which does not hand over to a waiter: `svc_scan` unlocks and at once locks again "
			   "for the next batch, so the woken request gets in at few of the %d batch boundaries, "
			   "and a clerk can wait several batches behind the scan, not one. ",
			s_pmax.median, PROBE_ROUNDS, s_pmean.median, s_pmax.median / s_hold.max, s_pn.median,
			n_batches - 1);
	fprintf(m, "The full-table-scan peer takes %.0f ms, %s: without the partial index every minute's scan "
		   "would cost that much whether or not anything is due - %.0f times the steady-state scan.\n\n",
		s_peer.median, s_peer.median < TARGET_MS ? "also within the target" : "over the target on its own",
		s_peer.median / s_steady.median);
	fprintf(m, "Absolute times drift on these shared machines from run to run; the ratio to the peer, "
		   "measured in the same run on the same data, is the stable figure. p95 is nearest-rank: with "
		   "%d runs of the first scan and the peer it is number %d of %d, fastest first%s.\n" DOC_END "\n",
		o.reps, (95 * o.reps + 99) / 100, o.reps, (95 * o.reps + 99) / 100 == o.reps ? " (the slowest)" : "");
	fclose(m);
	fputs(md, stdout);
	if (o.doc) {
		if (write_doc(o.doc, DOC_BEGIN, DOC_END, md))
			bench_die("write doc", NULL);
		fprintf(stderr, "scan_bench: wrote %s\n", o.doc);
	}
	free(md);
	free(due);
	free(t_first);
	free(t_peer);
	free(t_plain);
	free(t_find);
	free(wal_first);
	free(t_steady);
	free(t_hold);
	return 0;
}
