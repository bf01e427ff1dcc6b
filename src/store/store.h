/*
 * store.h - persistence. One SQLite database file (WAL, synchronous=FULL,
 * BEGIN IMMEDIATE for writes). Every function checks its result; a failure
 * returns -1 (or NULL) and logs the SQLite message; the caller rolls back.
 *
 * The case_events table is the source of truth; store_event_append() writes
 * an event and applies it to the projections with the same code that
 * store_rebuild() replays, so a rebuild gives identical tables.
 *
 * Ownership: json_t results are new references owned by the caller.
 */
#ifndef XF_STORE_H
#define XF_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "base/xerr.h"

struct event;

#define STORE_STMT_CACHE 16

struct store {
	sqlite3 *db;
	/* prepared statements of the hot paths, keyed by their (static) SQL text */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STORE_STMT_CACHE];
	int n_cache;
	int opened_version;  /* user_version before this open's migrations (0: new) */
	/* called after each event is projected, live and in rebuild (clocks) */
	int (*on_event)(void *ctx, const struct event *ev);
	void *on_event_ctx;
};

struct store_migration {
	int version;
	const char *what;
	const char *sql;
};
extern const struct store_migration store_migrations[];
extern const int store_n_migrations;
extern const char *const store_projection_tables[];

/* Open (creating if needed) and migrate. Returns NULL and fills err on failure. */
struct store *store_open(const char *path, struct xerr *err);
void store_close(struct store *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. begin and commit return 0 or -1. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Prepare; logs and returns NULL on failure. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* A prepared statement kept for reuse: `sql` must be a string literal (its
 * address is the key). Reset and unbound, ready to bind. The caller ends with
 * sqlite3_reset(), never sqlite3_finalize(). */
sqlite3_stmt *store_cached(struct store *st, const char *sql);

/* Run SQL with no result rows and no parameters. */
int store_exec(struct store *st, const char *sql);
/* Run one statement to completion with parameters ?1.. bound from the
 * arguments: types has 'i' (int64_t) or 't' (const char *, NULL binds NULL)
 * for each. 0 or -1 (logged). */
int store_run(struct store *st, const char *sql, const char *types, ...);
/* All rows of a statement without parameters (new array; NULL on error). */
json_t *store_rows(struct store *st, const char *sql);

/* Schema version in use. */
int store_schema_version(struct store *st);

/* ---- units ---------------------------------------------------------------- */

struct unit {
	int64_t id;
	int64_t parent_id;   /* 0 at the root */
	char code[32];
	char name[128];
	char path[128];      /* "/1/4/9/" */
	char type[16];       /* petition | handling | discipline */
	char level[16];      /* province | city | county | township */
	char division[8];
};

/* 0 found, 1 not found, -1 error. */
int store_unit_get(struct store *st, int64_t id, struct unit *u);
int store_unit_by_code(struct store *st, const char *code, struct unit *u);

/* Insert; sets u->id and u->path from the parent. 0 or -1. */
int store_unit_insert(struct store *st, struct unit *u);

/* The nearest petition department above u whose level is higher than u's.
 * 0 found, 1 none, -1 error. */
int store_unit_petition_above(struct store *st, const struct unit *u, struct unit *out);

/* The petition department of the most specific level for a division code
 * (county, else city, else province). 0 found, 1 none, -1 error. */
int store_unit_petition_for_division(struct store *st, const char *division, struct unit *out);

/* All units as a JSON array. */
json_t *store_units_json(struct store *st);

/* ---- users and sessions --------------------------------------------------- */

struct user {
	int64_t id;
	int64_t unit_id;
	char username[64];
	char name[64];
	unsigned roles;
	char pwhash[160];
	int disabled;
	int totp_enabled;
	char totp_secret[160];    /* sealed (sm_seal_text), "" when none */
	int64_t totp_last_step;
};

int store_user_by_name(struct store *st, const char *username, struct user *u);
int store_user_insert(struct store *st, struct user *u, int64_t now);

int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
			 const char *csrf, int enrol_only, int64_t now);
/* Set a user's TOTP columns (secret NULL clears). */
int store_user_totp(struct store *st, int64_t user_id, const char *secret, int enabled,
		    int64_t last_step);
