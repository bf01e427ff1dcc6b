/*
 * fuzz_text.c - libFuzzer harness for the text helpers: src/base/utf8.h
 * (utf8_clean, utf8_blank) and the UTF-8 repair in xerr_set, each checked
 * against an independent reference and jansson's own UTF-8 check, and the
 * Chinese text normaliser of src/text/text.h.
 *
 * The input is the text, cut at its first NUL (the helpers take C strings).
 * Invariants (a violation aborts):
 *   utf8_clean  keeps the length; leaves valid UTF-8 (by the reference and
 *               by jansson); changes nothing in text that was valid; replaces
 *               exactly the bytes the reference replaces, each with '?';
 *               cleaning twice changes nothing more.
 *   utf8_blank  agrees with the reference (ASCII space, TAB, CR, LF and
 *               U+3000 only; the empty string is blank), on raw and cleaned
 *               text.
 *   xerr_set    quoting the text cut at any byte count gives a message and
 *               field jansson accepts as a JSON string.
 *
 *   text_normalise and the shingles, MinHash and Jaccard over it (issue 5):
 *               see check_normaliser() at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/utf8.h"
#include "base/xerr.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                       \
	do {                                                            \
		fprintf(stderr, "fuzz_text: " __VA_ARGS__);             \
		fputc('\n', stderr);                                    \
		abort();                                                \
	} while (0)

/* Length of the well-formed sequence at p (Unicode 15, table 3-7), 0 if none. */
static size_t ref_seq(const unsigned char *p)
{
	unsigned char a = p[0], lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (a <= 0x7F)
		return 1;
	if (a >= 0xC2 && a <= 0xDF)
		n = 2;
	else if (a >= 0xE0 && a <= 0xEF)
		n = 3, lo = a == 0xE0 ? 0xA0 : 0x80, hi = a == 0xED ? 0x9F : 0xBF;
	else if (a >= 0xF0 && a <= 0xF4)
		n = 4, lo = a == 0xF0 ? 0x90 : 0x80, hi = a == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	/* the second byte has the narrow range, the rest 80..BF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

static int ref_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = ref_seq(p);

		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

/* What utf8_clean should make of s: each byte not in a valid sequence -> '?'. */
static void ref_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = ref_seq(p);

		if (n)
			p += n;
		else
			*p++ = '?';
	}
}

static int ref_blank(const char *s)
{
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			return 0;
	}
	return 1;
}

static int json_ok(const char *s)
{
	json_t *j = json_string(s); /* NULL unless valid UTF-8 */
	int ok = j != NULL;

	json_decref(j);
	return ok;
}

static void check_utf8(const char *text, size_t len)
{
	char *s = malloc(len + 1), *r = malloc(len + 1);
	size_t i;

	if (!s || !r)
		abort();
	memcpy(s, text, len + 1);
	memcpy(r, text, len + 1);

	if (utf8_blank(s) != ref_blank(s))
		FAIL("utf8_blank(raw) = %d, reference %d", utf8_blank(s), ref_blank(s));
	if (ref_valid(s) != json_ok(s))
		FAIL("the reference and jansson disagree on validity");

	utf8_clean(s);
	ref_clean(r);
	if (strlen(s) != len)
		FAIL("utf8_clean changed the length: %zu -> %zu", len, strlen(s));
	if (!ref_valid(s) || !json_ok(s))
		FAIL("not valid UTF-8 after utf8_clean");
	for (i = 0; i < len; i++)
		if (s[i] != r[i])
			FAIL("utf8_clean differs from the reference at byte %zu: %02x, expected %02x", i,
			     (unsigned char)s[i], (unsigned char)r[i]);
	if (ref_valid(text) && memcmp(s, text, len) != 0)
		FAIL("utf8_clean changed valid text");
	utf8_clean(r);
	if (memcmp(r, s, len + 1) != 0)
		FAIL("utf8_clean is not idempotent");
	if (utf8_blank(s) != ref_blank(s))
		FAIL("utf8_blank(cleaned) = %d, reference %d", utf8_blank(s), ref_blank(s));
	free(s);
	free(r);
}

/* xerr_set quotes user text cut at a byte count (%.Ns): the message must stay a JSON string. */
static void check_xerr(const char *text, size_t len)
{
	struct xerr e;
	size_t cut[] = { 1, 2, 5, 20, 63, 100, 255, len };
	size_t i;

	for (i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		xerr_set(&e, 400, "validation.invalid", text, "信访事项“%.*s”不存在", (int)cut[i], text);
		if (!json_ok(e.message) || !json_ok(e.field))
			FAIL("xerr_set left invalid UTF-8 (cut at %zu)", cut[i]);
		if (strlen(e.message) >= sizeof e.message || strlen(e.field) >= sizeof e.field)
			FAIL("xerr_set overflowed");
	}
}

/* ---- issue 5: the Chinese text normaliser (src/text/text.h) ---------------------
 * text_normalise never fails on any text (NULL only when memory runs out),
 * gives valid UTF-8 with case folded (no A-Z), no full-width ASCII
 * (U+FF01..U+FF5E), no space at either end and never two in a row; the
 * shingles of it are sorted without repeats, and its signature is equal
 * to itself. */
static void check_normaliser(const char *text, size_t len)
{
	static const int flags[] = { 0, TEXT_T2S };
	size_t i, k, n;

	(void)len;
	for (k = 0; k < sizeof flags / sizeof flags[0]; k++) {
		char *norm = text_normalise(text, flags[k]);
		uint64_t *sh;
		uint32_t sig[TEXT_K];

		if (!norm)
			FAIL("text_normalise(flags %d) returned NULL for %zu bytes", flags[k], strlen(text));
		if (!ref_valid(norm) || !json_ok(norm))
			FAIL("text_normalise gave invalid UTF-8");
		n = strlen(norm);
		if (n && (norm[0] == ' ' || norm[n - 1] == ' ' || strstr(norm, "  ")))
			FAIL("text_normalise left spaces: \"%s\"", norm);
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)norm[i];

			if (c >= 'A' && c <= 'Z')
				FAIL("text_normalise did not fold case: \"%s\"", norm);
			/* U+FF01..U+FF5E is EF BC 81..EF BD 9E */
			if (c == 0xEF && i + 2 < n &&
			    (((unsigned char)norm[i + 1] == 0xBC && (unsigned char)norm[i + 2] >= 0x81) ||
			     ((unsigned char)norm[i + 1] == 0xBD && (unsigned char)norm[i + 2] <= 0x9E)))
				FAIL("text_normalise left full-width ASCII: \"%s\"", norm);
		}
		sh = text_shingles(norm, &n);
		if (!sh != !n)
			FAIL("text_shingles: %zu shingles but %s", n, sh ? "an array" : "NULL");
		for (i = 1; i < n; i++)
			if (sh[i - 1] >= sh[i])
				FAIL("text_shingles not sorted without repeats at %zu", i);
		text_minhash(sh, n, sig);
		if (text_sig_similarity(sig, sig) != 1.0 || (n && text_jaccard(sh, n, sh, n) != 1.0))
			FAIL("a signature is not similar to itself");
		free(sh);
		free(norm);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	size_t len;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);
	check_utf8(text, len);
	check_xerr(text, len);
	check_normaliser(text, len);
	free(text);
	return 0;
}
