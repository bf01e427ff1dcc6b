/*
 * clock.c - the clocks of a case, kept as a projection of its events (so
 * `xinfang rebuild` regenerates them), the scanner that escalates late
 * clocks, and the timeliness statistics.
 *
 * Clock kinds and their start/stop/pause events: domain/policy.c. Limits:
 * the policy of the unit on the clock (its own, else its parent's, else
 * "national"). Due times: domain/calendar.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/xtime.h"
#include "domain/calendar.h"
#include "domain/flow.h"
#include "domain/policy.h"
#include "service/case.h"
#include "service/clock.h"
#include "service/similar.h"

/* ---- policy of a unit ------------------------------------------------------- */

/* The policy a unit runs on: its own (database), else the one the policy
 * file assigns it, else its parent's; the root falls back to "national". */
int clock_unit_policy(struct app *app, int64_t unit_id, char out[40])
{
	struct unit u;
	int depth, i, j, rc;

	for (depth = 0; unit_id && depth < 32; depth++) {
		if (store_unit_get(app->st, unit_id, &u) != 0)
			break;
		rc = store_unit_policy_get(app->st, u.id, out);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return 0;
		for (i = 0; i < app->policies->n; i++)
			for (j = 0; j < app->policies->p[i].n_units; j++)
				if (strcmp(app->policies->p[i].units[j], u.code) == 0) {
					snprintf(out, 40, "%s", app->policies->p[i].name);
					return 0;
				}
		unit_id = u.parent_id;
	}
	snprintf(out, 40, "national");
	return 0;
}

/* A limit of the policy of a unit ("extension", or a clock name). */
int clock_unit_limit(struct app *app, int64_t unit_id, const char *key, int urgent,
		     struct limit *out)
{
	char policy[40];
	struct unit u;
	const char *level = NULL;

	if (clock_unit_policy(app, unit_id, policy))
		return -1;
	if (unit_id && store_unit_get(app->st, unit_id, &u) == 0)
		level = u.level;
	return policy_limit(app->policies, policy, key, urgent, level, out, NULL);
}

/* ---- computing a clock ------------------------------------------------------ */

/*
 * Time not counted (R22 art. 36: hearings; material the petitioner supplies;
 * the reply waiting for the bureau's approval): an hours clock gets the paused
 * seconds back; a days or workdays clock gets one day for every calendar day the
 * pause reached into (a pause within one day gives nothing), so the answer does
 * not depend on the hour the clock started.
 */
static void add_pause(struct clock_row *c, int64_t until)
{
	if (strcmp(c->unit, "hours") == 0)
		c->paused_secs += until - c->paused_at;
	else
		c->paused_secs += (calendar_day_of(until) - calendar_day_of(c->paused_at)) * 86400;
	c->paused_at = 0;
}

/* Due, warning and next look-at times from start, pauses and the limit. */
int clock_recompute(struct app *app, struct clock_row *c)
{
	int u = calendar_unit_parse(c->unit);
	int hours = u == CAL_HOURS;
	int64_t start = hours ? c->start_at + c->paused_secs : c->start_at;
	int amount = c->amount + c->extra_days + (hours ? 0 : (int)(c->paused_secs / 86400));
	int warned, overdue;

	if (u < 0)
		return -1;
	c->due_at = calendar_due(app->cal, start, amount, (enum cal_unit)u);
	c->warn_at = start + (c->due_at - start) * c->warn_pct / 100;
	c->next_at = 0;
	if (!c->escalate || c->stopped_at || c->paused_at)
		return 0;
	warned = store_escalated(app->st, c->case_id, c->name, c->start_at, "warning");
	overdue = store_escalated(app->st, c->case_id, c->name, c->start_at, "overdue");
	if (warned < 0 || overdue < 0)
		return -1;
	if (!warned)
		c->next_at = c->warn_at;
	else if (!overdue)
		c->next_at = c->due_at;
	return 0;
}

static int has_flag(json_t *row, const char *flag)
{
	json_t *flags = json_loads(row_str(row, "flags") ? row_str(row, "flags") : "[]", 0, NULL), *f;
	size_t i;
	int found = 0;

	json_array_foreach(flags, i, f) found |= json_is_string(f) && strcmp(json_string_value(f), flag) == 0;
	json_decref(flags);
	return found;
}

