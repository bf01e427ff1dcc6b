/*
 * xtime.h - times as the system shows them. Stored as seconds since the
 * epoch; shown in Asia/Shanghai (UTC+8, no daylight saving since 1991).
 */
#ifndef XF_XTIME_H
#define XF_XTIME_H

#include <stdint.h>

#define XTIME_OFFSET (8 * 3600)

/* Current time; XINFANG_NOW (epoch seconds or ISO time) overrides it for tests. */
int64_t xtime_now(void);

/* "2026-11-22T09:30:00+08:00" into out[32]. */
void xtime_iso(int64_t t, char out[32]);

/* "2026-11-22" (local date) into out[11]. */
void xtime_date(int64_t t, char out[11]);

/* "20261122" into out[9]. */
void xtime_day(int64_t t, char out[9]);

/* Parse "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM[:SS]" (local) or
 * with a "+08:00"/"Z" suffix. Returns 0 and sets *t, or -1. Validates
 * the calendar date. */
int xtime_parse(const char *s, int64_t *t);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t xtime_days_from_civil(int y, int m, int d);
void xtime_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