/* Users with their units (new array). */
json_t *store_user_list(struct store *st);
/* Set users.roles or users.disabled. */
int store_user_set(struct store *st, int64_t user_id, const char *column, int64_t value);
int store_user_set_pwhash(struct store *st, int64_t user_id, const char *pwhash);
/* End every session of a user but one. */
int store_session_delete_others(struct store *st, int64_t user_id, const char *keep_hash);
/* End every session of a user. */
int store_session_delete_user(struct store *st, int64_t user_id);
/* This session may now do everything (its second factor is enrolled); the
 * user's other enrolment-only sessions end (they never proved the factor). */
int store_session_unrestrict(struct store *st, int64_t user_id, const char *token_hash);
/* 0 found (fills user and csrf[65], *last_seen), 1 not found, -1 error */
int store_session_get(struct store *st, const char *token_hash, struct user *u, char *csrf,
		      int64_t *created_at, int64_t *last_seen, int *enrol_only);
int store_session_touch(struct store *st, const char *token_hash, int64_t now);
int store_session_delete(struct store *st, const char *token_hash);

/* Record a login attempt (ok: 1 success, 0 failure, 2 lock). */
int store_login_record(struct store *st, const char *username, int64_t at, int ok, const char *client);
/* Failures since the last success or lock (*failures), and when the last lock began
 * (*locked_at, 0 if never). 0 or -1. */
int store_login_state(struct store *st, const char *username, int *failures, int64_t *locked_at);

/* ---- audit log ------------------------------------------------------------- */

struct audit_row {
	int64_t id, at, unit_id;
	const char *actor, *client, *action, *object, *result, *detail;
	char mac[65];
};

/* The last row's id and mac (0 and "" when empty). 0 or -1. */
int store_audit_last(struct store *st, int64_t *id, char mac[65]);
/* The newest row older than cutoff that is not the newest of all (0: none). */
int store_audit_purgeable(struct store *st, int64_t cutoff, int64_t *id, char mac[65]);
/* Delete rows 1..id (transaction held by the caller; retention only). */
int store_audit_delete_upto(struct store *st, int64_t id);
/* Settings in the meta table: 0 found, 1 missing, -1 error. */
int store_meta_get(struct store *st, const char *key, char *buf, size_t cap);
int store_meta_set(struct store *st, const char *key, const char *value);
int store_audit_insert(struct store *st, const struct audit_row *r);
/* Every row in id order; fn returns non-zero to stop. 0 or -1. */
int store_audit_each(struct store *st, int (*fn)(void *ctx, const struct audit_row *r), void *ctx);
/* Newest first, ids below `before` (0: from the newest), at most limit. */
json_t *store_audit_list(struct store *st, int64_t before, int limit);

/* ---- idempotency ---------------------------------------------------------- */

#define STORE_IDEM_TTL (24 * 3600) /* first answers are kept a day */

/* 0 found (*body malloc'd, caller frees), 1 not found, -1 error */
int store_idem_get(struct store *st, const char *caller, const char *key, char *request_hash,
		   int *status, char **body, int64_t now);
int store_idem_put(struct store *st, const char *caller, const char *key,
		   const char *request_hash, int status, const char *body, int64_t now);

/* ---- events and projections ----------------------------------------------- */

struct event {
	const char *case_no;
	int seq;                 /* 1 for register, then version + 1 */
	int64_t at;
	const char *actor_kind;  /* staff | petitioner | system */
	int64_t actor_user_id;   /* 0: none */
	int64_t actor_unit_id;   /* 0: none */
	const char *action;
	const char *from_state;
	const char *to_state;
	json_t *payload;         /* borrowed */
	char hash[65];           /* out: SM3 chained to the event before (hex) */
};

/* Append an event and apply it to the projections. Inside a transaction.
 * Fills ev->hash: SM3 over the previous event's hash and this event's fields
 * (DESIGN.md section 6), so an edited, removed or inserted event breaks the
 * chain from there on. */
int store_event_append(struct store *st, struct event *ev);

/* Walk the event chain: *events checked, *broken = the first event whose hash
 * does not follow (0: intact). */
int store_event_verify(struct store *st, int64_t *events, int64_t *broken);
/* The first event from id `from` on (and no older than the oldest audit row)
 * whose hash no audit row records ("sm3:<hash>" at the start of the detail):
 * its id, 0 when every one is there, -1 on error. */
int64_t store_event_unaudited(struct store *st, int64_t from);
/* Compute the hash of every event in order (a log from before schema 8),
 * lifting the update guard inside the caller's transaction. */
int store_event_chain_all(struct store *st);

/* Empty every projection and replay all events. Own transaction. */
int store_rebuild(struct store *st, int *n_events);

