/*
 * time.c - the working-day calendar and the time-limit policies as the
 * application keeps them: shipped data (embed.S) seeded into the database,
 * administrators' changes recorded with who and when; timeliness
 * statistics and escalation lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/xtime.h"
#include "domain/calendar.h"
#include "domain/policy.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/clock.h"
#include "service/time.h"
#include "service/view.h"

#define SHIPPED_BY "xinfang（随软件发布）"

/* ---- calendar ----------------------------------------------------------------- */

static int year_of(const char *date)
{
	return date ? atoi(date) : 0;
}

/* Years that appear in a holiday-cn "days" array (sorted, distinct). */
static int years_in(json_t *days, int *years, int max)
{
	size_t i;
	json_t *d;
	int n = 0, k;

	json_array_foreach(days, i, d)
	{
		int y = year_of(json_string_value(json_object_get(d, "date")));

		for (k = 0; k < n && years[k] != y; k++)
			;
		if (k == n && n < max)
			years[n++] = y;
	}
	return n;
}

static int load_day(void *ctx, const char *day, int off, const char *name)
{
	struct calendar *c = ctx;
	int64_t t;

	(void)name;
	if (xtime_parse(day, &t))
		return -1;
	return calendar_set(c, calendar_day_of(t), off ? CAL_OFF : CAL_MAKEUP) ? -1 : 0;
}

/* Rebuild app->cal from the database. Lock held. */
static int calendar_reload(struct app *app)
{
	struct calendar *c = malloc(sizeof *c);
	int years[128], n, i;

	if (!c)
		return -1;
	calendar_init(c);
	if (store_calendar_each(app->st, load_day, c)) {
		free(c);
		return -1;
	}
	/* a year imported with no special days is still a loaded year */
	n = store_calendar_years(app->st, years, 128);
	for (i = 0; i < n; i++)
		if (years[i] >= CAL_FIRST_YEAR && years[i] <= CAL_LAST_YEAR)
			c->loaded[years[i] - CAL_FIRST_YEAR] = 1;
	free(app->cal);
	app->cal = c;
	return 0;
}

/* Seed the database with every shipped year it does not have yet. */
static int calendar_seed(struct app *app, int64_t now)
{
	json_t *root = json_loads(xf_calendar_json, 0, NULL), *days;
	int shipped[128], have[128], ns, nh, i, k, rc = 0;

	if (!root)
		return -1;
	days = json_object_get(root, "days");
	ns = years_in(days, shipped, 128);
	nh = store_calendar_years(app->st, have, 128);
	if (nh < 0) {
		json_decref(root);
		return -1;
	}
	for (i = 0; i < ns && rc == 0; i++) {
		for (k = 0; k < nh && have[k] != shipped[i]; k++)
			;
		if (k < nh)
			continue;
		rc = store_calendar_replace_year(app->st, shipped[i], days, 1, SHIPPED_BY, now, "随软件发布的节假日安排");
	}
	json_decref(root);
	return rc;
}

static int policy_override(void *ctx, const char *policy, const char *key, int amount,
			   const char *unit, int warn_pct, const char *rule)
{
	struct policy_set *set = ctx;
	struct policy *p = policy_find(set, policy);
	struct limit l = { amount, (enum cal_unit)calendar_unit_parse(unit), warn_pct };

	if (!p || (int)l.unit < 0 || policy_set_entry(p, key, &l, rule)) {
		log_warn("ignoring policy override %s %s", policy, key);
		return 0;
	}
	return 0;
}

/* Rebuild app->policies: the shipped text, then the stored overrides. Lock held. */
static int policies_reload(struct app *app, struct xerr *err)
{
	struct policy_set *set = calloc(1, sizeof *set);

	if (!set)
		return xerr_internal(err, "out of memory");
	if (policy_parse(set, xf_policies_txt, err) ||
	    store_policy_overrides_each(app->st, policy_override, set)) {
		free(set);
		return err->code ? -1 : xerr_internal(err, "policy overrides");
	}
	free(app->policies);
	app->policies = set;
	return 0;
}

