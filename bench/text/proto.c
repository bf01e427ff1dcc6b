/*
 * proto.c - see proto.h. Follows src/service/similar.c find() step by step
 * (as of the code this benchmark was written against); the switches default
 * to what similar.c does.
 */
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "service/case.h"
#include "store/row.h"
#include "store/store.h"
#include "text/text.h"
#include "../util.h"

#define ID_CANDIDATES 50

struct pc {
	int64_t id;
	double jaccard, score;
	int same;
};

static char *brief_text(json_t *o)
{
	const char *t = json_string_value(json_object_get(o, "title"));
	const char *c = json_string_value(json_object_get(o, "content"));
	const char *r = json_string_value(json_object_get(o, "request"));
	size_t n = (t ? strlen(t) : 0) + (c ? strlen(c) : 0) + (r ? strlen(r) : 0) + 3;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s %s %s", t ? t : "", c ? c : "", r ? r : "");
	return s;
}

static int has(json_t *people, const char *key, const char *v)
{
	size_t i;
	json_t *p;

	if (!v)
		return 0;
	json_array_foreach(people, i, p)
	{
		const char *w = json_string_value(json_object_get(p, key));

		if (w && strcmp(w, v) == 0)
			return 1;
	}
	return 0;
}

/* the store's two reads with statements prepared once (same SQL as store/text.c) */
static sqlite3_stmt *st_sig, *st_brief;

static int lean_sig(struct app *app, int64_t id, uint32_t sig[TEXT_K])
{
	int rc;

	if (!st_sig && sqlite3_prepare_v3(app->st->db, "SELECT sig FROM case_text WHERE case_id=?", -1,
					  SQLITE_PREPARE_PERSISTENT, &st_sig, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st_sig, 1, id);
	rc = sqlite3_step(st_sig);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st_sig, 0) == (int)(TEXT_K * sizeof sig[0]))
		memcpy(sig, sqlite3_column_blob(st_sig, 0), TEXT_K * sizeof sig[0]);
	else
		rc = SQLITE_DONE;
	sqlite3_reset(st_sig);
	return rc == SQLITE_ROW ? 0 : 1;
}

