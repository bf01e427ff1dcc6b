/*
 * fts.c - the "xfbigram" FTS5 tokenizer, fts_match() and xf_snippet() (fts.h).
 *
 * Folding: ASCII, full-width ASCII (U+FF01..FF5E) and the common CJK blocks
 * are handled inline; any other code point goes through ICU's NFKC_Casefold
 * normaliser, one code point at a time (so every folded character keeps the
 * byte range of the character it came from), and is classed by its general
 * category and script extensions.
 */
#include "text/fts.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

/* A run of letters and digits longer than this (bytes, folded) is cut: the
 * same rule at index and query time, so long words still match themselves. */
#define ALNUM_MAX 128

enum { C_SEP, C_ALNUM, C_CJK, C_MARK };

struct unit {
	UChar32 c;
	int cls;
};

/* ---- decoding and folding ------------------------------------------------------ */

/* The code point at p (n bytes left): its length, *c = -1 for an invalid byte. */
static int decode(const unsigned char *p, int n, UChar32 *c)
{
	unsigned char a = p[0], lo = 0x80, hi = 0xBF;
	int len, i;
	UChar32 v;

	*c = -1;
	if (a < 0x80) {
		*c = a;
		return 1;
	}
	if (a >= 0xC2 && a <= 0xDF)
		len = 2, v = a & 0x1F;
	else if (a >= 0xE0 && a <= 0xEF)
		len = 3, v = a & 0x0F, lo = a == 0xE0 ? 0xA0 : 0x80, hi = a == 0xED ? 0x9F : 0xBF;
	else if (a >= 0xF0 && a <= 0xF4)
		len = 4, v = a & 0x07, lo = a == 0xF0 ? 0x90 : 0x80, hi = a == 0xF4 ? 0x8F : 0xBF;
	else
		return 1;
	if (n < len || p[1] < lo || p[1] > hi)
		return 1;
	for (i = 1; i < len; i++) {
		if (i > 1 && (p[i] < 0x80 || p[i] > 0xBF))
			return 1;
		v = (v << 6) | (p[i] & 0x3F);
	}
	*c = v;
	return len;
}

static int encode(UChar32 c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Unified ideographs (URO, extension A) and Hangul syllables: NFKC_Casefold
 * leaves them as they are. */
static int cjk_fast(UChar32 c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xAC00 && c <= 0xD7A3);
}

static int classify(UChar32 r)
{
	int8_t t;

	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') ? C_ALNUM : C_SEP;
	if (cjk_fast(r))
		return C_CJK;
	t = (int8_t)u_charType(r);
	if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK)
		return C_MARK;
	if (!u_isalnum(r) && t != U_LETTER_NUMBER)
		return C_SEP;
	if (uscript_hasScript(r, USCRIPT_HAN) || uscript_hasScript(r, USCRIPT_HIRAGANA) ||
	    uscript_hasScript(r, USCRIPT_KATAKANA) || uscript_hasScript(r, USCRIPT_HANGUL) ||
	    uscript_hasScript(r, USCRIPT_BOPOMOFO))
		return C_CJK;
	return C_ALNUM;
}

/* The folded units of one code point (0: a default-ignorable that vanishes). */
static int fold(UChar32 c, struct unit *out, int cap)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nf;
	UChar src[2], dst[64];
	int32_t sn = 0, dn, i = 0;
	int n = 0;

	if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII */
		c -= 0xFEE0;
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		out[0].c = c;
		out[0].cls = classify(c);
		return 1;
	}
	if (cjk_fast(c)) {
		out[0].c = c;
		out[0].cls = C_CJK;
		return 1;
	}
	if (c == 0x3000 || (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
	    (c >= 0x3014 && c <= 0x301F) || (c >= 0x2010 && c <= 0x2027)) {
		out[0].c = c;
		out[0].cls = C_SEP;
		return 1;
	}
	nf = unorm2_getNFKCCasefoldInstance(&e);
	if (U_SUCCESS(e)) {
		U16_APPEND_UNSAFE(src, sn, c);
		dn = unorm2_normalize(nf, src, sn, dst, (int32_t)(sizeof dst / sizeof dst[0]), &e);
	}
	if (U_FAILURE(e)) {
		out[0].c = c;
		out[0].cls = classify(c);
		return 1;
	}
	while (i < dn && n < cap) {
		UChar32 r;

		U16_NEXT(dst, i, dn, r);
		out[n].c = r;
		out[n++].cls = classify(r);
	}
	return n;
}

/* ---- the tokenizer ------------------------------------------------------------- */

