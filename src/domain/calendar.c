/*
 * calendar.c - the Chinese working-day calendar (see calendar.h and
 * RULES.md "Counting time").
 *
 * Decisions the header leaves open, written down here:
 *
 *  - amount 0. "0 days" and "0 workdays" end at 24:00 of the start day when
 *    it is a working day, otherwise at 24:00 of the next working day: the
 *    same rule as any other amount (the last day is start_day + amount, and a
 *    last day that is not a working day moves forward), with no special case.
 *    "0 hours" is the start time itself. A negative amount counts as 0.
 *  - Days outside [CAL_FIRST_YEAR, CAL_LAST_YEAR], and days of years whose
 *    arrangement is not loaded, follow the weekends only (Monday-Friday work).
 *    Counting over long stretches outside the table jumps whole weeks (five
 *    working days in every seven), so any amount is cheap.
 *  - calendar_last_day() with CAL_HOURS: the day on which start_day 00:00 +
 *    amount hours falls, i.e. start_day + amount / 24 (hours do not care
 *    about working days; calendar_due() is the call that matters for them).
 *  - calendar_load_json(): besides "days" and the optional "year", other
 *    top-level members ("source", "papers", "$schema" of holiday-cn) are
 *    ignored. "year", when present, must be an integer within the table and
 *    counts as a year that "appears": it is marked loaded and, with
 *    replace_years, cleared like the years of the listed dates (so
 *    {"year":2027,"days":[]} with replace_years empties 2027). The same date
 *    listed twice with different isOffDay is refused; listed twice alike, it
 *    is harmless. Each day must carry "name" (string), "date" ("YYYY-MM-DD",
 *    a real date within the table) and "isOffDay" (boolean).
 */
#include "domain/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/xtime.h"

#define DAY_SECONDS 86400
#define N_YEARS (CAL_LAST_YEAR - CAL_FIRST_YEAR + 1)
#define STR_(x) #x
#define XSTR(x) STR_(x)

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void calendar_init(struct calendar *c)
{
	memset(c->kind, CAL_NORMAL, sizeof c->kind);
	memset(c->loaded, 0, sizeof c->loaded);
	c->first_day = xtime_days_from_civil(CAL_FIRST_YEAR, 1, 1);
	c->n_days = xtime_days_from_civil(CAL_LAST_YEAR + 1, 1, 1) - c->first_day;
}

int64_t calendar_day_of(int64_t t)
{
	return floordiv(t + XTIME_OFFSET, DAY_SECONDS);
}

int64_t calendar_day_start(int64_t day)
{
	return day * DAY_SECONDS - XTIME_OFFSET;
}

static int in_table(const struct calendar *c, int64_t day)
{
	return day >= c->first_day && day - c->first_day < c->n_days;
}

static int year_of(int64_t day)
{
	int y, m, d;

	xtime_civil_from_days(day, &y, &m, &d);
	return y;
}

int calendar_set(struct calendar *c, int64_t day, enum cal_day kind)
{
	if (!in_table(c, day) || (kind != CAL_NORMAL && kind != CAL_OFF && kind != CAL_MAKEUP))
		return -1;
	c->kind[day - c->first_day] = (unsigned char)kind;
	c->loaded[year_of(day) - CAL_FIRST_YEAR] = 1;
	return 0;
}

enum cal_day calendar_get(const struct calendar *c, int64_t day)
{
	return in_table(c, day) ? (enum cal_day)c->kind[day - c->first_day] : CAL_NORMAL;
}

/* 1970-01-01 (day 0) was a Thursday; 0 = Sunday ... 6 = Saturday. */
static int weekday(int64_t day)
{
	return (int)(((day % 7) + 11) % 7);
}

int calendar_is_workday(const struct calendar *c, int64_t day)
{
	switch (calendar_get(c, day)) {
	case CAL_OFF:
		return 0;
	case CAL_MAKEUP:
		return 1;
	case CAL_NORMAL:
	default: {
		int w = weekday(day);

		return w != 0 && w != 6;
	}
	}
}

int calendar_year_loaded(const struct calendar *c, int year)
{
	return year >= CAL_FIRST_YEAR && year <= CAL_LAST_YEAR && c->loaded[year - CAL_FIRST_YEAR];
}

/* ---- counting ----------------------------------------------------------- */

/* How many days from `day` on lie outside the table (weekends only), before
 * the table starts; INT64_MAX past its end; 0 inside it. */
