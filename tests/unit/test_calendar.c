/*
 * test_calendar.c - the working-day calendar (src/domain/calendar.c) and the
 * committed arrangement data/calendar/cn-holidays.json against the rules.
 *
 * Citations: /work/shared/reference/RULES.md "Counting time" ("RULES"), which
 * collects 民法典 art. 201-203 (start day not counted; a last day that is a
 * holiday moves to the day after it; a deadline ends at 24:00), the working-
 * day rule (weekends and statutory holidays skipped, make-up working days 调休
 * counted) and the 2025/2026 lists (国办发明电〔2024〕12号, 〔2025〕7号).
 *
 * The tests do not trust the data file to describe itself: the 2025 and 2026
 * lists are written out again below from RULES.md and every day of both years
 * must agree with them; the expected due dates were worked out by hand.
 *
 * Weekdays used below: 2025-01-01 Wed; 2026-01-01 Thu; 2026-09-28 Mon;
 * 2026-09-30 Wed; 2026-10-10 Sat; 2026-10-11 Sun; 2026-10-13 Tue.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xerr.h"
#include "base/xtime.h"
#include "domain/calendar.h"

#define DATA_FILE "data/calendar/cn-holidays.json"

static struct calendar CAL; /* loaded from DATA_FILE before each test */

/* ---- helpers ---------------------------------------------------------------- */

static int64_t day(const char *ymd)
{
	int64_t t;

	cr_assert_eq(xtime_parse(ymd, &t), 0, "bad date in test: %s", ymd);
	return calendar_day_of(t);
}

static int64_t at(const char *iso)
{
	int64_t t;

	cr_assert_eq(xtime_parse(iso, &t), 0, "bad time in test: %s", iso);
	return t;
}

static void ymd(int64_t d, char out[11])
{
	int y, m, dd;

	xtime_civil_from_days(d, &y, &m, &dd);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)dd % 100u);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s (tests run from the repository root)", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_gt(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void load_data(void)
{
	struct xerr err;
	size_t len;
	char *json = read_file(DATA_FILE, &len);

	xerr_clear(&err);
	calendar_init(&CAL);
	cr_assert_eq(calendar_load_json(&CAL, json, len, 1, &err), 0, "%s: %s %s", DATA_FILE,
		     err.code ? err.code : "", err.message);
	free(json);
}

static int load_str(struct calendar *c, const char *json, int replace, struct xerr *err)
{
	xerr_clear(err);
	return calendar_load_json(c, json, strlen(json), replace, err);
}

TestSuite(calendar, .init = load_data);

/* ---- the data file against RULES.md 2025 and 2026 ---------------------------- */

struct span {
	const char *from, *to; /* inclusive */
};

/* RULES "Counting time": 2025 and 2026 days off and make-up working days */
static const struct span OFF_2025_2026[] = {
	{ "2025-01-01", "2025-01-01" }, { "2025-01-28", "2025-02-04" }, { "2025-04-04", "2025-04-06" },
	{ "2025-05-01", "2025-05-05" }, { "2025-05-31", "2025-06-02" }, { "2025-10-01", "2025-10-08" },
	{ "2026-01-01", "2026-01-03" }, { "2026-02-15", "2026-02-23" }, { "2026-04-04", "2026-04-06" },
	{ "2026-05-01", "2026-05-05" }, { "2026-06-19", "2026-06-21" }, { "2026-09-25", "2026-09-27" },
	{ "2026-10-01", "2026-10-07" },
};
static const char *const MAKEUP_2025_2026[] = {
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
};

static enum cal_day rules_kind(int64_t d)
{
	for (size_t i = 0; i < sizeof OFF_2025_2026 / sizeof OFF_2025_2026[0]; i++)
		if (d >= day(OFF_2025_2026[i].from) && d <= day(OFF_2025_2026[i].to))
			return CAL_OFF;
	for (size_t i = 0; i < sizeof MAKEUP_2025_2026 / sizeof MAKEUP_2025_2026[0]; i++)
		if (d == day(MAKEUP_2025_2026[i]))
			return CAL_MAKEUP;
	return CAL_NORMAL;
}

Test(calendar, data_2025_2026_match_rules_day_by_day)
{
	/* RULES "Counting time": the 2025 and 2026 lists, exactly, and nothing else */
	for (int64_t d = day("2025-01-01"); d <= day("2026-12-31"); d++) {
		char s[11];

		ymd(d, s);
		cr_assert_eq(calendar_get(&CAL, d), rules_kind(d), "%s: data %d, RULES.md %d", s,
			     (int)calendar_get(&CAL, d), (int)rules_kind(d));
	}
}

