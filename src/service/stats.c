/*
 * stats.c - the dashboard (大屏, seed 000 art. 24: the data analysis shown
 * live on the big screen): what one screen shows, in one answer, over the
 * cases in the viewer's scope only (the list scope, accusations hidden from
 * the accused unit's subtree: R22 art. 30).
 *
 * Everything is counted in SQL with GROUP BY (store_overview_*; timeliness
 * with the column definitions of /stats/timeliness); this file only adds the
 * groups up by each dimension, fills in the labels of the code lists and
 * the days without cases. The hot issues are not here: /stats/hot clusters
 * up to 20,000 cases afresh, seconds for a province of 100,000 cases, too
 * slow for a screen that refreshes every minute.
 */
#include <stdlib.h>
#include <string.h>

#include "base/xtime.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "service/case.h"
#include "service/svc.h"

#define DAY 86400
#define MAX_DAYS 366      /* a period: at most a (leap) year */
#define MAX_UNITS 20      /* overdue_by_unit */

/* Local midnight (Asia/Shanghai) of day number d (days since 1970-01-01). */
static int64_t day_start(int64_t d)
{
	return d * DAY - XTIME_OFFSET;
}

static void day_text(int64_t d, char out[11])
{
	xtime_date(day_start(d), out);
}

/* "YYYY-MM-DD" exactly (a valid calendar date) into a day number. */
static int parse_day(const char *s, const char *field, int64_t *day, struct xerr *err)
{
	static const char shape[] = "dddd-dd-dd";
	int64_t t;
	size_t i;

	for (i = 0; s[i] && i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			break;
	if (i != sizeof shape - 1 || s[i] || xtime_parse(s, &t))
		return xerr_set(err, 400, "validation.invalid", field, "%s须为 YYYY-MM-DD 格式的日期",
				strcmp(field, "from") == 0 ? "起始日期" : "截止日期");
	*day = xtime_days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8));
	return 0;
}

static json_t *rate(json_int_t part, json_int_t total)
{
	return total ? json_real((double)part / (double)total) : json_null();
}

/* ---- adding up the groups ------------------------------------------------------ */

/* counts by code: a JSON object {code: n} */
static void add(json_t *map, const char *code, json_int_t n)
{
	json_t *v;

	if (!code)
		code = "";
	v = json_object_get(map, code);
	json_object_set_new(map, code, json_integer(json_integer_value(v) + n));
}

/* [{code,label,count}] of every code of a list, in the list's order, zeros too. */
static json_t *every(enum code_list which, json_t *map)
{
	const struct code *c;
	json_t *out = json_array();
	int i, n;

	c = codes_list(which, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s,s:s,s:I}", "code", c[i].code, "label", c[i].label, "count",
						     json_integer_value(json_object_get(map, c[i].code))));
	return out;
}

static int by_count(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t nx = json_integer_value(json_object_get(x, "count"));
	json_int_t ny = json_integer_value(json_object_get(y, "count"));

	if (nx != ny)
		return nx < ny ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "code")), json_string_value(json_object_get(y, "code")));
}

/* [{code,label,count}] of the codes counted (not zero), biggest first, then by code. */
static json_t *ranked(enum code_list which, json_t *map)
{
	size_t n = 0, i;
	json_t **items = calloc(json_object_size(map) + 1, sizeof *items), *out = json_array(), *v;
	const char *k;

	if (!items)
		return out;
	json_object_foreach(map, k, v)
	{
		const struct code *c = codes_find(which, k);

		if (json_integer_value(v) > 0)
			items[n++] = json_pack("{s:s,s:s,s:O}", "code", k, "label", c ? c->label : k, "count", v);
	}
	qsort(items, n, sizeof *items, by_count);
	for (i = 0; i < n; i++)
		json_array_append_new(out, items[i]);
	free(items);
	return out;
}

/* The city (prefecture) of a division code: 230102 -> 230100; a province or a
 * city is itself (GB/T 2260: 2 digits province, 2 city, 2 county). */
static void city_of(const char *code, char out[7])
{
	if (strlen(code) != 6 || strcmp(code + 4, "00") == 0 || strcmp(code + 2, "0000") == 0) {
		snprintf(out, 7, "%.6s", code);
		return;
	}
	snprintf(out, 7, "%.4s00", code);
}

