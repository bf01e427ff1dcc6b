/*
 * export.c - a list as an Excel workbook (DESIGN.md section 7: "every list
 * can be exported to Excel").
 *
 * GET /cases/export and GET /todo/export run the very query of their list
 * (parse_list_query, todo_filter, store_case_list, todo_rows): the same
 * filters, the same scope clause, the same order. What goes in a row is
 * what the list row carries, as words (labels, never codes) and local times
 * as text; the list rows hold no personal data, and neither does the sheet.
 *
 * An export is how case data leaves the system, so: business roles only,
 * a cap on the rows (app->export_max; beyond it the request is refused
 * rather than cut, so nobody mistakes a partial file for the whole list),
 * and an audit row (case.export: the list, its filters and the row count)
 * committed before the file is handed out - no record, no file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "base/xlsx.h"
#include "base/xtime.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/view.h"

#define XLSX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* The to-do list filters its candidates row by row (todo_rows); at most this
 * many candidates are looked at. */
#define TODO_SCAN 20000

/* The columns, left to right: the list row's fields (docs/API.md "GET /api/v1/cases"). */
static const struct column {
	const char *title;
	double width; /* characters */
} columns[] = {
	{ "信访件编号", 18 }, { "标题", 40 },      { "渠道", 10 },       { "信访性质", 11 },
	{ "信访目的", 10 },   { "内容分类", 26 },  { "问题属地", 11 },   { "状态", 10 },
	{ "当前办理单位", 22 }, { "主办单位", 22 }, { "登记时间", 17 },   { "当前时限", 10 },
	{ "到期时间", 17 },   { "剩余时限", 15 },  { "时限状态", 10 },   { "人数", 6 },
	{ "标记", 20 },       { "延期", 12 },      { "满意度", 10 },     { "最后更新", 17 },
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

/* A business role: not one of the 三员, not the pii_reader permission alone. */
static int business_role(const struct actor *a)
{
	return a->kind == ACTOR_STAFF &&
	       (a->user.roles & ~(unsigned)(ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR | ROLE_PII_READER |
					    ROLE_PETITIONER)) != 0;
}

/* ---- cells ------------------------------------------------------------------- */

static const char *label(enum code_list list, const char *code)
{
	const struct code *c = code ? codes_find(list, code) : NULL;

	return c ? c->label : code; /* a code the lists no longer know is shown as it is */
}

/* "城乡建设/住房保障与房地产" */
static const char *category_text(const char *code, char *buf, size_t n)
{
	const struct code *c = code ? codes_find(CODES_CATEGORY, code) : NULL;
	const struct code *p = c && c->parent ? codes_find(CODES_CATEGORY, c->parent) : NULL;

	if (!c)
		return code;
	if (!p)
		return c->label;
	snprintf(buf, n, "%s/%s", p->label, c->label);
	return buf;
}

/* "2026-11-22T09:30:00+08:00" (view_times) -> "2026-11-22 09:30" */
static const char *local_time(json_t *row, const char *key, char out[17])
{
	const char *iso = json_string_value(json_object_get(row, key));

	if (!iso || strlen(iso) < 16)
		return NULL;
	memcpy(out, iso, 16);
	out[10] = ' ';
	out[16] = '\0';
	return out;
}

/* "剩余3天4小时", "超期2小时", "剩余15分钟" */
static const char *remaining_text(json_t *row, char *buf, size_t n)
{
	json_t *v = json_object_get(row, "remaining_seconds");
	int64_t s, a, d, h, m;

	if (!json_is_integer(v))
		return NULL;
	s = json_integer_value(v);
	if (s == 0)
		return "已到期";
	a = s < 0 ? -s : s;
	d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
	if (d && h)
		snprintf(buf, n, "%s%lld天%lld小时", s > 0 ? "剩余" : "超期", (long long)d, (long long)h);
	else if (d)
		snprintf(buf, n, "%s%lld天", s > 0 ? "剩余" : "超期", (long long)d);
	else if (h)
		snprintf(buf, n, "%s%lld小时", s > 0 ? "剩余" : "超期", (long long)h);
	else
		snprintf(buf, n, "%s%lld分钟", s > 0 ? "剩余" : "超期", (long long)(m ? m : 1));
	return buf;
}

static const char *due_state_text(const char *s)
{
	if (!s)
		return NULL;
	return strcmp(s, "overdue") == 0 ? "超期" : strcmp(s, "warning") == 0 ? "临期" : "正常";
}

static const char *extension_text(const char *s)
{
	if (!s || !*s)
		return NULL;
	return strcmp(s, "pending") == 0    ? "延期审批中"
	       : strcmp(s, "approved") == 0 ? "已延期"
	       : strcmp(s, "denied") == 0   ? "延期未获批准"
					    : s;
}

static const char *satisfaction_text(const char *s)
{
	if (!s || !*s)
		return NULL;
	return strcmp(s, "satisfied") == 0 ? "满意"
	       : strcmp(s, "fair") == 0    ? "基本满意"
	       : strcmp(s, "unsatisfied") == 0 ? "不满意"
					       : s;
}

/* "紧急、集体访/联名信" */
static const char *flags_text(json_t *flags, char *buf, size_t n)
{
	json_t *f;
	size_t i, o = 0;

	buf[0] = '\0';
	json_array_foreach(flags, i, f)
	{
		const char *l = label(CODES_FLAG, json_string_value(f));
		int w;

		if (!l)
			continue;
		w = snprintf(buf + o, n - o, "%s%s", o ? "、" : "", l);
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
	}
	return buf;
}

static const char *unit_name(json_t *row, const char *key)
{
	return json_string_value(json_object_get(json_object_get(row, key), "name"));
}

/* One list row (after view_list_row) as a sheet row. */
static void put_row(struct xlsx *x, json_t *row)
{
	char cat[160], t1[17], t2[17], t3[17], rem[64], fl[512];

	xlsx_row(x, XLSX_PLAIN);
	xlsx_str(x, row_str(row, "no"));
	xlsx_str(x, row_str(row, "title"));
	xlsx_str(x, label(CODES_CHANNEL, row_str(row, "channel")));
	xlsx_str(x, label(CODES_KIND, row_str(row, "kind")));
	xlsx_str(x, label(CODES_PURPOSE, row_str(row, "purpose")));
	xlsx_str(x, category_text(row_str(row, "category"), cat, sizeof cat));
	xlsx_str(x, label(CODES_DIVISION, row_str(row, "locality")));
	xlsx_str(x, row_str(row, "state_label"));
	xlsx_str(x, unit_name(row, "holder_unit"));
	xlsx_str(x, unit_name(row, "lead_unit"));
	xlsx_str(x, local_time(row, "registered_at", t1));
	xlsx_str(x, row_str(row, "due_clock_label"));
	xlsx_str(x, local_time(row, "due_at", t2));
	xlsx_str(x, remaining_text(row, rem, sizeof rem));
	xlsx_str(x, due_state_text(row_str(row, "due_state")));
	if (json_is_integer(json_object_get(row, "people_count")))
		xlsx_int(x, (long long)row_int(row, "people_count"));
	else
		xlsx_skip(x);
	xlsx_str(x, flags_text(json_object_get(row, "flags"), fl, sizeof fl));
	xlsx_str(x, extension_text(row_str(row, "extension")));
	xlsx_str(x, satisfaction_text(row_str(row, "satisfaction")));
	xlsx_str(x, local_time(row, "updated_at", t3));
}

static int workbook(const char *sheet, json_t *items, unsigned char **data, size_t *len)
{
	double widths[N_COLUMNS];
	struct xlsx *x;
	json_t *row;
	size_t i;

	for (i = 0; i < N_COLUMNS; i++)
		widths[i] = columns[i].width;
	x = xlsx_new(sheet, widths, (int)N_COLUMNS, 1);
	if (!x)
		return -1;
	xlsx_row(x, XLSX_BOLD);
	for (i = 0; i < N_COLUMNS; i++)
		xlsx_str(x, columns[i].title);
	json_array_foreach(items, i, row) put_row(x, row);
	return xlsx_finish(x, data, len);
}

/* ---- the use case ------------------------------------------------------------------ */

/* The filters given, as {"name":"value"} (values made valid UTF-8: a URL may
 * carry any bytes, and the audit detail must be text). */
static json_t *filters_json(const struct list_query *q)
{
	const struct {
		const char *name, *value;
	} f[] = { { "state", q->state }, { "channel", q->channel }, { "kind", q->kind },
		  { "category", q->category }, { "locality", q->locality }, { "unit", q->unit },
		  { "from", q->from }, { "to", q->to }, { "q", q->q } };
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < sizeof f / sizeof f[0]; i++) {
		char *v;

		if (!f[i].value)
			continue;
		v = strdup(f[i].value);
		if (!v)
			continue;
		utf8_clean(v);
		json_object_set_new(o, f[i].name, json_string(v));
		free(v);
	}
	return o;
}