/* SHA-256 (hex) over a canonical dump of every projection table. */
int store_projection_digest(struct store *st, char out[65]);

/* Events of a case, oldest first, as a JSON array; NULL on error. */
json_t *store_case_events(struct store *st, int64_t case_id);

/* The leader who owns a case now (包案: its latest take_ownership not followed
 * by a release_ownership): 0 and *out = {user_id, username, name, unit_id,
 * unit_name, since} (new reference); 1 when nobody does; -1 on error. */
int store_case_owner(struct store *st, const char *case_no, json_t **out);

/* The oversight events of a case (remind, supervise, instruct, take_ownership,
 * release_ownership), newest first: {seq, at, action, actor_name,
 * actor_unit_name, to_unit_id, to_unit_name, reason, opinion, comment,
 * due_days, due_at}; NULL on error. */
json_t *store_case_oversight(struct store *st, const char *case_no);

/* ---- cases ---------------------------------------------------------------- */

/* The unit scope of a viewer (decided on the server, never by the client). */
struct scope {
	int64_t unit_id;
	const char *unit_path;
	int petition;            /* a petition department: its whole subtree */
	int all;                 /* no limit (CLI, rebuild) */
};

/* The raw projection row of a case as JSON (columns by name), or NULL when
 * missing or out of scope (*found = 0) or on error (*found = -1). */
json_t *store_case_row(struct store *st, const char *no, const struct scope *sc, int *found);

/* Petitioners (personal data masked) and relations of a case. */
json_t *store_case_petitioners(struct store *st, int64_t case_id);
/* [{path}] of the accused units of accusations linked to the case by a
 * relation (repeat_of, merged_into, merged_from), in either direction. */
json_t *store_linked_accused_paths(struct store *st, int64_t case_id, const char *no);
/* [{path}] of every unit that sees the case through case_units. */
json_t *store_case_unit_paths(struct store *st, int64_t case_id);
/* One petitioner's sealed personal data {ord,name,id_type,*_enc}, or NULL. */
json_t *store_petitioner_sealed(struct store *st, int64_t case_id, int ord);
/* Cases in scope with a petitioner whose keyed hash of the ID number (or of
 * the phone's digits) is idx; newest first (new array, NULL on error). */
json_t *store_petitioner_lookup(struct store *st, int by_phone, const char *idx,
				const struct scope *sc, int limit);
json_t *store_case_relations(struct store *st, int64_t case_id);
json_t *store_case_co_units(struct store *st, int64_t case_id);

/* Attachments of a case (projection of its `attach` events; store/attach.c). */
struct attachment {
	char id[33];            /* 32 hex digits: the sealed file's name on disk */
	char name[512];         /* the name it is downloaded under */
	char type[16];          /* domain/sniff.h name: "pdf", "jpg", ... */
	char content_type[128];
	int64_t size;           /* plain bytes */
	char sha256[65];        /* of the plain bytes */
	char uploader_kind[16]; /* staff | petitioner */
};

/* One attachment of a case: 0 found, 1 none, -1 error. */
int store_attachment_get(struct store *st, int64_t case_id, const char *id, struct attachment *a);
/* The attachments of a case, oldest first, as rows with the uploader's name and
 * unit name; only those of uploader_kind unless NULL. New array, NULL on error. */
json_t *store_attachments_json(struct store *st, int64_t case_id, const char *uploader_kind);
/* How many (of uploader_kind unless NULL); -1 on error. */
int64_t store_attachment_count(struct store *st, int64_t case_id, const char *uploader_kind);

/* Next free case number for a day ("20261122") into out[32]. */
int store_case_next_no(struct store *st, const char *day, char out[32]);

struct case_filter {
	const char *state;      /* comma-separated list allowed */
	const char *channel;
	const char *kind;
	const char *category;   /* prefix match on the code */
	const char *locality;   /* prefix match on the division code */
	int64_t unit_id;        /* holder, lead or co */
	int64_t from, to;       /* registered_at range, 0 = open */
	const char *text;       /* substring of title, content or request */
	const char *match;      /* instead: an FTS5 MATCH over case_fts (text/fts.h fts_match), */
	const char *match_kinds;/*   ranked by bm25, rows with a "snippet"; paged by offset */
	int64_t offset;
	int64_t holder_unit_id; /* to-do: held by this unit */
	const char *states_in;  /* to-do: states this unit acts in */
	int todo;               /* sort by urgency instead of newest first */
	int64_t cursor;         /* id to continue after (newest first) */
	int limit;
};

