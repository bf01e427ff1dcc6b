/*
 * clock.h - clocks as a projection, the escalation scanner, policy lookup
 * for a unit. Service-internal; expects the app lock (and a transaction
 * for writes) held unless the name starts with svc_.
 */
#ifndef XF_SERVICE_CLOCK_H
#define XF_SERVICE_CLOCK_H

#include <jansson.h>

#include "domain/policy.h"
#include "service/svc.h"

/* Install the clock projection as the store's event hook. */
void clock_attach(struct app *app);
int clock_on_event(struct app *app, const struct event *ev);

/* The policy name a unit runs on (out[40]). */
int clock_unit_policy(struct app *app, int64_t unit_id, char out[40]);

/* A limit ("extension" or a clock name) under a unit's policy. 0, or -1 none. */
int clock_unit_limit(struct app *app, int64_t unit_id, const char *key, int urgent,
		     struct limit *out);

/* Due, warning and next look-at times of a clock from its start, pauses and limit. */
int clock_recompute(struct app *app, struct clock_row *c);

/* The case's clocks as the API shows them (new array). */
json_t *clock_view(struct app *app, int64_t case_id, int64_t now);

/* Due time of a running clock (0 when not running) and whether it is paused. */
int clock_deadline(struct app *app, int64_t case_id, const char *name, int64_t *deadline,
		   int *paused);

#endif
