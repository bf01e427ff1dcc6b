/*
 * test_policy.c - the time-limit policies: the shipped file parses, the
 * national defaults are R22's, local policies of the seeds override them and
 * inherit the rest, variants (urgent, level) win over the plain limit.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/embed.h"
#include "base/utf8.h"
#include "domain/policy.h"

static struct policy_set set;

static void load(void)
{
	struct xerr err;

	memset(&set, 0, sizeof set);
	cr_assert_eq(policy_parse(&set, xf_policies_txt, &err), 0, "data/policy/policies.txt: %s", err.message);
}

TestSuite(policy, .init = load);

static struct limit lim(const char *policy, const char *clock, int urgent, const char *level)
{
	struct limit l = { -1, CAL_DAYS, 0 };

	cr_assert_eq(policy_limit(&set, policy, clock, urgent, level, &l, NULL), 0, "%s/%s has no limit",
		     policy, clock);
	return l;
}

static void expect(const char *policy, const char *clock, int urgent, const char *level, int amount,
		   enum cal_unit unit)
{
	struct limit l = lim(policy, clock, urgent, level);

	cr_assert_eq(l.amount, amount, "%s/%s%s: %d, expected %d", policy, clock, urgent ? " (urgent)" : "",
		     l.amount, amount);
	cr_assert_eq(l.unit, unit, "%s/%s: unit %s", policy, clock, calendar_unit_name(l.unit));
}

/* R22 art. 22, 23, 34, 35; R05 art. 36; seed 000 art. 5(4): the national defaults */
Test(policy, national_defaults_follow_r22)
{
	expect("national", "triage", 0, NULL, 15, CAL_DAYS);
	expect("national", "accept", 0, NULL, 15, CAL_DAYS);
	expect("national", "objection", 0, NULL, 5, CAL_WORKDAYS);
	expect("national", "handle", 0, NULL, 60, CAL_DAYS);
	expect("national", "extension", 0, NULL, 30, CAL_DAYS);
	expect("national", "review_request", 0, NULL, 30, CAL_DAYS);
	expect("national", "review", 0, NULL, 30, CAL_DAYS);
	expect("national", "recheck_request", 0, NULL, 30, CAL_DAYS);
	expect("national", "recheck", 0, NULL, 30, CAL_DAYS);
	expect("national", "suggestion", 0, NULL, 30, CAL_DAYS);
	expect("national", "implement", 0, NULL, 30, CAL_DAYS);
	cr_assert_eq(lim("national", "handle", 0, NULL).warn_pct, 80);
}

/* Every clock kind has a national limit: nothing runs without one */
Test(policy, every_clock_has_a_national_limit)
{
	int n, i;
	const struct clock_kind *k = clock_kinds(&n);

	for (i = 0; i < n; i++)
		lim("national", k[i].name, 0, NULL);
}

/* 国信发〔2014〕16号: the 15 triage days split down the levels */
Test(policy, split_triage_by_level)
{
	expect("national-split", "triage", 0, "county", 4, CAL_DAYS);
	expect("national-split", "triage", 0, "city", 3, CAL_DAYS);
	expect("national-split", "triage", 0, "province", 3, CAL_DAYS);
	expect("national-split", "handle", 0, "county", 60, CAL_DAYS);
}

/* seed 000 art. 13: urgent complaints relayed within 2 hours; art. 14-15, 27: 5 working days */
Test(policy, heilongjiang_complaint_supervision)
{
	expect("hlj-complaint", "triage", 1, NULL, 2, CAL_HOURS);
	expect("hlj-complaint", "triage", 0, NULL, 15, CAL_DAYS);
	expect("hlj-complaint", "objection", 0, NULL, 5, CAL_WORKDAYS);
}

/* seed 003: ordinary cases 15 days, urgent 7, out-of-scope items forwarded in 3 days */
Test(policy, binhai_statistics_bureau)
{
	expect("binhai-stats", "handle", 0, NULL, 15, CAL_DAYS);
	expect("binhai-stats", "handle", 1, NULL, 7, CAL_DAYS);
	expect("binhai-stats", "objection", 0, NULL, 3, CAL_DAYS);
	/* what it does not say comes from its parents */
	expect("binhai-stats", "triage", 1, NULL, 2, CAL_HOURS);
	expect("binhai-stats", "review", 0, NULL, 30, CAL_DAYS);
}