/* Cases in scope matching the filter, as a JSON array of list rows. At most
 * f->limit rows (1..STORE_LIST_MAX; else 50); *next_cursor is non-zero when
 * there are more (not for the to-do order, which is not paged). */
#define STORE_LIST_MAX 20001
json_t *store_case_list(struct store *st, const struct case_filter *f, const struct scope *sc,
			int64_t *next_cursor);

/* With a full-text query (f->match), only the newest STORE_RANK_WINDOW matches
 * are ranked and listed. 1 when more than n cases match the filter, 0 when
 * not (or without f->match), -1 on error. */
#define STORE_RANK_WINDOW 2000
int store_case_matches_over(struct store *st, const struct case_filter *f, const struct scope *sc, int64_t n);

/* ---- text signatures (text.c) ----------------------------------------------- */

int store_text_put(struct store *st, int64_t case_id, const void *sig, size_t sig_len);
/* 0 found (copied), 1 missing, -1 error. */
int store_text_sig(struct store *st, int64_t case_id, void *sig, size_t sig_len);
/* Every case's signature, in case order (fn returns non-zero to stop). */
int store_text_each(struct store *st, int (*fn)(void *ctx, int64_t case_id, const void *sig, size_t len),
		    void *ctx);
/* [{id,no}] of cases without a signature yet (at most limit). */
json_t *store_text_missing(struct store *st, int limit);
/* [{id,same_id,same_phone}]: cases with a petitioner of this ID-number or
 * phone hash (either may be NULL), newest first. */
json_t *store_cases_by_identity(struct store *st, const char *id_idx, const char *phone_idx, int limit);
/* What the similarity search needs of one case (no scope: the caller decides
 * what to show), or NULL. people: JSON text [{id,phone,name}]. */
json_t *store_case_brief(struct store *st, int64_t case_id);

/* Cases registered in [from, to) in scope with their signatures, newest first
 * (columns: id, no, title, locality, category, registered_at, sig). */
int store_text_recent(struct store *st, int64_t from, int64_t to, const struct scope *sc, int limit,
		      int (*fn)(void *ctx, sqlite3_stmt *row), void *ctx);

/* ---- clocks, calendar, policies -------------------------------------------- */

struct clock_row {
	int64_t case_id;
	char name[24];
	int64_t unit_id;            /* the unit on the clock (0: none) */
	int64_t supervisor_unit_id; /* who supervises it when late (0: none) */
	char policy[40];
	int escalate;
	int64_t start_at;
	int amount;
	char unit[12];              /* days | workdays | hours */
	int warn_pct;
	int extra_days;             /* approved extension */
	int64_t paused_at;          /* 0: running */
	int64_t paused_secs;
	int64_t warn_at, due_at;
	int64_t stopped_at;         /* 0: running */
	int64_t next_at;            /* 0: nothing to watch */
	int64_t run;                /* seq of the event that started this run */
};

/* The latest run of a clock: 0 found, 1 none, -1 error */
int store_clock_get(struct store *st, int64_t case_id, const char *name, struct clock_row *c);
int store_clock_put(struct store *st, const struct clock_row *c);
/* Running clocks of a case, stopped ones too, as JSON rows. */
json_t *store_clocks_json(struct store *st, int64_t case_id);
/* Has the scanner escalated this clock run at this level? 1 yes, 0 no, -1 error */
int store_escalated(struct store *st, int64_t case_id, const char *clock, int64_t start,
		    const char *level);

/* Clocks whose next_at <= now, at most limit; fills rows, returns the count or -1. */
int store_clocks_due(struct store *st, int64_t now, struct clock_row *rows, int limit);
/* Record an escalation; 1 if new, 0 if it was there, -1 error. */
int store_escalation_add(struct store *st, const struct clock_row *c, const char *level,
			 int64_t now);
/* Set a clock's next_at (0 = NULL). */
int store_clock_set_next(struct store *st, const struct clock_row *c, int64_t next_at);

/* Calendar: every stored day, and replacing one year's days. */
int store_calendar_each(struct store *st, int (*fn)(void *ctx, const char *day, int off,
						     const char *name), void *ctx);
int store_calendar_years(struct store *st, int *years, int max);
/* Store the days of `year` found in `days` (clearing the year first when
 * `clear`), and record the change (`what`; NULL: not a change of that year's
 * arrangement, only dates a neighbouring year's file carried). */