struct tk {
	int query, unigrams;
	fts_token_fn fn;
	void *ctx;
	int rc;
	/* the run of letters and digits being read */
	int in_alnum, alen, as, ae;
	char abuf[ALNUM_MAX + 8];
	/* the CJK run being read: its length and its last character */
	int clen, prevn, ps, pe;
	char prev[8];
	/* query mode: a run's last unigram, sent only if another token follows */
	int pending, pendn, pends, pende;
	char pend[8];
};

static void put(struct tk *t, int coloc, const char *tok, int n, int s, int e)
{
	if (t->rc)
		return;
	if (!coloc && t->pending) {
		t->pending = 0;
		t->rc = t->fn(t->ctx, 0, t->pend, t->pendn, t->pends, t->pende);
		if (t->rc)
			return;
	}
	t->rc = t->fn(t->ctx, coloc, tok, n, s, e);
}

static void end_alnum(struct tk *t)
{
	if (t->in_alnum && t->alen > 0)
		put(t, 0, t->abuf, t->alen, t->as, t->ae);
	t->in_alnum = 0;
	t->alen = 0;
}

static void end_cjk(struct tk *t)
{
	if (t->clen == 1) {
		put(t, 0, t->prev, t->prevn, t->ps, t->pe);
	} else if (t->clen >= 2 && t->unigrams) {
		if (t->query) {
			memcpy(t->pend, t->prev, (size_t)t->prevn);
			t->pendn = t->prevn;
			t->pends = t->ps;
			t->pende = t->pe;
			t->pending = 1;
		} else {
			put(t, 0, t->prev, t->prevn, t->ps, t->pe);
		}
	}
	t->clen = 0;
}

static void cjk(struct tk *t, UChar32 c, int s, int e)
{
	char u[4];
	int n = encode(c, u);

	end_alnum(t);
	if (t->clen > 0) {
		char bi[8];

		memcpy(bi, t->prev, (size_t)t->prevn);
		memcpy(bi + t->prevn, u, (size_t)n);
		put(t, 0, bi, t->prevn + n, t->ps, e);
		if (t->unigrams && !t->query)
			put(t, 1, t->prev, t->prevn, t->ps, t->pe);
	}
	memcpy(t->prev, u, (size_t)n);
	t->prevn = n;
	t->ps = s;
	t->pe = e;
	t->clen++;
}

static void alnum(struct tk *t, UChar32 c, int s, int e, int mark)
{
	char u[4];
	int n;

	if (mark && !t->in_alnum)
		return; /* a combining mark on nothing (or on a CJK character): ignored */
	end_cjk(t);
	if (!t->in_alnum) {
		t->in_alnum = 1;
		t->alen = 0;
		t->as = s;
	}
	n = encode(c, u);
	if (t->alen + n <= ALNUM_MAX) {
		memcpy(t->abuf + t->alen, u, (size_t)n);
		t->alen += n;
	}
	t->ae = e;
}

int fts_tokenize(const char *text, int len, int query, int unigrams, fts_token_fn fn, void *ctx)
{
	const unsigned char *p = (const unsigned char *)text;
	struct tk t;
	int i = 0;

	memset(&t, 0, sizeof t);
	t.query = query;
	t.unigrams = unigrams;
	t.fn = fn;
	t.ctx = ctx;
	while (i < len && !t.rc) {
		struct unit u[24];
		UChar32 c;
		int n = decode(p + i, len - i, &c), k, j;

		if (c < 0) {
			u[0].c = 0;
			u[0].cls = C_SEP;
			k = 1;
		} else {
			k = fold(c, u, (int)(sizeof u / sizeof u[0]));
		}
		for (j = 0; j < k && !t.rc; j++) {
			switch (u[j].cls) {
			case C_CJK:
				cjk(&t, u[j].c, i, i + n);
				break;
			case C_ALNUM:
				alnum(&t, u[j].c, i, i + n, 0);
				break;
			case C_MARK:
				alnum(&t, u[j].c, i, i + n, 1);
				break;
			default:
				end_alnum(&t);
				end_cjk(&t);
				break;
			}
		}
		i += n;
	}
	end_alnum(&t);
	end_cjk(&t);
	return t.rc; /* a pending unigram at the end of a query is not needed */
}

/* ---- the FTS5 glue ------------------------------------------------------------- */

struct xtok {
	int unigrams;
};

struct xcall {
	void *ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int x_create(void *pctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct xtok *x;
	int i, unigrams = 1;

	(void)pctx;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "nounigrams") == 0)
			unigrams = 0;
		else
			return SQLITE_ERROR;
	}
	x = sqlite3_malloc(sizeof *x);
	if (!x)
		return SQLITE_NOMEM;
	x->unigrams = unigrams;
	*out = (Fts5Tokenizer *)x;
	return SQLITE_OK;
}