Test(calendar, data_is_sorted_and_well_formed)
{
	/* holiday-cn format sorted by date, so the file diffs cleanly when regenerated
	 * by scripts/calendar-gen.mjs */
	size_t len;
	char *json = read_file(DATA_FILE, &len), *p = json, prev[11] = "0000-00-00";
	int n = 0;

	while ((p = strstr(p, "\"date\": \"")) != NULL) {
		char cur[11];

		p += strlen("\"date\": \"");
		memcpy(cur, p, 10);
		cur[10] = '\0';
		cr_assert_gt(strcmp(cur, prev), 0, "%s after %s: not sorted or duplicated", cur, prev);
		memcpy(prev, cur, sizeof prev);
		n++;
	}
	cr_assert_gt(n, 200, "2020-2026 list roughly 30-40 days a year, got %d", n);
	cr_assert_str_eq(prev, "2026-10-10", "the last listed day is the 2026 National Day make-up day");
	cr_assert_not_null(strstr(json, "\"source\""));
	free(json);
}

Test(calendar, years_loaded_2020_to_2026_only)
{
	/* RULES "Counting time": the arrangement is published year by year; only the
	 * years the file carries are known */
	for (int y = 2020; y <= 2026; y++)
		cr_assert(calendar_year_loaded(&CAL, y), "%d should be loaded", y);
	cr_assert_not(calendar_year_loaded(&CAL, 2019));
	cr_assert_not(calendar_year_loaded(&CAL, 2027), "2027 is not published yet");
	cr_assert_not(calendar_year_loaded(&CAL, CAL_FIRST_YEAR - 1), "outside the table");
	cr_assert_not(calendar_year_loaded(&CAL, CAL_LAST_YEAR + 1), "outside the table");
}