int time_open(struct app *app, struct xerr *err)
{
	int64_t now = xtime_now();

	if (store_begin(app->st) || calendar_seed(app, now) || store_commit(app->st)) {
		store_rollback(app->st);
		return xerr_internal(err, "calendar seed");
	}
	if (calendar_reload(app))
		return xerr_internal(err, "calendar load");
	if (policies_reload(app, err))
		return -1;
	clock_attach(app);
	return 0;
}

void time_close(struct app *app)
{
	free(app->cal);
	free(app->policies);
	app->cal = NULL;
	app->policies = NULL;
}

const char *svc_calendar_warning(struct app *app, int64_t now, char buf[160])
{
	int y, m, d, loaded;

	xtime_civil_from_days(calendar_day_of(now), &y, &m, &d);
	if (m != 12)
		return NULL;
	pthread_mutex_lock(&app->lock);
	loaded = calendar_year_loaded(app->cal, y + 1);
	pthread_mutex_unlock(&app->lock);
	if (loaded)
		return NULL;
	snprintf(buf, 160, "尚未导入%d年节假日安排，期限将只按周末计算，请尽快导入", y + 1);
	return buf;
}

int svc_calendar_show(struct app *app, int year, json_t **out, struct xerr *err)
{
	json_t *days, *changes;
	int64_t first, day;
	char date[11], buf[160];

	if (year < CAL_FIRST_YEAR || year > CAL_LAST_YEAR)
		return xerr_set(err, 400, "validation.invalid", "year", "年份须在%d至%d之间", CAL_FIRST_YEAR,
				CAL_LAST_YEAR);
	days = json_array();
	first = xtime_days_from_civil(year, 1, 1);
	pthread_mutex_lock(&app->lock);
	for (day = first; day < xtime_days_from_civil(year + 1, 1, 1); day++) {
		enum cal_day k = calendar_get(app->cal, day);

		if (k == CAL_NORMAL)
			continue;
		xtime_date(calendar_day_start(day), date);
		json_array_append_new(days, json_pack("{s:s,s:b}", "date", date, "isOffDay", k == CAL_OFF));
	}
	changes = store_calendar_changes(app->st, year);
	*out = json_pack("{s:i,s:b,s:o}", "year", year, "loaded", calendar_year_loaded(app->cal, year),
			 "days", days);
	pthread_mutex_unlock(&app->lock);
	if (!changes) {
		json_decref(*out);
		return xerr_internal(err, "calendar changes");
	}
	{
		size_t i;
		json_t *c;

		json_array_foreach(changes, i, c) view_times(c);
	}
	json_object_set_new(*out, "changes", changes);
	if (svc_calendar_warning(app, xtime_now(), buf))
		json_object_set_new(*out, "warning", json_string(buf));
	return 0;
}

/* Recompute the due times of every clock after the calendar changed: running
 * ones get their new deadlines, stopped ones their corrected on-time status,
 * exactly as a rebuild would compute them. */
static int recompute_clocks(struct app *app)
{
	struct clock_row *rows = malloc(sizeof *rows * 512);
	struct clock_row after = { 0 };
	int n, i;

	if (!rows)
		return -1;
	do {
		n = store_clocks_page(app->st, &after, rows, 512);
		for (i = 0; i < n; i++)
			if (clock_recompute(app, &rows[i]) || store_clock_put(app->st, &rows[i])) {
				free(rows);
				return -1;
			}
		if (n > 0)
			after = rows[n - 1];
	} while (n == 512);
	free(rows);
	return n < 0 ? -1 : 0;
}