/* seed 004 art. 10(5): extension at most 30 days */
Test(policy, jiujiang_urban_management)
{
	expect("jiujiang-cgj", "extension", 0, NULL, 30, CAL_DAYS);
	expect("jiujiang-cgj", "handle", 0, NULL, 60, CAL_DAYS);
}

Test(policy, units_named_in_the_file)
{
	struct policy *p = policy_find(&set, "binhai-stats");

	cr_assert_not_null(p);
	cr_assert_eq(p->n_units, 2);
	cr_assert_str_eq(p->units[0], "hrb-tjj");
}

Test(policy, bad_text_is_refused_with_its_line)
{
	struct policy_set s;
	struct xerr err;

	memset(&s, 0, sizeof s);
	cr_assert_eq(policy_parse(&s, "policy a \"A\"\n  triage 15 weeks\n", &err), -1);
	cr_assert_str_eq(err.code, "policy.syntax");
	cr_assert(strstr(err.message, "第2行"), "%s", err.message);
	memset(&s, 0, sizeof s);
	cr_assert_eq(policy_parse(&s, "  triage 15 days\n", &err), -1, "an entry before any policy");
	memset(&s, 0, sizeof s);
	cr_assert_eq(policy_parse(&s, "policy a\n  nosuchclock 15 days\n", &err), -1);
	memset(&s, 0, sizeof s);
	cr_assert_eq(policy_parse(&s, "policy a\n  triage 15 days warn 80\n", &err), -1, "warn needs %%");
	memset(&s, 0, sizeof s);
	cr_assert_eq(policy_parse(&s, "policy a\n  triage.someday 15 days\n", &err), -1, "unknown variant");
}

Test(policy, override_replaces_one_entry)
{
	struct policy *p = policy_find(&set, "national");
	struct limit l = { 10, CAL_WORKDAYS, 50 };

	cr_assert_eq(policy_set_entry(p, "triage", &l, "test"), 0);
	expect("national", "triage", 0, NULL, 10, CAL_WORKDAYS);
	/* and everything that inherits it sees the change */
	expect("binhai-stats", "triage", 0, NULL, 10, CAL_WORKDAYS);
	l.warn_pct = 0;
	cr_assert_eq(policy_set_entry(p, "triage", &l, "test"), -1, "warning at 0%% is refused");
}

/* Clock kinds: each obligation has its start and stop events (R22 art. 22-36) */
Test(policy, clock_kinds_start_and_stop)
{
	const struct clock_kind *k = clock_kind_find("handle");

	cr_assert_not_null(k);
	cr_assert(clock_event_in(k->start, CLOCK_MAX_EVENTS, "accept"));
	cr_assert(clock_event_in(k->start, CLOCK_MAX_EVENTS, "self_handle"));
	cr_assert(clock_event_in(k->stop, CLOCK_MAX_EVENTS, "approve"));
	cr_assert(clock_event_in(k->pause, 2, "request_material"));
	k = clock_kind_find("review");
	cr_assert(clock_event_in(k->pause, 2, "start_hearing"), "R22 art. 36: hearing time is not counted");
	cr_assert_eq(clock_kind_find("review_request")->escalate, 0, "the petitioner's window is not a duty");
}

/* Chinese text: the full-width space is blank; cut text is repaired */
Test(utf8, blank_and_clean)
{
	char cut[8] = "信访";
	char raw[] = "a\xff\xfe" "b";

	cr_assert(utf8_blank("\xe3\x80\x80 \t"));
	cr_assert(!utf8_blank("\xe3\x80\x80x"));
	cr_assert(utf8_blank(NULL));
	cut[4] = '\0'; /* 信 plus the first byte of 访 */
	utf8_clean(cut);
	cr_assert_str_eq(cut, "信?");
	utf8_clean(raw);
	cr_assert_str_eq(raw, "a??b");
}

/* seed 000 art. 13: a local policy that changes the plain triage limit keeps the province's
 * 2-hour urgent relay: variants win along the whole chain */
Test(policy, urgent_variant_survives_a_local_plain_limit)
{
	struct policy *p = policy_find(&set, "binhai-stats");
	struct limit l = { 10, CAL_DAYS, 80 };

	cr_assert_eq(policy_set_entry(p, "triage", &l, "test"), 0);
	expect("binhai-stats", "triage", 0, NULL, 10, CAL_DAYS);
	expect("binhai-stats", "triage", 1, NULL, 2, CAL_HOURS);
}
