/*
 * util.h - small things the benchmarks share (scan_bench, text/text_bench,
 * text/eval): time, percentiles, the machine, memory, SQLite one-liners that
 * give up loudly, and writing a marked section of docs/PERFORMANCE.md.
 */
#ifndef XF_BENCH_UTIL_H
#define XF_BENCH_UTIL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* "<program>: what: <SQLite's message>" on stderr, then exit(1) (atexit handlers run). */
void bench_die(const char *what, sqlite3 *db);
void bench_exec(sqlite3 *db, const char *sql);
sqlite3_stmt *bench_prep(sqlite3 *db, const char *sql);
/* step a statement that returns no row, then reset it */
void bench_step_done(sqlite3 *db, sqlite3_stmt *s, const char *what);
/* the first column of the first row, 0 when there is none */
int64_t bench_query_int(sqlite3 *db, const char *sql);

double now_ms(void);

struct pct {
	int n;
	double p50, p95, p99, max, mean;
};

/* Nearest-rank percentiles of v (sorted in place); p50 is the median. */
struct pct pct_of(double *v, int n);

/* Resident set size now and at its peak (VmRSS, VmHWM), in KiB. */
long rss_kib(void);
long rss_peak_kib(void);

void cpu_model(char *out, size_t n);
long mem_total_mb(void);
const char *fs_name(const char *path);
/* "git abc1234", "... with uncommitted changes in src/" (run from the repository root) */
void code_revision(char *out, size_t n);
int64_t file_size(const char *path);
/* a database file and its -wal, -shm and .key */
void remove_db(const char *db);

/* Replace the text between begin and end (markers included) in path by
 * section, or append section when the markers are missing. 0 or -1. */
int write_doc(const char *path, const char *begin, const char *end, const char *section);

/* An order-independent fingerprint of a set of ids (count, sum, xor of a hash). */
struct idset {
	int64_t n;
	uint64_t sum, xor;
};
void idset_add(struct idset *s, int64_t id);
int idset_eq(const struct idset *a, const struct idset *b);

uint64_t mix64(uint64_t z);

#endif
