/*
 * case.h - service-internal pieces shared by the staff and public use cases.
 * All of these expect the app lock held (and a transaction for writes).
 */
#ifndef XF_SERVICE_CASE_H
#define XF_SERVICE_CASE_H

#include <jansson.h>

#include "domain/flow.h"
#include "service/svc.h"

/* Units a flow_input points into; must outlive it. */
struct act_body_units {
	struct unit accused, holder;
};

const char *row_str(json_t *row, const char *key);
int64_t row_int(json_t *row, const char *key);

/* Does the case's latest deciding decision (recheck, else review, else reply; an
 * explanation upholds the one before it) support the request? */
int case_decision_supports(json_t *row);

/* The scope of an actor: staff by unit; petitioner/system unlimited. */
void scope_of(const struct actor *a, struct scope *sc);

void sha256_hex_of(const char *s, size_t n, char out[65]);

/* Register at `at_unit` (takes the lock itself). */
int register_case(struct app *app, const struct actor *a, const struct unit *at_unit,
		  int64_t now, json_t *body, const char *idem_key, int *status, json_t **out,
		  struct xerr *err);

/* The case-derived part of a flow_input for `action` by `a`. */
int flow_input_from(struct app *app, json_t *row, const struct actor *a, case_action action,
		    struct act_body_units *bu, struct flow_input *in, struct xerr *err);

/* The review and recheck organs of a case (R22 art. 35). */
int higher_organs(struct app *app, json_t *row, struct unit *review, int *has_review,
		  struct unit *recheck, int *has_recheck, struct xerr *err);

/* The actions this staff actor can take on the case now: the transition table
 * with the case's own guards (extension, pauses, windows, accused unit) applied
 * and the fields a form supplies taken as given (new array). */
json_t *case_actions(struct app *app, const struct actor *a, json_t *row);


/* Check and append one action's event (lock and transaction held). */
int act_locked(struct app *app, const struct actor *a, int64_t now, json_t *row,
	       const char *action_name, json_t *body, struct xerr *err);

/* Append a case event and its audit row "case.<action>", whose detail starts
 * with "sm3:<the event's hash>" (then `extra`): the keyed audit chain vouches
 * for the event chain. Lock and transaction held. */
int event_record(struct app *app, const struct actor *a, struct event *ev, int64_t unit_id,
		 const char *extra, int64_t now);

/* Role names "a,b" -> bits, with the 三员 separation rules (400/...). */
int roles_parse(const char *roles, unsigned *out, struct xerr *err);

/* The actor of a staff user (loads the unit). */
int actor_load(struct app *app, const struct user *u, struct actor *a, struct xerr *err);

/* Add a user, audited as done by `by`. */
int user_add_as(struct app *app, const char *by, const char *username, const char *name,
		const char *unit_code, const char *roles, const char *pwhash, int64_t now,
		struct xerr *err);

/* The petitioner's case: found by number and query code (public.c); a wrong
 * code reads as a missing case (404 case.not_found). New reference or NULL. */
json_t *public_row(struct app *app, const char *no, const char *code, struct xerr *err);

/* ---- the lists (GET /cases, GET /todo) and what shares their filters:
 * the exports (export.c) and the saved views (saved_view.c). These take
 * the lock themselves where they need it. */

/* The full-text query made of `q` (issue 5): room for 50 characters quoted. */
struct list_fts {
	char match[1024];
	char kinds[64];
};

/* Check the list's query parameters and fill the store's filter (limit 50,
 * or `limit`); fq holds the FTS query f points into. 400 validation.* with
 * the parameter's name as the field. */
int parse_list_query(const struct list_query *q, struct case_filter *f, struct list_fts *fq,
		     struct xerr *err);

/* Make f the to-do list's: the states this actor's roles act in, held by (or
 * with a running obligation of) the actor's unit, most urgent first.
 * `states` is where the state list lives; it must outlive f. */
void todo_filter(const struct actor *a, struct case_filter *f, char states[256]);

/* Keep, of the list rows `items`, the cases the actor can act on now (the
 * to-do list's test), at most `keep` of them; in place. */
void todo_rows(struct app *app, const struct actor *a, json_t *items, size_t keep);

#endif