/* Start (or restart) clock kind k at ev->at for the case in `row`. */
static int clock_start(struct app *app, const struct clock_kind *k, json_t *row,
		       const struct event *ev)
{
	struct clock_row c = { 0 };
	struct limit l;
	struct unit u, sup;
	int urgent = has_flag(row, "urgent") || has_flag(row, "threat");
	char unit[12];
	int recorded;

	c.case_id = row_int(row, "id");
	snprintf(c.name, sizeof c.name, "%s", k->name);
	/* the unit on the clock: the holder after the event; implementing a decision
	 * falls to the unit that handled the case */
	c.unit_id = strcmp(k->name, "implement") == 0	  ? row_int(row, "lead_unit_id")
		    : strcmp(k->name, "suggestion") == 0 ? row_int(row, "suggestion_unit_id")
							 : row_int(row, "holder_unit_id");
	/* a run keeps the limit it started with, even when the policy changes later
	 * (and so does its replay in a rebuild) */
	recorded = store_clock_limit_get(app->st, ev->case_no, k->name, ev->at, c.policy, &l.amount, unit,
					 &l.warn_pct);
	if (recorded < 0)
		return -1;
	if (recorded == 0) {
		l.unit = (enum cal_unit)calendar_unit_parse(unit);
		if ((int)l.unit < 0)
			return -1;
	} else {
		if (clock_unit_policy(app, c.unit_id, c.policy))
			return -1;
		if (clock_unit_limit(app, c.unit_id, k->name, urgent, &l)) {
			log_error("no limit for clock %s under policy %s", k->name, c.policy);
			return -1;
		}
		/* 交办 sets its own deadline for the handling (R22 art. 22) */
		if (strcmp(k->name, "handle") == 0 && row_int(row, "assign_due_days") > 0) {
			l.amount = (int)row_int(row, "assign_due_days");
			l.unit = CAL_DAYS;
		}
		if (store_clock_limit_put(app->st, ev->case_no, k->name, ev->at, c.unit_id, c.policy, l.amount,
					  calendar_unit_name(l.unit), l.warn_pct))
			return -1;
	}
	if (c.unit_id && store_unit_get(app->st, c.unit_id, &u) == 0 &&
	    store_unit_petition_ancestor(app->st, &u, &sup) == 0)
		c.supervisor_unit_id = sup.id;
	c.escalate = k->escalate;
	c.run = ev->seq;
	c.start_at = ev->at;
	/* R22 art. 22: triage counts in days from the day the petition was received;
	 * a letter registered days after it arrived starts on its arrival day */
	if (strcmp(k->name, "triage") == 0 && strcmp(ev->action, "register") == 0 && l.unit != CAL_HOURS &&
	    row_str(row, "petition_date")) {
		int64_t received;

		if (xtime_parse(row_str(row, "petition_date"), &received) == 0 &&
		    calendar_day_of(received) < calendar_day_of(ev->at))
			c.start_at = received;
	}
	c.amount = l.amount;
	snprintf(c.unit, sizeof c.unit, "%s", calendar_unit_name(l.unit));
	c.warn_pct = l.warn_pct;
	return clock_recompute(app, &c) || store_clock_put(app->st, &c);
}