int svc_calendar_import(struct app *app, const char *actor, const char *json, size_t len,
			int64_t now, json_t **out, struct xerr *err)
{
	struct calendar *scratch = malloc(sizeof *scratch);
	json_t *root = NULL, *days, *list = json_array();
	int years[64], n, i, rc = -1;
	json_int_t named;
	char what[64];

	*out = NULL;
	if (!scratch || !list) {
		free(scratch);
		json_decref(list);
		return xerr_internal(err, "out of memory");
	}
	/* validate completely before anything is written */
	calendar_init(scratch);
	if (calendar_load_json(scratch, json, len, 1, err))
		goto done;
	root = json_loadb(json, len, 0, NULL);
	days = json_object_get(root, "days");
	/* holiday-cn files name their year and may carry a day of the next or previous
	 * one (2022-12-31 in 2023.json): only the named year is replaced, the others'
	 * days are added. Without "year", every year in the file is replaced. */
	named = json_integer_value(json_object_get(root, "year"));
	n = years_in(days, years, 64);
	if (named) {
		for (i = 0; i < n && years[i] != (int)named; i++)
			;
		if (i == n && n < 64)
			years[n++] = (int)named;
	}
	if (n == 0) {
		xerr_set(err, 400, "calendar.empty", "days", "文件中没有任何日期，也没有指明年份");
		goto done;
	}
	pthread_mutex_lock(&app->lock);
	if (store_begin(app->st)) {
		xerr_internal(err, "begin");
		goto unlock;
	}
	for (i = 0; i < n; i++) {
		size_t k, count = 0;
		json_t *d;

		json_array_foreach(days, k, d) count += year_of(json_string_value(json_object_get(d, "date"))) == years[i];
		snprintf(what, sizeof what, "导入%zu个调整日期", count);
		int whole = !named || years[i] == named;

		if (store_calendar_replace_year(app->st, years[i], days, whole, actor, now, whole ? what : NULL)) {
			xerr_internal(err, "calendar import");
			goto unlock;
		}
		json_array_append_new(list, json_integer(years[i]));
	}
	if (audit_locked(app, actor, 0, "calendar.import", NULL, "ok", what, now) ||
	    calendar_reload(app) || recompute_clocks(app)) {
		xerr_internal(err, "calendar reload");
		goto unlock;
	}
	if (store_commit(app->st)) {
		xerr_internal(err, "commit");
		goto unlock;
	}
	rc = 0;
unlock:
	if (rc) {
		store_rollback(app->st);
		calendar_reload(app); /* back to what the database holds */
	}
	pthread_mutex_unlock(&app->lock);
	if (rc == 0) {
		*out = json_pack("{s:O}", "years", list);
		log_info("calendar: %s imported %d year(s)", actor, n);
	}
done:
	json_decref(list);
	json_decref(root);
	free(scratch);
	return rc;
}

/* ---- policies ----------------------------------------------------------------- */

json_t *svc_policies(struct app *app)
{
	json_t *out = json_array(), *changes;
	int i, j;

	pthread_mutex_lock(&app->lock);
	for (i = 0; i < app->policies->n; i++) {
		const struct policy *p = &app->policies->p[i];
		json_t *entries = json_array(), *units = json_array();

		for (j = 0; j < p->n_entries; j++)
			json_array_append_new(entries, json_pack("{s:s,s:i,s:s,s:i,s:s}", "key", p->entries[j].key,
								 "amount", p->entries[j].limit.amount, "unit",
								 calendar_unit_name(p->entries[j].limit.unit),
								 "warn_pct", p->entries[j].limit.warn_pct, "rule",
								 p->entries[j].rule));
		for (j = 0; j < p->n_units; j++)
			json_array_append_new(units, json_string(p->units[j]));
		json_array_append_new(out, json_pack("{s:s,s:s,s:s?,s:o,s:o}", "name", p->name, "label", p->label,
						     "inherits", p->inherits[0] ? p->inherits : NULL, "units", units,
						     "entries", entries));
	}
	changes = store_policy_changes(app->st);
	pthread_mutex_unlock(&app->lock);
	{
		size_t k;
		json_t *c;

		json_array_foreach(changes, k, c) view_times(c);
	}
	return json_pack("{s:o,s:o}", "policies", out, "changes", changes ? changes : json_array());
}