static int64_t plain_run(const struct calendar *c, int64_t day)
{
	if (day < c->first_day)
		return c->first_day - day;
	if (day - c->first_day >= c->n_days)
		return INT64_MAX;
	return 0;
}

static int64_t next_workday(const struct calendar *c, int64_t day)
{
	while (!calendar_is_workday(c, day))
		day++;
	return day;
}

int64_t calendar_last_day(const struct calendar *c, int64_t start_day, int amount, enum cal_unit unit)
{
	int64_t d = start_day, n = amount > 0 ? amount : 0;

	switch (unit) {
	case CAL_HOURS:
		return start_day + n / 24;
	case CAL_WORKDAYS:
		while (n > 0) {
			/* seven plain days always hold five working days: skip whole
			 * weeks while they stay outside the table, keeping n >= 1 */
			int64_t weeks = (n - 1) / 5, room = plain_run(c, d + 1) / 7;

			if (weeks > room)
				weeks = room;
			if (weeks > 0) {
				d += weeks * 7;
				n -= weeks * 5;
				continue;
			}
			d++;
			if (calendar_is_workday(c, d))
				n--;
		}
		/* amount 0 on a day off: the next working day, as for CAL_DAYS */
		return next_workday(c, d);
	case CAL_DAYS:
	default:
		/* 民法典 art. 201, 203: start day not counted; a last day that is not
		 * a working day moves to the first working day after it */
		return next_workday(c, d + n);
	}
}

int64_t calendar_due(const struct calendar *c, int64_t start, int amount, enum cal_unit unit)
{
	if (unit == CAL_HOURS)
		return start + (int64_t)(amount > 0 ? amount : 0) * 3600;
	/* 24:00 of the last day is 00:00 of the day after it */
	return calendar_day_start(calendar_last_day(c, calendar_day_of(start), amount, unit) + 1);
}

/* ---- loading ------------------------------------------------------------ */

struct scratch_day {
	int64_t day;
	unsigned char kind;
};

/* Strict "YYYY-MM-DD" naming a real date; 0 and *day, or -1. */
static int parse_date(const char *s, int64_t *day, int *year)
{
	int y = 0, m = 0, d = 0, y2, m2, d2;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*day = xtime_days_from_civil(y, m, d);
	xtime_civil_from_days(*day, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d) /* 02-30, 04-31 ... */
		return -1;
	*year = y;
	return 0;
}

/* Short printable ASCII, safe to quote back in a message. */
static int printable_ascii(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= max || s[n] < 0x20 || s[n] > 0x7e)
			return 0;
	return 1;
}

/* "the i-th day's <what>" is wrong; the field names the member. */
static int bad_day(struct xerr *err, size_t i, const char *member, const char *what)
{
	char field[64];

	snprintf(field, sizeof field, "days[%zu]%s%s", i, *member ? "." : "", member);
	return xerr_set(err, 400, "calendar.bad_day", field, "日历第%zu项%s", i + 1, what);
}

/* Check one element of "days" into *out. */
static int parse_day(const json_t *e, size_t i, struct scratch_day *out, int *year, struct xerr *err)
{
	const json_t *name, *date, *off;
	const char *s;

	if (!json_is_object(e))
		return bad_day(err, i, "", "不是对象");
	name = json_object_get(e, "name");
	date = json_object_get(e, "date");
	off = json_object_get(e, "isOffDay");
	if (!json_is_string(name))
		return bad_day(err, i, "name", "的名称（name）缺失或不是字符串");
	if (!json_is_string(date))
		return bad_day(err, i, "date", "的日期（date）缺失或不是字符串");
	if (!json_is_boolean(off))
		return bad_day(err, i, "isOffDay", "的放假标志（isOffDay）缺失或不是布尔值");
	s = json_string_value(date);
	if (parse_date(s, &out->day, year) != 0) {
		char field[64];

		snprintf(field, sizeof field, "days[%zu].date", i);
		if (!printable_ascii(s, 20))
			return bad_day(err, i, "date", "的日期（date）不是有效的 YYYY-MM-DD 日期");
		return xerr_set(err, 400, "calendar.bad_day", field,
				"日历第%zu项的日期“%s”不是有效的 YYYY-MM-DD 日期", i + 1, s);
	}
	if (*year < CAL_FIRST_YEAR || *year > CAL_LAST_YEAR)
		return bad_day(err, i, "date",
			       "的日期（date）超出支持范围（" XSTR(CAL_FIRST_YEAR) "—" XSTR(CAL_LAST_YEAR) "年）");
	out->kind = json_is_true(off) ? CAL_OFF : CAL_MAKEUP;
	return 0;
}

