/*
 * gen.h - synthetic petitions with ground truth, for bench/text/text_bench.c.
 *
 * A corpus is a set of matters (事项): one issue at one place (a company that
 * owes wages, an estate whose property company raised its fees, a mixing
 * plant next to an estate, ...), each with the facts that stay the same
 * whoever writes (names of places and companies, amounts, dates). Each
 * matter is written up by its first petitioner; some petitioners come back
 * later with an edited text (a repeat: same person, same matter), some
 * matters are written up again by other people in their own words (related:
 * other people, same matter; a few are mass issues with dozens of writers),
 * and some people come back about a different matter. Texts are composed
 * from per-topic pools of sentences (title, who I am, facts, details,
 * effects, earlier attempts, request), filled with the matter's and the
 * person's values. Everything comes from one PRNG: the same seed and size
 * give the same corpus.
 */
#ifndef XF_BENCH_GEN_H
#define XF_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

enum gen_role {
	GEN_FIRST,   /* the first petition of its matter */
	GEN_REPEAT,  /* its petitioner again, about the same matter, text edited */
	GEN_RELATED, /* another person about the same matter, in their own words */
	GEN__ROLES
};

struct gen_person {
	char name[16];
	char id_number[19]; /* GB 11643, valid check digit, unique per person */
	char phone[12];     /* unique per person */
	const char *division;
};

struct gen_case {
	int64_t at;            /* registration time (epoch seconds); cases are sorted by it */
	int32_t matter;        /* ground truth: cases of one matter */
	int32_t person;        /* index into persons */
	uint8_t role;          /* enum gen_role */
	uint8_t topic;
	uint8_t channel;       /* index into gen_channels */
	const char *division;  /* locality (codes.c division) */
	const char *category, *kind, *purpose;
	const char *title, *content, *request; /* in the corpus arena */
};

struct gen_corpus {
	struct gen_case *c;
	size_t n;
	struct gen_person *p;
	size_t np;
	size_t matters;
	char **arena;          /* text blocks */
	size_t narena, arena_cap;
	char *cur;             /* free space in the last block */
	size_t left;
};

extern const char *const gen_channels[8];
extern const int gen_n_topics;
const char *gen_topic_name(int topic);

/* Generate n cases (sorted by time) from seed. 0, or -1 on out of memory. */
int gen_corpus(struct gen_corpus *g, size_t n, uint64_t seed);
void gen_free(struct gen_corpus *g);

struct gen_rng {
	uint64_t s;
};
uint64_t gen_next(struct gen_rng *r);

/* One petition about a new matter by a new person (the registration
 * benchmark): *k points into title/content/request (cap bytes each); serial
 * makes the person's ID number and phone unique (use numbers above the
 * corpus's persons). */
void gen_one(struct gen_rng *r, int64_t serial, struct gen_case *k, struct gen_person *p, char *title,
	     char *content, char *request, size_t cap);

#endif
