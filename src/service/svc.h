/*
 * svc.h - the use cases. One function per use case; each that writes runs
 * in one BEGIN IMMEDIATE transaction: check scope -> domain rule -> store
 * -> event. Bodies are the JSON the API receives; answers are the JSON it
 * sends. On refusal a function fills *err and returns -1 having changed
 * nothing. Calls are serialised by the app's mutex, so they are safe from
 * any thread.
 *
 * Ownership: *out is a new reference owned by the caller; bodies are
 * borrowed.
 */
#ifndef XF_SVC_H
#define XF_SVC_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "base/sm.h"
#include "base/xerr.h"
#include "text/text.h"
#include "store/store.h"

struct calendar;
struct policy_set;

struct app {
	struct store *st;
	pthread_mutex_t lock;
	struct calendar *cal;          /* working days, loaded from the database */
	struct policy_set *policies;   /* data/policy/policies.txt + overrides */
	int max_extension_days;   /* R22 art. 34: 30 (fallback when no policy says) */
	int review_window_days;   /* R22 art. 35: 30 (fallback) */
	struct sm_keys keys;      /* derived from the master key (file or env), never stored */
	struct lsh_index *lsh;    /* text signatures of every case (src/text/), under lock */
	int session_idle;         /* seconds */
	int session_max;          /* seconds */
	char *files_dir;          /* sealed attachments (attach.c; set at first use) */
	int files_tmp;            /* files_dir is a private temp dir (":memory:"), removed at close */
	int export_max;           /* rows an export may hold (EXPORT_MAX_ROWS; serve --export-max lowers it) */
};

/* Open the database (creating and migrating it) and set national defaults. */
struct app *app_open(const char *db_path, struct xerr *err);
void app_close(struct app *app);

enum actor_kind { ACTOR_STAFF, ACTOR_PETITIONER, ACTOR_SYSTEM };

/* Who is acting: a logged-in staff member with their unit, or a petitioner. */
struct actor {
	enum actor_kind kind;
	struct user user;  /* staff only */
	struct unit unit;  /* staff only */
	int enrol_only;    /* an administrator's session before a second factor is enrolled */
	char session[65];  /* SHA-256 of the session token (staff requests) */
};

/* Fill *a for a staff username (CLI, demo). 0 ok, -1 with err. */
int svc_actor_for_user(struct app *app, const char *username, struct actor *a, struct xerr *err);

/* ---- sessions ------------------------------------------------------------- */

/* Check a password (and the TOTP code when the user has a second factor) and
 * open a session. *out = {"user":..,"csrf_token":..}; token[64] receives the
 * cookie value. 401 auth.invalid_credentials / auth.totp_required /
 * auth.totp_invalid, 423 auth.locked. An administrator without a second
 * factor gets a session that may only enrol one. */
int svc_login(struct app *app, const char *username, const char *password, const char *totp,
	      int64_t now, char token[64], json_t **out, struct xerr *err);

/* Resolve a cookie token to an actor and its CSRF token (csrf[65]).
 * 401 auth.required when missing, unknown or expired. */
int svc_session(struct app *app, const char *token, int64_t now, struct actor *a, char *csrf,
		struct xerr *err);
int svc_logout(struct app *app, const char *token);

/* {"user":{...},"unit":{...},"roles":[...]} */
json_t *svc_me(struct app *app, const struct actor *a);

/* ---- cases ---------------------------------------------------------------- */

/* Register a case (registrar). idem_key may be NULL. *status is 201, or the
 * first answer's status when the key was seen before with the same body. */
int svc_register(struct app *app, const struct actor *a, int64_t now, json_t *body,
		 const char *idem_key, int *status, json_t **out, struct xerr *err);

/* Take an action on a case. if_match: the version the client saw, or -1 when
 * absent (refused for staff: 428). */
int svc_act(struct app *app, const struct actor *a, int64_t now, const char *no,
	    const char *action, int64_t if_match, json_t *body, json_t **out, struct xerr *err);

