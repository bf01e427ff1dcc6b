/*
 * test_fts.c - full-text search (issue 5, "Chinese text"): the xfbigram
 * tokenizer's tokens and byte offsets, the query builder, and the tokenizer,
 * MATCH and xf_snippet inside SQLite.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "store/store.h"
#include "text/fts.h"

struct dump {
	char buf[8192];
	size_t len;
	const char *text;
};

/* "token@start-end" per token, "+" before a colocated one; checks offsets. */
static int dump_cb(void *ctx, int colocated, const char *tok, int n, int s, int e)
{
	struct dump *d = ctx;
	int w = snprintf(d->buf + d->len, sizeof d->buf - d->len, "%s%s%.*s@%d-%d", d->len ? " " : "",
			 colocated ? "+" : "", n, tok, s, e);

	cr_assert(s >= 0 && e > s && e <= (int)strlen(d->text), "offsets %d-%d in bounds", s, e);
	cr_assert(w > 0 && (size_t)w < sizeof d->buf - d->len);
	d->len += (size_t)w;
	return 0;
}

static const char *toks(const char *text, int query, int unigrams)
{
	static struct dump d;

	memset(&d, 0, sizeof d);
	d.text = text;
	cr_assert_eq(fts_tokenize(text, (int)strlen(text), query, unigrams, dump_cb, &d), 0);
	return d.buf;
}

/* The original text under each token, as highlight()/snippet() will cut it. */
static int under_cb(void *ctx, int colocated, const char *tok, int n, int s, int e)
{
	struct dump *d = ctx;
	int w = snprintf(d->buf + d->len, sizeof d->buf - d->len, "%s%s%.*s", d->len ? "|" : "",
			 colocated ? "+" : "", e - s, d->text + s);

	(void)tok, (void)n;
	d->len += (size_t)w;
	return 0;
}

static const char *under(const char *text)
{
	static struct dump d;

	memset(&d, 0, sizeof d);
	d.text = text;
	fts_tokenize(text, (int)strlen(text), 0, 1, under_cb, &d);
	return d.buf;
}

#define SAMPLE "２０２６年A市丽发新城搅拌站噪音扰民，ABC公司"

Test(fts, issue5_sample_document_tokens_and_offsets)
{
	/* full-width digits fold to one word; 年 is a one-character run; A is a
	 * word; the long run gives bigrams with colocated unigrams and its last
	 * character alone; "，" separates; ABC is one lower-cased word */
	cr_assert_str_eq(toks(SAMPLE, 0, 1),
			 "2026@0-12 年@12-15 a@15-16 "
			 "市丽@16-22 +市@16-19 丽发@19-25 +丽@19-22 发新@22-28 +发@22-25 新城@25-31 +新@25-28 "
			 "城搅@28-34 +城@28-31 搅拌@31-37 +搅@31-34 拌站@34-40 +拌@34-37 站噪@37-43 +站@37-40 "
			 "噪音@40-46 +噪@40-43 音扰@43-49 +音@43-46 扰民@46-52 +扰@46-49 民@49-52 "
			 "abc@55-58 公司@58-64 +公@58-61 司@61-64");
}

Test(fts, issue5_offsets_cut_the_original_text)
{
	cr_assert_str_eq(under(SAMPLE), "２０２６|年|A|市丽|+市|丽发|+丽|发新|+发|新城|+新|城搅|+城|搅拌|+搅|拌站|+拌|"
					"站噪|+站|噪音|+噪|音扰|+音|扰民|+扰|民|ABC|公司|+公|司");
}

Test(fts, query_mode_bigrams_and_a_trailing_unigram_only_before_more_tokens)
{
	/* 信访局: two bigrams, its last character not needed */
	cr_assert_str_eq(toks("信访局", 1, 1), "信访@0-6 访局@3-9");
	/* a run followed by more: its last character keeps the positions aligned */
	cr_assert_str_eq(toks("噪音，扰民", 1, 1), "噪音@0-6 音@3-6 扰民@9-15");
	cr_assert_str_eq(toks("公司ABC", 1, 1), "公司@0-6 司@3-6 abc@6-9");
	cr_assert_str_eq(toks("A市", 1, 1), "a@0-1 市@1-4");
	/* without unigrams (the measuring option) a query is bigrams only */
	cr_assert_str_eq(toks("噪音，扰民", 1, 0), "噪音@0-6 扰民@9-15");
}