Test(calendar, earlier_years_spot_checks)
{
	/* chinese-days for 2020-2024 (RULES "Counting time" names it as the source) */
	static const struct {
		const char *date;
		enum cal_day kind;
		const char *why;
	} rows[] = {
		{ "2020-01-19", CAL_MAKEUP, "2020 Spring Festival make-up Sunday" },
		{ "2020-01-31", CAL_OFF, "2020 Spring Festival extended to 02-02" },
		{ "2020-02-03", CAL_NORMAL, "2020 first day back after the extension" },
		{ "2022-12-31", CAL_OFF, "2023 New Year's days off begin on 2022-12-31" },
		{ "2023-10-06", CAL_OFF, "2023 National Day + Mid-Autumn 09-29..10-06" },
		{ "2023-10-07", CAL_MAKEUP, "2023 National Day make-up Saturday" },
		{ "2024-02-09", CAL_NORMAL, "2024 New Year's Eve was a working day" },
		{ "2024-02-10", CAL_OFF, "2024 Spring Festival 02-10..02-17" },
		{ "2024-02-18", CAL_MAKEUP, "2024 Spring Festival make-up Sunday" },
		{ "2024-10-12", CAL_MAKEUP, "2024 National Day make-up Saturday" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_assert_eq(calendar_get(&CAL, day(rows[i].date)), rows[i].kind, "%s: %s", rows[i].date,
			     rows[i].why);
}

/* ---- working days ------------------------------------------------------------- */

Test(calendar, workday_queries_the_cli_answers)
{
	/* RULES "Counting time": working days skip weekends and statutory holidays
	 * but include make-up working days (调休) */
	cr_assert(calendar_is_workday(&CAL, day("2026-10-10")), "workday 2026-10-10: make-up Saturday");
	cr_assert_eq(calendar_get(&CAL, day("2026-10-10")), CAL_MAKEUP);
	cr_assert_not(calendar_is_workday(&CAL, day("2026-10-01")), "workday 2026-10-01: National Day");
	cr_assert_eq(calendar_get(&CAL, day("2026-10-01")), CAL_OFF);
	cr_assert_not(calendar_is_workday(&CAL, day("2026-10-11")), "workday 2026-10-11: an ordinary Sunday");
	cr_assert_eq(calendar_get(&CAL, day("2026-10-11")), CAL_NORMAL);
	cr_assert(calendar_is_workday(&CAL, day("2026-10-12")), "an ordinary Monday");
	cr_assert(calendar_is_workday(&CAL, day("2026-09-20")), "make-up Sunday before Mid-Autumn");
	cr_assert_not(calendar_is_workday(&CAL, day("2026-09-25")), "Mid-Autumn, a Friday");
}

Test(calendar, unloaded_and_out_of_table_years_count_weekends_only)
{
	/* calendar.h: days without a loaded arrangement follow the weekends only */
	cr_assert(calendar_is_workday(&CAL, day("2019-10-01")), "2019 not loaded: a plain Tuesday");
	cr_assert(calendar_is_workday(&CAL, day("2027-01-01")), "2027 not loaded: a plain Friday");
	cr_assert_not(calendar_is_workday(&CAL, day("2027-01-02")), "Saturday");
	cr_assert(calendar_is_workday(&CAL, day("1999-12-31")), "before the table: Friday");
	cr_assert_not(calendar_is_workday(&CAL, day("1970-01-04")), "before the table: Sunday");
	cr_assert(calendar_is_workday(&CAL, day("2100-01-01")), "after the table: Friday");
	cr_assert_not(calendar_is_workday(&CAL, day("2100-01-02")), "after the table: Saturday");
	cr_assert_eq(calendar_get(&CAL, day("2100-01-01")), CAL_NORMAL);
}

/* ---- due dates ------------------------------------------------------------------ */

struct due_row {
	const char *start; /* YYYY-MM-DD or an ISO time */
	int amount;
	enum cal_unit unit;
	const char *last; /* last day, or for hours the ISO due time */
	const char *why;
};

static const struct due_row DUE[] = {
	/* -- the CLI examples -- */
	/* due 2026-09-28 15 days: start Mon 09-28 is not counted (民法典 art. 201);
	 * 09-28 + 15 = Tue 10-13. The National Day holiday 10-01..10-07 lies inside
	 * the period and does not lengthen calendar days; only a last day that is a
	 * day off would move (art. 203), and 10-13 is an ordinary Tuesday after the
	 * make-up Saturday 10-10 and the Sunday 10-11. Deadline: 10-13 24:00, i.e.
	 * 2026-10-14T00:00+08:00. */
	{ "2026-09-28", 15, CAL_DAYS, "2026-10-13", "CLI: due 2026-09-28 15 days" },
	/* due 2026-09-30 5 workdays: 10-01..10-07 off; Thu 10-08 (1), Fri 10-09 (2),
	 * make-up Sat 10-10 (3), Sun 10-11 skipped, Mon 10-12 (4), Tue 10-13 (5) */
	{ "2026-09-30", 5, CAL_WORKDAYS, "2026-10-13", "CLI: due 2026-09-30 5 workdays" },

	/* -- 2025 Spring Festival: off 01-28..02-04, make-up Sun 01-26 and Sat 02-08 -- */
	{ "2025-01-20", 10, CAL_DAYS, "2025-02-05", "RULES: last day 01-30 in the holiday moves to Wed 02-05" },
	{ "2025-01-16", 10, CAL_DAYS, "2025-01-26", "RULES: last day on make-up Sunday 01-26 stays" },
	{ "2025-01-24", 3, CAL_WORKDAYS, "2025-02-05", "RULES: make-up Sun 01-26 (1), Mon 01-27 (2), Wed 02-05 (3)" },
	{ "2025-02-04", 3, CAL_WORKDAYS, "2025-02-07", "RULES: start on a day off, Wed..Fri 02-05..02-07" },
	{ "2025-02-04", 5, CAL_WORKDAYS, "2025-02-10", "RULES: 02-05..02-07, make-up Sat 02-08 (4), Mon 02-10 (5)" },

	/* -- 2026 Spring Festival: off 02-15..02-23, make-up Sat 02-14 and Sat 02-28 -- */
	{ "2026-02-10", 7, CAL_DAYS, "2026-02-24", "RULES: last day 02-17 in the holiday moves to Tue 02-24" },
	{ "2026-02-12", 3, CAL_WORKDAYS, "2026-02-24", "RULES: Fri 02-13 (1), make-up Sat 02-14 (2), Tue 02-24 (3)" },
	{ "2026-02-24", 4, CAL_WORKDAYS, "2026-02-28", "RULES: 02-25..02-27, make-up Sat 02-28 (4)" },
	{ "2026-02-13", 15, CAL_DAYS, "2026-02-28", "RULES: last day on make-up Saturday 02-28 stays" },
	{ "2026-02-14", 0, CAL_DAYS, "2026-02-14", "0 days on a make-up Saturday: that day" },

	/* -- 2025 National Day + Mid-Autumn: off 10-01..10-08, make-up Sun 09-28, Sat 10-11 -- */
	{ "2025-09-20", 15, CAL_DAYS, "2025-10-09", "RULES: last day 10-05 in the holiday moves to Thu 10-09" },
	{ "2025-09-13", 15, CAL_DAYS, "2025-09-28", "RULES: last day on make-up Sunday 09-28 stays" },
	{ "2025-09-26", 5, CAL_WORKDAYS, "2025-10-10",
	  "RULES: make-up Sun 09-28 (1), 09-29 (2), 09-30 (3), 10-09 (4), 10-10 (5)" },
	{ "2025-09-30", 3, CAL_WORKDAYS, "2025-10-11", "RULES: 10-09 (1), 10-10 (2), make-up Sat 10-11 (3)" },
	{ "2025-09-30", 0, CAL_DAYS, "2025-09-30", "0 days on a working day: the start day itself" },
	{ "2025-10-01", 0, CAL_DAYS, "2025-10-09", "0 days on a holiday: moves like any last day" },
	{ "2025-10-01", 0, CAL_WORKDAYS, "2025-10-09", "0 workdays on a holiday: the next working day" },

	/* -- 2026 Mid-Autumn 09-25..09-27 and National Day 10-01..10-07, make-up Sun 09-20, Sat 10-10 -- */
	{ "2026-09-10", 15, CAL_DAYS, "2026-09-28", "RULES: last day 09-25 (Mid-Autumn) moves to Mon 09-28" },
	{ "2026-09-05", 15, CAL_DAYS, "2026-09-20", "RULES: last day on make-up Sunday 09-20 stays" },
	{ "2026-09-18", 2, CAL_WORKDAYS, "2026-09-21", "RULES: make-up Sun 09-20 (1), Mon 09-21 (2)" },
	{ "2026-09-24", 4, CAL_WORKDAYS, "2026-10-08",
	  "RULES: 09-28 (1), 09-29 (2), 09-30 (3), both holidays skipped, Thu 10-08 (4)" },
	{ "2026-09-20", 14, CAL_DAYS, "2026-10-08", "RULES: last day 10-04 in the holiday moves to Thu 10-08" },
	{ "2026-09-26", 15, CAL_DAYS, "2026-10-12", "RULES: last day Sun 10-11 (no make-up) moves to Mon 10-12" },
	{ "2026-09-30", 10, CAL_DAYS, "2026-10-10", "RULES: last day on make-up Saturday 10-10 stays" },

	/* -- other 2025/2026 holidays -- */
	{ "2025-05-21", 10, CAL_DAYS, "2025-06-03", "RULES: last day Sat 05-31 (Dragon Boat 05-31..06-02) -> Tue 06-03" },
	{ "2026-03-30", 6, CAL_DAYS, "2026-04-07", "RULES: last day 04-05 (Qingming 04-04..04-06) -> Tue 04-07" },
	{ "2026-04-30", 5, CAL_WORKDAYS, "2026-05-11",
	  "RULES: 05-01..05-05 off; 05-06..05-08 (3), make-up Sat 05-09 (4), Mon 05-11 (5)" },

	/* -- a last day on a Sunday moves to Monday -- */
	{ "2026-03-01", 14, CAL_DAYS, "2026-03-16", "民法典 art. 203: last day Sun 03-15 -> Mon 03-16" },
	{ "2025-06-14", 1, CAL_DAYS, "2025-06-16", "民法典 art. 203: last day Sun 06-15 -> Mon 06-16" },

	/* -- month ends -- */
	{ "2026-01-31", 1, CAL_DAYS, "2026-02-02", "month end: Sun 02-01 -> Mon 02-02" },
	{ "2025-04-30", 1, CAL_DAYS, "2025-05-06", "month end: 05-01 Labour Day (05-01..05-05) -> Tue 05-06" },
	{ "2026-03-31", 1, CAL_DAYS, "2026-04-01", "month end: Wed 04-01, a working day" },
	{ "2025-11-30", 31, CAL_DAYS, "2025-12-31", "31 days from Sun 11-30 is Wed 12-31" },
	{ "2026-01-30", 30, CAL_DAYS, "2026-03-02", "01-30 + 30 = Sun 03-01 -> Mon 03-02 (February has 28 days)" },

	/* -- year ends -- */
	{ "2025-12-31", 1, CAL_DAYS, "2026-01-04",
	  "year end: 2026-01-01..01-03 off, the next working day is make-up Sunday 01-04" },
	{ "2025-12-20", 15, CAL_DAYS, "2026-01-04", "year end: last day on make-up Sunday 2026-01-04 stays" },
	{ "2025-12-30", 2, CAL_WORKDAYS, "2026-01-04", "year end: Wed 12-31 (1), make-up Sun 01-04 (2)" },
	{ "2024-12-31", 1, CAL_DAYS, "2025-01-02", "year end: 2025-01-01 off -> Thu 01-02" },
	{ "2026-12-31", 1, CAL_DAYS, "2027-01-01", "2027 not loaded: Fri 2027-01-01 counts as a working day" },
	{ "2026-12-30", 3, CAL_DAYS, "2027-01-04", "2027 not loaded: Sat 2027-01-02 -> Mon 01-04" },
	{ "2026-12-25", 5, CAL_WORKDAYS, "2027-01-01", "12-28..12-31 (4), Fri 2027-01-01 (5)" },

	/* -- leap years -- */
	{ "2024-02-28", 1, CAL_DAYS, "2024-02-29", "leap year: 2024-02-29 exists (Thursday)" },
	{ "2024-01-31", 29, CAL_DAYS, "2024-02-29", "leap year: 01-31 + 29 = 02-29" },
	{ "2024-02-29", 1, CAL_DAYS, "2024-03-01", "leap year: 02-29 + 1 = Fri 03-01" },
	{ "2024-02-29", 365, CAL_DAYS, "2025-02-28", "2024-02-29 + 365 = Fri 2025-02-28" },
	{ "2023-02-28", 366, CAL_DAYS, "2024-02-29", "2023-02-28 + 366 = 2024-02-29" },
	{ "2025-02-28", 1, CAL_DAYS, "2025-03-03", "not a leap year: Sat 03-01 -> Mon 03-03" },
	{ "2024-02-08", 2, CAL_WORKDAYS, "2024-02-18",
	  "2024 Spring Festival 02-10..02-17: Fri 02-09 (1), make-up Sun 02-18 (2)" },

	/* -- outside the loaded years and the table: weekends only -- */
	{ "2019-09-30", 1, CAL_DAYS, "2019-10-01", "2019 not loaded: Tue 10-01 counts as a working day" },
	{ "1999-12-31", 1, CAL_DAYS, "2000-01-03", "before -> inside the table: Sat 2000-01-01 -> Mon 01-03" },
	{ "2099-12-31", 1, CAL_DAYS, "2100-01-01", "past the table: Fri 2100-01-01" },
	{ "2100-01-01", 1, CAL_DAYS, "2100-01-04", "past the table: Sat 01-02 -> Mon 01-04" },
	{ "2100-01-01", 5, CAL_WORKDAYS, "2100-01-08", "past the table: Mon..Fri 01-04..01-08" },

	/* -- hours: wall-clock, holidays do not matter (seed 000 art. 13) -- */
	{ "2026-09-30T16:00", 2, CAL_HOURS, "2026-09-30T18:00:00+08:00", "CLI: due 2026-09-30T16:00 2 hours" },
	{ "2026-09-30T23:00", 2, CAL_HOURS, "2026-10-01T01:00:00+08:00", "hours run into a holiday" },
	{ "2026-10-01T09:00", 0, CAL_HOURS, "2026-10-01T09:00:00+08:00", "0 hours: the start time" },
	{ "2026-09-30T16:00:00Z", 2, CAL_HOURS, "2026-10-01T02:00:00+08:00", "UTC input, Shanghai output" },
};

Test(calendar, due_table)
{
	for (size_t i = 0; i < sizeof DUE / sizeof DUE[0]; i++) {
		const struct due_row *r = &DUE[i];
		int64_t start = at(r->start);

		if (r->unit == CAL_HOURS) {
			char iso[32];

			xtime_iso(calendar_due(&CAL, start, r->amount, r->unit), iso);
			cr_assert_str_eq(iso, r->last, "row %zu (%s): %s", i, r->why, iso);
			continue;
		}
		char got[11];
		int64_t last = calendar_last_day(&CAL, calendar_day_of(start), r->amount, r->unit);

		ymd(last, got);
		cr_assert_str_eq(got, r->last, "row %zu (%s): last day %s", i, r->why, got);
		/* 民法典 art. 203: ends at 24:00 of the last day, i.e. 00:00 of the next */
		cr_assert_eq(calendar_due(&CAL, start, r->amount, r->unit), calendar_day_start(day(r->last) + 1),
			     "row %zu (%s): due", i, r->why);
		/* any time of the start day gives the same deadline: the start day is not counted */
		cr_assert_eq(calendar_due(&CAL, start + 86399, r->amount, r->unit),
			     calendar_due(&CAL, start, r->amount, r->unit), "row %zu (%s): late start", i, r->why);
	}
}

Test(calendar, cli_deadlines_as_times)
{
	char iso[32];

	/* 民法典 art. 203: the period ends at 24:00 of 2026-10-13 Asia/Shanghai */
	xtime_iso(calendar_due(&CAL, at("2026-09-28"), 15, CAL_DAYS), iso);
	cr_assert_str_eq(iso, "2026-10-14T00:00:00+08:00");
	xtime_iso(calendar_due(&CAL, at("2026-09-30"), 5, CAL_WORKDAYS), iso);
	cr_assert_str_eq(iso, "2026-10-14T00:00:00+08:00");
	/* seed 000 art. 13: hours are wall-clock */
	xtime_iso(calendar_due(&CAL, at("2026-09-30T16:00"), 2, CAL_HOURS), iso);
	cr_assert_str_eq(iso, "2026-09-30T18:00:00+08:00");
}

Test(calendar, start_day_is_the_shanghai_date)
{
	/* RULES "Counting time": days are counted in Asia/Shanghai. 2026-09-27T16:30Z
	 * is already 09-28 00:30 in Beijing, so it counts like 09-28; 15:59Z is 09-27
	 * 23:59 (Mid-Autumn Sunday), and 09-27 + 15 = Mon 10-12. */
	cr_assert_eq(calendar_day_of(at("2026-09-27T16:30:00Z")), day("2026-09-28"));
	cr_assert_eq(calendar_day_of(at("2026-09-27T15:59:59Z")), day("2026-09-27"));
	cr_assert_eq(calendar_due(&CAL, at("2026-09-27T16:30:00Z"), 15, CAL_DAYS), at("2026-10-14T00:00"));
	cr_assert_eq(calendar_due(&CAL, at("2026-09-27T15:59:59Z"), 15, CAL_DAYS), at("2026-10-13T00:00"));
	cr_assert_eq(calendar_day_start(day("2026-09-28")), at("2026-09-28T00:00:00+08:00"));
	cr_assert_eq(calendar_day_of(0), 0, "1970-01-01T08:00+08:00");
	cr_assert_eq(calendar_day_of(-8 * 3600 - 1), -1, "1969-12-31T23:59:59+08:00");
}

/* Day-by-day counting written independently of calendar.c, on its answers
 * to calendar_is_workday(). */
static int64_t naive_last(const struct calendar *c, int64_t d, int amount, enum cal_unit unit)
{
	if (unit == CAL_DAYS) {
		d += amount;
	} else {
		for (int n = amount; n > 0;)
			if (calendar_is_workday(c, ++d))
				n--;
	}
	while (!calendar_is_workday(c, d))
		d++;
	return d;
}

Test(calendar, counting_matches_day_by_day_everywhere)
{
	/* RULES "Counting time", over every start day of 2019-12..2027-01 and around
	 * both ends of the table, where long periods are counted by whole weeks */
	static const struct span ranges[] = {
		{ "2019-12-01", "2027-01-31" },
		{ "1999-11-01", "2000-01-15" },
		{ "2099-11-01", "2100-02-15" },
	};

	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
		for (int64_t d = day(ranges[r].from); d <= day(ranges[r].to); d++) {
			for (int a = 0; a <= 40; a++) {
				for (int u = CAL_DAYS; u <= CAL_WORKDAYS; u++) {
					int64_t want = naive_last(&CAL, d, a, (enum cal_unit)u);
					int64_t got = calendar_last_day(&CAL, d, a, (enum cal_unit)u);

					if (got != want) {
						char s[11];

						ymd(d, s);
						cr_assert_fail("%s + %d %s: got day %lld, want %lld", s, a,
							       calendar_unit_name((enum cal_unit)u), (long long)got,
							       (long long)want);
					}
				}
			}
		}
	}
}

Test(calendar, long_periods_are_cheap_and_exact)
{
	/* calendar.h: days beyond the table count weekends only; a long count there
	 * jumps whole weeks but lands where counting day by day does */
	int64_t from = day("1990-06-15");

	cr_assert_eq(calendar_last_day(&CAL, from, 100000, CAL_WORKDAYS),
		     naive_last(&CAL, from, 100000, CAL_WORKDAYS), "through the whole table and beyond");
	/* 2099-12-31 Thu: Fri 2100-01-01 (1), then 199999 whole weeks end on a
	 * Friday (999996), Mon..Thu (1000000) */
	cr_assert_eq(calendar_last_day(&CAL, day("2099-12-31"), 1000000, CAL_WORKDAYS),
		     day("2100-01-01") + 199999 * 7 + 6);
	cr_assert_eq(calendar_last_day(&CAL, day("2099-12-31"), 2147483647, CAL_WORKDAYS) > day("2100-01-01"), 1,
		     "INT_MAX workdays terminate");
	/* far before the table: 2 workdays from a Thursday is the next Monday */
	cr_assert_eq(calendar_last_day(&CAL, -700000000 * 7LL, 2, CAL_WORKDAYS), -700000000 * 7LL + 4,
		     "day 0 mod 7 is a Thursday");
	cr_assert_eq(calendar_last_day(&CAL, day("2026-09-28"), -3, CAL_DAYS), day("2026-09-28"),
		     "a negative amount counts as 0");
}

/* ---- loading ------------------------------------------------------------------ */

Test(calendar, load_rejects_bad_input_and_changes_nothing)
{
	/* calendar.h: on any error -1 with err, and the calendar unchanged (RULES
	 * "Counting time": administrators enter the arrangement, so their input is
	 * checked whole before any of it counts) */
	static const struct {
		const char *json;
		const char *code;
		const char *field;
	} rows[] = {
		{ "", "calendar.bad_json", "" },
		{ "{\"days\": [", "calendar.bad_json", "" },
		{ "{\"days\": []} trailing", "calendar.bad_json", "" },
		{ "[]", "calendar.bad_json", "" },
		{ "\"days\"", "calendar.bad_json", "" },
		{ "{}", "calendar.bad_json", "days" },
		{ "{\"days\": {}}", "calendar.bad_json", "days" },
		{ "{\"days\": null}", "calendar.bad_json", "days" },
		{ "{\"days\": [1]}", "calendar.bad_day", "days[0]" },
		{ "{\"days\": [{\"name\":\"x\",\"isOffDay\":true}]}", "calendar.bad_day", "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":20261009,\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-02-29\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-04-31\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-13-01\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-10-9\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-+1-09\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-10-09T00:00\",\"isOffDay\":true}]}",
		  "calendar.bad_day", "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"\u4e8c\u3007\u4e8c\u516d\",\"isOffDay\":true}]}",
		  "calendar.bad_day", "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"1999-12-31\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2100-01-01\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].date" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-10-09\"}]}", "calendar.bad_day", "days[0].isOffDay" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-10-09\",\"isOffDay\":\"true\"}]}", "calendar.bad_day",
		  "days[0].isOffDay" },
		{ "{\"days\": [{\"name\":\"x\",\"date\":\"2026-10-09\",\"isOffDay\":1}]}", "calendar.bad_day",
		  "days[0].isOffDay" },
		{ "{\"days\": [{\"date\":\"2026-10-09\",\"isOffDay\":true}]}", "calendar.bad_day", "days[0].name" },
		{ "{\"days\": [{\"name\":7,\"date\":\"2026-10-09\",\"isOffDay\":true}]}", "calendar.bad_day",
		  "days[0].name" },
		/* good days before a bad one must not be applied either */
		{ "{\"days\": [{\"name\":\"a\",\"date\":\"2026-10-09\",\"isOffDay\":true},"
		  "{\"name\":\"b\",\"date\":\"2027-01-01\",\"isOffDay\":true},"
		  "{\"name\":\"c\",\"date\":\"2027-02-30\",\"isOffDay\":true}]}",
		  "calendar.bad_day", "days[2].date" },
		{ "{\"days\": [{\"name\":\"a\",\"date\":\"2027-10-09\",\"isOffDay\":true},"
		  "{\"name\":\"b\",\"date\":\"2027-10-09\",\"isOffDay\":false}]}",
		  "calendar.duplicate_day", "days" },
		{ "{\"year\": \"2027\", \"days\": []}", "calendar.bad_year", "year" },
		{ "{\"year\": 2027.0, \"days\": []}", "calendar.bad_year", "year" },
		{ "{\"year\": 1999, \"days\": []}", "calendar.bad_year", "year" },
	};
	struct calendar *before = malloc(sizeof *before);

	cr_assert_not_null(before);
	memcpy(before, &CAL, sizeof *before);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (int replace = 0; replace <= 1; replace++) {
			struct xerr err;

			cr_assert_eq(load_str(&CAL, rows[i].json, replace, &err), -1, "row %zu accepted: %s", i,
				     rows[i].json);
			cr_assert_str_eq(err.code, rows[i].code, "row %zu: %s", i, rows[i].json);
			cr_assert_str_eq(err.field, rows[i].field, "row %zu: %s", i, rows[i].json);
			cr_assert_eq(err.status, 400, "row %zu", i);
			cr_assert((unsigned char)err.message[0] >= 0x80, "row %zu: message in Chinese: %s", i,
				  err.message);
			cr_assert_eq(memcmp(before, &CAL, sizeof *before), 0, "row %zu (replace %d) changed the calendar",
				     i, replace);
		}
	}
	free(before);
}

