/*
 * text.h - Chinese text for duplicate detection, related cases, search and hot
 * issues (issue 5; seed 002 精准甄别: the same person on the same matter is a
 * repeat petition, the same matter from different people is related).
 *
 *   text_normalise   NFKC with case folding (full-width -> half-width, Ａ->a),
 *                    optionally traditional -> simplified, salutations and
 *                    other boilerplate ("尊敬的领导", "您好", "此致敬礼")
 *                    removed, punctuation and space runs made one space.
 *   text_shingles    the set of 64-bit hashes of CJK character bigrams (a lone
 *                    CJK character counts as itself) and Latin/digit words.
 *   text_minhash     a MinHash signature of TEXT_K values over the shingles;
 *                    the share of equal positions estimates Jaccard similarity.
 *   lsh_*            an index of signatures by TEXT_BANDS bands of TEXT_ROWS
 *                    rows: two sets with Jaccard J share a band with
 *                    probability 1-(1-J^4)^32 (0.6 -> 0.98, 0.4 -> 0.56).
 *
 * Pure C over ICU; thread-safe except lsh_* (callers serialise).
 */
#ifndef XF_TEXT_H
#define XF_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_K 128
#define TEXT_BANDS 32
#define TEXT_ROWS 4

enum { TEXT_T2S = 1 }; /* also map traditional characters to simplified */

/* The normal form of s (UTF-8; invalid bytes are dropped). malloc'd, NULL on
 * out of memory. */
char *text_normalise(const char *s, int flags);

/* Shingles of normalised text: a sorted array without repeats (malloc'd, *n
 * entries; NULL with *n = 0 for text without any). */
uint64_t *text_shingles(const char *norm, size_t *n);

/* MinHash signature of a shingle set (all 0xffffffff for an empty set). */
void text_minhash(const uint64_t *shingles, size_t n, uint32_t sig[TEXT_K]);

/* Estimated Jaccard similarity: equal positions / TEXT_K. */
double text_sig_similarity(const uint32_t a[TEXT_K], const uint32_t b[TEXT_K]);

/* Exact Jaccard similarity of two shingle sets (sorted, no repeats). */
double text_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/* One call: normalise, shingle and sign. 0, or -1 on out of memory. */
int text_signature(const char *s, uint32_t sig[TEXT_K]);

/* ---- the LSH index ------------------------------------------------------------ */

struct lsh_index;

struct lsh_index *lsh_new(void);
void lsh_free(struct lsh_index *x);
/* Add a signature under an id (ids are the caller's, e.g. case ids). 0 or -1. */
int lsh_add(struct lsh_index *x, int64_t id, const uint32_t sig[TEXT_K]);
/* Ids sharing at least one band with sig, each once, most shared bands first
 * (at most cap; returns how many were written). */
size_t lsh_query(const struct lsh_index *x, const uint32_t sig[TEXT_K], int64_t *out, size_t cap);
/* Entries and bytes held (for the memory target). */
size_t lsh_count(const struct lsh_index *x);
size_t lsh_bytes(const struct lsh_index *x);

#endif