int svc_policy_set(struct app *app, const char *actor, const char *policy, const char *key,
		   int amount, const char *unit, int warn_pct, int64_t now, struct xerr *err)
{
	struct limit l = { amount, (enum cal_unit)calendar_unit_parse(unit), warn_pct };
	struct policy *p;
	struct policy copy;
	char what[256];
	int rc = -1;

	if ((int)l.unit < 0)
		return xerr_set(err, 400, "validation.unknown_code", "unit", "单位须为 days、workdays 或 hours");
	pthread_mutex_lock(&app->lock);
	p = policy_find(app->policies, policy ? policy : "");
	if (!p) {
		xerr_set(err, 404, "policy.not_found", "policy", "时限策略“%.40s”不存在", policy ? policy : "");
		goto out;
	}
	copy = *p;
	if (policy_set_entry(&copy, key ? key : "", &l, "管理员调整")) {
		xerr_set(err, 400, "validation.invalid", "key",
			 "时限“%.40s”不存在，或数量（0至3650）、预警比例（1%%至100%%）越界", key ? key : "");
		goto out;
	}
	snprintf(what, sizeof what, "策略 %s：%s 调整为 %d %s（预警 %d%%）", policy, key, amount, unit, warn_pct);
	if (store_begin(app->st) ||
	    store_policy_override_set(app->st, policy, key, amount, unit, warn_pct, "管理员调整") ||
	    store_policy_change_log(app->st, actor, what, now) ||
	    audit_locked(app, actor, 0, "policy.set", policy, "ok", what, now) || store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "policy set");
		goto out;
	}
	*p = copy;
	rc = 0;
	log_info("policy: %s: %s", actor, what);
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

int svc_unit_policy_set(struct app *app, const char *actor, const char *unit_code,
			const char *policy, int64_t now, struct xerr *err)
{
	struct unit u;
	char what[256];
	int rc = -1;

	if (policy && !*policy)
		policy = NULL;
	pthread_mutex_lock(&app->lock);
	if (store_unit_by_code(app->st, unit_code, &u) != 0) {
		xerr_set(err, 404, "unit.not_found", "unit", "单位“%.32s”不存在", unit_code);
		goto out;
	}
	if (policy && !policy_find(app->policies, policy)) {
		xerr_set(err, 404, "policy.not_found", "policy", "时限策略“%.40s”不存在", policy);
		goto out;
	}
	snprintf(what, sizeof what, "单位 %s（%s）的时限策略改为 %s", u.code, u.name, policy ? policy : "继承上级");
	if (store_begin(app->st) || store_unit_policy_set(app->st, u.id, policy) ||
	    store_policy_change_log(app->st, actor, what, now) ||
	    audit_locked(app, actor, u.id, "unit.policy", u.code, "ok", what, now) || store_commit(app->st)) {
		store_rollback(app->st);
		xerr_internal(err, "unit policy");
		goto out;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&app->lock);
	return rc;
}

/* ---- statistics and escalations ------------------------------------------------ */

static json_t *rate(json_int_t on_time, json_int_t total)
{
	return total ? json_real((double)on_time / (double)total) : json_null();
}

int svc_stats_timeliness(struct app *app, const struct actor *a, int64_t from, int64_t to,
			 int64_t now, json_t **out, struct xerr *err)
{
	struct scope sc;
	json_t *rows, *r;
	size_t i;
	char f[11], t[11];

	if (to <= from)
		return xerr_set(err, 400, "validation.invalid", "to", "截止日期须晚于起始日期");
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	rows = store_stats_timeliness(app->st, from, to, now, &sc);
	pthread_mutex_unlock(&app->lock);
	if (!rows)
		return xerr_internal(err, "stats");
	json_array_foreach(rows, i, r)
	{
		json_object_set_new(r, "timely_acceptance_rate",
				    rate(json_integer_value(json_object_get(r, "accept_on_time")),
					 json_integer_value(json_object_get(r, "accept_total"))));
		json_object_set_new(r, "on_time_conclusion_rate",
				    rate(json_integer_value(json_object_get(r, "handle_on_time")),
					 json_integer_value(json_object_get(r, "handle_total"))));
	}
	xtime_date(from, f);
	xtime_date(to - 1, t);
	*out = json_pack("{s:s,s:s,s:o}", "from", f, "to", t, "units", rows);
	return 0;
}

int svc_escalations(struct app *app, const struct actor *a, const char *level, json_t **out,
		    struct xerr *err)
{
	struct scope sc;
	json_t *rows, *r;
	size_t i;