int svc_case_get(struct app *app, const struct actor *a, const char *no, json_t **out,
		 struct xerr *err);
int svc_case_events(struct app *app, const struct actor *a, const char *no, json_t **out,
		    struct xerr *err);

/* Query parameters as strings (NULL when absent): state, channel, kind,
 * category, locality, unit, from, to, q, cursor, limit. */
struct list_query {
	const char *state, *channel, *kind, *category, *locality, *unit, *from, *to, *q, *cursor,
		*limit;
};
int svc_case_list(struct app *app, const struct actor *a, const struct list_query *q,
		  json_t **out, struct xerr *err);
int svc_todo(struct app *app, const struct actor *a, int64_t now, const struct list_query *q,
	     json_t **out, struct xerr *err);

/* ---- exports and saved views (export.c, saved_view.c) ------------------------ */

#define EXPORT_MAX_ROWS 10000

/* A list as an Excel workbook: `list` "cases" (GET /cases) or "todo" (GET
 * /todo), with the same filters, scope and order (cursor and limit are not
 * looked at); every matching row, at most app->export_max (with q, also at
 * most the STORE_RANK_WINDOW matches the search ranks), else 422
 * export.too_many and nothing is written. Business roles only (403
 * auth.role_denied for the 三员 and pii_reader alone). The export is in the
 * audit log (case.export: list, filters, rows) before it is answered.
 * *data (malloc'd; the caller frees) and *len are the .xlsx; *meta =
 * {"name","ascii_name","content_type","rows"}. */
int svc_export(struct app *app, const struct actor *a, int64_t now, const char *list,
	       const struct list_query *q, unsigned char **data, size_t *len, json_t **meta,
	       struct xerr *err);

#define VIEW_MAX_PER_USER 50
#define VIEW_NAME_MAX 30

/* The actor's saved views: {"items":[{"id","name","list","query","created_at"}]},
 * oldest first. Business roles only (403 auth.role_denied). */
int svc_views(struct app *app, const struct actor *a, json_t **out, struct xerr *err);
/* Save one: body {"name" (1..VIEW_NAME_MAX characters), "list" ("cases"|"todo"),
 * "query" (object: list filter name -> string; optional)}. *out = the view.
 * 400 validation.*, 409 view.name_taken, 422 view.too_many. */
int svc_view_create(struct app *app, const struct actor *a, json_t *body, int64_t now, json_t **out,
		    struct xerr *err);
/* Delete one of the actor's views (another user's, or a missing one: 404
 * view.not_found); the body is empty or {}. *out = {"ok":true}. */
int svc_view_delete(struct app *app, const struct actor *a, const char *id, json_t *body, json_t **out,
		    struct xerr *err);

/* One petitioner's ID number, phone and address in full (pii_reader only,
 * with body {"reason"}; audited before it is answered). ord: the petitioner's
 * position in the case's list. */
int svc_pii_unmask(struct app *app, const struct actor *a, const char *no, const char *ord,
		   json_t *body, int64_t now, json_t **out, struct xerr *err);

/* Cases in the actor's scope whose petitioner has this ID number or phone
 * (body {"id_number"} or {"phone"}), matched by keyed hash; masked. */
int svc_petitioner_lookup(struct app *app, const struct actor *a, json_t *body, int64_t now,
			  json_t **out, struct xerr *err);

/* Repeat and related candidates of a case in scope: {"no","candidates":[...]}
 * (each: no, holder_unit, score, in_scope; in scope also title, state,
 * similarity, relation repeat|related|none, reasons in words). */
int svc_similar_case(struct app *app, const struct actor *a, const char *no, json_t **out, struct xerr *err);
/* The same for a registration being typed: body {title, content, request,
 * locality, category, petitioners:[{name,id_number,phone}], limit}. */
int svc_similar_draft(struct app *app, const struct actor *a, json_t *body, int64_t now, json_t **out,
		      struct xerr *err);

