#include "base/xtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's civil-date algorithms. */
int64_t xtime_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void xtime_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int64_t xtime_now(void)
{
	const char *fake = getenv("XINFANG_NOW");
	int64_t t;

	if (fake && *fake) {
		char *end;
		long long v = strtoll(fake, &end, 10);

		if (*end == '\0')
			return v;
		if (xtime_parse(fake, &t) == 0)
			return t;
	}
	return (int64_t)time(NULL);
}

static void split(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t local = t + XTIME_OFFSET, days = floordiv(local, 86400), sec = local - days * 86400;

	xtime_civil_from_days(days, y, mo, d);
	*h = (int)(sec / 3600);
	*mi = (int)(sec / 60 % 60);
	*s = (int)(sec % 60);
}

void xtime_iso(int64_t t, char out[32])
{
	int y, mo, d, h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u+08:00", (unsigned)y % 10000u, (unsigned)mo % 100u,
		 (unsigned)d % 100u, (unsigned)h % 100u, (unsigned)mi % 100u, (unsigned)s % 100u);
}

void xtime_date(int64_t t, char out[11])
{
	int y, mo, d, h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u, (unsigned)d % 100u);
}

void xtime_day(int64_t t, char out[9])
{
	int y, mo, d, h, mi, s;

	split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 9, "%04u%02u%02u", (unsigned)y % 10000u, (unsigned)mo % 100u, (unsigned)d % 100u);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int xtime_parse(const char *str, int64_t *t)
{
	int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
	int64_t offset = XTIME_OFFSET;
	const char *rest;

	if (!str || sscanf(str, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	rest = str + n;
	if (*rest == 'T' || *rest == ' ') {
		int m2 = 0;

		if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &m2) != 2 || m2 != 5)
			return -1;
		rest += 1 + m2;
		if (*rest == ':') {
			if (sscanf(rest + 1, "%2d%n", &s, &m2) != 1 || m2 != 2)
				return -1;
			rest += 3;
		}
		if (*rest == 'Z') {
			offset = 0;
			rest++;
		} else if (*rest == '+' || *rest == '-') {
			int oh, om;

			if (sscanf(rest + 1, "%2d:%2d%n", &oh, &om, &m2) != 2 || m2 != 5)
				return -1;
			offset = (*rest == '+' ? 1 : -1) * (oh * 3600 + om * 60);
			rest += 1 + m2;
		}
	}
	if (*rest != '\0' || y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
		return -1;
	*t = xtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
	return 0;
}