	if (level && strcmp(level, "warning") && strcmp(level, "overdue"))
		return xerr_set(err, 400, "validation.unknown_code", "level", "级别须为 warning 或 overdue");
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	rows = store_escalations(app->st, a->unit.id, level, &sc);
	pthread_mutex_unlock(&app->lock);
	if (!rows)
		return xerr_internal(err, "escalations");
	json_array_foreach(rows, i, r)
	{
		const struct clock_kind *k = clock_kind_find(row_str(r, "clock"));

		json_object_set_new(r, "kind", json_string(strcmp(row_str(r, "level"), "warning") == 0 ? "remind" : "supervise"));
		json_object_set_new(r, "kind_label", json_string(strcmp(row_str(r, "level"), "warning") == 0 ? "催办" : "督办"));
		json_object_set_new(r, "clock_label", json_string(k ? k->label : ""));
		view_unit(r, "unit");
		view_unit(r, "supervisor_unit");
		view_times(r);
	}
	*out = json_pack("{s:o}", "items", rows);
	return 0;
}

/* ---- counting periods ----------------------------------------------------------- */

int svc_due(struct app *app, const char *start, const char *amount, const char *unit,
	    json_t **out, struct xerr *err)
{
	int64_t t, deadline, last;
	long n;
	char *end;
	int u = calendar_unit_parse(unit);
	char buf[32];

	if (!start || xtime_parse(start, &t))
		return xerr_set(err, 400, "validation.invalid", "start", "起算时间须为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM");
	n = amount ? strtol(amount, &end, 10) : -1;
	if (!amount || end == amount || *end || n < 0 || n > 3650)
		return xerr_set(err, 400, "validation.invalid", "amount", "期限须为0至3650的整数");
	if (u < 0)
		return xerr_set(err, 400, "validation.unknown_code", "unit", "单位须为 days、workdays 或 hours");
	pthread_mutex_lock(&app->lock);
	deadline = calendar_due(app->cal, t, (int)n, (enum cal_unit)u);
	last = calendar_last_day(app->cal, calendar_day_of(t), (int)n, (enum cal_unit)u);
	pthread_mutex_unlock(&app->lock);
	*out = json_pack("{s:s,s:i,s:s}", "start", start, "amount", (int)n, "unit", unit);
	if (u == CAL_HOURS) {
		xtime_iso(deadline, buf);
		buf[16] = '\0'; /* YYYY-MM-DDTHH:MM */
		json_object_set_new(*out, "due", json_string(buf));
	} else {
		xtime_date(calendar_day_start(last), buf);
		json_object_set_new(*out, "last_day", json_string(buf));
	}
	xtime_iso(deadline, buf);
	json_object_set_new(*out, "deadline", json_string(buf));
	return 0;
}

int svc_workday(struct app *app, const char *date, json_t **out, struct xerr *err)
{
	int64_t t, day;
	enum cal_day k;
	int work;

	if (!date || strlen(date) != 10 || xtime_parse(date, &t))
		return xerr_set(err, 400, "validation.invalid", "date", "日期须为 YYYY-MM-DD");
	day = calendar_day_of(t);
	pthread_mutex_lock(&app->lock);
	k = calendar_get(app->cal, day);
	work = calendar_is_workday(app->cal, day);
	pthread_mutex_unlock(&app->lock);
	*out = json_pack("{s:s,s:b,s:s}", "date", date, "workday", work, "kind",
			 k == CAL_OFF ? "off" : k == CAL_MAKEUP ? "makeup" : "normal");
	return 0;
}

int svc_notice_candidates(struct app *app, const struct actor *a, int64_t from, int64_t to,
			  int min, json_t **out, struct xerr *err)
{
	struct scope sc;
	json_t *rows, *r;
	size_t i;
	char f[11], t[11];

	if (to <= from)
		return xerr_set(err, 400, "validation.invalid", "to", "截止日期须晚于起始日期");
	if (min < 1 || min > 1000)
		return xerr_set(err, 400, "validation.invalid", "min", "超期件数下限须在1至1000之间");
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	rows = store_notice_candidates(app->st, from, to, min, &sc);
	pthread_mutex_unlock(&app->lock);
	if (!rows)
		return xerr_internal(err, "notice candidates");
	json_array_foreach(rows, i, r) view_times(r);
	xtime_date(from, f);
	xtime_date(to - 1, t);
	*out = json_pack("{s:s,s:s,s:i,s:o}", "from", f, "to", t, "min_cases", min, "units", rows);
	return 0;
}