Test(fts, one_and_two_character_runs)
{
	cr_assert_str_eq(toks("市", 0, 1), "市@0-3");
	cr_assert_str_eq(toks("市", 1, 1), "市@0-3");
	cr_assert_str_eq(toks("噪音", 0, 1), "噪音@0-6 +噪@0-3 音@3-6");
	cr_assert_str_eq(toks("噪音", 1, 1), "噪音@0-6");
	cr_assert_str_eq(toks("噪音", 0, 0), "噪音@0-6");
	cr_assert_str_eq(toks("甲 乙。丙", 0, 1), "甲@0-3 乙@4-7 丙@10-13");
	cr_assert_str_eq(toks("甲 乙。丙", 0, 0), "甲@0-3 乙@4-7 丙@10-13");
	cr_assert_str_eq(toks("", 0, 1), "");
	cr_assert_str_eq(toks("，。！ ……——", 0, 1), "");
}

Test(fts, full_width_and_case_fold_per_code_point)
{
	/* Ａｂｃ１２３ -> abc123, one word with the original offsets */
	cr_assert_str_eq(toks("Ａｂｃ１２３", 0, 1), "abc123@0-18");
	cr_assert_str_eq(toks("ABC公司", 0, 1), "abc@0-3 公司@3-9 +公@3-6 司@6-9");
	cr_assert_str_eq(toks("ａｂｃ公司", 0, 1), "abc@0-9 公司@9-15 +公@9-12 司@12-15");
	/* full-width punctuation separates, like its ASCII form */
	cr_assert_str_eq(toks("Ａ（Ｂ）", 0, 1), "a@0-3 b@6-9");
	/* a compatibility ideograph folds to the unified one (U+F900 -> U+8C48) */
	cr_assert_str_eq(toks("\xEF\xA4\x80", 0, 1), "\xE8\xB1\x88@0-3");
	/* an ideographic space separates; a zero-width space vanishes inside a run */
	cr_assert_str_eq(toks("噪\xE3\x80\x80音", 0, 1), "噪@0-3 音@6-9");
	cr_assert_str_eq(toks("噪\xE2\x80\x8B音", 0, 1), "噪音@0-9 +噪@0-3 音@6-9");
	/* Latin beyond ASCII folds too; accents stay part of the word */
	cr_assert_str_eq(toks("CAFÉ Straße", 0, 1), "café@0-5 strasse@6-13");
	/* kana and hangul are CJK runs; the long vowel mark stays in its run */
	cr_assert_str_eq(toks("コーヒー", 1, 1), "コー@0-6 ーヒ@3-9 ヒー@6-12");
}

Test(fts, invalid_utf8_separates_and_offsets_stay_in_bounds)
{
	cr_assert_str_eq(toks("噪\xFF音", 0, 1), "噪@0-3 音@4-7");
	cr_assert_str_eq(toks("ab\xC3", 0, 1), "ab@0-2");
	cr_assert_str_eq(toks("\xE5\x99", 0, 1), "");
	cr_assert_str_eq(toks("\xED\xA0\x80x", 0, 1), "x@3-4"); /* a surrogate is invalid */
}

Test(fts, long_words_are_cut_the_same_way_everywhere)
{
	char w[400];
	const char *t;

	memset(w, 'x', 300);
	w[300] = '\0';
	t = toks(w, 0, 1);
	cr_assert(strstr(t, "@0-300") != NULL, "one token over the whole run: %.40s", t);
	cr_assert_eq(strlen(t), 128 + strlen("@0-300"), "cut at 128 bytes");
	cr_assert_str_eq(toks(w, 1, 1), t);
}

