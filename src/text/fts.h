/*
 * fts.h - full-text search over Chinese text (issue 5): an SQLite FTS5
 * tokenizer, the query builder that goes with it, and a snippet function.
 *
 * Tokens ("xfbigram"): each run of CJK characters (Han, kana, Hangul, bopomofo)
 * gives its overlapping bigrams, one position per character; every character
 * of a run is also indexed as a unigram at its own position (colocated with
 * the bigram that starts there), so one-character queries are answered from
 * the index too. Each run of letters and digits of any other script is one
 * token. Every code point is folded first (NFKC + case folding: "Ａ" -> "a",
 * "２" -> "2", compatibility ideographs -> unified ones; default-ignorable
 * characters such as U+200B vanish without breaking a run); everything else
 * (punctuation, symbols, spaces, invalid UTF-8 bytes) separates runs. Offsets
 * are byte offsets into the original text, so highlighting works on it.
 *
 *   document  信访局长: 信访+信 | 访局+访 | 局长+局 | 长   (4 positions)
 *   query     信访局长: 信访 | 访局 | 局长             (the run's last
 *             unigram only when more tokens follow in the phrase, so
 *             positions line up with the document's)
 *   a lone character (one-character run) is its unigram in both.
 *
 * The tokenizer argument "nounigrams" indexes bigrams only (one-character
 * queries then find only one-character runs); it exists to measure the cost
 * of the unigrams (docs/ARCHITECTURE.md, "Search").
 *
 * SQL: xf_snippet(<fts table>, kinds, maxchars, 'name,name,…') returns JSON
 * {"field","text","highlights":[[start,end],…]} - a window of about maxchars
 * characters of the best matching column (the first column, the title, only
 * when no other column matches as many query terms), "…" where it is cut,
 * control characters as spaces; highlights in UTF-16 code units of text
 * (JavaScript string indices), sorted, not overlapping. kinds is what
 * fts_match() made for the query (one letter per phrase). NULL without a match.
 *
 * No store or HTTP headers: only SQLite, ICU and jansson. Thread-safe.
 */
#ifndef XF_FTS_H
#define XF_FTS_H

#include <stddef.h>

#include <sqlite3.h>

#define FTS_TOKENIZER "xfbigram"

/* Register the tokenizer and xf_snippet on a connection (before any FTS table
 * using them is read). SQLITE_OK or an SQLite error code. */
int fts_register(sqlite3 *db);

/* The tokenizer without SQLite (tests, fuzzing). query: query mode (see above);
 * unigrams: index unigrams (the default table setting). fn gets each token
 * (not NUL-terminated) with colocated = 1 when it shares the previous token's
 * position, and [start, end) in bytes of text; a non-zero return stops and is
 * returned. */
typedef int (*fts_token_fn)(void *ctx, int colocated, const char *token, int n, int start, int end);
int fts_tokenize(const char *text, int len, int query, int unigrams, fts_token_fn fn, void *ctx);

/* Build an FTS5 MATCH expression from what a user typed: each term separated by
 * white space (ASCII or U+3000) that has at least one token becomes a quoted
 * phrase ("" doubles a quote; nothing inside is FTS5 syntax), joined by AND.
 * kinds gets one letter per phrase: 'u' when its last token is a unigram,
 * else 'b' (for xf_snippet's highlight ends). Returns the number of phrases
 * (0: nothing searchable; match and kinds are "" then), or -1 when a buffer is
 * too small. */
int fts_match(const char *q, char *match, size_t match_cap, char *kinds, size_t kinds_cap);

#endif