static json_t *lean_brief(struct app *app, int64_t id)
{
	json_t *row = NULL;

	if (!st_brief &&
	    sqlite3_prepare_v3(
		    app->st->db,
		    "SELECT c.id, c.no, c.title, c.content, c.request, c.state, c.kind, c.locality, c.category,"
		    " c.registered_at, c.accused_unit_id, u.name AS holder_unit_name, c.holder_unit_id,"
		    " (SELECT json_group_array(json_object('id', p.id_number_idx, 'phone', p.phone_idx, 'name', p.name))"
		    "  FROM petitioners p WHERE p.case_id=c.id) AS people"
		    " FROM cases c LEFT JOIN units u ON u.id=c.holder_unit_id WHERE c.id=?",
		    -1, SQLITE_PREPARE_PERSISTENT, &st_brief, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st_brief, 1, id);
	if (sqlite3_step(st_brief) == SQLITE_ROW)
		row = row_json(st_brief);
	sqlite3_reset(st_brief);
	return row;
}

static int by_score(const void *a, const void *b)
{
	const struct pc *x = a, *y = b;

	return x->score < y->score ? 1 : x->score > y->score ? -1 : (x->id < y->id) - (x->id > y->id);
}

int proto_find(struct app *app, const struct actor *a, int64_t case_id, const struct proto_opts *po, int64_t *out,
	       int limit, struct proto_time *t)
{
	uint32_t sig[TEXT_K], other[TEXT_K];
	int64_t *ids = malloc(((size_t)po->cap + ID_CANDIDATES * 4) * sizeof *ids);
	size_t n = 0, i, j, np = 0, nd = 0;
	struct pc *c = NULL;
	uint64_t *mine = NULL;
	char *norm = NULL, *text = NULL;
	json_t *q = store_case_brief(app->st, case_id), *people = NULL, *pp, *x;
	const char *loc, *cat;
	int64_t at;
	double t0 = now_ms(), t1;
	int nout = 0;
	struct scope sc;
	size_t n_lsh;

	memset(t, 0, sizeof *t);
	if (!q || !ids)
		goto done;
	text = brief_text(q);
	people = json_loads(row_str(q, "people"), 0, NULL);
	loc = row_str(q, "locality");
	cat = row_str(q, "category");
	at = row_int(q, "registered_at");
	t1 = now_ms();
	if (po->reuse_sig ? store_text_sig(app->st, case_id, sig, sizeof sig) != 0 : text_signature(text, sig) != 0)
		goto done;
	t->sig = now_ms() - t1;
	t1 = now_ms();
	n = lsh_query(app->lsh, sig, ids, (size_t)po->cap);
	t->lsh = now_ms() - t1;
	n_lsh = n;
	t1 = now_ms();
	json_array_foreach(people, i, pp)
	{
		json_t *rows = store_cases_by_identity(app->st, json_string_value(json_object_get(pp, "id")),
						       json_string_value(json_object_get(pp, "phone")), ID_CANDIDATES);

		json_array_foreach(rows, j, x)
			if (n < (size_t)po->cap + ID_CANDIDATES * 4)
				ids[n++] = row_int(x, "id");
		json_decref(rows);
	}
	t->ident = now_ms() - t1;
	c = calloc(n ? n : 1, sizeof *c);
	t1 = now_ms();
	norm = text_normalise(text, TEXT_T2S);
	mine = norm ? text_shingles(norm, &np) : NULL;
	t->exact += now_ms() - t1;
	if (!c || !norm)
		goto done;
	for (i = 0; i < n; i++) {
		json_t *b, *theirs_p;
		double est;
		int dup = 0, same = 0;

		for (j = 0; j < nd; j++)
			dup |= c[j].id == ids[i];
		if (dup || ids[i] == case_id)
			continue;
		t1 = now_ms();
		if (po->lean_reads) {
			/* the signature first; the brief only when it can matter */
			if (lean_sig(app, ids[i], other) != 0) {
				t->read += now_ms() - t1;
				continue;
			}
			est = text_sig_similarity(sig, other);
			if (est < (po->weak > 0.15 ? po->weak : 0.15) && i < n_lsh) { /* not from the identity hashes: cannot be the same person */
				t->read += now_ms() - t1;
				t->cands++;
				continue;
			}
			b = lean_brief(app, ids[i]);
		} else {
			b = store_text_sig(app->st, ids[i], other, sizeof other) == 0 ? store_case_brief(app->st, ids[i]) : NULL;
			est = text_sig_similarity(sig, other);
		}
		if (!b) {
			t->read += now_ms() - t1;
			continue;
		}
		theirs_p = json_loads(row_str(b, "people"), 0, NULL);
		json_array_foreach(people, j, pp)
		{
			same |= has(theirs_p, "id", json_string_value(json_object_get(pp, "id")));
			same |= has(theirs_p, "phone", json_string_value(json_object_get(pp, "phone")));
		}
		json_decref(theirs_p);
		t->read += now_ms() - t1;
		t->cands++;
		if (est < 0.15 && !same) {
			json_decref(b);
			continue;
		}
		c[nd].id = ids[i];
		c[nd].same = same;
		if (same || est >= po->exact_min) {
			char *tt, *tn;
			size_t nt = 0;
			uint64_t *theirs;

			t1 = now_ms();
			tt = brief_text(b);
			tn = tt ? text_normalise(tt, TEXT_T2S) : NULL;
			theirs = tn ? text_shingles(tn, &nt) : NULL;
			c[nd].jaccard = text_jaccard(mine, np, theirs, nt);
			free(tt), free(tn), free(theirs);
			t->exact += now_ms() - t1;
			t->exact_n++;
		} else
			c[nd].jaccard = est;
		c[nd].score = 0.6 * c[nd].jaccard + (same ? 0.25 : 0) +
			      (loc && strcmp(loc, row_str(b, "locality")) == 0 ? 0.05 : 0) +
			      (cat && strcmp(cat, row_str(b, "category")) == 0 ? 0.05 : 0) +
			      (llabs(at - row_int(b, "registered_at")) <= 90 * 86400 ? 0.05 : 0);
		json_decref(b);
		nd++;
	}
	qsort(c, nd, sizeof *c, by_score);
	/* the answer: each candidate read again and checked against the actor's scope */
	t1 = now_ms();
	scope_of(a, &sc);
	for (i = 0; i < nd && nout < limit; i++) {
		json_t *b = po->lean_reads ? lean_brief(app, c[i].id) : store_case_brief(app->st, c[i].id), *row;
		int found = 0;

		if (!b)
			continue;
		row = sc.all ? NULL : store_case_row(app->st, row_str(b, "no"), &sc, &found);
		json_decref(row);
		json_decref(b);
		out[nout++] = c[i].id;
	}
	t->final = now_ms() - t1;
done:
	t->total = now_ms() - t0;
	json_decref(q);
	json_decref(people);
	free(ids);
	free(c);
	free(norm);
	free(mine);
	free(text);
	return nout;
}

/* ---- the LSH index in bulk ---------------------------------------------------------------- */

struct bent {
	uint32_t key, slot;
};

static int bent_cmp(const void *a, const void *b)
{
	const struct bent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* minhash.c's band_key (same mixer as util.c's mix64) */
static uint32_t band_key(const uint32_t *sig, int b)
{
	uint64_t h = 0x6c7368ull + (uint64_t)b;
	int r;

	for (r = 0; r < TEXT_ROWS; r++)
		h = mix64(h ^ sig[b * TEXT_ROWS + r]);
	return (uint32_t)(h >> 32);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

double proto_lsh_bulk(const uint32_t (*sigs)[128], int64_t n, const struct lsh_index *real, const int64_t *qids,
		      int nq, int *check, size_t *bytes)
{
	struct bent *band[TEXT_BANDS];
	int64_t *got = malloc(((size_t)n + 1) * sizeof *got), *mine = malloc(((size_t)n + 1) * sizeof *mine);
	double t0 = now_ms(), ms;
	int b, q;
	int64_t i;

	*check = 0;
	*bytes = 0;
	for (b = 0; b < TEXT_BANDS; b++) {
		band[b] = malloc((size_t)n * sizeof *band[b]);
		if (!band[b])
			return -1;
	}
	for (i = 0; i < n; i++) /* slot i holds case id i + 1 */
		for (b = 0; b < TEXT_BANDS; b++)
			band[b][i].key = band_key(sigs[i + 1], b), band[b][i].slot = (uint32_t)i;
	for (b = 0; b < TEXT_BANDS; b++)
		qsort(band[b], (size_t)n, sizeof *band[b], bent_cmp);
	ms = now_ms() - t0;
	*bytes = (size_t)n * (TEXT_BANDS * sizeof(struct bent) + sizeof(int64_t));
	/* the same candidates as the application's index? */
	for (q = 0; q < nq && got && mine; q++) {
		size_t ng = lsh_query(real, sigs[qids[q]], got, (size_t)n), nm = 0, k;

		for (b = 0; b < TEXT_BANDS; b++) {
			uint32_t key = band_key(sigs[qids[q]], b);
			size_t lo = 0, hi = (size_t)n;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (band[b][mid].key < key)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < (size_t)n && band[b][lo].key == key; lo++)
				mine[nm++] = (int64_t)band[b][lo].slot + 1;
		}
		qsort(mine, nm, sizeof *mine, cmp_i64);
		for (i = 0, k = 0; (size_t)i < nm; i++) /* each once */
			if (k == 0 || mine[k - 1] != mine[i])
				mine[k++] = mine[i];
		qsort(got, ng, sizeof *got, cmp_i64);
		*check += k == ng && memcmp(mine, got, ng * sizeof *got) == 0;
	}
	for (b = 0; b < TEXT_BANDS; b++)
		free(band[b]);
	free(got);
	free(mine);
	return ms;
}
