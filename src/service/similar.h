/*
 * similar.h - duplicate and related cases (issue 5; seed 002 精准甄别): the
 * same person on the same matter is a repeat petition (重复信访), the same
 * matter from different people is related (关联). Candidates come from the
 * MinHash/LSH text index (src/text/) and from the petitioner's keyed identity
 * hashes; each carries a score, its reasons in words and a proposed relation.
 * Service-internal; the lock is held by the callers unless said otherwise.
 */
#ifndef XF_SERVICE_SIMILAR_H
#define XF_SERVICE_SIMILAR_H

#include <jansson.h>

#include "service/svc.h"

/* Load the band keys of every case into memory and sign cases that have no
 * signature yet (a database from before schema 10). Takes the lock. */
int similar_open(struct app *app, struct xerr *err);
void similar_close(struct app *app);
/* Reload the index from the database (after a rebuild). Lock held. */
int similar_reload(struct app *app);

/* The store's event hook: a registration gets its signature. */
int similar_on_event(struct app *app, const struct event *ev);

/* Candidates for an existing case (by id), for the actor: at most limit.
 * Always an array (empty on error, which is logged). */
json_t *similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit);

#endif