static int is_city(const char *code)
{
	const struct code *c = codes_find(CODES_DIVISION, code), *p;

	p = c && c->parent ? codes_find(CODES_DIVISION, c->parent) : NULL;
	return p && !p->parent;
}

static int running(const char *state)
{
	int s = flow_state_parse(state);

	return s == ST_REGISTERED || s == ST_DISPATCHED || s == ST_ACCEPTED || s == ST_REPLIED ||
	       s == ST_REVIEW || s == ST_RECHECK;
}

static int by_overdue(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t d = json_integer_value(json_object_get(y, "overdue_now")) -
		       json_integer_value(json_object_get(x, "overdue_now"));

	if (!d)
		d = json_integer_value(json_object_get(y, "warning_now")) -
		    json_integer_value(json_object_get(x, "warning_now"));
	if (!d) /* then as /stats/timeliness lists them: by the unit tree */
		d = json_integer_value(json_object_get(x, "ord")) - json_integer_value(json_object_get(y, "ord"));
	return d < 0 ? -1 : d > 0;
}

/* timeliness summed over the units in scope, and the units running late now */
static void timeliness(json_t *rows, json_t *out)
{
	json_int_t at = 0, ao = 0, ht = 0, ho = 0, over = 0, warn = 0;
	json_t *r, **late = calloc(json_array_size(rows) + 1, sizeof *late), *list = json_array();
	size_t i, n = 0;

	json_array_foreach(rows, i, r)
	{
		json_int_t od = json_integer_value(json_object_get(r, "overdue_now"));
		json_int_t wn = json_integer_value(json_object_get(r, "warning_now"));

		at += json_integer_value(json_object_get(r, "accept_total"));
		ao += json_integer_value(json_object_get(r, "accept_on_time"));
		ht += json_integer_value(json_object_get(r, "handle_total"));
		ho += json_integer_value(json_object_get(r, "handle_on_time"));
		over += od;
		warn += wn;
		if (late && (od > 0 || wn > 0) &&
		    (late[n] = json_pack("{s:{s:O,s:O,s:O},s:I,s:I,s:I}", "unit", "id", json_object_get(r, "unit_id"),
					      "code", json_object_get(r, "unit_code"), "name", json_object_get(r, "unit_name"),
					      "overdue_now", od, "warning_now", wn, "ord", (json_int_t)i)))
			n++;
	}
	if (late) {
		qsort(late, n, sizeof *late, by_overdue);
		for (i = 0; i < n; i++) {
			json_object_del(late[i], "ord");
			if (i < MAX_UNITS)
				json_array_append(list, late[i]);
			json_decref(late[i]);
		}
		free(late);
	}
	json_object_set_new(out, "timeliness",
			    json_pack("{s:I,s:I,s:o,s:I,s:I,s:o}", "accept_total", at, "accept_on_time", ao,
				      "timely_acceptance_rate", rate(ao, at), "handle_total", ht, "handle_on_time", ho,
				      "on_time_conclusion_rate", rate(ho, ht)));
	json_object_set_new(out, "overdue_by_unit", list);
	json_object_set_new(out, "now", json_pack("{s:I,s:I}", "overdue", over, "warning", warn));
}

/* ---- the answer ------------------------------------------------------------------- */

struct days {
	int64_t from, to;          /* the period, day numbers, both included */
	int64_t today, m0, m1;     /* today; this month [m0, m1) */
};

/* Per-day rows {day, <key>} into the period's series, today's and this month's counts
 * (rows without a day are not per-day rows). */
static json_int_t spread(json_t *rows, const char *key, const struct days *d, json_int_t *series,
			 json_int_t *today, json_int_t *month)
{
	json_int_t period = 0;
	json_t *r;
	size_t i;

	*today = *month = 0;
	json_array_foreach(rows, i, r)
	{
		int64_t day = json_integer_value(json_object_get(r, "day"));
		json_int_t n = json_integer_value(json_object_get(r, key));

		if (!json_is_integer(json_object_get(r, "day")))
			continue;
		if (day >= d->from && day <= d->to) {
			series[day - d->from] += n;
			period += n;
		}
		if (day == d->today)
			*today += n;
		if (day >= d->m0 && day < d->m1)
			*month += n;
	}
	return period;
}

