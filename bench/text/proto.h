/*
 * proto.h - a copy of similar.c's candidate search (find()) with timers around
 * each step and switches for the changes text_bench.c measures. Not the
 * application's code: a prototype to show where the time goes and what a
 * change would buy, on the same data and queries as the real thing.
 */
#ifndef XF_BENCH_PROTO_H
#define XF_BENCH_PROTO_H

#include <stdint.h>

#include "service/svc.h"

struct proto_opts {
	const char *name;
	int cap;            /* LSH candidates asked for (similar.c: 200) */
	double exact_min;   /* exact Jaccard only from this MinHash estimate up (similar.c: 0.15), the
			       estimate itself below it; the same person is always scored exactly */
	int reuse_sig;      /* the query's signature from case_text instead of signing its text again */
	int lean_reads;     /* statements prepared once (not per call), and a candidate's brief read only
			       when its estimate passes 0.15 or it came from the identity hashes */
	double weak;        /* > 0: candidates below this estimate (not the same person) are left out
			       altogether - only those that can be proposed as repeat or related are scored
			       and shown */
};

struct proto_time {
	double sig, lsh, ident, read, exact, final, total; /* ms */
	int cands, exact_n;
};

/* Candidates for a stored case, as similar_for_case does (scope of the actor
 * for the final `limit`). ids of the answer into out (at most limit);
 * returns how many. */
int proto_find(struct app *app, const struct actor *a, int64_t case_id, const struct proto_opts *po, int64_t *out,
	       int limit, struct proto_time *t);

/* The LSH index built in bulk, a prototype for similar_reload: every
 * signature's 32 band keys appended, then one sort per band (lsh_add merges
 * a 512-entry tail into each band's whole sorted array, so loading n
 * signatures one by one moves O(n^2 / 512) entries). Returns the ms it took;
 * *check gets the number of queries (of nq) whose uncapped candidate set
 * equals lsh_query's on the application's index. */
struct lsh_index;
double proto_lsh_bulk(const uint32_t (*sigs)[128], int64_t n, const struct lsh_index *real, const int64_t *qids,
		      int nq, int *check, size_t *bytes);

#endif