/* Hot issues (seed 000 art. 20): groups of at least `min` similar cases
 * registered in [from, to) in the actor's scope, biggest first (at most 20),
 * each with label, size, locality, category, trend and case numbers. */
int svc_hot_issues(struct app *app, const struct actor *a, int64_t from, int64_t to, int min, json_t **out,
		   struct xerr *err);

/* Code lists and units, for forms. */
json_t *svc_codes(struct app *app);
json_t *svc_units(struct app *app);

/* ---- public portal (petitioner, by case number + query code) --------------- */

int svc_public_submit(struct app *app, int64_t now, json_t *body, const char *idem_key,
		      int *status, json_t **out, struct xerr *err);
int svc_public_query(struct app *app, int64_t now, const char *no, const char *code,
		     json_t **out, struct xerr *err);
int svc_public_act(struct app *app, int64_t now, const char *no, const char *code,
		   const char *action, json_t *body, json_t **out, struct xerr *err);

/* ---- second factor (TOTP) and account administration (account.c) ------------ */

/* A new secret for the actor ({secret, otpauth_uri}); not active until enabled. */
int svc_totp_setup(struct app *app, const struct actor *a, int64_t now, json_t **out,
		   struct xerr *err);
/* {"code"}: turn the second factor on (and lift an enrolment-only session). */
int svc_totp_enable(struct app *app, const struct actor *a, json_t *body, int64_t now,
		    json_t **out, struct xerr *err);
/* {"code"}: turn it off (not for administrators). */
int svc_totp_disable(struct app *app, const struct actor *a, json_t *body, int64_t now,
		     json_t **out, struct xerr *err);
/* sysadmin or secadmin: every account. */
int svc_users(struct app *app, const struct actor *a, json_t **out, struct xerr *err);
/* sysadmin: {"username","name","unit","roles":[..],"password"}. */
int svc_user_create(struct app *app, const struct actor *a, json_t *body, int64_t now, json_t **out,
		    struct xerr *err);
/* secadmin: {"roles":[..]}; ends the user's sessions. */
int svc_user_roles(struct app *app, const struct actor *a, const char *username, json_t *body,
		   int64_t now, json_t **out, struct xerr *err);
/* sysadmin: {"disabled":bool}. */
int svc_user_disable(struct app *app, const struct actor *a, const char *username, json_t *body,
		     int64_t now, json_t **out, struct xerr *err);
/* The actor's own password: {"old_password","new_password"}; other sessions end. */
int svc_password_change(struct app *app, const struct actor *a, json_t *body, int64_t now,
			json_t **out, struct xerr *err);
/* sysadmin: {"password"} for another user (a forgotten one); the user's sessions end. */
int svc_user_password_reset(struct app *app, const struct actor *a, const char *username, json_t *body,
			    int64_t now, json_t **out, struct xerr *err);
/* secadmin: clear a user's second factor (a lost phone). */
int svc_user_totp_reset(struct app *app, const struct actor *a, const char *username, int64_t now,
			json_t **out, struct xerr *err);

/* ---- attachments (attach.c) ------------------------------------------------- */

#define ATTACH_MAX_BYTES (20 << 20) /* one file: 20 MiB */
#define ATTACH_MAX_PUBLIC 20        /* a petitioner's uploads on one case */
#define ATTACH_MAX_CASE 200         /* all uploads on one case */

/* Keep a file on a case (staff: the case in scope, a business role). `name`
 * is the client's file name (checked; its extension made to match the
 * type); the type is detected from `data` (len bytes) against the
 * allow-list, whatever the client declared. The file is sealed (SM4) under
 * a random id outside any served folder and written durably before the
 * `attach` event commits; a failed transaction removes it. idem_key may be
 * NULL. *status 201; *out = {"attachment":{...},"version":n}.
 * 404 case.not_found, 403 auth.role_denied, 400 validation.* (field name),
 * 400 attachment.empty, 413 attachment.too_large, 415
 * attachment.type_not_allowed, 409 attachment.too_many. */