Test(calendar, load_null_and_length_are_respected)
{
	/* calendar.h: `len` bytes are the input, not up to a NUL */
	struct xerr err;
	const char *json = "{\"days\":[{\"name\":\"x\",\"date\":\"2027-10-09\",\"isOffDay\":true}]}GARBAGE";

	xerr_clear(&err);
	cr_assert_eq(calendar_load_json(&CAL, json, strlen(json) - strlen("GARBAGE"), 0, &err), 0, "%s",
		     err.message);
	cr_assert_eq(calendar_get(&CAL, day("2027-10-09")), CAL_OFF);
	cr_assert_eq(calendar_load_json(&CAL, NULL, 0, 0, &err), -1);
	cr_assert_str_eq(err.code, "calendar.bad_json");
}

Test(calendar, load_merge_keeps_the_rest_of_the_year)
{
	/* calendar.h: without replace_years an import adds to what is there */
	struct xerr err;

	cr_assert_eq(load_str(&CAL, "{\"days\":[{\"name\":\"临时\",\"date\":\"2026-10-09\",\"isOffDay\":true}]}", 0,
			      &err),
		     0, "%s", err.message);
	cr_assert_eq(calendar_get(&CAL, day("2026-10-09")), CAL_OFF);
	cr_assert_eq(calendar_get(&CAL, day("2026-10-01")), CAL_OFF, "the rest of 2026 stays");
	cr_assert_eq(calendar_get(&CAL, day("2026-10-10")), CAL_MAKEUP, "the rest of 2026 stays");
	cr_assert(calendar_year_loaded(&CAL, 2026));
}