int svc_stats_overview(struct app *app, const struct actor *a, const char *from, const char *to,
		       const char *city, int64_t now, json_t **out, struct xerr *err)
{
	json_t *reg = NULL, *closed = NULL, *tl = NULL;
	json_t *channel, *kind, *category, *locality, *county, *state, *daily, *g, *o;
	json_int_t *series = NULL, cases = 0, persons = 0, repeats = 0, overdue = 0, open = 0;
	json_int_t reg_today, reg_month, closed_today, closed_month, closed_period;
	json_int_t sat[4] = { 0 };
	struct scope sc;
	struct days d;
	int y, m, dd, rc = -1;
	size_t i, ndays;
	char f[11], t[11], td[11], iso[32], mon[8], top[7] = "";

	/* seed 000 art. 24: the analysis is for those who triage, supervise and lead */
	if (!(a->user.roles & (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ANALYST | ROLE_UNIT_HEAD | ROLE_DISPATCHER)))
		return xerr_set(err, 403, "auth.role_denied", NULL,
				"只有分流员、督办员、领导、分析员和单位负责人可以查看统计大屏");
	d.today = (now + XTIME_OFFSET) / DAY;
	xtime_civil_from_days(d.today, &y, &m, &dd);
	d.m0 = xtime_days_from_civil(y, m, 1);
	d.m1 = m == 12 ? xtime_days_from_civil(y + 1, 1, 1) : xtime_days_from_civil(y, m + 1, 1);
	d.from = d.m0;
	d.to = d.today;
	if ((from && parse_day(from, "from", &d.from, err)) || (to && parse_day(to, "to", &d.to, err)))
		return -1;
	if (d.to < d.from)
		return xerr_set(err, 400, "validation.invalid", "to", "截止日期不能早于起始日期");
	if (d.to - d.from + 1 > MAX_DAYS)
		return xerr_set(err, 400, "validation.invalid", "to", "统计区间最长%d天", MAX_DAYS);
	if (city && !is_city(city))
		return xerr_set(err, 400, "validation.invalid", "city", "“%.12s”不是地市级行政区划代码", city);
	ndays = (size_t)(d.to - d.from + 1);

	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	/* registered in the period (by every dimension) or this month (by day) */
	reg = store_overview_registered(app->st, day_start(d.from), day_start(d.to + 1), day_start(d.m0),
					day_start(d.m1), now, XTIME_OFFSET, &sc);
	/* closed in the period or this month, and rated in the period */
	if (reg)
		closed = store_overview_closed(app->st, day_start(d.from), day_start(d.to + 1), day_start(d.m0),
					       day_start(d.m1), XTIME_OFFSET, &sc);
	/* 及时受理率 and 按期办结率 exactly as /stats/timeliness counts them */
	if (closed)
		tl = store_overview_timeliness(app->st, day_start(d.from), day_start(d.to + 1), now, &sc);
	pthread_mutex_unlock(&app->lock);
	if (!tl)
		goto done;
	series = calloc(ndays * 2, sizeof *series);
	if (!series)
		goto done;

	channel = json_object(), kind = json_object(), category = json_object(), locality = json_object();
	county = json_object(), state = json_object();
	json_array_foreach(reg, i, g)
	{
		json_int_t n = json_integer_value(json_object_get(g, "cases"));
		const char *loc = row_str(g, "locality");
		char c6[7];

		if (json_integer_value(json_object_get(g, "part")) != 0)
			continue;
		cases += n;
		persons += json_integer_value(json_object_get(g, "persons"));
		repeats += json_integer_value(json_object_get(g, "repeats"));
		overdue += json_integer_value(json_object_get(g, "overdue"));
		if (running(row_str(g, "state")))
			open += n;
		add(channel, row_str(g, "channel"), n);
		add(kind, row_str(g, "kind"), n);
		add(category, row_str(g, "category"), n);
		add(state, row_str(g, "state"), n);
		city_of(loc ? loc : "", c6);
		add(locality, c6, n);
		add(county, loc, n);
	}
	o = ranked(CODES_DIVISION, locality);
	/* the counties of the city asked for, else of the biggest one */
	if (city)
		snprintf(top, sizeof top, "%s", city);
	else
		json_array_foreach(o, i, g)
		{
			if (!top[0] && is_city(row_str(g, "code")))
				snprintf(top, sizeof top, "%s", row_str(g, "code"));
		}
	{
		json_t *under = json_object(), *v;
		const char *k;
		char c6[7];

		json_object_foreach(county, k, v)
		{
			city_of(k, c6);
			if (top[0] && strcmp(c6, top) == 0)
				json_object_set(under, k, v);
		}
		json_decref(county);
		county = ranked(CODES_DIVISION, under);
		json_decref(under);
	}
	{
		json_t *arr = json_array();
		int s;

		for (s = ST_REGISTERED; s < ST__COUNT; s++)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:I}", "code", flow_state_name((case_state)s), "label",
							     flow_state_label((case_state)s), "count",
							     json_integer_value(json_object_get(state, flow_state_name((case_state)s)))));
		json_decref(state);
		state = arr;
	}

	spread(reg, "cases", &d, series, &reg_today, &reg_month); /* the period's: `cases` again */
	closed_period = spread(closed, "n", &d, series + ndays, &closed_today, &closed_month);
	daily = json_array();
	for (i = 0; i < ndays; i++) {
		day_text(d.from + (int64_t)i, f);
		json_array_append_new(daily, json_pack("{s:s,s:I,s:I}", "date", f, "registered", series[i], "closed",
						       series[ndays + i]));
	}
	json_array_foreach(closed, i, g)
	{
		int s = flow_satisfaction_parse(row_str(g, "satisfaction"));

		if (s > 0 && s < 4)
			sat[s] += json_integer_value(json_object_get(g, "n"));
	}
	sat[0] = sat[SAT_SATISFIED] + sat[SAT_FAIR] + sat[SAT_UNSATISFIED];

	day_text(d.from, f);
	day_text(d.to, t);
	day_text(d.today, td);
	xtime_iso(now, iso);
	snprintf(mon, sizeof mon, "%04d-%02d", y, m);
	*out = json_pack("{s:s,s:s,s:s,s:{s:s,s:I,s:I},s:{s:s,s:I,s:I}}", "from", f, "to", t, "generated_at", iso,
			 "today", "date", td, "registered", reg_today, "closed", closed_today,
			 "month", "month", mon, "registered", reg_month, "closed", closed_month);
	json_object_set_new(*out, "period",
			    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "days", (json_int_t)ndays, "registered",
				      cases, "persons", persons, "closed", closed_period, "in_progress", open,
				      "overdue_now", overdue, "first_time", cases - repeats, "repeat", repeats,
				      "repeat_rate", rate(repeats, cases)));
	json_object_set_new(*out, "by_channel", every(CODES_CHANNEL, channel));
	json_object_set_new(*out, "by_kind", every(CODES_KIND, kind));
	json_object_set_new(*out, "by_category", ranked(CODES_CATEGORY, category));
	json_object_set_new(*out, "by_locality", o);
	{
		const struct code *c = top[0] ? codes_find(CODES_DIVISION, top) : NULL;

		json_object_set_new(*out, "county_city",
				    c ? json_pack("{s:s,s:s}", "code", c->code, "label", c->label) : json_null());
	}
	json_object_set_new(*out, "by_county", county);
	json_object_set_new(*out, "by_state", state);
	json_object_set_new(*out, "daily", daily);
	timeliness(tl, *out);
	json_object_set_new(*out, "satisfaction",
			    json_pack("{s:I,s:I,s:I,s:I,s:o}", "rated", sat[0], "satisfied", sat[SAT_SATISFIED], "fair",
				      sat[SAT_FAIR], "unsatisfied", sat[SAT_UNSATISFIED], "satisfaction_rate",
				      rate(sat[SAT_SATISFIED] + sat[SAT_FAIR], sat[0])));
	json_decref(channel);
	json_decref(kind);
	json_decref(category);
	json_decref(locality);
	rc = 0;
done:
	if (rc)
		xerr_internal(err, "overview");
	free(series);
	json_decref(reg);
	json_decref(closed);
	json_decref(tl);
	return rc;
}
