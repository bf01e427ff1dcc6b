/*
 * eval.c - precision and recall of repeat and related detection on real
 * citizen messages (issue 5), through the application's own code.
 *
 *   bench/text/eval --data DIR [--labels FILE] [--judged FILE] [--db PATH]
 *                   [--keep] [--doc PATH] [--sample N] [--list-unjudged]
 *
 * DIR is ../shared/data/tipdm2020c (read from there, never copied). Every
 * message of its four message files (fujian2 labelled and unlabelled,
 * fujian3, fujian4; duplicated ids kept once) is registered with
 * svc_register into a fresh database, in time order, at its own time: title
 * (cut at 100 characters), content = the message (cut at 10,000), request
 * "见正文" (the form requires one; the messages have none); the petitioner is
 * the message's user, with a phone number made from the user id (so the
 * same user is the same person to the identity hashes); the locality from
 * the first place name (A3区, K9县, ...) mapped onto the demo province's
 * divisions; the category from fujian2's first-level label where it has
 * one, else from keywords (its accuracy on the labelled file is reported).
 * Then svc_similar_case (the service's top 10) is asked for every case, and
 * similar_for_case with 50 for a longer list.
 *
 * Gold: FILE (bench/text/labels.tsv) lists issues and their message ids:
 * the re-post groups of fujian3_exact_duplicate_title_groups.csv, merged
 * and split where reading them said so, and same-issue groups found by
 * keyword and checked message by message. Within an issue, two messages of
 * the same user are a repeat pair, of different users a related pair.
 * Recall is measured on these pairs. Precision is measured on pairs judged
 * by hand (--judged, bench/text/judged.tsv): a seeded random sample of the
 * predicted repeat pairs, of the predicted related pairs and of all message
 * pairs in each band of exact Jaccard similarity; a pair inside the gold is
 * judged by the gold. --list-unjudged prints the sampled pairs that have no
 * judgement yet (with a few words of each title) and stops.
 *
 * Linked with -Wl,--wrap=similar_for_case, so registration can skip the
 * candidate list that svc_register adds to its answer (the signatures are
 * still written by the event hook).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include <unicode/utf8.h>

#include "base/xerr.h"
#include "base/xtime.h"
#include "service/similar.h"
#include "service/svc.h"
#include "store/store.h"
#include "text/text.h"

#include "../util.h"

#define DOC_BEGIN "<!-- text-eval:begin -->"
#define DOC_END "<!-- text-eval:end -->"
#define PASSWORD "Bench-Registrar-2026"
#define JKEEP 0.2    /* pairs kept from this exact Jaccard up */
#define NBANDS 8     /* Jaccard bands 0.2-0.3, ..., 0.9-1.0 */

/* ---- candidates on and off during registration ---------------------------------------- */

static int g_cands = 1;

json_t *__real_similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit);
json_t *__wrap_similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit);

json_t *__wrap_similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit)
{
	return g_cands ? __real_similar_for_case(app, a, case_id, limit) : json_array();
}

/* ---- small things ------------------------------------------------------------------------ */

/* the database goes whatever happens (unless --keep) */
static char g_db[512];
static int g_keep;

static void cleanup(void)
{
	if (!g_keep && g_db[0])
		remove_db(g_db);
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void die(const char *what)
{
	fprintf(stderr, "eval: %s\n", what);
	exit(1);
}

/* a copy with invalid UTF-8 bytes dropped (some messages carry them) */
static char *xstrdup(const char *s)
{
	int32_t n = (int32_t)strlen(s ? s : ""), i = 0, o = 0;
	char *d = malloc((size_t)n + 1);

	if (!d)
		die("out of memory");
	while (i < n) {
		int32_t at = i;
		UChar32 c;

		U8_NEXT(s, i, n, c);
		if (c >= 0) {
			memcpy(d + o, s + at, (size_t)(i - at));
			o += i - at;
		}
	}
	d[o] = '\0';
	return d;
}

/* first n characters of UTF-8 s (a new string) */
static char *cut_chars(const char *s, int n, int *cut)
{
	const char *p = s;
	int k = 0;

	while (*p && k < n) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		k++;
	}
	*cut = *p != '\0';
	{
		char *d = malloc((size_t)(p - s) + 1);

		if (!d)
			die("out of memory");
		memcpy(d, s, (size_t)(p - s));
		d[p - s] = '\0';
		return d;
	}
}

/* a few characters of a title, for examples */
static void few(const char *s, int n, char *out, size_t cap)
{
	int cut;
	char *c = cut_chars(s, n, &cut);

	snprintf(out, cap, "%s%s", c, cut ? "…" : "");
	free(c);
}

/* ---- CSV (RFC 4180: quotes, doubled quotes, newlines inside quotes) ---------------------- */

struct csv {
	char *buf;
	size_t len, pos;
};