Test(fts, match_quotes_every_term_and_escapes_quotes)
{
	char m[256], k[16];

	cr_assert_eq(fts_match("信访局", m, sizeof m, k, sizeof k), 1);
	cr_assert_str_eq(m, "\"信访局\"");
	cr_assert_str_eq(k, "b");
	cr_assert_eq(fts_match("  噪音\xE3\x80\x80拖欠 市 ", m, sizeof m, k, sizeof k), 3);
	cr_assert_str_eq(m, "\"噪音\" AND \"拖欠\" AND \"市\"");
	cr_assert_str_eq(k, "bbu");
	/* FTS5 syntax is text inside a phrase; terms without tokens are dropped */
	cr_assert_eq(fts_match("\"噪音 NEAR(a b)* -c :d", m, sizeof m, k, sizeof k), 5);
	cr_assert_str_eq(m, "\"\"\"噪音\" AND \"NEAR(a\" AND \"b)*\" AND \"-c\" AND \":d\"");
	cr_assert_str_eq(k, "buuuu");
	cr_assert_eq(fts_match("( ) - : * \"", m, sizeof m, k, sizeof k), 0);
	cr_assert_str_eq(m, "");
	cr_assert_eq(fts_match("", m, sizeof m, k, sizeof k), 0);
	cr_assert_eq(fts_match(NULL, m, sizeof m, k, sizeof k), 0);
	/* a buffer too small says so */
	cr_assert_eq(fts_match("信访局信访局", m, 8, k, sizeof k), -1);
}

/* ---- inside SQLite -------------------------------------------------------------- */

static sqlite3 *db_open(const char *tokenize)
{
	sqlite3 *db = NULL;
	char sql[256];
	static const char *docs[][2] = {
		{ "丽发新城搅拌站噪音扰民", "搅拌站夜间生产，噪声很大。" },
		{ "拖欠工资", "某公司拖欠农民工工资三个月，噪音无关。" },
		{ "物业收费", "小区噪音，扰民严重；物业不管。" },
		{ "信访局来信", "市信访局转来的信件。" },
		{ "ABC公司", "２０２６年A市丽发新城" },
	};
	size_t i;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(fts_register(db), SQLITE_OK);
	snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE t USING fts5(title, content, tokenize='%s')", tokenize);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		sqlite3_stmt *s;

		sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title, content) VALUES(?, ?, ?)", -1, &s, NULL);
		sqlite3_bind_int(s, 1, (int)i + 1);
		sqlite3_bind_text(s, 2, docs[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, docs[i][1], -1, SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
	}
	return db;
}

