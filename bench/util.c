/*
 * util.c - see util.h.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <errno.h> /* program_invocation_short_name, for messages (GNU) */

void bench_die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "%s: %s%s%s\n", program_invocation_short_name, what, db ? ": " : "",
		db ? sqlite3_errmsg(db) : "");
	exit(1);
}

void bench_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, sql, msg ? msg : "?");
		exit(1);
	}
}

sqlite3_stmt *bench_prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: prepare %s: %s\n", program_invocation_short_name, sql, sqlite3_errmsg(db));
		exit(1);
	}
	return s;
}

void bench_step_done(sqlite3 *db, sqlite3_stmt *s, const char *what)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		bench_die(what, db);
	sqlite3_reset(s);
}

int64_t bench_query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = bench_prep(db, sql);
	int64_t v = 0;

	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double rank(const double *v, int n, int p)
{
	int k = (p * n + 99) / 100;

	return v[(k < 1 ? 1 : k) - 1];
}

struct pct pct_of(double *v, int n)
{
	struct pct s = { n, 0, 0, 0, 0, 0 };
	int i;

	if (n <= 0)
		return s;
	qsort(v, (size_t)n, sizeof *v, dbl_cmp);
	s.p50 = rank(v, n, 50);
	s.p95 = rank(v, n, 95);
	s.p99 = rank(v, n, 99);
	s.max = v[n - 1];
	for (i = 0; i < n; i++)
		s.mean += v[i];
	s.mean /= n;
	return s;
}

static long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	size_t kl = strlen(key);

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			kb = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

long rss_kib(void)
{
	return status_kib("VmRSS");
}

long rss_peak_kib(void)
{
	return status_kib("VmHWM");
}

void cpu_model(char *out, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(out, n, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "model name", 10) == 0) {
			char *p = strchr(line, ':');

			if (p) {
				p++;
				while (*p == ' ' || *p == '\t')
					p++;
				p[strcspn(p, "\n")] = '\0';
				snprintf(out, n, "%s", p);
			}
			break;
		}
	fclose(f);
}

long mem_total_mb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	long kb = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemTotal: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb / 1024;
}

const char *fs_name(const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf) != 0)
		return "unknown";
	switch ((unsigned long)sf.f_type) {
	case 0xEF53UL: return "ext2/3/4";
	case 0x01021994UL: return "tmpfs";
	case 0x58465342UL: return "xfs";
	case 0x9123683EUL: return "btrfs";
	case 0x794C7630UL: return "overlayfs";
	default: return "other";
	}
}

void code_revision(char *out, size_t n)
{
	FILE *p = popen("git rev-parse --short HEAD 2>/dev/null", "r");
	char rev[64] = "";
	int dirty = 0;

	if (p) {
		if (!fgets(rev, sizeof rev, p))
			rev[0] = '\0';
		pclose(p);
	}
	rev[strcspn(rev, "\n")] = '\0';
	p = popen("git status --porcelain -- src 2>/dev/null", "r");
	if (p) {
		char line[256];

		dirty = fgets(line, sizeof line, p) != NULL;
		pclose(p);
	}
	if (!rev[0])
		snprintf(out, n, "unknown (not run from a git checkout)");
	else
		snprintf(out, n, "git %s%s", rev, dirty ? " with uncommitted changes in src/" : "");
}

int64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

void remove_db(const char *db)
{
	static const char *const sfx[] = { "", "-wal", "-shm", ".key", "-journal" };
	char p[600];
	size_t i;

	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db, sfx[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s.files", db);
	rmdir(p);
}

int write_doc(const char *path, const char *begin, const char *end, const char *section)
{
	FILE *f = fopen(path, "r");
	char *old = NULL, *b, *e, tmp[1024];
	long len = 0;

	if (f) {
		if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0) {
			rewind(f);
			old = malloc((size_t)len + 1);
			if (!old || fread(old, 1, (size_t)len, f) != (size_t)len) {
				fclose(f);
				free(old);
				return -1;
			}
			old[len] = '\0';
		}
		fclose(f);
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		free(old);
		return -1;
	}
	b = old ? strstr(old, begin) : NULL;
	e = b ? strstr(b, end) : NULL;
	if (b && e) {
		fwrite(old, 1, (size_t)(b - old), f);
		e += strlen(end);
		if (*e == '\n')
			e++;
		fputs(section, f);
		fputs(e, f);
	} else {
		if (old && len > 0) {
			fputs(old, f);
			fputs(old[len - 1] == '\n' ? "\n" : "\n\n", f);
		}
		fputs(section, f);
	}
	free(old);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

uint64_t mix64(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void idset_add(struct idset *s, int64_t id)
{
	uint64_t h = mix64((uint64_t)id ^ 0x6964736574ull);

	s->n++;
	s->sum += h;
	s->xor ^= h;
}

int idset_eq(const struct idset *a, const struct idset *b)
{
	return a->n == b->n && a->sum == b->sum && a->xor == b->xor;
}