/* Apply one event to the clocks of its case (the store's event hook). */
int clock_on_event(struct app *app, const struct event *ev)
{
	struct scope all = { .all = 1 };
	const struct clock_kind *kinds;
	json_t *row;
	int found, n, i, rc = 0, terminal;

	row = store_case_row(app->st, ev->case_no, &all, &found);
	if (!row)
		return -1;
	terminal = flow_state_terminal((case_state)flow_state_parse(ev->to_state));
	kinds = clock_kinds(&n);
	for (i = 0; i < n && rc == 0; i++) {
		const struct clock_kind *k = &kinds[i];
		struct clock_row c;
		int have = store_clock_get(app->st, row_int(row, "id"), k->name, &c);

		if (have < 0) {
			rc = -1;
			break;
		}
		/* an ended case stops its clocks, except carrying out a supported decision,
		 * which outlives review and recheck (seed 000 art. 5(4)) */
		if (have == 0 && !c.stopped_at &&
		    ((terminal && strcmp(k->name, "implement") != 0) ||
		     clock_event_in(k->stop, CLOCK_MAX_EVENTS, ev->action))) {
			if (c.paused_at)
				add_pause(&c, ev->at);
			c.stopped_at = ev->at;
			rc = clock_recompute(app, &c) || store_clock_put(app->st, &c);
			continue;
		}
		if (clock_event_in(k->start, CLOCK_MAX_EVENTS, ev->action) && !terminal) {
			/* seed 000 art. 5(4): a decision that supports the request is carried
			 * out (a new one restarts the duty); one that denies it ends the duty;
			 * an explanation leaves it as it was */
			if (strcmp(k->name, "implement") == 0) {
				const char *o = json_string_value(json_object_get(ev->payload, "outcome"));
				json_t *reply = NULL;

				if (strcmp(ev->action, "approve") == 0) {
					reply = row_str(row, "reply") ? json_loads(row_str(row, "reply"), 0, NULL) : NULL;
					o = json_string_value(json_object_get(reply, "outcome"));
				}
				if (!o || strcmp(o, "support") != 0) {
					if (o && strcmp(o, "deny") == 0 && have == 0 && !c.stopped_at) {
						c.stopped_at = ev->at;
						rc = clock_recompute(app, &c) || store_clock_put(app->st, &c);
					}
					json_decref(reply);
					continue;
				}
				json_decref(reply);
			}
			/* a new run ends the one still running (its history stays) */
			if (have == 0 && !c.stopped_at) {
				if (c.paused_at)
					add_pause(&c, ev->at);
				c.stopped_at = ev->at;
				if (clock_recompute(app, &c) || store_clock_put(app->st, &c)) {
					rc = -1;
					continue;
				}
			}
			rc = clock_start(app, k, row, ev);
			continue;
		}
		if (have != 0 || c.stopped_at)
			continue;
		if (clock_event_in(k->pause, 2, ev->action) && !c.paused_at) {
			c.paused_at = ev->at;
			c.next_at = 0;
			rc = store_clock_put(app->st, &c);
		} else if (clock_event_in(k->resume, 2, ev->action) && c.paused_at) {
			add_pause(&c, ev->at);
			rc = clock_recompute(app, &c) || store_clock_put(app->st, &c);
		} else if (strcmp(ev->action, "approve_extension") == 0 && strcmp(k->name, "handle") == 0) {
			/* R22 art. 34: the approved extension lengthens the handling period */
			c.extra_days = (int)row_int(row, "extension_days");
			rc = clock_recompute(app, &c) || store_clock_put(app->st, &c);
		}
	}
	json_decref(row);
	return rc;
}

/* Every event, live and in rebuild, reaches the clocks and the text index. */
static int on_event(void *ctx, const struct event *ev)
{
	struct app *app = ctx;

	return clock_on_event(app, ev) || similar_on_event(app, ev);
}

void clock_attach(struct app *app)
{
	app->st->on_event = on_event;
	app->st->on_event_ctx = app;
}

/* ---- reading clocks --------------------------------------------------------- */

static const char *clock_state(json_t *k, int64_t now)
{
	if (!json_is_null(json_object_get(k, "stopped_at")))
		return "stopped";
	if (!json_is_null(json_object_get(k, "paused_at")))
		return "paused";
	if (now >= row_int(k, "due_at"))
		return "overdue";
	if (now >= row_int(k, "warn_at"))
		return "warning";
	return "running";
}

json_t *clock_view(struct app *app, int64_t case_id, int64_t now)
{
	json_t *rows = store_clocks_json(app->st, case_id), *out = json_array(), *k;
	size_t i;

	json_array_foreach(rows, i, k)
	{
		const struct clock_kind *kind = clock_kind_find(row_str(k, "name"));
		const char *state = clock_state(k, now);
		int64_t due = row_int(k, "due_at"), end;
		char start_iso[32], due_iso[32], limit[48];
		json_t *v;

		xtime_iso(row_int(k, "start_at"), start_iso);
		xtime_iso(due, due_iso);
		snprintf(limit, sizeof limit, "%lld %s", (long long)(row_int(k, "amount") + row_int(k, "extra_days")),
			 row_str(k, "unit"));
		v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "name", row_str(k, "name"), "label",
			      kind ? kind->label : row_str(k, "name"), "rule", kind ? kind->rule : "", "state", state,
			      "start", start_iso, "due", due_iso, "limit", limit, "escalate",
			      (int)row_int(k, "escalate"));
		json_object_set_new(v, "policy", json_string(row_str(k, "policy")));
		json_object_set_new(v, "run", json_integer(row_int(k, "run")));
		json_object_set_new(v, "unit", json_is_integer(json_object_get(k, "unit_id"))
						       ? json_pack("{s:O,s:O}", "id", json_object_get(k, "unit_id"),
								   "name", json_object_get(k, "unit_name"))
						       : json_null());
		/* remaining: to the due time while running; how late it was or is, signed */
		end = json_is_null(json_object_get(k, "stopped_at")) ? now : row_int(k, "stopped_at");
		if (!json_is_null(json_object_get(k, "paused_at")))
			end = row_int(k, "paused_at");
		json_object_set_new(v, "remaining_seconds", json_integer(due - end));
		if (!json_is_null(json_object_get(k, "stopped_at"))) {
			char stop_iso[32];

			xtime_iso(row_int(k, "stopped_at"), stop_iso);
			json_object_set_new(v, "stopped", json_string(stop_iso));
			json_object_set_new(v, "on_time", json_boolean(row_int(k, "stopped_at") < due));
		}
		json_array_append_new(out, v);
	}
	json_decref(rows);
	return out;
}