static int cmp_scratch(const void *a, const void *b)
{
	const struct scratch_day *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

int calendar_load_json(struct calendar *c, const char *json, size_t len, int replace_years,
		       struct xerr *err)
{
	unsigned char years[N_YEARS];
	struct scratch_day *list = NULL;
	json_error_t jerr;
	json_t *root, *days, *year;
	size_t n, i;
	int rc = -1;

	if (!json)
		return xerr_set(err, 400, "calendar.bad_json", NULL, "日历数据为空");
	root = json_loadb(json, len, 0, &jerr);
	if (!root)
		return xerr_set(err, 400, "calendar.bad_json", NULL, "日历数据不是合法的 JSON（第%d行第%d列）",
				jerr.line, jerr.column);
	memset(years, 0, sizeof years);
	if (!json_is_object(root)) {
		xerr_set(err, 400, "calendar.bad_json", NULL, "日历数据必须是 JSON 对象");
		goto out;
	}
	year = json_object_get(root, "year");
	if (year) {
		json_int_t y = json_is_integer(year) ? json_integer_value(year) : 0;

		if (y < CAL_FIRST_YEAR || y > CAL_LAST_YEAR) {
			xerr_set(err, 400, "calendar.bad_year", "year", "年份（year）必须是 %d—%d 之间的整数",
				 CAL_FIRST_YEAR, CAL_LAST_YEAR);
			goto out;
		}
		years[y - CAL_FIRST_YEAR] = 1;
	}
	days = json_object_get(root, "days");
	if (!json_is_array(days)) {
		xerr_set(err, 400, "calendar.bad_json", "days", "日历数据缺少日期数组（days）");
		goto out;
	}
	n = json_array_size(days);
	list = calloc(n ? n : 1, sizeof *list);
	if (!list) {
		xerr_internal(err, "calendar: out of memory");
		goto out;
	}
	/* everything is checked into the scratch list before c is touched */
	for (i = 0; i < n; i++) {
		int y = CAL_FIRST_YEAR;

		if (parse_day(json_array_get(days, i), i, &list[i], &y, err) != 0)
			goto out;
		years[y - CAL_FIRST_YEAR] = 1;
	}
	qsort(list, n, sizeof *list, cmp_scratch);
	for (i = 1; i < n; i++) {
		if (list[i].day == list[i - 1].day && list[i].kind != list[i - 1].kind) {
			char date[11];
			int y, m, d;

			xtime_civil_from_days(list[i].day, &y, &m, &d);
			snprintf(date, sizeof date, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
				 (unsigned)d % 100u);
			xerr_set(err, 400, "calendar.duplicate_day", "days", "日期 %s 同时被列为放假日和调休上班日",
				 date);
			goto out;
		}
	}

	/* apply: nothing below can fail */
	for (int k = 0; k < N_YEARS; k++) {
		if (!years[k])
			continue;
		if (replace_years) {
			int64_t from = xtime_days_from_civil(CAL_FIRST_YEAR + k, 1, 1) - c->first_day;
			int64_t to = xtime_days_from_civil(CAL_FIRST_YEAR + k + 1, 1, 1) - c->first_day;

			memset(c->kind + from, CAL_NORMAL, (size_t)(to - from));
		}
		c->loaded[k] = 1;
	}
	for (i = 0; i < n; i++)
		c->kind[list[i].day - c->first_day] = list[i].kind;
	rc = 0;
out:
	free(list);
	json_decref(root);
	return rc;
}

/* ---- units -------------------------------------------------------------- */

const char *calendar_unit_name(enum cal_unit u)
{
	switch (u) {
	case CAL_DAYS:
		return "days";
	case CAL_WORKDAYS:
		return "workdays";
	case CAL_HOURS:
		return "hours";
	}
	return "unknown";
}

int calendar_unit_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "days") == 0)
		return CAL_DAYS;
	if (strcmp(s, "workdays") == 0)
		return CAL_WORKDAYS;
	if (strcmp(s, "hours") == 0)
		return CAL_HOURS;
	return -1;
}