int store_calendar_replace_year(struct store *st, int year, json_t *days, int clear,
				const char *actor, int64_t now, const char *what);
json_t *store_calendar_changes(struct store *st, int year);

/* Policies: stored overrides, setting one, the change log, unit assignment. */
int store_policy_overrides_each(struct store *st, int (*fn)(void *ctx, const char *policy,
							   const char *key, int amount,
							   const char *unit, int warn_pct,
							   const char *rule), void *ctx);
int store_policy_override_set(struct store *st, const char *policy, const char *key, int amount,
			      const char *unit, int warn_pct, const char *rule);
int store_policy_change_log(struct store *st, const char *actor, const char *what, int64_t now);
json_t *store_policy_changes(struct store *st);
int store_unit_policy_get(struct store *st, int64_t unit_id, char out[40]);
int store_unit_policy_set(struct store *st, int64_t unit_id, const char *policy);

/* The limit a clock run started with: 0 found (fills policy[40], amount, unit[12],
 * warn_pct), 1 none, -1 error; and recording it. */
int store_clock_limit_get(struct store *st, const char *case_no, const char *clock, int64_t start,
			  char *policy, int *amount, char *unit, int *warn_pct);
int store_clock_limit_put(struct store *st, const char *case_no, const char *clock, int64_t start,
			  int64_t unit_id, const char *policy, int amount, const char *unit, int warn_pct);

/* All clock runs after `after` (case, name, run) in key order, at most limit. */
int store_clocks_page(struct store *st, const struct clock_row *after, struct clock_row *rows,
		      int limit);

/* Timeliness per unit of the clocks in scope over [from, to) (see svc.h). */
json_t *store_stats_timeliness(struct store *st, int64_t from, int64_t to, int64_t now,
			       const struct scope *sc);

/* The dashboard (svc_stats_overview), each a JSON array (NULL on error), all in scope.
 * Days are local (days since 1970-01-01 of the time + offset). The cases registered
 * in [from, to) or [m0, m1): rows {part: 0, channel, kind, category (top level, 2
 * digits), locality, state, cases, persons (sum of people_count), repeats (repeat_of
 * or a repeat_of relation), overdue (a running escalating clock due by `now`)} of the
 * cases of [from, to) grouped by the five, and {part: 1, day, cases} of both ranges; */
json_t *store_overview_registered(struct store *st, int64_t from, int64_t to, int64_t m0, int64_t m1,
				  int64_t now, int64_t offset, const struct scope *sc);
/* [{day, satisfaction, n}]: the day of closed_at when within [a0, a1) or [b0, b1),
 * else null; satisfaction when rated within [a0, a1), else null; */
json_t *store_overview_closed(struct store *st, int64_t a0, int64_t a1, int64_t b0, int64_t b1,
			      int64_t offset, const struct scope *sc);
/* The columns of store_stats_timeliness but overdue, of the units with something to
 * count only (the sums over the rows are the same). */
json_t *store_overview_timeliness(struct store *st, int64_t from, int64_t to, int64_t now,
				  const struct scope *sc);

/* Units in scope with overdue escalations on at least min_overdue cases in [from, to):
 * candidates for a notice (通报, R22 art. 40). */
json_t *store_notice_candidates(struct store *st, int64_t from, int64_t to, int min_overdue,
				const struct scope *sc);

/* Reminders and supervision items of a unit (as the unit on the clock or its supervisor). */
json_t *store_escalations(struct store *st, int64_t unit_id, const char *level,
			  const struct scope *sc);

/* The nearest petition department above a unit (any level). 0, 1 none, -1 error. */
int store_unit_petition_ancestor(struct store *st, const struct unit *u, struct unit *out);

/* Count of all cases and units (for demo and tests); -1 on error. */
int64_t store_case_count(struct store *st);
int64_t store_unit_count(struct store *st);

/* ---- saved views (saved_view.c; schema 13) --------------------------------------- */

/* [{id, name, list, query (JSON text), created_at}] of a user, oldest first. */
json_t *store_views(struct store *st, int64_t user_id);
/* *n views the user has; *name_taken: one of them is called `name`. 0 or -1. */
int store_view_count(struct store *st, int64_t user_id, const char *name, int64_t *n, int *name_taken);
int store_view_insert(struct store *st, int64_t user_id, const char *name, const char *list, const char *query,
		      int64_t created_at, int64_t *id);
/* 1 deleted, 0 no such view of this user, -1 error. */
int store_view_delete(struct store *st, int64_t user_id, int64_t id);

#endif