/* rowids matching what a user typed, best first: "1,3" */
static const char *search(sqlite3 *db, const char *q, char *snip, size_t snip_cap)
{
	static char out[256];
	char m[512], k[32];
	sqlite3_stmt *s;
	size_t len = 0;

	out[0] = '\0';
	if (snip)
		snip[0] = '\0';
	if (fts_match(q, m, sizeof m, k, sizeof k) <= 0)
		return out;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT rowid, xf_snippet(t, ?2, 20, 'title,content') FROM t"
					    " WHERE t MATCH ?1 ORDER BY bm25(t, 10.0, 1.0), rowid",
					-1, &s, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, m, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, k, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%d", len ? "," : "", sqlite3_column_int(s, 0));
		if (snip && !snip[0] && sqlite3_column_text(s, 1))
			snprintf(snip, snip_cap, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	cr_assert_eq(sqlite3_finalize(s), SQLITE_OK, "%s", sqlite3_errmsg(db));
	return out;
}

Test(fts, sqlite_two_character_queries_phrases_and_punctuation)
{
	sqlite3 *db = db_open(FTS_TOKENIZER);

	cr_assert_str_eq(search(db, "噪音", NULL, 0), "1,3,2", "the title match first, then the shorter content");
	cr_assert_str_eq(search(db, "拖欠", NULL, 0), "2");
	cr_assert_str_eq(search(db, "搅拌站", NULL, 0), "1");
	cr_assert_str_eq(search(db, "丽发新城搅拌", NULL, 0), "1");
	/* 音扰 only across "，" in doc 3 (and inside 噪音扰民 of doc 1's title) */
	cr_assert_str_eq(search(db, "音扰", NULL, 0), "1");
	/* punctuation in a query may be left out of the text, not the other way round */
	cr_assert_str_eq(search(db, "噪音，扰民", NULL, 0), "1,3");
	cr_assert_str_eq(search(db, "噪音扰民", NULL, 0), "1");
	cr_assert_str_eq(search(db, "信访局", NULL, 0), "4");
	cr_assert_str_eq(search(db, "ａｂｃ", NULL, 0), "5");
	cr_assert_str_eq(search(db, "2026", NULL, 0), "5");
	cr_assert_str_eq(search(db, "A市", NULL, 0), "5");
	cr_assert_str_eq(search(db, "噪音 物业", NULL, 0), "3", "terms are ANDed");
	cr_assert_str_eq(search(db, "市", NULL, 0), "5,4", "one character, from the unigrams");
	cr_assert_str_eq(search(db, "\"噪音\" OR 拖欠 NEAR(", NULL, 0), "", "syntax is text");
	sqlite3_close(db);
}

Test(fts, sqlite_without_unigrams_one_character_finds_only_lone_characters)
{
	sqlite3 *db = db_open(FTS_TOKENIZER " nounigrams");

	cr_assert_str_eq(search(db, "噪音", NULL, 0), "1,3,2");
	cr_assert_str_eq(search(db, "噪音，扰民", NULL, 0), "3");
	cr_assert_str_eq(search(db, "市", NULL, 0), "", "市 is never alone in these texts");
	cr_assert_str_eq(search(db, "A市", NULL, 0), "");
	sqlite3_close(db);
}

Test(fts, sqlite_snippet_json_with_highlights)
{
	sqlite3 *db = db_open(FTS_TOKENIZER);
	char sn[1024];

	/* doc 2 matches in content only: the window, ellipses, the highlight in UTF-16 units */
	search(db, "拖欠 工资", sn, sizeof sn);
	cr_assert_str_eq(sn, "{\"field\":\"content\",\"text\":\"某公司拖欠农民工工资三个月，噪音无关。\","
			     "\"highlights\":[[3,5],[8,10]]}");
	/* only the content has it */
	search(db, "噪声", sn, sizeof sn);
	cr_assert_str_eq(sn, "{\"field\":\"content\",\"text\":\"搅拌站夜间生产，噪声很大。\",\"highlights\":[[8,10]]}");
	/* one character, in title and content: the content gives the snippet, and
	 * only that character is marked */
	search(db, "访", sn, sizeof sn);
	cr_assert_str_eq(sn, "{\"field\":\"content\",\"text\":\"市信访局转来的信件。\",\"highlights\":[[2,3]]}");
	/* only the title matches */
	search(db, "ABC", sn, sizeof sn);
	cr_assert_str_eq(sn, "{\"field\":\"title\",\"text\":\"ABC公司\",\"highlights\":[[0,3]]}");
	/* a phrase across a run and a word */
	search(db, "A市丽", sn, sizeof sn);
	cr_assert_str_eq(sn, "{\"field\":\"content\",\"text\":\"２０２６年A市丽发新城\",\"highlights\":[[5,8]]}");
	sqlite3_close(db);
}

Test(fts, sqlite_snippet_window_is_cut_with_ellipses)
{
	sqlite3 *db = NULL;
	char m[64], k[8], text[2048] = "";
	sqlite3_stmt *s;
	const char *j;
	int i;

	for (i = 0; i < 60; i++)
		strcat(text, i == 40 ? "噪音" : "甲");
	strcat(text, "\n尾\U0001F600");
	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(fts_register(db), SQLITE_OK);
	sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, content, tokenize='xfbigram')", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES('标题', ?)", -1, &s, NULL);
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	sqlite3_step(s);
	sqlite3_finalize(s);
	fts_match("噪音", m, sizeof m, k, sizeof k);
	sqlite3_prepare_v2(db, "SELECT xf_snippet(t, ?2, 20, 'title,content') FROM t WHERE t MATCH ?1", -1, &s, NULL);
	sqlite3_bind_text(s, 1, m, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, k, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	j = (const char *)sqlite3_column_text(s, 0);
	/* 4 characters before the hit (20/5), 20 in all, "…" at both ends */
	cr_assert_str_eq(j, "{\"field\":\"content\",\"text\":\"…甲甲甲甲噪音甲甲甲甲甲甲甲甲甲甲甲甲甲甲…\","
			    "\"highlights\":[[5,7]]}");
	sqlite3_finalize(s);
	/* at the end: the window shifts left; the newline becomes a space; the emoji is 2 UTF-16 units */
	sqlite3_prepare_v2(db, "SELECT xf_snippet(t, 'u', 10, 'title,content') FROM t WHERE t MATCH '尾'", -1, &s, NULL);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(s, 0),
			 "{\"field\":\"content\",\"text\":\"…甲甲甲甲甲甲甲 尾\U0001F600\",\"highlights\":[[9,10]]}");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* ---- the projection's migration (schema 11) -------------------------------------- */

