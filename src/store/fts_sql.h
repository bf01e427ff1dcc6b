/*
 * fts_sql.h - SQL shared by the search projection (event.c) and its migration
 * (schema.c, version 9): what goes into case_fts.
 *
 * case_fts(title, content, request, reply), rowid = cases.id, tokenizer
 * xfbigram (text/fts.h). The reply column holds the written answers of the
 * case: the reply's facts, opinion and legal basis, then those of the review
 * and the recheck decisions, one per line (NULL before the first).
 */
#ifndef XF_FTS_SQL_H
#define XF_FTS_SQL_H

#define FTS_DOC_FIELDS(d) \
	"json_extract(" d ",'$.facts'), json_extract(" d ",'$.opinion'), json_extract(" d ",'$.legal_basis')"

/* The reply column's text for the cases row aliased c. */
#define FTS_REPLY_TEXT                                                                   \
	"(SELECT group_concat(j.value, char(10)) FROM json_each(json_array("              \
	FTS_DOC_FIELDS("c.reply") ", " FTS_DOC_FIELDS("c.review_decision") ", "             \
	FTS_DOC_FIELDS("c.recheck_decision") ")) j WHERE j.type='text' AND j.value<>'')"

/* Fill the search row of every case (the migration), or refresh one (?2 = case no). */
#define FTS_FILL_ALL                                                                     \
	"INSERT INTO case_fts(rowid, title, content, request, reply)"                        \
	" SELECT c.id, c.title, c.content, c.request, " FTS_REPLY_TEXT " FROM cases c"
#define FTS_INSERT_CASE FTS_FILL_ALL " WHERE c.no=?2"
#define FTS_UPDATE_REPLY                                                                 \
	"UPDATE case_fts SET reply=(SELECT " FTS_REPLY_TEXT " FROM cases c WHERE c.no=?2)"   \
	" WHERE rowid=(SELECT id FROM cases WHERE no=?2)"

#endif
