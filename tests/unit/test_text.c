/*
 * test_text.c - the text pieces of issue 5 (seed 002 精准甄别): normalisation,
 * shingles, MinHash estimates against exact Jaccard, and the LSH index finding
 * near-duplicates (recall at Jaccard >= 0.6, the target).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

Test(text, normalise_width_case_boilerplate_and_separators)
{
	char *n = text_normalise("尊敬的领导：您好！ＡＢＣ公司在２０２６年拖欠工资，，  请  处理。谢谢！", 0);

	cr_assert_not_null(n);
	cr_assert_str_eq(n, "abc公司在2026年拖欠工资 请 处理", "got %s", n);
	free(n);
}

Test(text, normalise_traditional_to_simplified)
{
	char *n = text_normalise("環境噪音擾民，請盡快處理", TEXT_T2S);

	cr_assert_str_eq(n, "环境噪音扰民 请尽快处理", "got %s", n);
	free(n);
	n = text_normalise("環境", 0);
	cr_assert_str_eq(n, "環境", "without the flag the characters stay");
	free(n);
}

Test(text, normalise_drops_invalid_bytes)
{
	char *n = text_normalise("噪\xff音", 0);

	cr_assert_str_eq(n, "噪 音");
	free(n);
}

Test(text, shingles_are_bigrams_and_words)
{
	size_t n = 0, m = 0;
	uint64_t *a = text_shingles("丽发新城 abc 2026", &n), *b = text_shingles("新城丽发", &m);

	/* 丽发 发新 新城 + abc + 2026 */
	cr_assert_eq(n, 5);
	/* 新城 城丽 丽发: shares 丽发 and 新城 */
	cr_assert_eq(m, 3);
	cr_assert_float_eq(text_jaccard(a, n, b, m), 2.0 / 6.0, 1e-9);
	free(a);
	free(b);
	a = text_shingles("", &n);
	cr_assert_null(a);
	cr_assert_eq(n, 0);
}

static const char base[] =
	"A市A3区丽发新城小区旁边的搅拌站每天晚上十点以后还在施工，噪音很大，粉尘污染严重，"
	"小区居民多次向环保部门反映，一直没有得到解决，严重影响了居民的正常休息和身体健康，"
	"请有关部门尽快调查处理，依法责令搅拌站停止夜间施工。";

Test(text, minhash_estimates_jaccard)
{
	const char *edited =
		"A市A3区丽发新城小区旁边的搅拌站每天晚上十一点以后还在施工，噪音非常大，粉尘污染严重，"
		"小区居民多次向环保局反映，一直没有解决，严重影响了居民的正常休息，"
		"请有关部门尽快调查处理。";
	const char *other = "K9县某村村委会挪用扶贫资金，村民多次反映无人处理，请上级纪委调查。";
	uint32_t s1[TEXT_K], s2[TEXT_K], s3[TEXT_K];
	char *n1 = text_normalise(base, 0), *n2 = text_normalise(edited, 0);
	size_t a, b;
	uint64_t *x = text_shingles(n1, &a), *y = text_shingles(n2, &b);
	double exact = text_jaccard(x, a, y, b);

	cr_assert_eq(text_signature(base, s1), 0);
	cr_assert_eq(text_signature(edited, s2), 0);
	cr_assert_eq(text_signature(other, s3), 0);
	cr_assert(exact > 0.5 && exact < 0.9, "an edited copy: exact %.2f", exact);
	/* 128 positions: the estimate's standard error is about 0.045 */
	cr_assert(fabs(text_sig_similarity(s1, s2) - exact) < 0.15, "estimate %.2f vs exact %.2f",
		  text_sig_similarity(s1, s2), exact);
	cr_assert(text_sig_similarity(s1, s3) < 0.1);
	cr_assert_float_eq(text_sig_similarity(s1, s1), 1.0, 1e-9);
	free(n1), free(n2), free(x), free(y);
}

/* A text with every `every`-th character replaced: a near-duplicate. */
static void perturb(const char *in, char *out, size_t cap, unsigned seed, int every)
{
	static const char *const fill[] = { "的", "了", "在", "是", "和", "有", "人", "这" };
	size_t o = 0;
	int i = 0;

	while (*in && o + 8 < cap) {
		size_t l = ((unsigned char)*in >= 0xe0) ? 3 : 1;

		if (l == 3 && ++i % every == 0) {
			seed = seed * 1103515245u + 12345u;
			memcpy(out + o, fill[(seed >> 16) % 8], 3);
		} else {
			memcpy(out + o, in, l);
		}
		o += l;
		in += l;
	}
	out[o] = '\0';
}

Test(text, lsh_finds_near_duplicates_among_many)
{
	struct lsh_index *x = lsh_new();
	uint32_t sig[TEXT_K], q[TEXT_K];
	char buf[2048], noise[64];
	int64_t found[64];
	int i, hit = 0, tries = 0;

	cr_assert_not_null(x);
	/* 2000 unrelated texts */
	for (i = 0; i < 2000; i++) {
		snprintf(noise, sizeof noise, "编号%d", i);
		perturb(base, buf, sizeof buf, (unsigned)i * 7919u, 2); /* half the characters changed */
		strcat(buf, noise);
		text_signature(buf, sig);
		cr_assert_eq(lsh_add(x, 100000 + i, sig), 0);
	}
	/* near-duplicates of 50 texts: each found by its own copy */
	for (i = 0; i < 50; i++) {
		char copy[2048];
		size_t n, k;
		int present = 0;

		snprintf(noise, sizeof noise, "第%d件", i);
		perturb(base, buf, sizeof buf, (unsigned)i * 104729u + 1, 11);
		strcat(buf, noise);
		text_signature(buf, sig);
		cr_assert_eq(lsh_add(x, i, sig), 0);
		perturb(buf, copy, sizeof copy, (unsigned)i + 99, 13);
		text_signature(copy, q);
		n = lsh_query(x, q, found, 64);
		for (k = 0; k < n; k++)
			present |= found[k] == i;
		hit += present;
		tries++;
	}
	cr_assert(hit >= 48, "recall %d/%d", hit, tries);
	cr_assert_eq(lsh_count(x), 2050);
	cr_assert(lsh_bytes(x) / lsh_count(x) < 512 + 200, "%zu bytes a case", lsh_bytes(x) / lsh_count(x));
	lsh_free(x);
}