int svc_attach_upload(struct app *app, const struct actor *a, int64_t now, const char *no,
		      const char *name, const void *data, size_t len, const char *idem_key,
		      int *status, json_t **out, struct xerr *err);

/* The same for the petitioner, by case number and query code (a wrong code
 * reads as a missing case), while the case has not ended (409
 * attachment.case_ended), at most ATTACH_MAX_PUBLIC files. */
int svc_public_attach_upload(struct app *app, int64_t now, const char *no, const char *code,
			     const char *name, const void *data, size_t len, const char *idem_key,
			     int *status, json_t **out, struct xerr *err);

/* The checks an upload makes before it looks at the bytes (case, scope,
 * role, state, count, name), for the HTTP layer to decide, when the headers
 * arrive, whether the body is worth keeping. a: staff, or NULL for the
 * petitioner with `code`. 0 or -1 with err. */
int svc_attach_precheck(struct app *app, const struct actor *a, const char *no, const char *code,
			const char *name, struct xerr *err);

/* {"no","items":[...]}: a case's attachments (staff: all of them; the
 * petitioner: their own uploads). */
int svc_attach_list(struct app *app, const struct actor *a, const char *no, json_t **out,
		    struct xerr *err);
int svc_public_attach_list(struct app *app, const char *no, const char *code, json_t **out,
			   struct xerr *err);

/* One attachment's plain bytes (*data malloc'd, the caller frees; *len) and
 * *meta = {"name","type","content_type","size","sha256"}. Read through the
 * same scope as the case (404 case.not_found), 404 attachment.not_found,
 * 500 attachment.unavailable when the file is missing or altered. Audited.
 * The petitioner gets only the files they uploaded. */
int svc_attach_download(struct app *app, const struct actor *a, int64_t now, const char *no,
			const char *id, unsigned char **data, size_t *len, json_t **meta,
			struct xerr *err);
int svc_public_attach_download(struct app *app, int64_t now, const char *no, const char *code,
			       const char *id, unsigned char **data, size_t *len, json_t **meta,
			       struct xerr *err);

/* ---- administration ------------------------------------------------------- */

/* Add a staff user. roles: comma-separated role names. Password policy:
 * 12+ characters from at least three of upper, lower, digit, symbol. */
int svc_user_add(struct app *app, const char *username, const char *name, const char *unit_code,
		 const char *roles, const char *password, int64_t now, struct xerr *err);

/* Argon2id hash of a password (after the policy check) into out[160]. */
int svc_password_hash(const char *password, char out[160], struct xerr *err);

/* Add a staff user with a ready Argon2id hash (demo data shares one). */
int svc_user_add_hashed(struct app *app, const char *username, const char *name,
			const char *unit_code, const char *roles, const char *pwhash, int64_t now,
			struct xerr *err);

/* Add a unit under parent_code (NULL for the root). */
int svc_unit_add(struct app *app, const char *code, const char *name, const char *parent_code,
		 const char *type, const char *level, const char *division, struct xerr *err);

/* ---- time: calendar, policies, clocks ----------------------------------------- */

struct scan_result {
	int looked;     /* clocks that crossed a threshold */
	int warnings;   /* new reminders (催办) */
	int overdue;    /* new supervision items (督办) */
};

/* The end of a period by the app's calendar: `start` is "YYYY-MM-DD" or
 * "YYYY-MM-DDTHH:MM"; unit days|workdays|hours. *out = {"start","amount","unit",
 * "last_day" (days/workdays) or "due" (hours), "deadline" (exclusive, ISO)}. */
int svc_due(struct app *app, const char *start, const char *amount, const char *unit,
	    json_t **out, struct xerr *err);

/* {"date","workday":bool,"kind":"normal|off|makeup"} for "YYYY-MM-DD". */
int svc_workday(struct app *app, const char *date, json_t **out, struct xerr *err);

/* Escalate late clocks once per crossing. Safe to run any time, any number of times. */
int svc_scan(struct app *app, int64_t now, struct scan_result *res, struct xerr *err);

