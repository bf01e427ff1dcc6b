/*
 * test_xtime.c - times are shown and read in Asia/Shanghai (UTC+8), the
 * zone in which Chinese law counts days (RULES.md "Counting time").
 */
#include <criterion/criterion.h>

#include "base/xtime.h"

Test(xtime, iso_is_shanghai_time)
{
	char iso[32], date[11], day[9];

	xtime_iso(0, iso);
	cr_assert_str_eq(iso, "1970-01-01T08:00:00+08:00");
	xtime_iso(1790609400, iso);
	cr_assert_str_eq(iso, "2026-09-28T23:30:00+08:00");
	/* 16:30 UTC is already the next day in Beijing: case numbers use Beijing's date */
	xtime_date(1790613000, date);
	cr_assert_str_eq(date, "2026-09-29");
	xtime_day(1790613000, day);
	cr_assert_str_eq(day, "20260929");
}

Test(xtime, parse_forms)
{
	int64_t t;

	cr_assert_eq(xtime_parse("2026-09-28", &t), 0);
	cr_assert_eq(t, 1790524800, "local midnight is 16:00 UTC the day before");
	cr_assert_eq(xtime_parse("2026-09-28T23:30", &t), 0);
	cr_assert_eq(t, 1790609400);
	cr_assert_eq(xtime_parse("2026-09-28T23:30:00+08:00", &t), 0);
	cr_assert_eq(t, 1790609400);
	cr_assert_eq(xtime_parse("2026-09-28T15:30:00Z", &t), 0);
	cr_assert_eq(t, 1790609400);
}

Test(xtime, parse_refuses_impossible_dates)
{
	int64_t t;

	cr_assert_eq(xtime_parse("2026-02-29", &t), -1, "2026 is not a leap year");
	cr_assert_eq(xtime_parse("2028-02-29", &t), 0, "2028 is");
	cr_assert_eq(xtime_parse("2100-02-29", &t), -1, "2100 is not");
	cr_assert_eq(xtime_parse("2026-13-01", &t), -1);
	cr_assert_eq(xtime_parse("2026-04-31", &t), -1);
	cr_assert_eq(xtime_parse("2026-4-1", &t), -1);
	cr_assert_eq(xtime_parse("2026-04-01x", &t), -1);
	cr_assert_eq(xtime_parse("2026-04-01T24:00", &t), -1);
	cr_assert_eq(xtime_parse("", &t), -1);
}

Test(xtime, civil_days_round_trip)
{
	int64_t z;

	for (z = -800000; z < 800000; z += 97) {
		int y, m, d;

		xtime_civil_from_days(z, &y, &m, &d);
		cr_assert_eq(xtime_days_from_civil(y, m, d), z, "%d-%d-%d", y, m, d);
	}
}