static void x_delete(Fts5Tokenizer *p)
{
	sqlite3_free(p);
}

static int x_token(void *ctx, int colocated, const char *tok, int n, int s, int e)
{
	struct xcall *c = ctx;

	return c->xToken(c->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok, n, s, e);
}

static int x_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
		      int (*xToken)(void *, int, const char *, int, int, int))
{
	struct xcall c = { ctx, xToken };

	if (!text || len <= 0)
		return SQLITE_OK;
	return fts_tokenize(text, len, (flags & FTS5_TOKENIZE_QUERY) != 0, ((struct xtok *)p)->unigrams, x_token,
			    &c);
}

/* ---- the query ----------------------------------------------------------------- */

struct count {
	int n, last_uni;
};

static int count_cb(void *ctx, int colocated, const char *tok, int n, int s, int e)
{
	struct count *c = ctx;
	int i, cps = 0;

	(void)s, (void)e;
	if (colocated)
		return 0;
	for (i = 0; i < n; i++)
		cps += ((unsigned char)tok[i] & 0xC0) != 0x80;
	c->n++;
	c->last_uni = cps == 1;
	return 0;
}

static int is_space(const char *s, int *len)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') {
		*len = 1;
		return 1;
	}
	if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) { /* U+3000 */
		*len = 3;
		return 1;
	}
	return 0;
}

int fts_match(const char *q, char *match, size_t match_cap, char *kinds, size_t kinds_cap)
{
	size_t m = 0, k = 0;
	int phrases = 0, sl;
	const char *p = q ? q : "";

	if (match_cap < 1 || kinds_cap < 1)
		return -1;
	match[0] = kinds[0] = '\0';
	while (*p) {
		const char *b, *i;
		struct count c = { 0, 0 };

		while (*p && is_space(p, &sl))
			p += sl;
		b = p;
		while (*p && !is_space(p, &sl))
			p++;
		if (p == b)
			break;
		fts_tokenize(b, (int)(p - b), 1, 1, count_cb, &c);
		if (!c.n)
			continue;
		/* " AND " + quote + the term (quotes doubled) + quote + NUL */
		if (m + 5 + 2 + 2 * (size_t)(p - b) + 1 > match_cap || k + 2 > kinds_cap)
			return -1;
		if (phrases) {
			memcpy(match + m, " AND ", 5);
			m += 5;
		}
		match[m++] = '"';
		for (i = b; i < p; i++) {
			if (*i == '"')
				match[m++] = '"';
			match[m++] = *i;
		}
		match[m++] = '"';
		match[m] = '\0';
		kinds[k++] = c.last_uni ? 'u' : 'b';
		kinds[k] = '\0';
		phrases++;
	}
	return phrases;
}

/* ---- xf_snippet ---------------------------------------------------------------- */

struct pos {
	int s, e, ue; /* the first token at a position; ue: the end of its character (unigram) */
};

struct posv {
	struct pos *v;
	int n, cap, stop;
};

static int pos_cb(void *ctx, int tflags, const char *tok, int n, int s, int e)
{
	struct posv *p = ctx;

	(void)tok, (void)n;
	if (tflags & FTS5_TOKEN_COLOCATED) {
		if (p->n > 0)
			p->v[p->n - 1].ue = e;
		return SQLITE_OK;
	}
	if (p->n >= p->stop)
		return SQLITE_DONE;
	if (p->n == p->cap) {
		int cap = p->cap ? 2 * p->cap : 256;
		struct pos *v = realloc(p->v, (size_t)cap * sizeof *v);

		if (!v)
			return SQLITE_NOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n].s = s;
	p->v[p->n].e = e;
	p->v[p->n].ue = e;
	p->n++;
	return SQLITE_OK;
}

struct span {
	int phrase, s, e;   /* bytes */
	int cs, ce;         /* characters */
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->s != y->s ? (x->s < y->s ? -1 : 1) : (x->e < y->e ? -1 : x->e > y->e);
}

/* Characters (code points; an invalid byte counts as one) in z[a, b). */
static int chars(const char *z, int a, int b)
{
	int n = 0;

	for (; a < b; a++)
		n += ((unsigned char)z[a] & 0xC0) != 0x80;
	return n;
}

/* The byte offset of character ci (from byte 0, character 0). */
static int byte_of(const char *z, int nz, int ci)
{
	int b = 0, c = -1;

	for (; b < nz; b++)
		if (((unsigned char)z[b] & 0xC0) != 0x80 && ++c == ci)
			return b;
	return nz;
}

