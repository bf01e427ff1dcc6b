/*
 * minhash.c - shingles, MinHash signatures and the LSH band index (text.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "text/text.h"

/* splitmix64: a strong 64-bit mixer */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int is_cjk(UChar32 c)
{
	UErrorCode e = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(c, &e);

	return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_HANGUL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t *text_shingles(const char *norm, size_t *n)
{
	int32_t len = (int32_t)strlen(norm), i = 0;
	uint64_t *out = malloc(((size_t)len + 1) * sizeof *out), word = 0;
	UChar32 prev = -1;
	size_t k = 0, j;
	int in_word = 0, run = 0;

	*n = 0;
	if (!out)
		return NULL;
	while (i < len) {
		UChar32 c;

		U8_NEXT(norm, i, len, c);
		if (c >= 0 && is_cjk(c)) {
			if (in_word)
				out[k++] = mix(word), in_word = 0;
			/* a CJK bigram; the tag keeps bigrams, unigrams and words apart */
			if (prev >= 0)
				out[k++] = mix(((uint64_t)prev << 21 | (uint64_t)c) ^ 0x1000000000000ull);
			prev = c;
			run++;
			continue;
		}
		if (run == 1)
			out[k++] = mix((uint64_t)prev ^ 0x2000000000000ull);
		prev = -1;
		run = 0;
		if (c >= 0 && u_isalnum(c)) {
			word = in_word ? mix(word ^ (uint64_t)c) : mix((uint64_t)c ^ 0x3000000000000ull);
			in_word = 1;
		} else if (in_word) {
			out[k++] = mix(word);
			in_word = 0;
		}
	}
	if (run == 1)
		out[k++] = mix((uint64_t)prev ^ 0x2000000000000ull);
	if (in_word)
		out[k++] = mix(word);
	if (k == 0) {
		free(out);
		return NULL;
	}
	qsort(out, k, sizeof *out, cmp_u64);
	for (i = 0, j = 0; (size_t)i < k; i++)
		if (j == 0 || out[j - 1] != out[i])
			out[j++] = out[i];
	*n = j;
	return out;
}

/* TEXT_K hash functions: mix(shingle ^ seed_i); seeds fixed so signatures
 * persisted in the database stay comparable across versions. */
static uint64_t seeds[TEXT_K];
static int seeded;

static void seed_init(void)
{
	uint64_t s = 0x5846534d494e4841ull; /* "XFSMINHA" */
	int i;

	for (i = 0; i < TEXT_K; i++)
		seeds[i] = s = mix(s);
	seeded = 1;
}

void text_minhash(const uint64_t *sh, size_t n, uint32_t sig[TEXT_K])
{
	size_t j;
	int i;

	if (!seeded)
		seed_init(); /* idempotent: racing threads write the same values */
	for (i = 0; i < TEXT_K; i++)
		sig[i] = 0xffffffffu;
	for (j = 0; j < n; j++)
		for (i = 0; i < TEXT_K; i++) {
			uint32_t h = (uint32_t)(mix(sh[j] ^ seeds[i]) >> 32);

			if (h < sig[i])
				sig[i] = h;
		}
}

double text_sig_similarity(const uint32_t a[TEXT_K], const uint32_t b[TEXT_K])
{
	int i, eq = 0;

	for (i = 0; i < TEXT_K; i++)
		eq += a[i] == b[i];
	return (double)eq / TEXT_K;
}

double text_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, both = 0;

	if (!na && !nb)
		return 0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			both++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return (double)both / (double)(na + nb - both);
}

int text_signature(const char *s, uint32_t sig[TEXT_K])
{
	char *norm = text_normalise(s, TEXT_T2S);
	uint64_t *sh;
	size_t n = 0;

	if (!norm)
		return -1;
	sh = text_shingles(norm, &n);
	free(norm);
	if (!sh && n)
		return -1;
	text_minhash(sh, n, sig);
	free(sh);
	return 0;
}

/* ---- the LSH index ------------------------------------------------------------------
 *
 * Per band, a sorted array of (band key, slot) pairs, 8 bytes an entry and no
 * empty space (256 bytes a case for 32 bands, plus 8 for its id), and a short
 * unsorted tail of the latest additions, merged in when it fills. A lookup is
 * a binary search per band plus a scan of the tail.
 */
#define TAIL 512

struct band_entry {
	uint32_t key;
	uint32_t slot;
};

struct band {
	struct band_entry *a; /* sorted by key, then slot */
	size_t n, cap;
	struct band_entry tail[TAIL];
	size_t nt;
};

struct lsh_index {
	struct band b[TEXT_BANDS];
	int64_t *ids; /* by slot */
	size_t n, ids_cap;
};

static uint32_t band_key(const uint32_t *sig, int b)
{
	uint64_t h = 0x6c7368ull + (uint64_t)b;
	int r;

	for (r = 0; r < TEXT_ROWS; r++)
		h = mix(h ^ sig[b * TEXT_ROWS + r]);
	return (uint32_t)(h >> 32);
}