Test(calendar, load_replace_clears_only_the_years_that_appear)
{
	/* calendar.h: with replace_years each year that appears is cleared first
	 * (an administrator's import replaces that year's arrangement, RULES
	 * "Counting time"); other years are untouched */
	struct xerr err;

	cr_assert_eq(load_str(&CAL,
			      "{\"year\":2026,\"days\":[{\"name\":\"国庆节\",\"date\":\"2026-10-09\",\"isOffDay\":true},"
			      "{\"name\":\"国庆节\",\"date\":\"2026-10-11\",\"isOffDay\":false}]}",
			      1, &err),
		     0, "%s", err.message);
	cr_assert_eq(calendar_get(&CAL, day("2026-10-09")), CAL_OFF);
	cr_assert_eq(calendar_get(&CAL, day("2026-10-11")), CAL_MAKEUP);
	cr_assert_eq(calendar_get(&CAL, day("2026-10-01")), CAL_NORMAL, "old 2026 days off are gone");
	cr_assert(calendar_is_workday(&CAL, day("2026-10-01")), "a plain Thursday now");
	cr_assert_eq(calendar_get(&CAL, day("2026-10-10")), CAL_NORMAL, "old make-up day gone");
	cr_assert_not(calendar_is_workday(&CAL, day("2026-10-10")), "a plain Saturday now");
	cr_assert_eq(calendar_get(&CAL, day("2026-02-16")), CAL_NORMAL, "the whole of 2026 was replaced");
	cr_assert_eq(calendar_get(&CAL, day("2025-10-01")), CAL_OFF, "2025 untouched");
	cr_assert_eq(calendar_get(&CAL, day("2027-01-01")), CAL_NORMAL, "2027 untouched");
	cr_assert(calendar_year_loaded(&CAL, 2026));
	cr_assert_not(calendar_year_loaded(&CAL, 2027));
}