int clock_deadline(struct app *app, int64_t case_id, const char *name, int64_t *deadline,
		   int *paused)
{
	struct clock_row c;
	int rc = store_clock_get(app->st, case_id, name, &c);

	*deadline = 0;
	if (paused)
		*paused = 0;
	if (rc < 0)
		return -1;
	if (rc == 0 && !c.stopped_at) {
		*deadline = c.due_at;
		if (paused)
			*paused = c.paused_at != 0;
	}
	return 0;
}

/* ---- the scanner -------------------------------------------------------------- */

#define SCAN_BATCH 512

/* One batch: escalate up to SCAN_BATCH clocks that crossed a threshold.
 * Returns how many it looked at, or -1. */
static int scan_batch(struct app *app, int64_t now, struct clock_row *rows, struct scan_result *res)
{
	int n = store_clocks_due(app->st, now, rows, SCAN_BATCH), i, r;

	for (i = 0; i < n; i++) {
		struct clock_row *c = &rows[i];

		res->looked++;
		/* 催办: the unit on the clock is reminded when it enters the warning stage */
		r = store_escalation_add(app->st, c, "warning", now);
		if (r < 0)
			return -1;
		res->warnings += r;
		if (now >= c->due_at) {
			/* 督办: the supervising petition department takes it up when overdue */
			r = store_escalation_add(app->st, c, "overdue", now);
			if (r < 0)
				return -1;
			res->overdue += r;
		}
		if (store_clock_set_next(app->st, c, now >= c->due_at ? 0 : c->due_at))
			return -1;
	}
	return n;
}

/*
 * Each batch is its own transaction, so clerks' requests interleave with a
 * long catch-up scan instead of waiting for all of it. Escalations are
 * derived data (a later scan writes the same rows again), so their commits
 * skip the fsync (synchronous=NORMAL in WAL mode keeps them consistent, and
 * at worst a power cut loses the last batches, which the next scan redoes);
 * case writes keep synchronous=FULL.
 */
int svc_scan(struct app *app, int64_t now, struct scan_result *res, struct xerr *err)
{
	struct clock_row *rows = malloc(sizeof *rows * SCAN_BATCH);
	int n = SCAN_BATCH, rc = 0;

	memset(res, 0, sizeof *res);
	if (!rows)
		return xerr_internal(err, "out of memory");
	while (n == SCAN_BATCH && rc == 0) {
		pthread_mutex_lock(&app->lock);
		if (store_exec(app->st, "PRAGMA synchronous=NORMAL") || store_begin(app->st) ||
		    (n = scan_batch(app, now, rows, res)) < 0 || store_commit(app->st)) {
			store_rollback(app->st);
			rc = xerr_internal(err, "scan");
		}
		if (store_exec(app->st, "PRAGMA synchronous=FULL") && rc == 0)
			rc = xerr_internal(err, "synchronous=FULL");
		pthread_mutex_unlock(&app->lock);
		/* a mutex does not hand over to a waiter: step aside so a clerk's request
		 * waiting for the lock runs between batches (measured in bench/) */
		if (n == SCAN_BATCH) {
			struct timespec pause = { 0, 200000 };

			nanosleep(&pause, NULL);
		}
	}
	free(rows);
	return rc;
}