/* The calendar of a year: {"year","loaded","days":[{date,name,isOffDay}],"changes":[...]}. */
int svc_calendar_show(struct app *app, int year, json_t **out, struct xerr *err);

/* Import holiday-cn JSON; replaces the arrangement of each year in it, records who and
 * when, and recomputes the due times of running clocks. *out lists the years. */
int svc_calendar_import(struct app *app, const char *actor, const char *json, size_t len,
			int64_t now, json_t **out, struct xerr *err);

/* A warning when `now` is in December and next year's arrangement is missing, else NULL. */
const char *svc_calendar_warning(struct app *app, int64_t now, char buf[160]);

/* Policies with their effective entries, overrides and change log. */
json_t *svc_policies(struct app *app);

/* Override one limit of a policy (applies to clocks started afterwards). */
int svc_policy_set(struct app *app, const char *actor, const char *policy, const char *key,
		   int amount, const char *unit, int warn_pct, int64_t now, struct xerr *err);

/* Give a unit its own policy (NULL or "": inherit again). */
int svc_unit_policy_set(struct app *app, const char *actor, const char *unit_code,
			const char *policy, int64_t now, struct xerr *err);

/* Timeliness per unit over [from, to): 及时受理率, 按期办结率, overdue. */
int svc_stats_timeliness(struct app *app, const struct actor *a, int64_t from, int64_t to,
			 int64_t now, json_t **out, struct xerr *err);

/* The dashboard (大屏, seed 000 art. 24; stats.c): counts of today, this month and
 * the period [from, to] ("YYYY-MM-DD" or NULL: the first of this month, today; at
 * most 366 days) by channel, kind, category, locality (city; the counties of
 * `city`, a city code or NULL for the biggest), state and day, timeliness,
 * units running late, satisfaction and the top hot issues, over the cases in
 * the actor's scope. Roles: dispatcher, supervisor, leader, analyst, unit_head
 * (else 403 auth.role_denied); 400 validation.invalid with the field. */
int svc_stats_overview(struct app *app, const struct actor *a, const char *from, const char *to,
		       const char *city, int64_t now, json_t **out, struct xerr *err);

/* Units that ran late on at least `min` cases in [from, to): notice (通报) candidates. */
int svc_notice_candidates(struct app *app, const struct actor *a, int64_t from, int64_t to,
			  int min, json_t **out, struct xerr *err);

/* Reminders and supervision items for the actor's unit. */
int svc_escalations(struct app *app, const struct actor *a, const char *level, json_t **out,
		    struct xerr *err);

/* Check the audit chain: *rows verified; *broken = the first row that does not
 * match (0 when intact). */
int svc_audit_verify(struct app *app, int64_t *rows, int64_t *broken, struct xerr *err);

/* Audit retention (auditor): {"days","minimum"}; set with {"days": N >= 184}. */
int svc_audit_retention_get(struct app *app, const struct actor *a, json_t **out, struct xerr *err);
int svc_audit_retention_set(struct app *app, const struct actor *a, json_t *body, int64_t now,
			    json_t **out, struct xerr *err);

/* Delete audit rows older than the retention (the newest row always stays);
 * the chain continues from a keyed anchor. *purged rows. */
int svc_audit_purge(struct app *app, int64_t now, int64_t *purged, struct xerr *err);

/* Check the SM3 chain of the case events: *events verified, *broken = the
 * first event that does not follow (0: intact); *unaudited = the first event
 * whose hash no audit row records (0: none). */
int svc_event_verify(struct app *app, int64_t *events, int64_t *broken, int64_t *unaudited,
		     struct xerr *err);

/* The audit log, newest first, for the audit administrator only. */
int svc_audit_list(struct app *app, const struct actor *a, int64_t before, int limit, json_t **out,
		   struct xerr *err);

/* Regenerate every projection from the events; digests before and after. */
int svc_rebuild(struct app *app, char before[65], char after[65], int *n_events,
		struct xerr *err);

#endif
