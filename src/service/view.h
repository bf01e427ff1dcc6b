/*
 * view.h - turning projection rows into the JSON the API answers with:
 * times in ISO 8601 (+08:00), units as {id, name}, JSON columns parsed,
 * internal columns dropped. Service-internal.
 */
#ifndef XF_VIEW_H
#define XF_VIEW_H

#include <jansson.h>

#include "service/svc.h"

/* Staff view of one case (new reference); row is consumed. */
json_t *view_case(struct app *app, const struct actor *a, json_t *row);

/* A list row, in place. */
void view_list_row(json_t *row);

/* Public (petitioner) view of one case; row is borrowed. */
json_t *view_public(struct app *app, json_t *row, int64_t now);

/* Convert integer *_at fields to ISO strings, in place. */
void view_times(json_t *obj);

/* Replace <name>_id / <name>_name pairs with <name>: {id, name}. */
void view_unit(json_t *obj, const char *name);

/* Parse a JSON-text column in place (absent or invalid: null). */
void view_parse(json_t *obj, const char *key);

#endif