static int too_many(struct app *app, struct xerr *err)
{
	return xerr_set(err, 422, "export.too_many", NULL,
			"符合条件的信访事项超过%d件，无法一次导出；请缩小筛选范围（如登记日期、状态、渠道或问题属地）后再导出",
			app->export_max);
}

int svc_export(struct app *app, const struct actor *a, int64_t now, const char *list,
	       const struct list_query *q, unsigned char **data, size_t *len, json_t **meta,
	       struct xerr *err)
{
	const int todo = strcmp(list, "todo") == 0;
	struct list_query lq = *q;
	struct case_filter f;
	struct list_fts fq;
	struct scope sc;
	char states[256], day[9], name[64], ascii[64], *detail = NULL;
	int64_t next = 0;
	json_t *items = NULL, *filters = NULL, *d = NULL;
	size_t rows;
	int over, rc = -1;

	*data = NULL;
	*len = 0;
	*meta = NULL;
	if (!business_role(a))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有办理信访事项的业务人员可以导出列表");
	/* every matching row: no page */
	lq.cursor = NULL;
	lq.limit = NULL;
	if (parse_list_query(&lq, &f, &fq, err))
		return -1;
	if (todo)
		todo_filter(a, &f, states);
	f.limit = todo ? TODO_SCAN + 1 : app->export_max;
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	/* a search ranks only its newest matches: more than those cannot be exported whole */
	over = store_case_matches_over(app->st, &f, &sc, STORE_RANK_WINDOW);
	if (over == 0)
		items = store_case_list(app->st, &f, &sc, &next);
	pthread_mutex_unlock(&app->lock);
	if (over > 0) {
		xerr_set(err, 422, "export.too_many", NULL,
			 "检索到的信访事项超过%d件（检索结果只对最新的%d件排序），无法完整导出；请增加筛选条件或缩短登记日期范围后再导出",
			 STORE_RANK_WINDOW, STORE_RANK_WINDOW);
		goto out;
	}
	if (!items) {
		xerr_internal(err, "export list");
		goto out;
	}
	if (todo) {
		if (json_array_size(items) > TODO_SCAN) {
			too_many(app, err);
			goto out;
		}
		todo_rows(app, a, items, SIZE_MAX);
	} else if (next) {
		too_many(app, err);
		goto out;
	}
	rows = json_array_size(items);
	if (rows > (size_t)app->export_max) {
		too_many(app, err);
		goto out;
	}
	{
		json_t *row;
		size_t i;

		json_array_foreach(items, i, row) view_list_row(row);
	}
	if (workbook(todo ? "待办事项" : "信访事项", items, data, len)) {
		xerr_internal(err, "export workbook");
		goto out;
	}
	/* recorded before it is handed out: no record, no file */
	filters = filters_json(q);
	d = filters ? json_pack("{s:s,s:O,s:I}", "list", todo ? "todo" : "cases", "filters", filters, "rows",
				(json_int_t)rows)
		    : NULL;
	detail = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	pthread_mutex_lock(&app->lock);
	if (!detail || store_begin(app->st) ||
	    audit_locked(app, audit_actor(a), a->unit.id, "case.export", todo ? "todo" : "cases", "ok", detail, now) ||
	    store_commit(app->st)) {
		if (detail)
			store_rollback(app->st);
		pthread_mutex_unlock(&app->lock);
		log_error("export: cannot record it in the audit log; not handed out");
		xerr_internal(err, "audit");
		goto out;
	}
	pthread_mutex_unlock(&app->lock);
	xtime_day(now, day);
	snprintf(name, sizeof name, "%s-%s.xlsx", todo ? "待办事项" : "信访事项", day);
	snprintf(ascii, sizeof ascii, "%s-%s.xlsx", todo ? "todo" : "cases", day);
	*meta = json_pack("{s:s,s:s,s:s,s:I}", "name", name, "ascii_name", ascii, "content_type", XLSX_CONTENT_TYPE,
			  "rows", (json_int_t)rows);
	if (!*meta) {
		xerr_internal(err, "export meta");
		goto out;
	}
	rc = 0;
out:
	if (rc) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	free(detail);
	json_decref(d);
	json_decref(filters);
	json_decref(items);
	return rc;
}
