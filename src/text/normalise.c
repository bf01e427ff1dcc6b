/*
 * normalise.c - the normal form of petition text (text.h) over ICU: NFKC with
 * case folding, optional traditional -> simplified, boilerplate removed,
 * separators collapsed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/utf8.h>

#include "base/log.h"
#include "text/text.h"

/* Phrases that say nothing about the matter (salutations, politeness, closing
 * formulas), in their normal form. Longest first where one contains another. */
static const char *const boilerplate[] = {
	"尊敬的各位领导", "尊敬的领导", "尊敬的市长", "尊敬的书记", "领导同志", "各位领导", "领导您好", "领导你好",
	"领导好", "您好", "你好", "此致敬礼", "此致", "敬礼", "万分感谢", "非常感谢", "谢谢您", "谢谢", "望领导重视",
	"恳请领导", "请领导", NULL,
};

static pthread_mutex_t t2s_mu = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *t2s;
static int t2s_tried;

/* Traditional -> simplified in place (ICU's transliterator is not thread-safe:
 * one at a time). */
static int to_simplified(UChar **u, int32_t *len, const int32_t *cap)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t limit = *len;

	pthread_mutex_lock(&t2s_mu);
	if (!t2s_tried) {
		static const UChar id[] = { 'T', 'r', 'a', 'd', 'i', 't', 'i', 'o', 'n', 'a', 'l', '-', 'S', 'i', 'm',
					    'p', 'l', 'i', 'f', 'i', 'e', 'd', 0 };

		t2s_tried = 1;
		t2s = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
		if (U_FAILURE(e)) {
			log_warn("ICU Traditional-Simplified unavailable: %s", u_errorName(e));
			t2s = NULL;
		}
		e = U_ZERO_ERROR;
	}
	/* the buffer has room for three times the input: a longer result fails */
	if (t2s)
		utrans_transUChars(t2s, *u, len, *cap, 0, &limit, &e);
	pthread_mutex_unlock(&t2s_mu);
	return U_FAILURE(e) ? -1 : 0;
}

static int is_sep(UChar32 c)
{
	int8_t t = (int8_t)u_charType(c);

	return u_isspace(c) || u_ispunct(c) || t == U_MATH_SYMBOL || t == U_CURRENCY_SYMBOL ||
	       t == U_MODIFIER_SYMBOL || t == U_OTHER_SYMBOL || t == U_CONTROL_CHAR || c == 0xfffd;
}

char *text_normalise(const char *s, int flags)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&e);
	int32_t n = (int32_t)strlen(s), ulen = 0, cap, nlen, i, o;
	UChar *u = NULL, *norm = NULL;
	char *out = NULL, *w;
	size_t k;

	if (U_FAILURE(e))
		return NULL;
	/* UTF-8 -> UTF-16, invalid bytes dropped (U+FFFD is a separator below) */
	u = malloc(((size_t)n + 1) * sizeof *u);
	if (!u)
		return NULL;
	u_strFromUTF8WithSub(u, n + 1, &ulen, s, n, 0xfffd, NULL, &e);
	if (U_FAILURE(e))
		goto out;
	cap = ulen * 3 + 16; /* NFKC may expand (㍿ -> 株式会社) */
	norm = malloc((size_t)cap * sizeof *norm);
	if (!norm)
		goto out;
	nlen = unorm2_normalize(nfkc, u, ulen, norm, cap, &e);
	if (e == U_BUFFER_OVERFLOW_ERROR) {
		/* a few characters expand much more (U+FDFA: 18 code units): make room */
		UChar *bigger;

		e = U_ZERO_ERROR;
		cap = nlen * 2 + 16;
		bigger = realloc(norm, (size_t)cap * sizeof *norm);
		if (!bigger)
			goto out;
		norm = bigger;
		nlen = unorm2_normalize(nfkc, u, ulen, norm, cap, &e);
	}
	if (U_FAILURE(e))
		goto out;
	if ((flags & TEXT_T2S) && to_simplified(&norm, &nlen, &cap))
		goto out;
	/* back to UTF-8, separators collapsed to one space */
	out = malloc((size_t)nlen * 4 + 1);
	if (!out)
		goto out;
	for (i = 0, o = 0; i < nlen;) {
		UChar32 c;

		U16_NEXT(norm, i, nlen, c);
		if (is_sep(c)) {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			continue;
		}
		U8_APPEND_UNSAFE(out, o, c);
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	/* boilerplate out, wherever it stands */
	for (k = 0; boilerplate[k]; k++) {
		size_t bl = strlen(boilerplate[k]);

		while ((w = strstr(out, boilerplate[k])) != NULL)
			memmove(w, w + bl, strlen(w + bl) + 1);
	}
	/* and the spaces they stood between: one, none at the ends */
	for (w = out, i = 0; *w; w++)
		if (*w != ' ' || (i > 0 && out[i - 1] != ' '))
			out[i++] = *w;
	while (i > 0 && out[i - 1] == ' ')
		i--;
	out[i] = '\0';
out:
	free(u);
	free(norm);
	if (U_FAILURE(e)) {
		free(out);
		return NULL;
	}
	return out;
}