#define MAX_SPANS 256

static void xf_snippet(const Fts5ExtensionApi *api, Fts5Context *fc, sqlite3_context *ctx, int nval,
		       sqlite3_value **val)
{
	const char *kinds = nval > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
	int maxc = nval > 1 && sqlite3_value_type(val[1]) != SQLITE_NULL ? sqlite3_value_int(val[1]) : 64;
	const char *names = nval > 2 ? (const char *)sqlite3_value_text(val[2]) : NULL;
	int ncol = api->xColumnCount(fc), nphr = api->xPhraseCount(fc), ninst = 0, nk = kinds ? (int)strlen(kinds) : 0;
	int *distinct = NULL, *hits = NULL, best = -1, col, i, j, h, nspan = 0, nz = 0, total, lead;
	int bh = 0, bscore = -1, bcount = -1, ws, we, wsb, web, *u16 = NULL, u, pre;
	unsigned char *seen = NULL;
	struct span *sp = NULL;
	struct posv pv = { NULL, 0, 0, 0 };
	const char *z = NULL;
	char *buf = NULL, *out = NULL, field[32];
	json_t *hl = NULL, *res = NULL;
	size_t blen = 0;
	int rc;

	if (maxc < 8)
		maxc = 8;
	if (maxc > 1000)
		maxc = 1000;
	rc = api->xInstCount(fc, &ninst);
	if (rc != SQLITE_OK)
		goto fail;
	if (ninst <= 0 || ncol <= 0 || nphr <= 0) {
		sqlite3_result_null(ctx);
		return;
	}
	distinct = calloc((size_t)ncol, sizeof *distinct);
	hits = calloc((size_t)ncol, sizeof *hits);
	seen = calloc((size_t)ncol * (size_t)nphr, 1);
	if (!distinct || !hits || !seen)
		goto nomem;
	for (i = 0; i < ninst; i++) {
		int p, c, off;

		if ((rc = api->xInst(fc, i, &p, &c, &off)) != SQLITE_OK)
			goto fail;
		if (c < 0 || c >= ncol || p < 0 || p >= nphr)
			continue;
		hits[c]++;
		if (!seen[c * nphr + p]) {
			seen[c * nphr + p] = 1;
			distinct[c]++;
		}
	}
	/* the title (column 0) is shown anyway: it gives the snippet only when no
	 * other column matches as many terms */
	for (col = 1; col < ncol; col++)
		if (hits[col] && (best < 0 || distinct[col] > distinct[best] ||
				  (distinct[col] == distinct[best] && hits[col] > hits[best])))
			best = col;
	if (hits[0] && (best < 0 || distinct[0] > distinct[best]))
		best = 0;
	if (best < 0) {
		sqlite3_result_null(ctx);
		goto done;
	}
	col = best;

	/* the spans of the hits in that column, in bytes */
	sp = calloc(MAX_SPANS, sizeof *sp);
	if (!sp)
		goto nomem;
	for (i = 0; i < ninst && nspan < MAX_SPANS; i++) {
		int p, c, off, k;

		if ((rc = api->xInst(fc, i, &p, &c, &off)) != SQLITE_OK)
			goto fail;
		if (c != col || p < 0 || p >= nphr || off < 0)
			continue;
		k = api->xPhraseSize(fc, p);
		if (k < 1)
			continue;
		sp[nspan].phrase = p;
		sp[nspan].s = off;          /* positions for now */
		sp[nspan].e = off + k - 1;
		if (off + k > pv.stop)
			pv.stop = off + k;
		nspan++;
	}
	if ((rc = api->xColumnText(fc, col, &z, &nz)) != SQLITE_OK)
		goto fail;
	if (!z)
		z = "", nz = 0;
	rc = api->xTokenize(fc, z, nz, &pv, pos_cb);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		goto fail;
	for (i = j = 0; i < nspan; i++) {
		int first = sp[i].s, last = sp[i].e;

		if (last >= pv.n)
			continue;
		sp[j] = sp[i];
		sp[j].s = pv.v[first].s;
		sp[j].e = sp[i].phrase < nk && kinds[sp[i].phrase] == 'u' ? pv.v[last].ue : pv.v[last].e;
		if (sp[j].e > sp[j].s && sp[j].s >= 0 && sp[j].e <= nz)
			j++;
	}
	nspan = j;
	if (!nspan) {
		sqlite3_result_null(ctx);
		goto done;
	}
	qsort(sp, (size_t)nspan, sizeof *sp, span_cmp);
	for (i = 0; i < nspan; i++) {
		sp[i].cs = i ? sp[i - 1].cs + chars(z, sp[i - 1].s, sp[i].s) : chars(z, 0, sp[i].s);
		sp[i].ce = sp[i].cs + chars(z, sp[i].s, sp[i].e);
	}
	total = chars(z, 0, nz);

	/* the window of maxc characters holding the most distinct terms (then the most hits) */
	lead = maxc / 5 < 12 ? maxc / 5 : 12;
	memset(seen, 0, (size_t)nphr);
	for (h = 0; h < nspan; h++) {
		int score = 0, count = 0;

		ws = sp[h].cs - lead > 0 ? sp[h].cs - lead : 0;
		we = ws + maxc;
		memset(seen, 0, (size_t)nphr);
		for (j = h; j < nspan && sp[j].cs < we; j++) {
			if (sp[j].ce > we)
				continue;
			count++;
			if (!seen[sp[j].phrase]) {
				seen[sp[j].phrase] = 1;
				score++;
			}
		}
		if (score > bscore || (score == bscore && count > bcount)) {
			bscore = score;
			bcount = count;
			bh = h;
		}
	}
	ws = sp[bh].cs - lead > 0 ? sp[bh].cs - lead : 0;
	we = ws + maxc;
	if (we > total) {
		we = total;
		ws = we - maxc > 0 ? we - maxc : 0;
	}
	wsb = byte_of(z, nz, ws);
	web = byte_of(z, nz, we);

	/* the text, and the UTF-16 index of each of its characters */
	buf = malloc((size_t)(web - wsb) + 8);
	u16 = malloc(((size_t)(we - ws) + 2) * sizeof *u16);
	if (!buf || !u16)
		goto nomem;
	pre = ws > 0;
	if (pre) {
		memcpy(buf, "\xE2\x80\xA6", 3);
		blen = 3;
	}
	for (i = wsb, u = 0, j = 0; i < web; i++) {
		unsigned char b = (unsigned char)z[i];

		if ((b & 0xC0) != 0x80) {
			if (j <= we - ws)
				u16[j++] = u;
			u += b >= 0xF0 ? 2 : 1;
		}
		buf[blen++] = b < 0x20 || b == 0x7F ? ' ' : (char)b;
	}
	while (j <= we - ws)
		u16[j++] = u;
	if (we < total) {
		memcpy(buf + blen, "\xE2\x80\xA6", 3);
		blen += 3;
	}
	hl = json_array();
	if (!hl)
		goto nomem;
	{
		int la = -1, lb = -1;

		for (i = 0; i < nspan; i++) {
			int a = sp[i].cs > ws ? sp[i].cs : ws, b = sp[i].ce < we ? sp[i].ce : we, ha, hb;

			if (a >= b)
				continue;
			ha = pre + u16[a - ws];
			hb = pre + u16[b - ws];
			if (la >= 0 && ha <= lb) {
				if (hb > lb)
					lb = hb;
				continue;
			}
			if (la >= 0 && json_array_append_new(hl, json_pack("[ii]", la, lb)))
				goto nomem;
			la = ha;
			lb = hb;
		}
		if (la >= 0 && json_array_append_new(hl, json_pack("[ii]", la, lb)))
			goto nomem;
	}
	/* the column's name */
	snprintf(field, sizeof field, "%d", col);
	if (names) {
		const char *p = names;

		for (i = 0; i < col && p; i++) {
			p = strchr(p, ',');
			if (p)
				p++;
		}
		if (p) {
			size_t n = strcspn(p, ",");

			if (n > 0 && n < sizeof field) {
				memcpy(field, p, n);
				field[n] = '\0';
			}
		}
	}
	res = json_pack("{s:s,s:s%,s:O}", "field", field, "text", buf, blen, "highlights", hl);
	out = res ? json_dumps(res, JSON_COMPACT) : NULL;
	if (out)
		sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx); /* text that is not UTF-8: no snippet */
	goto done;
nomem:
	sqlite3_result_error_nomem(ctx);
	goto done;
fail:
	sqlite3_result_error_code(ctx, rc);
done:
	free(out);
	json_decref(res);
	json_decref(hl);
	free(u16);
	free(buf);
	free(pv.v);
	free(sp);
	free(seen);
	free(hits);
	free(distinct);
}

/* ---- registration -------------------------------------------------------------- */

int fts_register(sqlite3 *db)
{
	static fts5_tokenizer tok = { x_create, x_delete, x_tokenize };
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	rc = sqlite3_finalize(s);
	if (rc != SQLITE_OK)
		return rc;
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	rc = api->xCreateTokenizer(api, FTS_TOKENIZER, NULL, &tok, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "xf_snippet", NULL, xf_snippet, NULL);
	return rc;
}
