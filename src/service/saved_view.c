/*
 * saved_view.c - saved views: a clerk's named filters for the case list and
 * the to-do list, kept on the server so they follow the user between
 * machines (schema 13). A view holds filter values only, never rows: opening
 * it runs the list again, in the scope the user has then.
 *
 * The filters are checked exactly as the list checks them
 * (parse_list_query), so a saved view always opens; the names are those of
 * the list's query parameters, without cursor and limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "domain/flow.h"
#include "service/case.h"
#include "service/input.h"
#include "service/view.h"

#define VIEW_VALUE_MAX 200 /* characters of one filter value */

static const char *const filter_names[] = { "state", "channel", "kind", "category", "locality",
					    "unit", "from", "to", "q", NULL };

static int business_role(const struct actor *a, struct xerr *err)
{
	if (a->kind == ACTOR_STAFF &&
	    (a->user.roles & ~(unsigned)(ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR | ROLE_PII_READER | ROLE_PETITIONER)))
		return 0;
	return xerr_set(err, 403, "auth.role_denied", NULL, "只有办理信访事项的业务人员可以使用保存的筛选视图");
}

/* A stored row as the API shows it (in place). */
static void view_row(json_t *row)
{
	view_parse(row, "query");
	if (!json_is_object(json_object_get(row, "query")))
		json_object_set_new(row, "query", json_object());
	view_times(row);
}

int svc_views(struct app *app, const struct actor *a, json_t **out, struct xerr *err)
{
	json_t *items, *row;
	size_t i;

	if (business_role(a, err))
		return -1;
	pthread_mutex_lock(&app->lock);
	items = store_views(app->st, a->user.id);
	pthread_mutex_unlock(&app->lock);
	if (!items)
		return xerr_internal(err, "views");
	json_array_foreach(items, i, row) view_row(row);
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* The field of an error about a filter: "query.<name>". */
static int query_field(struct xerr *err)
{
	char f[sizeof err->field];

	snprintf(f, sizeof f, "%s", err->field);
	snprintf(err->field, sizeof err->field, "query.%.40s", f);
	return -1;
}

/* Check the query object and make the stored one: only the filters with a
 * value ("" means no filter), each checked as the list checks it. */
static int check_query(json_t *in, json_t **clean, struct xerr *err)
{
	struct list_query q = { 0 };
	struct case_filter f;
	struct list_fts fq;
	const char **slot[] = { &q.state, &q.channel, &q.kind, &q.category, &q.locality,
				&q.unit, &q.from, &q.to, &q.q };
	size_t i;

	*clean = json_object();
	if (!*clean)
		return xerr_internal(err, "query");
	if (!in || json_is_null(in))
		return 0;
	if (!json_is_object(in))
		return xerr_set(err, 400, "validation.type", "query", "“query”必须是筛选条件的对象");
	if (input_only(in, filter_names, "query", err))
		return query_field(err);
	for (i = 0; filter_names[i]; i++) {
		const char *v;

		if (input_str(in, filter_names[i], 0, VIEW_VALUE_MAX, &v, err))
			return query_field(err);
		if (!v || !*v)
			continue;
		*slot[i] = v;
		json_object_set_new(*clean, filter_names[i], json_string(v));
	}
	if (parse_list_query(&q, &f, &fq, err))
		return query_field(err);
	return 0;
}

int svc_view_create(struct app *app, const struct actor *a, json_t *body, int64_t now, json_t **out,
		    struct xerr *err)
{
	static const char *const keys[] = { "name", "list", "query", NULL };
	const char *name, *list, *p;
	json_t *query = NULL;
	char *text = NULL;
	int64_t n = 0, id = 0;
	int taken = 0, rc = -1;

	if (business_role(a, err) || input_only(body, keys, "body", err) ||
	    input_str(body, "name", 1, VIEW_NAME_MAX, &name, err) || input_str(body, "list", 1, 64, &list, err))
		return -1;
	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return xerr_set(err, 400, "validation.invalid", "name", "视图名称不能含控制字符");
	if (strcmp(list, "cases") != 0 && strcmp(list, "todo") != 0)
		return xerr_set(err, 400, "validation.invalid", "list", "“list”须为 cases（信访事项列表）或 todo（待办列表）");
	if (check_query(json_object_get(body, "query"), &query, err))
		goto out;
	text = json_dumps(query, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		xerr_internal(err, "query");
		goto out;
	}
	pthread_mutex_lock(&app->lock);
	if (store_begin(app->st) || store_view_count(app->st, a->user.id, name, &n, &taken)) {
		xerr_internal(err, "views");
	} else if (taken) {
		xerr_set(err, 409, "view.name_taken", "name", "已有名为“%.60s”的视图，请换一个名称", name);
	} else if (n >= VIEW_MAX_PER_USER) {
		xerr_set(err, 422, "view.too_many", NULL, "每人最多保存%d个视图，请先删除不用的视图", VIEW_MAX_PER_USER);
	} else if (store_view_insert(app->st, a->user.id, name, list, text, now, &id) || store_commit(app->st)) {
		xerr_internal(err, "views");
	} else {
		rc = 0;
	}
	if (rc)
		store_rollback(app->st);
	pthread_mutex_unlock(&app->lock);
	if (rc == 0) {
		*out = json_pack("{s:I,s:s,s:s,s:O,s:I}", "id", (json_int_t)id, "name", name, "list", list, "query", query,
				 "created_at", (json_int_t)now);
		if (*out)
			view_times(*out);
		else
			rc = xerr_internal(err, "view");
	}
out:
	free(text);
	json_decref(query);
	return rc;
}

int svc_view_delete(struct app *app, const struct actor *a, const char *id, json_t *body, json_t **out,
		    struct xerr *err)
{
	static const char *const none[] = { NULL };
	char *end = NULL;
	long long v = id ? strtoll(id, &end, 10) : 0;
	int rc;

	if (business_role(a, err) || (body && input_only(body, none, "body", err)))
		return -1;
	/* digits only: "+1", " 1" and "1x" name no view */
	if (!id || !*id || *id < '0' || *id > '9' || *end || v <= 0)
		return xerr_set(err, 404, "view.not_found", NULL, "视图不存在");
	pthread_mutex_lock(&app->lock);
	rc = store_view_delete(app->st, a->user.id, (int64_t)v);
	pthread_mutex_unlock(&app->lock);
	if (rc < 0)
		return xerr_internal(err, "views");
	if (rc == 0) /* another user's view reads as a missing one */
		return xerr_set(err, 404, "view.not_found", NULL, "视图不存在");
	*out = json_pack("{s:b}", "ok", 1);
	return 0;
}