struct lsh_index *lsh_new(void)
{
	return calloc(1, sizeof(struct lsh_index));
}

void lsh_free(struct lsh_index *x)
{
	int b;

	if (!x)
		return;
	for (b = 0; b < TEXT_BANDS; b++)
		free(x->b[b].a);
	free(x->ids);
	free(x);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct band_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* Merge the tail into the sorted array (from the back, in place). */
static int merge(struct band *bd)
{
	size_t i, j, k;

	if (!bd->nt)
		return 0;
	if (bd->n + bd->nt > bd->cap) {
		size_t cap = bd->cap ? bd->cap + bd->cap / 2 : 4096;
		struct band_entry *a;

		if (cap < bd->n + bd->nt)
			cap = bd->n + bd->nt;
		a = realloc(bd->a, cap * sizeof *a);
		if (!a)
			return -1;
		bd->a = a;
		bd->cap = cap;
	}
	qsort(bd->tail, bd->nt, sizeof bd->tail[0], cmp_entry);
	i = bd->n, j = bd->nt, k = bd->n + bd->nt;
	while (j > 0) {
		if (i > 0 && cmp_entry(&bd->a[i - 1], &bd->tail[j - 1]) > 0)
			bd->a[--k] = bd->a[--i];
		else
			bd->a[--k] = bd->tail[--j];
	}
	bd->n += bd->nt;
	bd->nt = 0;
	return 0;
}

int lsh_add(struct lsh_index *x, int64_t id, const uint32_t sig[TEXT_K])
{
	int b;

	if (x->n == x->ids_cap) {
		size_t c = x->ids_cap ? x->ids_cap + x->ids_cap / 2 : 4096;
		int64_t *ids = realloc(x->ids, c * sizeof *ids);

		if (!ids)
			return -1;
		x->ids = ids;
		x->ids_cap = c;
	}
	for (b = 0; b < TEXT_BANDS; b++)
		if (x->b[b].nt == TAIL && merge(&x->b[b]))
			return -1;
	x->ids[x->n] = id;
	for (b = 0; b < TEXT_BANDS; b++) {
		struct band *bd = &x->b[b];

		bd->tail[bd->nt].key = band_key(sig, b);
		bd->tail[bd->nt++].slot = (uint32_t)x->n;
	}
	x->n++;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct hit {
	uint32_t slot;
	int bands;
};

static int by_bands(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->bands != y->bands)
		return y->bands - x->bands;
	return x->slot < y->slot ? 1 : x->slot > y->slot ? -1 : 0; /* newer first */
}

static int push(uint32_t **v, size_t *n, size_t *cap, uint32_t slot)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		uint32_t *nv = realloc(*v, c * sizeof *nv);

		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = slot;
	return 0;
}

size_t lsh_query(const struct lsh_index *x, const uint32_t sig[TEXT_K], int64_t *out, size_t cap)
{
	uint32_t *slots = NULL;
	struct hit *hits = NULL;
	size_t ns = 0, scap = 0, nh = 0, i, k;
	int b;

	for (b = 0; b < TEXT_BANDS; b++) {
		const struct band *bd = &x->b[b];
		uint32_t key = band_key(sig, b);
		size_t lo = 0, hi = bd->n;

		while (lo < hi) { /* the first entry with this key */
			size_t mid = lo + (hi - lo) / 2;

			if (bd->a[mid].key < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (i = lo; i < bd->n && bd->a[i].key == key; i++)
			if (push(&slots, &ns, &scap, bd->a[i].slot))
				goto done;
		for (i = 0; i < bd->nt; i++)
			if (bd->tail[i].key == key && push(&slots, &ns, &scap, bd->tail[i].slot))
				goto done;
	}
	if (!ns)
		goto done;
	/* count the bands each slot shares */
	qsort(slots, ns, sizeof *slots, cmp_u32);
	hits = malloc(ns * sizeof *hits);
	if (!hits)
		goto done;
	for (i = 0; i < ns; i++) {
		if (nh && hits[nh - 1].slot == slots[i])
			hits[nh - 1].bands++;
		else
			hits[nh].slot = slots[i], hits[nh++].bands = 1;
	}
	qsort(hits, nh, sizeof *hits, by_bands);
done:
	for (k = 0; k < nh && k < cap; k++)
		out[k] = x->ids[hits[k].slot];
	free(slots);
	free(hits);
	return k;
}

size_t lsh_count(const struct lsh_index *x)
{
	return x->n;
}

size_t lsh_bytes(const struct lsh_index *x)
{
	size_t bytes = sizeof *x + x->ids_cap * sizeof(int64_t);
	int b;

	for (b = 0; b < TEXT_BANDS; b++)
		bytes += x->b[b].cap * sizeof(struct band_entry);
	return bytes;
}