Test(calendar, load_new_year_marks_it_loaded)
{
	/* RULES "Counting time": the next year's arrangement is entered when published */
	struct xerr err;

	cr_assert_not(calendar_year_loaded(&CAL, 2027));
	cr_assert_eq(load_str(&CAL,
			      "{\"source\":\"test\",\"days\":[{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true},"
			      "{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true}]}",
			      1, &err),
		     0, "%s", err.message);
	cr_assert(calendar_year_loaded(&CAL, 2027));
	cr_assert_eq(calendar_get(&CAL, day("2027-01-01")), CAL_OFF);
	cr_assert_eq(calendar_get(&CAL, day("2026-10-01")), CAL_OFF, "2026 untouched");
	/* 2026-12-31 + 1 day now lands on the 2027 New Year holiday, a Friday,
	 * so the period runs to Mon 2027-01-04 */
	cr_assert_eq(calendar_last_day(&CAL, day("2026-12-31"), 1, CAL_DAYS), day("2027-01-04"));

	/* an empty list with "year" still counts as that year's (empty) arrangement */
	cr_assert_eq(load_str(&CAL, "{\"year\":2028,\"days\":[]}", 0, &err), 0, "%s", err.message);
	cr_assert(calendar_year_loaded(&CAL, 2028));
	cr_assert_eq(load_str(&CAL, "{\"year\":2027,\"days\":[]}", 1, &err), 0, "%s", err.message);
	cr_assert_eq(calendar_get(&CAL, day("2027-01-01")), CAL_NORMAL, "replaced by nothing");
	cr_assert(calendar_year_loaded(&CAL, 2027));
}

