/*
 * calendar.h - the Chinese working-day calendar and the three ways the
 * rules count time (RULES.md "Counting time"):
 *
 *   days      calendar days: the start day is not counted; a last day that is
 *             not a working day moves to the next working day; the period
 *             ends at 24:00 Asia/Shanghai (民法典 art. 201-203).
 *   workdays  Monday-Friday that are not statutory days off, plus make-up
 *             working days (调休); the start day is not counted; ends 24:00.
 *   hours     wall-clock hours (seed 000 art. 13: urgent relay in 2 hours).
 *
 * Days are "day numbers": days since 1970-01-01 in Asia/Shanghai. Pure: no
 * I/O; a calendar is a flat table, so every query is O(1) per day.
 */
#ifndef XF_CALENDAR_H
#define XF_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "base/xerr.h"

#define CAL_FIRST_YEAR 2000
#define CAL_LAST_YEAR 2099

enum cal_day { CAL_NORMAL = 0, CAL_OFF = 1, CAL_MAKEUP = 2 };

enum cal_unit { CAL_DAYS = 0, CAL_WORKDAYS = 1, CAL_HOURS = 2 };

struct calendar {
	/* kind of each day from CAL_FIRST_YEAR-01-01 to CAL_LAST_YEAR-12-31 */
	unsigned char kind[(CAL_LAST_YEAR - CAL_FIRST_YEAR + 1) * 366];
	/* years whose arrangement is loaded (1) */
	unsigned char loaded[CAL_LAST_YEAR - CAL_FIRST_YEAR + 1];
	int64_t first_day; /* day number of CAL_FIRST_YEAR-01-01 */
	int64_t n_days;
};

/* An empty calendar: weekends only, no year loaded. */
void calendar_init(struct calendar *c);

/* Day number of an epoch time (its Asia/Shanghai date), and back to the
 * epoch time of that day's 00:00. */
int64_t calendar_day_of(int64_t t);
int64_t calendar_day_start(int64_t day);

/* Mark a day (day number) as off, make-up workday or normal. Outside the
 * table: -1. Marks the day's year as loaded. */
int calendar_set(struct calendar *c, int64_t day, enum cal_day kind);
enum cal_day calendar_get(const struct calendar *c, int64_t day);

/* Is the day a working day? (weekday and not off, or a make-up workday) */
int calendar_is_workday(const struct calendar *c, int64_t day);

/* Is the arrangement of `year` loaded? */
int calendar_year_loaded(const struct calendar *c, int year);

/*
 * Load holiday-cn JSON: {"year":2026,"days":[{"name":"春节","date":"2026-02-15",
 * "isOffDay":true},...]} (isOffDay false = make-up workday). "year" is
 * optional; every year that appears is marked loaded. When `replace_years`
 * is set, the days of each year that appears are cleared first (an import
 * replaces a year's arrangement). 0, or -1 with err (and c unchanged).
 */
int calendar_load_json(struct calendar *c, const char *json, size_t len, int replace_years,
		       struct xerr *err);

/*
 * The deadline of a period: `amount` units counted from `start` (epoch
 * seconds). Returns the exclusive end as epoch seconds: for days and
 * workdays 24:00 of the last day; for hours start + amount hours.
 * amount >= 0. Days beyond the table count weekends only.
 */
int64_t calendar_due(const struct calendar *c, int64_t start, int amount, enum cal_unit unit);

/* The last day (day number) of `amount` days / workdays after start_day. */
int64_t calendar_last_day(const struct calendar *c, int64_t start_day, int amount, enum cal_unit unit);

/* "days" / "workdays" / "hours" and back (-1 unknown). */
const char *calendar_unit_name(enum cal_unit u);
int calendar_unit_parse(const char *s);

#endif
