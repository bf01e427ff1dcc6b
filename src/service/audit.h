/*
 * audit.h - the audit log: who did what, when, with what result, each row
 * chained to the one before with HMAC-SM3 under a key kept outside the
 * database. Service-internal.
 */
#ifndef XF_SERVICE_AUDIT_H
#define XF_SERVICE_AUDIT_H

#include "service/svc.h"

/* Append one row; the app lock and a transaction are held by the caller. */
int audit_locked(struct app *app, const char *actor, int64_t unit_id, const char *action,
		 const char *object, const char *result, const char *detail, int64_t at);

/* Append one row in its own transaction (takes the lock). */
int audit_add(struct app *app, const char *actor, int64_t unit_id, const char *action,
	      const char *object, const char *result, const char *detail, int64_t at);

/* The client address of the request this thread serves (the HTTP layer sets
 * it for each request; NULL clears it). Copied. */
void audit_set_client(const char *client);

/* The actor's name for the log: the username, "petitioner" or "system". */
const char *audit_actor(const struct actor *a);

/* Hash the events of a log from before schema 8; later events are also
 * checked against their audit rows. */
int audit_events_chain_init(struct app *app);

/* Name the newest row as the chain's head (a log from before schema 7). */
int audit_head_init(struct app *app);

/* 等保 2.0 level 3: audit records are kept at least six months. */
#define AUDIT_RETENTION_MIN 184

/* The retention in days (lock held). */
int svc_audit_retention(struct app *app);

#endif
