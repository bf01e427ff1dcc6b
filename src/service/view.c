/*
 * view.c - the JSON shapes the API answers with. See view.h.
 */
#include <stdio.h>
#include <string.h>

#include "base/xtime.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "domain/policy.h"
#include "service/attach.h"
#include "service/case.h"
#include "service/clock.h"
#include "service/view.h"

void view_times(json_t *obj)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(obj, tmp, key, v)
	{
		size_t n = strlen(key);

		if (((n > 3 && strcmp(key + n - 3, "_at") == 0) || strcmp(key, "at") == 0) &&
		    json_is_integer(v)) {
			char iso[32];

			xtime_iso(json_integer_value(v), iso);
			json_object_set_new(obj, key, json_string(iso));
		}
	}
}

void view_unit(json_t *obj, const char *name)
{
	char id_key[64], name_key[64];
	json_t *id, *nm;

	snprintf(id_key, sizeof id_key, "%s_id", name);
	snprintf(name_key, sizeof name_key, "%s_name", name);
	id = json_object_get(obj, id_key);
	nm = json_object_get(obj, name_key);
	if (id && json_is_integer(id))
		json_object_set_new(obj, name, json_pack("{s:O,s:O}", "id", id, "name", nm ? nm : json_null()));
	else
		json_object_set_new(obj, name, json_null());
	json_object_del(obj, id_key);
	json_object_del(obj, name_key);
}

void view_parse(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;

	json_object_set_new(obj, key, v ? v : json_null());
}

static void add_label(json_t *obj)
{
	int st = flow_state_parse(json_string_value(json_object_get(obj, "state")));

	if (st >= 0)
		json_object_set_new(obj, "state_label", json_string(flow_state_label((case_state)st)));
}

static json_t *petitioners(struct app *app, int64_t case_id)
{
	json_t *a = store_case_petitioners(app->st, case_id), *p;
	size_t i;

	json_array_foreach(a, i, p)
		json_object_set_new(p, "representative",
				    json_boolean(json_integer_value(json_object_get(p, "representative"))));
	return a;
}

/* The leader who owns the case (包案, seed 004 art. 12): {username, name, unit, since} or null. */
static json_t *owner_view(struct app *app, const char *no)
{
	json_t *o = NULL;

	if (store_case_owner(app->st, no, &o) != 0)
		return json_null();
	json_object_del(o, "user_id");
	view_unit(o, "unit");
	if (json_is_integer(json_object_get(o, "since"))) {
		char iso[32];

		xtime_iso(json_integer_value(json_object_get(o, "since")), iso);
		json_object_set_new(o, "since", json_string(iso));
	}
	return o;
}

/* 催办, 督办, 批示, 包案 on the case, newest first (R22 art. 38-40; seeds 002-004). */
static json_t *oversight_view(struct app *app, const char *no)
{
	json_t *a = store_case_oversight(app->st, no), *e;
	size_t i;

	if (!a)
		return json_array();
	json_array_foreach(a, i, e)
	{
		int act = flow_action_parse(json_string_value(json_object_get(e, "action")));

		json_object_set_new(e, "action_label",
				    json_string(act >= 0 ? flow_action_label((case_action)act) : ""));
		view_unit(e, "to_unit");
		view_times(e);
	}
	return a;
}

json_t *view_case(struct app *app, const struct actor *a, json_t *row)
{
	int64_t id = row_int(row, "id");
	static const char *const units[] = { "registered_unit", "dispatch_unit", "holder_unit",
					     "lead_unit", "accused_unit", "review_unit",
					     "recheck_unit", "suggestion_unit", NULL };
	int i;

	json_object_set_new(row, "actions", case_actions(app, a, row));
	json_object_set_new(row, "petitioners", petitioners(app, id));
	json_object_set_new(row, "relations", store_case_relations(app->st, id));
	json_object_set_new(row, "co_units", store_case_co_units(app->st, id));
	json_object_set_new(row, "clocks", clock_view(app, id, xtime_now()));
	json_object_set_new(row, "attachments", attach_view_list(app, id, row_str(row, "no")));
	json_object_set_new(row, "owner", owner_view(app, row_str(row, "no")));
	json_object_set_new(row, "oversight", oversight_view(app, row_str(row, "no")));
	for (i = 0; units[i]; i++)
		view_unit(row, units[i]);
	view_parse(row, "flags");
	view_parse(row, "reply");
	json_object_del(json_object_get(row, "reply"), "holder_unit_id"); /* routing, not content */
	view_parse(row, "review_decision");
	view_parse(row, "recheck_decision");
	view_parse(row, "suggestion");
	view_parse(row, "suggestion_feedback");
	json_object_del(row, "query_hash");
	json_object_del(row, "rated_stage");
	json_object_del(row, "id");
	add_label(row);
	view_times(row);
	return row;
}

void view_list_row(json_t *row)
{
	const char *clock = json_string_value(json_object_get(row, "due_clock"));
	const struct clock_kind *k = clock ? clock_kind_find(clock) : NULL;

	/* the nearest running obligation: which clock, and how urgent (for deadline colours) */
	if (json_is_integer(json_object_get(row, "due_at"))) {
		int64_t now = xtime_now(), due = json_integer_value(json_object_get(row, "due_at"));
		int64_t warn = json_integer_value(json_object_get(row, "due_warn"));

		json_object_set_new(row, "due_clock_label", json_string(k ? k->label : ""));
		json_object_set_new(row, "due_state", json_string(now >= due ? "overdue" : now >= warn ? "warning" : "running"));
		json_object_set_new(row, "remaining_seconds", json_integer(due - now));
	}
	json_object_del(row, "due_warn");
	view_unit(row, "holder_unit");
	view_unit(row, "lead_unit");
	view_parse(row, "flags");
	json_object_del(row, "id");
	add_label(row);
	view_times(row);
}