static int csv_open(struct csv *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	memset(c, 0, sizeof *c);
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	c->buf = malloc((size_t)n + 1);
	if (!c->buf || fread(c->buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	c->buf[n] = '\0';
	c->len = (size_t)n;
	if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
	return 0;
}

/* the next record's fields (pointers into a scratch copy); returns the count, 0 at the end */
static int csv_row(struct csv *c, char **fields, int max, char **scratch)
{
	size_t cap = 1024, o = 0;
	int n = 0, inq = 0;
	char *s;

	if (c->pos >= c->len)
		return 0;
	free(*scratch);
	s = malloc(cap);
	if (!s)
		die("out of memory");
	fields[n++] = NULL; /* offsets for now */
	{
		size_t starts[64];
		int k;

		starts[0] = 0;
		while (c->pos < c->len) {
			char ch = c->buf[c->pos++];

			if (o + 2 >= cap) {
				cap *= 2;
				s = realloc(s, cap);
				if (!s)
					die("out of memory");
			}
			if (inq) {
				if (ch == '"') {
					if (c->pos < c->len && c->buf[c->pos] == '"')
						s[o++] = '"', c->pos++;
					else
						inq = 0;
				} else
					s[o++] = ch;
			} else if (ch == '"')
				inq = 1;
			else if (ch == ',') {
				s[o++] = '\0';
				if (n < max && n < 64)
					starts[n++] = o;
			} else if (ch == '\n')
				break;
			else if (ch != '\r')
				s[o++] = ch;
		}
		s[o] = '\0';
		for (k = 0; k < n; k++)
			fields[k] = s + starts[k];
	}
	*scratch = s;
	return n;
}

/* ---- the messages -------------------------------------------------------------------------- */

struct msg {
	char id[16], user[24];
	char *title, *detail;
	int64_t at;
	char label[32];        /* fujian2's first-level category, "" when none */
	const char *file;
	const char *category;  /* the code registered */
	const char *locality;
	int64_t case_id;
	char no[24];
	int issue;             /* index into issues, -1 */
	uint64_t *sh;
	size_t nsh;
};

static struct msg *M;
static int NM;

static int64_t parse_time(const char *s)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	char sep;

	if (sscanf(s, "%d%c%d%*c%d %d:%d:%d", &y, &sep, &mo, &d, &h, &mi, &se) < 4)
		return 0;
	return (xtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) - 8 * 3600;
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(M[*(const int *)a].id, M[*(const int *)b].id);
}

/* a message by id (an index sorted by id, built at the first call) */
static int find_msg(const char *id)
{
	static int *order;
	int lo = 0, hi = NM - 1, i;

	if (!order) {
		order = malloc((size_t)NM * sizeof *order);
		if (!order)
			die("out of memory");
		for (i = 0; i < NM; i++)
			order[i] = i;
		qsort(order, (size_t)NM, sizeof *order, cmp_ids);
	}
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(M[order[mid]].id, id);

		if (c == 0)
			return order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int by_time(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int n_dup_same, n_dup_diff;

static void load(const char *dir)
{
	static const char *const files[] = { "fujian2_sample_labeled.csv", "fujian2_test_unlabeled.csv",
					     "fujian3_hot_issue_messages.csv", "fujian4_messages_with_replies.csv" };
	int cap = 0, f, i;

	for (f = 0; f < 4; f++) {
		char path[1024], *fields[16], *scratch = NULL;
		struct csv c;
		int n, col_id = -1, col_user = -1, col_title = -1, col_time = -1, col_detail = -1, col_label = -1;

		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		if (csv_open(&c, path)) {
			fprintf(stderr, "eval: cannot read %s\n", path);
			exit(1);
		}
		n = csv_row(&c, fields, 16, &scratch);
		for (i = 0; i < n; i++) {
			if (strcmp(fields[i], "留言编号") == 0)
				col_id = i;
			else if (strcmp(fields[i], "留言用户") == 0)
				col_user = i;
			else if (strcmp(fields[i], "留言主题") == 0)
				col_title = i;
			else if (strcmp(fields[i], "留言时间") == 0)
				col_time = i;
			else if (strcmp(fields[i], "留言详情") == 0)
				col_detail = i;
			else if (strcmp(fields[i], "一级分类") == 0)
				col_label = i;
		}
		if (col_id < 0 || col_user < 0 || col_title < 0 || col_time < 0 || col_detail < 0)
			die("unexpected columns");
		while ((n = csv_row(&c, fields, 16, &scratch)) > 0) {
			struct msg *m;
			int k, dup = -1;

			if (n <= col_detail || !fields[col_id][0])
				continue;
			for (k = 0; k < NM; k++) /* duplicated ids: keep the first */
				if (strcmp(M[k].id, fields[col_id]) == 0) {
					dup = k;
					break;
				}
			if (dup >= 0) {
				if (strcmp(M[dup].detail, fields[col_detail]) == 0)
					n_dup_same++;
				else
					n_dup_diff++;
				continue;
			}
			if (NM == cap) {
				cap = cap ? cap * 2 : 4096;
				M = realloc(M, (size_t)cap * sizeof *M);
				if (!M)
					die("out of memory");
			}
			m = &M[NM++];
			memset(m, 0, sizeof *m);
			snprintf(m->id, sizeof m->id, "%s", fields[col_id]);
			snprintf(m->user, sizeof m->user, "%s", fields[col_user]);
			m->title = xstrdup(fields[col_title]);
			m->detail = xstrdup(fields[col_detail]);
			m->at = parse_time(fields[col_time]);
			if (col_label >= 0 && n > col_label)
				snprintf(m->label, sizeof m->label, "%s", fields[col_label]);
			m->file = files[f];
			m->issue = -1;
		}
		free(scratch);
		free(c.buf);
	}
	qsort(M, (size_t)NM, sizeof *M, by_time);
}

/* ---- category and locality, as a clerk would fill them in --------------------------------- */

static const struct {
	const char *label, *code, *words;
} cats[] = {
	{ "环境保护", "05", "噪音|噪声|污染|油烟|扬尘|粉尘|排放|环保|臭|垃圾站|搅拌站|搅拌厂|异味|废水|污水|扰民" },
	{ "交通运输", "08", "公交|地铁|交通|道路|驾驶|驾照|车辆|出租车|高速|停车|红绿灯|车站|线路|网约车|路口|公路" },
	{ "教育文体", "07", "学校|学生|教师|老师|幼儿园|招生|入学|小学|中学|大学|学院|教育|培训|考试|体育|文化|图书馆" },
	{ "劳动和社会保障", "03", "工资|社保|养老|劳动|就业|退休|公积金|欠薪|医保|农民工|失业|工伤|职工|人社|保险" },
	{ "商贸旅游", "12", "商家|消费|购物|旅游|市场|诈骗|超市|价格|传销|p2p|退款|欺诈|网贷|集资|商户|景区" },
	{ "卫生计生", "06", "医院|医疗|医生|药|卫生|疫苗|计生|生育|护士|看病|诊所|二胎|独生子女" },
	{ "城乡建设", "01", "小区|物业|开发商|拆迁|房|业主|规划|建设|征收|安置|电梯|产权|违建|楼盘|工程" },
};
#define NCATS ((int)(sizeof cats / sizeof cats[0]))

static int count_words(const char *text, const char *words)
{
	char w[64];
	const char *p = words;
	int n = 0;

	while (*p) {
		size_t l = strcspn(p, "|");
		const char *q = text;

		snprintf(w, sizeof w, "%.*s", (int)l, p);
		while ((q = strstr(q, w)) != NULL)
			n++, q += l;
		p += l + (p[l] == '|');
	}
	return n;
}

static int classify(const struct msg *m)
{
	int best = NCATS - 1, bs = 0, k;

	for (k = 0; k < NCATS; k++) {
		int s = 3 * count_words(m->title, cats[k].words) + count_words(m->detail, cats[k].words);

		if (s > bs)
			bs = s, best = k;
	}
	return best;
}

static const char *const harbin[] = { "230102", "230103", "230104", "230108", "230109", "230110", "230111", "230112",
				      "230113", "230123", "230124", "230125", "230126", "230127", "230128", "230129" };
static const char *const others[] = { "230202", "230203", "230204", "230205", "230206", "230207", "230208", "230221",
				      "230223", "230224", "230225", "230227", "230229", "230230", "230231", "230281",
				      "230300", "230400", "230500", "230600", "230700", "230800", "230900", "231000",
				      "231100", "231200", "232700", "230183", "230184" };

/* the first place name: a letter, digits, then 市, 区 or 县 */
static const char *locality_of(const struct msg *m)
{
	const char *srcs[2] = { m->title, m->detail };
	int s;

	for (s = 0; s < 2; s++) {
		const unsigned char *p = (const unsigned char *)srcs[s];

		for (; *p; p++)
			if (*p >= 'A' && *p <= 'Z') {
				const unsigned char *q = p + 1;
				int num = 0, digits = 0;

				while (*q >= '0' && *q <= '9' && digits < 3)
					num = num * 10 + (*q - '0'), q++, digits++;
				if (strncmp((const char *)q, "市", 3) == 0 && !digits)
					return *p == 'A' ? "230100" : others[(*p - 'A') % 29];
				if (strncmp((const char *)q, "区", 3) == 0 || strncmp((const char *)q, "县", 3) == 0) {
					if (*p == 'A' && digits && num >= 1 && num <= 16)
						return harbin[num - 1];
					return others[((*p - 'A') * 17 + num) % 29];
				}
			}
	}
	return "230100";
}

/* ---- gold ----------------------------------------------------------------------------------- */

struct issue {
	char name[32], note[96];
	int n;
};

static struct issue *IS;
static int NI;

static void load_labels(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int cap = 0;

	if (!f) {
		fprintf(stderr, "eval: cannot read %s\n", path);
		exit(1);
	}
	while (fgets(line, sizeof line, f)) {
		char *name = strtok(line, "\t\n"), *id = name ? strtok(NULL, "\t\n") : NULL, *note = id ? strtok(NULL, "\t\n") : NULL;
		int i, m;

		if (!name || name[0] == '#' || !id)
			continue;
		m = find_msg(id);
		if (m < 0) {
			fprintf(stderr, "eval: labels: no message %s\n", id);
			continue;
		}
		for (i = 0; i < NI && strcmp(IS[i].name, name); i++)
			;
		if (i == NI) {
			if (NI == cap) {
				cap = cap ? cap * 2 : 64;
				IS = realloc(IS, (size_t)cap * sizeof *IS);
				if (!IS)
					die("out of memory");
			}
			memset(&IS[NI], 0, sizeof IS[NI]);
			snprintf(IS[NI].name, sizeof IS[NI].name, "%s", name);
			snprintf(IS[NI].note, sizeof IS[NI].note, "%s", note ? note : "");
			NI++;
		}
		if (M[m].issue >= 0 && M[m].issue != i)
			fprintf(stderr, "eval: labels: %s is in two issues\n", id);
		M[m].issue = i;
		IS[i].n++;
	}
	fclose(f);
}

/* hand judgements of pairs: 1 same matter, 0 different, -1 not judged */
struct judged {
	int a, b, same;
};
static struct judged *JD;
static int NJD;

static void load_judged(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int cap = 0;

	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char *a = strtok(line, "\t\n"), *b = a ? strtok(NULL, "\t\n") : NULL, *v = b ? strtok(NULL, "\t\n") : NULL;
		int ma, mb;

		if (!a || a[0] == '#' || !v)
			continue;
		ma = find_msg(a), mb = find_msg(b);
		if (ma < 0 || mb < 0)
			continue;
		if (NJD == cap) {
			cap = cap ? cap * 2 : 256;
			JD = realloc(JD, (size_t)cap * sizeof *JD);
			if (!JD)
				die("out of memory");
		}
		JD[NJD].a = ma < mb ? ma : mb;
		JD[NJD].b = ma < mb ? mb : ma;
		JD[NJD++].same = strcmp(v, "same") == 0;
	}
	fclose(f);
}

/* same matter? by the gold when both are labelled, by hand when judged, else -1 */
static int judge(int a, int b)
{
	int i, x = a < b ? a : b, y = a < b ? b : a;

	if (M[a].issue >= 0 && M[b].issue >= 0)
		return M[a].issue == M[b].issue;
	if (M[a].issue >= 0 && M[a].issue == M[b].issue)
		return 1;
	for (i = 0; i < NJD; i++)
		if (JD[i].a == x && JD[i].b == y)
			return JD[i].same;
	return -1;
}

/* ---- exact Jaccard of all pairs (the project's normaliser and shingles) ----------------------- */

struct pair {
	int a, b;
	float j;
};

static struct pair *P;
static size_t NP;

struct post {
	uint64_t sh;
	int doc;
};

static int cmp_u64p(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static int by_sh(const void *x, const void *y)
{
	const struct post *a = x, *b = y;

	return a->sh < b->sh ? -1 : a->sh > b->sh ? 1 : a->doc - b->doc;
}

static void all_pairs(void)
{
	struct post *po;
	size_t total = 0, i, k, *start;
	int a, *cnt, *touched, nt;
	size_t cap = 0;

	for (a = 0; a < NM; a++)
		total += M[a].nsh;
	po = malloc(total * sizeof *po);
	if (!po)
		die("out of memory");
	for (a = 0, k = 0; a < NM; a++)
		for (i = 0; i < M[a].nsh; i++)
			po[k].sh = M[a].sh[i], po[k++].doc = a;
	qsort(po, total, sizeof *po, by_sh);
	/* for each shingle, where its postings start: found by binary search per lookup */
	start = NULL;
	cnt = calloc((size_t)NM, sizeof *cnt);
	touched = malloc((size_t)NM * sizeof *touched);
	if (!cnt || !touched)
		die("out of memory");
	for (a = 0; a < NM; a++) {
		nt = 0;
		for (i = 0; i < M[a].nsh; i++) {
			size_t lo = 0, hi = total;
			uint64_t s = M[a].sh[i];

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (po[mid].sh < s)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (k = lo; k < total && po[k].sh == s; k++) {
				int b = po[k].doc;

				if (b <= a)
					continue;
				if (cnt[b]++ == 0)
					touched[nt++] = b;
			}
		}
		for (k = 0; k < (size_t)nt; k++) {
			int b = touched[k];
			double j = (double)cnt[b] / (double)(M[a].nsh + M[b].nsh - (size_t)cnt[b]);

			cnt[b] = 0;
			if (j >= JKEEP) {
				if (NP == cap) {
					cap = cap ? cap * 2 : 65536;
					P = realloc(P, cap * sizeof *P);
					if (!P)
						die("out of memory");
				}
				P[NP].a = a, P[NP].b = b, P[NP++].j = (float)j;
			}
		}
	}
	free(start);
	free(po);
	free(cnt);
	free(touched);
}

static double pair_j(int a, int b)
{
	size_t i;
	int x = a < b ? a : b, y = a < b ? b : a;

	for (i = 0; i < NP; i++) /* only for examples */
		if (P[i].a == x && P[i].b == y)
			return P[i].j;
	return text_jaccard(M[a].sh, M[a].nsh, M[b].sh, M[b].nsh);
}

/* ---- predictions ------------------------------------------------------------------------------ */

enum { R_NONE, R_REPEAT, R_RELATED };

struct pred {
	int a, b, rel10, rel50; /* relation in the top 10 / in the 50 (R_NONE: not listed or "none") */
};

static struct pred *PR;
static size_t NPR, PRCAP;

static struct pred *pred_get(int a, int b)
{
	int x = a < b ? a : b, y = a < b ? b : a;
	size_t i;

	for (i = 0; i < NPR; i++) /* a hash would be faster; NPR stays in the tens of thousands */
		if (PR[i].a == x && PR[i].b == y)
			return &PR[i];
	if (NPR == PRCAP) {
		PRCAP = PRCAP ? PRCAP * 2 : 4096;
		PR = realloc(PR, PRCAP * sizeof *PR);
		if (!PR)
			die("out of memory");
	}
	PR[NPR].a = x, PR[NPR].b = y, PR[NPR].rel10 = PR[NPR].rel50 = R_NONE;
	return &PR[NPR++];
}

/* ---- main -------------------------------------------------------------------------------------- */

struct opts {
	const char *data, *labels, *judged, *doc;
	char db[512];
	int keep, sample, list;
	char cmd[1024];
};

static void usage(void)
{
	fprintf(stderr, "usage: eval --data DIR [--labels FILE] [--judged FILE] [--db PATH] [--keep] [--doc PATH]\n"
			"            [--sample N] [--list-unjudged]\n");
	exit(2);
}

static int rel_of(const char *s)
{
	return s && strcmp(s, "repeat") == 0 ? R_REPEAT : s && strcmp(s, "related") == 0 ? R_RELATED : R_NONE;
}

/* a seeded sample of k indexes of n */
static void sample(int n, int k, uint64_t seed, int *out)
{
	int i;
	uint64_t s = seed;

	for (i = 0; i < k && i < n; i++) { /* partial Fisher-Yates over an implicit identity */
		out[i] = i;
	}
	for (i = k; i < n; i++) {
		int j;

		s = mix64(s + (uint64_t)i);
		j = (int)(s % (uint64_t)(i + 1));
		if (j < k)
			out[j] = i;
	}
}

/* Wilson score interval */
static void wilson(int x, int n, double *lo, double *hi)
{
	double z = 1.96, p, d, c;

	if (n == 0) {
		*lo = 0, *hi = 1;
		return;
	}
	p = (double)x / n;
	d = 1 + z * z / n;
	c = p + z * z / (2.0 * n);
	*lo = (c - z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n))) / d;
	*hi = (c + z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n))) / d;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct app *app;
	struct xerr err;
	struct actor actor;
	int i, k, a, b, n_cut_title = 0, n_cut_detail = 0, cat_ok = 0, cat_n = 0;
	size_t used = 0, q;
	double t0, t_total0 = now_ms(), t_reg, t_sim10, t_sim50, t_pairs;
	char *md = NULL, cpu[256], rev[128];
	size_t md_len = 0;
	FILE *m;
	struct utsname un;
	/* sample sizes */
	int n_s = 60, multi_users = 0, multi_msgs = 0;

	memset(&o, 0, sizeof o);
	o.labels = "bench/text/labels.tsv";
	o.judged = "bench/text/judged.tsv";
	snprintf(o.db, sizeof o.db, "/tmp/xinfang-text-eval-%ld.db", (long)getpid());
	for (i = 0; i < argc; i++) {
		int n = snprintf(o.cmd + used, sizeof o.cmd - used, "%s%s", i ? " " : "", argv[i]);

		if (n > 0 && (size_t)n < sizeof o.cmd - used)
			used += (size_t)n;
	}
	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--data") == 0 && v)
			o.data = v, i++;
		else if (strcmp(argv[i], "--labels") == 0 && v)
			o.labels = v, i++;
		else if (strcmp(argv[i], "--judged") == 0 && v)
			o.judged = v, i++;
		else if (strcmp(argv[i], "--doc") == 0 && v)
			o.doc = v, i++;
		else if (strcmp(argv[i], "--db") == 0 && v)
			snprintf(o.db, sizeof o.db, "%s", v), i++;
		else if (strcmp(argv[i], "--sample") == 0 && v)
			n_s = atoi(v), i++;
		else if (strcmp(argv[i], "--keep") == 0)
			o.keep = 1;
		else if (strcmp(argv[i], "--list-unjudged") == 0)
			o.list = 1;
		else
			usage();
	}
	if (!o.data)
		usage();
	code_revision(rev, sizeof rev); /* at the start: the tree the library was built from */
	setenv("XINFANG_LOG", "warn", 0);
	snprintf(g_db, sizeof g_db, "%s", o.db);
	g_keep = o.keep;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	/* the messages and the gold */
	load(o.data);
	load_labels(o.labels);
	load_judged(o.judged);
	fprintf(stderr, "eval: %d messages (%d duplicated ids with the same text, %d with another), %d issues labelled\n",
		NM, n_dup_same, n_dup_diff, NI);

	/* shingles with the project's code (for exact Jaccard and the bands) */
	for (a = 0; a < NM; a++) {
		size_t n = strlen(M[a].title) + strlen(M[a].detail) + 16;
		char *s = malloc(n), *norm;

		if (!s)
			die("out of memory");
		snprintf(s, n, "%s %s 见正文", M[a].title, M[a].detail); /* what is registered (before cutting) */
		norm = text_normalise(s, TEXT_T2S);
		M[a].sh = norm ? text_shingles(norm, &M[a].nsh) : NULL;
		free(s);
		free(norm);
	}
	t0 = now_ms();
	all_pairs();
	t_pairs = now_ms() - t0;
	fprintf(stderr, "eval: %zu pairs with Jaccard >= %.1f (%.1f s)\n", NP, JKEEP, t_pairs / 1000);

	/* register everything through the service */
	remove_db(o.db);
	app = app_open(o.db, &err);
	if (!app) {
		fprintf(stderr, "eval: app_open: %s\n", err.message);
		return 1;
	}
	if (svc_unit_add(app, "hlj-xfj", "黑龙江省信访局", NULL, "petition", "province", "230000", &err) ||
	    svc_user_add(app, "eval-registrar", "登记员", "hlj-xfj", "registrar,dispatcher", PASSWORD, xtime_now(), &err) ||
	    svc_actor_for_user(app, "eval-registrar", &actor, &err)) {
		fprintf(stderr, "eval: setup: %s\n", err.message);
		return 1;
	}
	g_cands = 0;
	t0 = now_ms();
	for (a = 0; a < NM; a++) {
		struct msg *x = &M[a];
		int cut1, cut2, c;
		char *title = cut_chars(x->title[0] ? x->title : "（无标题）", 100, &cut1);
		char *detail = cut_chars(x->detail[0] ? x->detail : x->title, 10000, &cut2);
		char phone[16];
		uint64_t h = 1469598103934665603ull;
		const char *p;
		json_t *body, *out = NULL;
		int status;

		n_cut_title += cut1, n_cut_detail += cut2;
		for (p = x->user; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		snprintf(phone, sizeof phone, "139%08llu", (unsigned long long)(h % 100000000ull));
		c = classify(x);
		x->category = cats[c].code;
		if (x->label[0]) {
			int k2;

			cat_n++;
			cat_ok += strcmp(cats[c].label, x->label) == 0;
			for (k2 = 0; k2 < NCATS; k2++)
				if (strcmp(cats[k2].label, x->label) == 0)
					x->category = cats[k2].code;
		}
		x->locality = locality_of(x);
		body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s}]}", "channel", "online", "kind",
				 strstr(title, "建议") ? "proposal" : "claim", "purpose", strstr(title, "建议") ? "suggest" : "demand",
				 "category", x->category, "locality",
				 x->locality, "title", title, "content", detail, "request", "见正文", "petitioners", "name",
				 x->user, "phone", phone);
		if (svc_register(app, &actor, x->at ? x->at : 1546300800, body, NULL, &status, &out, &err)) {
			fprintf(stderr, "eval: register %s: %s (%s)\n", x->id, err.message, err.field);
			return 1;
		}
		{
			const char *no = json_string_value(json_object_get(json_object_get(out, "case"), "no"));
			struct scope all = { .all = 1 };
			int found;
			json_t *row = no ? store_case_row(app->st, no, &all, &found) : NULL;

			x->case_id = row ? json_integer_value(json_object_get(row, "id")) : 0;
			snprintf(x->no, sizeof x->no, "%s", no ? no : "");
			json_decref(row);
		}
		if (!x->case_id)
			die("no case id");
		json_decref(out);
		json_decref(body);
		free(title);
		free(detail);
	}
	t_reg = now_ms() - t0;
	g_cands = 1;
	fprintf(stderr, "eval: registered in %.0f s\n", t_reg / 1000);

	/* case id -> message */
	{
		int64_t maxid = 0;
		int *by_case;

		for (a = 0; a < NM; a++)
			if (M[a].case_id > maxid)
				maxid = M[a].case_id;
		by_case = malloc(((size_t)maxid + 1) * sizeof *by_case);
		if (!by_case)
			die("out of memory");
		for (i = 0; i <= maxid; i++)
			by_case[i] = -1;
		for (a = 0; a < NM; a++)
			by_case[M[a].case_id] = a;

		/* the service's top 10 (svc_similar_case), then similar_for_case with 50 */
		t0 = now_ms();
		for (a = 0; a < NM; a++) {
			json_t *out = NULL, *c;
			struct scope all = { .all = 1 };
			int found;
			json_t *row;

			if (svc_similar_case(app, &actor, M[a].no, &out, &err))
				die("svc_similar_case");
			json_array_foreach(json_object_get(out, "candidates"), q, c)
			{
				const char *cno = json_string_value(json_object_get(c, "no"));
				int r = rel_of(json_string_value(json_object_get(c, "relation")));

				row = store_case_row(app->st, cno, &all, &found);
				b = row ? by_case[json_integer_value(json_object_get(row, "id"))] : -1;
				json_decref(row);
				if (b >= 0 && r != R_NONE) {
					struct pred *pr = pred_get(a, b);

					if (pr->rel10 == R_NONE)
						pr->rel10 = r;
				}
			}
			json_decref(out);
		}
		t_sim10 = now_ms() - t0;
		t0 = now_ms();
		for (a = 0; a < NM; a++) {
			json_t *out, *c;

			pthread_mutex_lock(&app->lock);
			out = similar_for_case(app, &actor, M[a].case_id, 50);
			pthread_mutex_unlock(&app->lock);
			json_array_foreach(out, q, c)
			{
				int r = rel_of(json_string_value(json_object_get(c, "relation")));
				const char *cno = json_string_value(json_object_get(c, "no"));
				struct scope all = { .all = 1 };
				int found;
				json_t *row;

				if (r == R_NONE)
					continue;
				row = store_case_row(app->st, cno, &all, &found);
				b = row ? by_case[json_integer_value(json_object_get(row, "id"))] : -1;
				json_decref(row);
				if (b >= 0) {
					struct pred *pr = pred_get(a, b);

					if (pr->rel50 == R_NONE)
						pr->rel50 = r;
				}
			}
			json_decref(out);
		}
		t_sim50 = now_ms() - t0;
		free(by_case);
	}
	fprintf(stderr, "eval: candidates in %.0f s (top 10) and %.0f s (50); %zu pairs proposed\n", t_sim10 / 1000,
		t_sim50 / 1000, NPR);
	app_close(app);
	if (!o.keep)
		remove_db(o.db);

	/* ---- the samples to judge ---- */
	{
		/* predicted repeat / related (top 10), and pairs by Jaccard band */
		int *idx_rep = malloc(NPR * sizeof(int) + 1), *idx_rel = malloc(NPR * sizeof(int) + 1), n_rep = 0, n_rel = 0;
		int *band_idx[NBANDS], band_n[NBANDS] = { 0 };
		int *pick = malloc(((size_t)n_s + 1) * sizeof(int));
		struct sj {
			int a, b, kind; /* 0 repeat, 1 related, 2+band */
		} *todo = NULL;
		int ntodo = 0, captodo = 0, unjudged = 0;
		/* counts */
		long gold_rep = 0, gold_rel = 0, found_rep10 = 0, found_rel10 = 0, any10_rep = 0, any10_rel = 0,
		     found_rep50 = 0, found_rel50 = 0, any50_rep = 0, any50_rel = 0;
		long gold_by_src[2][2] = { { 0 } }, found_by_src[2][2] = { { 0 } }; /* [repost title group or not][rep/rel] */
		int s_rep_ok = 0, s_rep_n = 0, s_rel_ok = 0, s_rel_n = 0, band_ok[NBANDS] = { 0 }, band_jn[NBANDS] = { 0 };
		long band_count[NBANDS] = { 0 };
		double lo, hi;
		static const double thr[] = { 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };
		char ta[64], tb[64];

		if (!idx_rep || !idx_rel || !pick)
			die("out of memory");
		for (q = 0; q < NPR; q++) {
			if (PR[q].rel10 == R_REPEAT)
				idx_rep[n_rep++] = (int)q;
			else if (PR[q].rel10 == R_RELATED)
				idx_rel[n_rel++] = (int)q;
		}
		for (k = 0; k < NBANDS; k++) {
			band_idx[k] = malloc((NP + 1) * sizeof(int));
			if (!band_idx[k])
				die("out of memory");
		}
		for (q = 0; q < NP; q++) {
			int bd = (int)((P[q].j - 0.2) * 10 + 1e-9);

			if (bd >= NBANDS)
				bd = NBANDS - 1;
			if (bd < 0)
				continue;
			band_idx[bd][band_n[bd]++] = (int)q;
			band_count[bd]++;
		}
#define TODO(A, B, K)                                                                   \
	do {                                                                                \
		if (ntodo == captodo) {                                                         \
			captodo = captodo ? captodo * 2 : 256;                                      \
			todo = realloc(todo, (size_t)captodo * sizeof *todo);                       \
			if (!todo)                                                                  \
				die("out of memory");                                                   \
		}                                                                               \
		todo[ntodo].a = (A), todo[ntodo].b = (B), todo[ntodo++].kind = (K);             \
	} while (0)
		sample(n_rep, n_s, 0x72657065ull, pick);
		for (i = 0; i < n_s && i < n_rep; i++)
			TODO(PR[idx_rep[pick[i]]].a, PR[idx_rep[pick[i]]].b, 0);
		sample(n_rel, n_s, 0x72656c61ull, pick);
		for (i = 0; i < n_s && i < n_rel; i++)
			TODO(PR[idx_rel[pick[i]]].a, PR[idx_rel[pick[i]]].b, 1);
		for (k = 0; k < NBANDS; k++) {
			int per = n_s / 3;

			sample(band_n[k], per, 0x62616e64ull + (uint64_t)k, pick);
			for (i = 0; i < per && i < band_n[k]; i++)
				TODO(P[band_idx[k][pick[i]]].a, P[band_idx[k][pick[i]]].b, 2 + k);
		}
		for (i = 0; i < ntodo; i++) {
			int v = judge(todo[i].a, todo[i].b);

			if (v < 0) {
				unjudged++;
				if (o.list) {
					few(M[todo[i].a].title, 24, ta, sizeof ta);
					few(M[todo[i].b].title, 24, tb, sizeof tb);
					printf("%s\t%s\t?\t%.2f\t%s\t%s\t%s\t%s\t%s\n", M[todo[i].a].id, M[todo[i].b].id,
					       pair_j(todo[i].a, todo[i].b), todo[i].kind == 0 ? "repeat" : todo[i].kind == 1 ? "related" : "band",
					       M[todo[i].a].user, M[todo[i].b].user, ta, tb);
				}
				continue;
			}
			if (todo[i].kind == 0)
				s_rep_n++, s_rep_ok += v;
			else if (todo[i].kind == 1)
				s_rel_n++, s_rel_ok += v;
			else
				band_jn[todo[i].kind - 2]++, band_ok[todo[i].kind - 2] += v;
		}
		if (o.list) {
			fprintf(stderr, "eval: %d sampled pairs not judged yet (printed)\n", unjudged);
			return 0;
		}

		/* recall on the gold pairs */
		for (a = 0; a < NM; a++)
			for (b = a + 1; b < NM; b++) {
				int same_user, rep_group;
				struct pred *pr = NULL;
				size_t z;

				if (M[a].issue < 0 || M[a].issue != M[b].issue)
					continue;
				same_user = strcmp(M[a].user, M[b].user) == 0;
				rep_group = IS[M[a].issue].name[0] == 'T'; /* from the re-post title groups */
				for (z = 0; z < NPR; z++)
					if (PR[z].a == a && PR[z].b == b) {
						pr = &PR[z];
						break;
					}
				if (same_user) {
					gold_rep++;
					gold_by_src[!rep_group][0]++;
					if (pr && pr->rel10 != R_NONE)
						any10_rep++;
					if (pr && pr->rel10 == R_REPEAT)
						found_rep10++, found_by_src[!rep_group][0]++;
					if (pr && (pr->rel50 != R_NONE || pr->rel10 != R_NONE))
						any50_rep++;
					if (pr && (pr->rel50 == R_REPEAT || pr->rel10 == R_REPEAT))
						found_rep50++;
				} else {
					gold_rel++;
					gold_by_src[!rep_group][1]++;
					if (pr && pr->rel10 != R_NONE)
						any10_rel++;
					if (pr && pr->rel10 == R_RELATED)
						found_rel10++, found_by_src[!rep_group][1]++;
					if (pr && (pr->rel50 != R_NONE || pr->rel10 != R_NONE))
						any50_rel++;
					if (pr && (pr->rel50 == R_RELATED || pr->rel10 == R_RELATED))
						found_rel50++;
				}
			}

		/* users with more than one message */
		{
			int *ord = malloc((size_t)NM * sizeof *ord), run = 1;

			if (!ord)
				die("out of memory");
			for (a = 0; a < NM; a++)
				ord[a] = a;
			for (a = 1; a < NM; a++) { /* insertion sort by user: NM is small */
				int v = ord[a], j2 = a - 1;

				while (j2 >= 0 && strcmp(M[ord[j2]].user, M[v].user) > 0)
					ord[j2 + 1] = ord[j2], j2--;
				ord[j2 + 1] = v;
			}
			for (a = 1; a <= NM; a++) {
				if (a < NM && strcmp(M[ord[a]].user, M[ord[a - 1]].user) == 0) {
					run++;
					continue;
				}
				if (run > 1)
					multi_users++, multi_msgs += run;
				run = 1;
			}
			free(ord);
		}

		/* the report */
		cpu_model(cpu, sizeof cpu);
		uname(&un);
		m = open_memstream(&md, &md_len);
		if (!m)
			die("out of memory");
		fprintf(m, DOC_BEGIN "\n## Repeat and related detection on real messages (issue 5)\n\n");
		fprintf(m, "Produced by `bench/text/eval.c` (see `bench/README.md`) from `../shared/data/tipdm2020c` "
			   "(read there, not copied); numbers from the last run of:\n\n    %s\n\n",
			o.cmd);
		fprintf(m, "**Data.** %d messages (the four message files; %d ids that occur twice kept once, %d of "
			   "them with another text), registered with `svc_register` in time order into a fresh "
			   "database (%.0f s): title (%d cut at 100 characters), the message as content (%d cut at 10,000), "
			   "request \"见正文\" (the form requires one); the petitioner is the message's user, whose phone "
			   "number is made from the user id, so the identity hashes see one person per user id "
			   "(%d users wrote two messages or more, %d messages in all); the locality is the first place name (A3区, K9县, ...) "
			   "mapped onto the province's divisions; the category is fujian2's label where it has one, else "
			   "chosen by keywords (right for %d of the %d labelled messages, %.0f %%). Code: %s.\n\n",
			NM, n_dup_same + n_dup_diff, n_dup_diff, t_reg / 1000, n_cut_title, n_cut_detail, multi_users, multi_msgs, cat_ok,
			cat_n, cat_n ? 100.0 * cat_ok / cat_n : 0, rev);
		{
			long nlab = 0;

			for (a = 0; a < NM; a++)
				nlab += M[a].issue >= 0;
			fprintf(m, "**Gold.** `bench/text/labels.tsv`: %d issues, %ld messages. The re-post groups of "
				   "`fujian3_exact_duplicate_title_groups.csv` (104 groups of identical titles), read one by "
				   "one: those about one of the issues below are merged into it, two groups that are one "
				   "matter are merged, one group whose two messages (one user) are about two different places "
				   "is split. And same-issue groups found by keyword and then read message by message, "
				   "messages about something else at the same place left out: 丽发新城 mixing plant (LF), "
				   "伊景园滨河苑 bundled parking (YJY), 魅力之城 ground-floor shops (MLZC-shops) and cracked floors "
				   "(MLZC-cracks), 涉外经济学院 sending students to factories (JJXY), the 58车贷 case (58CD), "
				   "星沙中茂城 shop buyers (ZMC). Within an issue two messages of one user are a **repeat** pair "
				   "(%ld pairs), of different users a **related** pair (%ld pairs).\n\n",
				NI, nlab, gold_rep, gold_rel);
		}
		fprintf(m, "| | gold pairs | found with this relation, top 10 | found with any relation, top 10 | found with "
			   "this relation, top 50 | precision (hand-judged sample of the top-10 proposals) |\n|---|---:|---:|---:|---:|---:|\n");
		wilson(s_rep_ok, s_rep_n, &lo, &hi);
		fprintf(m, "| repeat | %ld | %ld (recall %.3f) | %ld (%.3f) | %ld (%.3f) | %d/%d = %.2f (95 %% CI %.2f-%.2f); "
			   "%d proposed |\n",
			gold_rep, found_rep10, gold_rep ? (double)found_rep10 / gold_rep : 0, any10_rep,
			gold_rep ? (double)any10_rep / gold_rep : 0, found_rep50, gold_rep ? (double)found_rep50 / gold_rep : 0,
			s_rep_ok, s_rep_n, s_rep_n ? (double)s_rep_ok / s_rep_n : 0, lo, hi, n_rep);
		wilson(s_rel_ok, s_rel_n, &lo, &hi);
		fprintf(m, "| related | %ld | %ld (recall %.3f) | %ld (%.3f) | %ld (%.3f) | %d/%d = %.2f (95 %% CI %.2f-%.2f); "
			   "%d proposed |\n\n",
			gold_rel, found_rel10, gold_rel ? (double)found_rel10 / gold_rel : 0, any10_rel,
			gold_rel ? (double)any10_rel / gold_rel : 0, found_rel50, gold_rel ? (double)found_rel50 / gold_rel : 0,
			s_rel_ok, s_rel_n, s_rel_n ? (double)s_rel_ok / s_rel_n : 0, lo, hi, n_rel);
		fprintf(m, "- By where the gold came from: re-post groups: repeat %ld/%ld, related %ld/%ld found with "
			   "the right relation (top 10); the hand-checked same-issue groups: repeat %ld/%ld, related "
			   "%ld/%ld.\n",
			found_by_src[0][0], gold_by_src[0][0], found_by_src[0][1], gold_by_src[0][1], found_by_src[1][0],
			gold_by_src[1][0], found_by_src[1][1], gold_by_src[1][1]);
		fprintf(m, "- Precision: %d proposed pairs of each relation were drawn at random (seeded) from the "
			   "service's top-10 proposals for all %d cases and judged: by the gold when both messages are "
			   "labelled, otherwise by reading them (`bench/text/judged.tsv`).%s\n",
			n_s, NM, unjudged ? " Some sampled pairs are not judged yet and are left out." : "");
		fprintf(m, "- Time: `svc_similar_case` %.1f ms a case on average (%d cases, %.0f s).\n\n", t_sim10 / NM,
			NM, t_sim10 / 1000);
		/* the curve */
		fprintf(m, "### Precision and recall over the similarity threshold\n\n");
		fprintf(m, "Exact Jaccard similarity of the shingles (`text_normalise`, `text_shingles`) of every pair of "
			   "the %d messages: %zu pairs reach 0.2. *Recall*: gold pairs (repeat and related together) "
			   "whose similarity reaches the threshold. *Precision*: in each band of similarity %d pairs "
			   "drawn at random and judged (same matter or not); precision at a threshold is the judged share "
			   "of each band from the threshold up, weighted by the number of pairs in the band.\n\n",
			NM, NP, n_s / 3);
		fprintf(m, "| threshold | pairs >= threshold | recall of the gold pairs | precision (estimated) | band: pairs, "
			   "judged same/judged |\n|---:|---:|---:|---:|---|\n");
		for (k = 0; k < NBANDS; k++) {
			long npairs = 0, gold_ge = 0, gold_all = 0;
			double wsum = 0, wpos = 0;
			int kk;

			for (q = 0; q < NP; q++)
				if (P[q].j >= thr[k] - 1e-9)
					npairs++;
			for (a = 0; a < NM; a++)
				for (b = a + 1; b < NM; b++)
					if (M[a].issue >= 0 && M[a].issue == M[b].issue) {
						gold_all++;
						if (text_jaccard(M[a].sh, M[a].nsh, M[b].sh, M[b].nsh) >= thr[k] - 1e-9)
							gold_ge++;
					}
			for (kk = k; kk < NBANDS; kk++)
				if (band_jn[kk]) {
					wsum += (double)band_count[kk];
					wpos += (double)band_count[kk] * band_ok[kk] / band_jn[kk];
				}
			fprintf(m, "| %.1f | %ld | %.3f | %.2f | %.1f-%.1f: %ld, %d/%d |\n", thr[k], npairs,
				gold_all ? (double)gold_ge / gold_all : 0, wsum ? wpos / wsum : 0, thr[k],
				k + 1 < NBANDS ? thr[k + 1] : 1.0, band_count[k], band_ok[k], band_jn[k]);
		}
		/* what the gold pairs look like */
		{
			long below[3] = { 0 }, gtot = 0;

			for (a = 0; a < NM; a++)
				for (b = a + 1; b < NM; b++)
					if (M[a].issue >= 0 && M[a].issue == M[b].issue) {
						double j = text_jaccard(M[a].sh, M[a].nsh, M[b].sh, M[b].nsh);

						gtot++;
						below[0] += j < 0.1;
						below[1] += j < 0.2;
						below[2] += j < 0.3;
					}
			fprintf(m, "\nOf the %ld gold pairs, %ld (%.0f %%) share less than 0.1 of their shingles, %ld "
				   "(%.0f %%) less than 0.2 and %ld (%.0f %%) less than 0.3: people who write about the same "
				   "matter in their own words share its names (丽发新城, 搅拌站) and little else.\n\n",
				gtot, below[0], 100.0 * below[0] / gtot, below[1], 100.0 * below[1] / gtot, below[2],
				100.0 * below[2] / gtot);
		}
		/* what other rules would do, on the same gold and judgements */
		fprintf(m, "### What other rules would give (prototypes, same gold and judgements)\n\n");
		{
			static const double rt[] = { 0.1, 0.2, 0.3 };
			long gold_same_j[3] = { 0 };
			int t;

			/* repeat = same person and content >= t (instead of: >= 0.3 or the same category) */
			for (a = 0; a < NM; a++)
				for (b = a + 1; b < NM; b++)
					if (M[a].issue >= 0 && M[a].issue == M[b].issue && strcmp(M[a].user, M[b].user) == 0) {
						double j = text_jaccard(M[a].sh, M[a].nsh, M[b].sh, M[b].nsh);

						for (t = 0; t < 3; t++)
							gold_same_j[t] += j >= rt[t];
					}
			fprintf(m, "**Repeat only when the same person wrote similar text.** The shipped rule proposes `repeat` "
				   "for the same person when the content overlap is at least 0.3 *or the category is the same*; "
				   "790 users wrote more than one message here, mostly about different things, and the same "
				   "category is common. With the content condition alone (the category no longer enough):\n\n");
			fprintf(m, "| repeat if the same person and Jaccard >= | recall of the %ld gold repeat pairs | precision in "
				   "the judged sample (of the shipped proposals) |\n|---:|---:|---:|\n", gold_rep);
			fprintf(m, "| (shipped: >= 0.3 or same category) | %.3f | %d/%d = %.2f |\n",
				gold_rep ? (double)found_rep10 / gold_rep : 0, s_rep_ok, s_rep_n, s_rep_n ? (double)s_rep_ok / s_rep_n : 0);
			for (t = 0; t < 3; t++) {
				int ok = 0, n = 0;

				for (i = 0; i < ntodo; i++)
					if (todo[i].kind == 0) {
						int v = judge(todo[i].a, todo[i].b);

						if (v >= 0 && text_jaccard(M[todo[i].a].sh, M[todo[i].a].nsh, M[todo[i].b].sh,
									   M[todo[i].b].nsh) >= rt[t])
							n++, ok += v;
					}
				fprintf(m, "| %.1f | %.3f | %d/%d = %.2f |\n", rt[t], gold_rep ? (double)gold_same_j[t] / gold_rep : 0,
					ok, n, n ? (double)ok / n : 0);
			}
			fprintf(m, "\n(The same person's cases are always candidates, through the identity hashes, so recall "
				   "here is the share of gold repeat pairs that reach the threshold; precision is measured on the "
				   "sampled proposals that would survive the stricter rule.)\n\n");
		}
		{
			/* IDF-weighted Jaccard against plain Jaccard, inside the labelled messages */
			static const double tj[] = { 0.05, 0.1, 0.15, 0.2, 0.3, 0.5 };
			long tp[2][6] = { { 0 } }, fp[2][6] = { { 0 } }, pos = 0;
			int t, w;
			double *idf;
			size_t z;
			struct post {
				uint64_t sh;
			} *all;
			size_t total = 0, nu = 0;
			uint64_t *uniq;
			uint32_t *df;

			for (a = 0; a < NM; a++)
				total += M[a].nsh;
			all = malloc((total + 1) * sizeof *all);
			if (!all)
				die("out of memory");
			for (a = 0, z = 0; a < NM; a++)
				for (i = 0; i < (int)M[a].nsh; i++)
					all[z++].sh = M[a].sh[i];
			qsort(all, total, sizeof *all, cmp_u64p);
			uniq = malloc((total + 1) * sizeof *uniq);
			df = calloc(total + 1, sizeof *df);
			if (!uniq || !df)
				die("out of memory");
			for (z = 0; z < total; z++) {
				if (!nu || uniq[nu - 1] != all[z].sh)
					uniq[nu++] = all[z].sh;
				df[nu - 1]++;
			}
			idf = malloc((nu + 1) * sizeof *idf);
			if (!idf)
				die("out of memory");
			for (z = 0; z < nu; z++)
				idf[z] = log((double)NM / (double)df[z]);
			for (a = 0; a < NM; a++)
				for (b = a + 1; b < NM; b++) {
					double j, jw, num = 0, den = 0;
					size_t x = 0, y = 0;
					int same;

					if (M[a].issue < 0 || M[b].issue < 0)
						continue;
					same = M[a].issue == M[b].issue;
					pos += same;
					j = text_jaccard(M[a].sh, M[a].nsh, M[b].sh, M[b].nsh);
					while (x < M[a].nsh || y < M[b].nsh) { /* weighted union and intersection */
						uint64_t v;
						int both = 0;

						if (y >= M[b].nsh || (x < M[a].nsh && M[a].sh[x] < M[b].sh[y]))
							v = M[a].sh[x++];
						else if (x >= M[a].nsh || M[b].sh[y] < M[a].sh[x])
							v = M[b].sh[y++];
						else
							v = M[a].sh[x++], y++, both = 1;
						{
							size_t l2 = 0, h2 = nu;

							while (l2 < h2) {
								size_t mid = (l2 + h2) / 2;

								if (uniq[mid] < v)
									l2 = mid + 1;
								else
									h2 = mid;
							}
							den += idf[l2];
							if (both)
								num += idf[l2];
						}
					}
					jw = den > 0 ? num / den : 0;
					for (t = 0; t < 6; t++) {
						if (j >= tj[t])
							same ? tp[0][t]++ : fp[0][t]++;
						if (jw >= tj[t])
							same ? tp[1][t]++ : fp[1][t]++;
					}
				}
			fprintf(m, "**Related: weigh what is rare.** Pairs of the %ld labelled messages only (every such pair is "
				   "decided by the gold: the same issue or not; %ld positive pairs): plain Jaccard against Jaccard "
				   "weighted by inverse document frequency over all %d messages (a shared 丽发新城 counts for "
				   "much, a shared 我们 for nothing).\n\n",
				(long)354, pos, NM);
			fprintf(m, "| threshold | Jaccard: recall | precision | IDF-weighted: recall | precision |\n|---:|---:|---:|---:|---:|\n");
			for (t = 0; t < 6; t++) {
				fprintf(m, "| %.2f |", tj[t]);
				for (w = 0; w < 2; w++)
					fprintf(m, " %.3f | %.2f |", pos ? (double)tp[w][t] / pos : 0,
						tp[w][t] + fp[w][t] ? (double)tp[w][t] / (tp[w][t] + fp[w][t]) : 0);
				fprintf(m, "\n");
			}
			fprintf(m, "\n(Inside the labelled messages precision is optimistic - unrelated messages here are "
				   "mostly about other, well-separated issues - so read the columns against each other, not as "
				   "the precision the service would see.)\n\n");
			free(all);
			free(uniq);
			free(df);
			free(idf);
		}
		/* signing: ICU's Traditional-Simplified transliterator against a table */
		{
			uint32_t *tab = calloc(0x30000, sizeof *tab);
			int ntab = 0, ndiff = 0;
			double t_icu = 0, t_tab = 0, tb0;
			UChar32 cp;

			if (!tab)
				die("out of memory");
			tb0 = now_ms();
			for (cp = 0x3400; cp < 0x2FA20; cp++) { /* what the transliterator does to each character alone */
				char in[8], *x0, *x1;
				int32_t l = 0;

				U8_APPEND_UNSAFE(in, l, cp);
				in[l] = '\0';
				x0 = text_normalise(in, 0);
				x1 = text_normalise(in, TEXT_T2S);
				if (x0 && x1 && strcmp(x0, x1) != 0) {
					int32_t j = 0, n1 = (int32_t)strlen(x1);
					UChar32 o1;

					U8_NEXT(x1, j, n1, o1);
					if (j == n1 && o1 > 0)
						tab[cp] = (uint32_t)o1, ntab++;
				}
				free(x0);
				free(x1);
			}
			tb0 = now_ms() - tb0;
			for (a = 0; a < NM; a++) {
				size_t n = strlen(M[a].title) + strlen(M[a].detail) + 2;
				char *sx = malloc(n), *r1, *r0, *r2;
				double tt;

				if (!sx)
					die("out of memory");
				snprintf(sx, n, "%s %s", M[a].title, M[a].detail);
				tt = now_ms();
				r1 = text_normalise(sx, TEXT_T2S);
				t_icu += now_ms() - tt;
				tt = now_ms();
				r0 = text_normalise(sx, 0);
				r2 = r0 ? malloc(strlen(r0) * 2 + 8) : NULL;
				if (r2) {
					int32_t i2 = 0, n0 = (int32_t)strlen(r0), o2 = 0;

					while (i2 < n0) {
						UChar32 c2;

						U8_NEXT(r0, i2, n0, c2);
						if (c2 < 0)
							continue;
						if (c2 < 0x30000 && tab[c2])
							c2 = (UChar32)tab[c2];
						U8_APPEND_UNSAFE(r2, o2, c2);
					}
					r2[o2] = '\0';
				}
				t_tab += now_ms() - tt;
				ndiff += !r1 || !r2 || strcmp(r1, r2) != 0;
				free(sx), free(r1), free(r0), free(r2);
			}
			fprintf(m, "**Signing cost.** `text_normalise` with `TEXT_T2S` (ICU's Traditional-Simplified "
				   "transliterator) took %.1f µs a message here on average; without the transliterator, then "
				   "mapping each character through a table of what the transliterator does to that character "
				   "alone (%d entries, built in %.1f s at start), %.1f µs - %.0f times faster - but the result "
				   "differs for %d of the %d messages (%.1f %%): ICU's rules look at neighbouring characters "
				   "and keep, for instance, 著 in 著作 and 分 in 分子, which the table turns into 着 and 份. The "
				   "transliterator is most of what signing a case costs and most of each exact Jaccard the "
				   "candidate search computes.\n\n",
				t_icu * 1000 / NM, ntab, tb0 / 1000, t_tab * 1000 / NM, t_icu / (t_tab > 0 ? t_tab : 1), ndiff, NM,
				100.0 * ndiff / NM);
			free(tab);
		}
		/* examples */
		fprintf(m, "### What the errors look like\n\n");
		{
			int shown = 0;

			fprintf(m, "Proposed, judged wrong (message ids, a few words of each title, similarity):\n\n");
			for (i = 0; i < ntodo && shown < 8; i++)
				if (todo[i].kind < 2 && judge(todo[i].a, todo[i].b) == 0) {
					few(M[todo[i].a].title, 12, ta, sizeof ta);
					few(M[todo[i].b].title, 12, tb, sizeof tb);
					fprintf(m, "- %s: %s (%s) / %s (%s), %.2f%s\n", todo[i].kind == 0 ? "repeat" : "related",
						M[todo[i].a].id, ta, M[todo[i].b].id, tb, pair_j(todo[i].a, todo[i].b),
						strcmp(M[todo[i].a].user, M[todo[i].b].user) == 0 ? ", same user" : "");
					shown++;
				}
			if (!shown)
				fprintf(m, "- none among the judged samples\n");
			fprintf(m, "\nMissed gold pairs (not proposed at all), the most similar first:\n\n");
			shown = 0;
			{
				/* collect missed gold pairs with their similarity */
				struct pair *miss = NULL;
				size_t nmiss = 0, capm = 0, z;

				for (a = 0; a < NM; a++)
					for (b = a + 1; b < NM; b++)
						if (M[a].issue >= 0 && M[a].issue == M[b].issue) {
							int found = 0;

							for (z = 0; z < NPR && !found; z++)
								found = PR[z].a == a && PR[z].b == b;
							if (found)
								continue;
							if (nmiss == capm) {
								capm = capm ? capm * 2 : 1024;
								miss = realloc(miss, capm * sizeof *miss);
								if (!miss)
									die("out of memory");
							}
							miss[nmiss].a = a, miss[nmiss].b = b;
							miss[nmiss++].j = (float)text_jaccard(M[a].sh, M[a].nsh, M[b].sh, M[b].nsh);
						}
				for (k = 0; k < 6 && nmiss; k++) {
					size_t best = 0;

					for (z = 1; z < nmiss; z++)
						if (miss[z].j > miss[best].j)
							best = z;
					few(M[miss[best].a].title, 12, ta, sizeof ta);
					few(M[miss[best].b].title, 12, tb, sizeof tb);
					fprintf(m, "- %s, %s (%s) / %s (%s), %.2f%s\n", IS[M[miss[best].a].issue].name,
						M[miss[best].a].id, ta, M[miss[best].b].id, tb, miss[best].j,
						strcmp(M[miss[best].a].user, M[miss[best].b].user) == 0 ? ", same user" : "");
					miss[best].j = -1;
				}
				fprintf(m, "- ... %zu gold pairs were not proposed in either direction (top 10 or 50).\n", nmiss);
				free(miss);
			}
		}
		fprintf(m, "\nWhole run %.0f s on %ld cores (%s).\n" DOC_END "\n", (now_ms() - t_total0) / 1000,
			sysconf(_SC_NPROCESSORS_ONLN), cpu);
		fclose(m);
	}
	fputs(md, stdout);
	if (o.doc) {
		if (write_doc(o.doc, DOC_BEGIN, DOC_END, md))
			die("write doc");
		fprintf(stderr, "eval: wrote %s\n", o.doc);
	}
	free(md);
	return 0;
}