static int64_t one_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int64_t v = -1;

	cr_assert_not_null(s, "%s", sql);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

Test(fts, migration_11_fills_the_index_of_an_existing_database)
{
	char path[64] = "/tmp/xf-fts-XXXXXX";
	struct xerr err;
	struct store *st;
	sqlite3_stmt *s;
	int fd = mkstemp(path), i;

	cr_assert(fd >= 0);
	close(fd);
	log_set_quiet(1);
	st = store_open(path, &err);
	cr_assert_not_null(st, "%s", err.message);
	/* a database as schema 10 left it: cases, no search table */
	cr_assert_eq(store_exec(st, "DROP TABLE case_fts"), 0);
	cr_assert_eq(store_exec(st,
		"INSERT INTO cases(id, no, version, state, channel, kind, purpose, category, locality, title,"
		" content, request, people_count, involved_count, petition_date, query_hash, registered_at,"
		" registered_unit_id, dispatch_unit_id, holder_unit_id, reply, review_decision, updated_at) VALUES"
		" (7, 'XF2026060100001', 5, 'closed', 'visit', 'claim', 'demand', '0301', '230102', '工地拖欠工资',"
		"  '拖欠二十名农民工工资。', '请督促结清', 1, 1, '2026-06-01', 'h', 1, 1, 1, 1,"
		"  '{\"outcome\":\"support\",\"facts\":\"已于五月底结清。\",\"opinion\":\"予以支持\",\"legal_basis\":\"条例\"}',"
		"  '{\"outcome\":\"explain\",\"facts\":\"复查属实\",\"opinion\":\"\"}', 1),"
		" (9, 'XF2026060100002', 1, 'registered', 'visit', 'claim', 'demand', '0301', '230102', '噪音扰民',"
		"  '搅拌站噪音。', '请处理', 1, 1, '2026-06-01', 'h', 1, 1, 1, 1, NULL, NULL, 1)"), 0);
	for (i = 0; i < store_n_migrations; i++)
		if (store_migrations[i].version == 11)
			cr_assert_eq(store_exec(st, store_migrations[i].sql), 0, "the migration runs");
	cr_assert_eq(one_int(st, "SELECT count(*) FROM case_fts"), 2);
	cr_assert_eq(one_int(st, "SELECT rowid FROM case_fts WHERE case_fts MATCH '\"五月底\"'"), 7, "the reply is indexed");
	cr_assert_eq(one_int(st, "SELECT rowid FROM case_fts WHERE case_fts MATCH '\"噪音\"'"), 9);
	s = store_prepare(st, "SELECT reply FROM case_fts WHERE rowid=7");
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	/* facts, opinion, legal basis of the reply, then the review decision's (empty ones left out) */
	cr_assert_str_eq((const char *)sqlite3_column_text(s, 0), "已于五月底结清。\n予以支持\n条例\n复查属实");
	sqlite3_finalize(s);
	cr_assert_eq(one_int(st, "SELECT reply IS NULL FROM case_fts WHERE rowid=9"), 1);
	store_close(st);
	unlink(path);
	{
		char wal[80];

		snprintf(wal, sizeof wal, "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof wal, "%s-shm", path);
		unlink(wal);
	}
}