Test(calendar, reload_is_idempotent)
{
	/* loading the same file again changes nothing */
	struct calendar *copy = malloc(sizeof *copy);
	struct xerr err;
	size_t len;
	char *json = read_file(DATA_FILE, &len);

	cr_assert_not_null(copy);
	memcpy(copy, &CAL, sizeof *copy);
	xerr_clear(&err);
	cr_assert_eq(calendar_load_json(&CAL, json, len, 0, &err), 0);
	cr_assert_eq(memcmp(copy, &CAL, sizeof *copy), 0);
	cr_assert_eq(calendar_load_json(&CAL, json, len, 1, &err), 0);
	cr_assert_eq(memcmp(copy, &CAL, sizeof *copy), 0);
	free(json);
	free(copy);
}

/* ---- the table itself ------------------------------------------------------------ */

Test(calendar, init_set_get)
{
	/* calendar.h: an empty calendar has weekends only and no year loaded;
	 * calendar_set marks the day's year loaded; outside the table it refuses */
	struct calendar *c = malloc(sizeof *c);

	cr_assert_not_null(c);
	calendar_init(c);
	cr_assert_eq(c->first_day, day("2000-01-01"));
	cr_assert_eq(c->n_days, day("2100-01-01") - day("2000-01-01"));
	for (int y = CAL_FIRST_YEAR; y <= CAL_LAST_YEAR; y++)
		cr_assert_not(calendar_year_loaded(c, y));
	cr_assert(calendar_is_workday(c, day("2026-10-01")), "no arrangement: a plain Thursday");
	cr_assert_eq(calendar_set(c, day("2026-10-01"), CAL_OFF), 0);
	cr_assert_not(calendar_is_workday(c, day("2026-10-01")));
	cr_assert(calendar_year_loaded(c, 2026));
	cr_assert_not(calendar_year_loaded(c, 2025));
	cr_assert_eq(calendar_set(c, day("2026-10-10"), CAL_MAKEUP), 0);
	cr_assert(calendar_is_workday(c, day("2026-10-10")), "make-up Saturday");
	cr_assert_eq(calendar_set(c, day("2026-10-10"), CAL_NORMAL), 0);
	cr_assert_not(calendar_is_workday(c, day("2026-10-10")), "back to a plain Saturday");
	cr_assert_eq(calendar_set(c, day("2000-01-01"), CAL_MAKEUP), 0, "first day of the table");
	cr_assert_eq(calendar_set(c, day("2099-12-31"), CAL_OFF), 0, "last day of the table");
	cr_assert(calendar_year_loaded(c, 2000) && calendar_year_loaded(c, 2099));
	cr_assert_eq(calendar_set(c, day("1999-12-31"), CAL_OFF), -1, "before the table");
	cr_assert_eq(calendar_set(c, day("2100-01-01"), CAL_OFF), -1, "after the table");
	cr_assert_eq(calendar_set(c, day("2026-10-02"), (enum cal_day)7), -1, "not a kind");
	cr_assert_eq(calendar_get(c, day("2026-10-02")), CAL_NORMAL);
	free(c);
}

Test(calendar, unit_names)
{
	/* RULES "Counting time": the unit (days, working days, hours) is part of each clock */
	static const char *const names[] = { "days", "workdays", "hours" };

	for (int u = CAL_DAYS; u <= CAL_HOURS; u++) {
		cr_assert_str_eq(calendar_unit_name((enum cal_unit)u), names[u]);
		cr_assert_eq(calendar_unit_parse(names[u]), u);
	}
	cr_assert_eq(calendar_unit_parse("day"), -1);
	cr_assert_eq(calendar_unit_parse("Days"), -1);
	cr_assert_eq(calendar_unit_parse(""), -1);
	cr_assert_eq(calendar_unit_parse(NULL), -1);
}
