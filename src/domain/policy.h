/*
 * policy.h - time limits as configured clocks.
 *
 * A clock kind (fixed, in code) says which case events start it, stop it,
 * pause and resume it, whether running late escalates, and which rule it
 * implements. A policy (data: data/policy/policies.txt plus overrides in
 * the database) says how long each clock runs, in which unit, and when it
 * warns. Policies inherit: a local policy lists only what it changes; a
 * unit uses its own policy, else its parent's, else "national".
 *
 * Pure: parsing and lookup only. Strings returned are static or owned by
 * the policy set.
 */
#ifndef XF_POLICY_H
#define XF_POLICY_H

#include <stddef.h>

#include "base/xerr.h"
#include "domain/calendar.h"

#define CLOCK_MAX_EVENTS 8

struct clock_kind {
	const char *name;
	const char *label;                       /* 中文 */
	const char *start[CLOCK_MAX_EVENTS];     /* actions that start (or restart) it */
	const char *stop[CLOCK_MAX_EVENTS];      /* actions that stop it */
	const char *pause[2], *resume[2];        /* time not counted (R22 art. 36) */
	int escalate;                            /* an obligation: remind at warning, supervise when overdue */
	const char *rule;                        /* the article it implements */
};

/* All clock kinds; *n receives the count. */
const struct clock_kind *clock_kinds(int *n);
const struct clock_kind *clock_kind_find(const char *name);

/* Does `action` appear in a NULL-terminated list of names? */
int clock_event_in(const char *const *list, int n, const char *action);

/* One limit: amount of unit, warning at warn_pct % of the period. */
struct limit {
	int amount;
	enum cal_unit unit;
	int warn_pct;
};

#define POLICY_MAX 16
#define POLICY_MAX_ENTRIES 48
#define POLICY_MAX_UNITS 16

struct policy_entry {
	char key[40];           /* clock name, optionally ".urgent" or ".county" etc. */
	struct limit limit;
	char rule[240];         /* where it comes from, for people */
};

struct policy {
	char name[40];
	char label[160];
	char inherits[40];      /* "" for none */
	struct policy_entry entries[POLICY_MAX_ENTRIES];
	int n_entries;
	char units[POLICY_MAX_UNITS][32]; /* unit codes the file assigns it to */
	int n_units;
};

struct policy_set {
	struct policy p[POLICY_MAX];
	int n;
};

/*
 * Parse the policy text format:
 *
 *   # comment
 *   policy NAME "LABEL" [inherits NAME]
 *     units CODE CODE ...
 *     CLOCK[.VARIANT]  AMOUNT days|workdays|hours  [warn PCT%]  [# rule]
 *
 * Variants: "urgent" (cases flagged urgent or threat), or a unit level
 * ("province", "city", "county", "township"). 0, or -1 with err naming
 * the line.
 */
int policy_parse(struct policy_set *set, const char *text, struct xerr *err);

struct policy *policy_find(struct policy_set *set, const char *name);

/* Set (add or replace) one entry of a policy. 0 or -1 (full / unknown clock). */
int policy_set_entry(struct policy *p, const char *key, const struct limit *l, const char *rule);

/*
 * The limit of `clock` under policy `name`: tries CLOCK.urgent (when urgent),
 * then CLOCK.<level>, then CLOCK, in the policy and then up its inheritance.
 * 0 found, -1 none. *from receives the policy entry used (may be NULL).
 */
int policy_limit(const struct policy_set *set, const char *name, const char *clock, int urgent,
		 const char *level, struct limit *out, const struct policy_entry **from);

#endif
