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

#include "base/xerr.h"
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
	unsigned char audit_key[32];   /* HMAC-SM3 key of the audit chain (file or env) */
	int session_idle;         /* seconds */
	int session_max;          /* seconds */
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
};

/* Fill *a for a staff username (CLI, demo). 0 ok, -1 with err. */
int svc_actor_for_user(struct app *app, const char *username, struct actor *a, struct xerr *err);

/* ---- sessions ------------------------------------------------------------- */

/* Check a password and open a session. *out = {"user":..,"csrf_token":..};
 * token[64] receives the cookie value. 401 auth.invalid_credentials. */
int svc_login(struct app *app, const char *username, const char *password, int64_t now,
	      char token[64], json_t **out, struct xerr *err);

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

/* Units that ran late on at least `min` cases in [from, to): notice (通报) candidates. */
int svc_notice_candidates(struct app *app, const struct actor *a, int64_t from, int64_t to,
			  int min, json_t **out, struct xerr *err);

/* Reminders and supervision items for the actor's unit. */
int svc_escalations(struct app *app, const struct actor *a, const char *level, json_t **out,
		    struct xerr *err);

/* Check the audit chain: *rows verified; *broken = the first row that does not
 * match (0 when intact). */
int svc_audit_verify(struct app *app, int64_t *rows, int64_t *broken, struct xerr *err);

/* The audit log, newest first, for the audit administrator only. */
int svc_audit_list(struct app *app, const struct actor *a, int64_t before, int limit, json_t **out,
		   struct xerr *err);

/* Regenerate every projection from the events; digests before and after. */
int svc_rebuild(struct app *app, char before[65], char after[65], int *n_events,
		struct xerr *err);

#endif
