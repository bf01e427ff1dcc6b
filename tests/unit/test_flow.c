/*
 * test_flow.c - the case life cycle (src/domain/flow.c) against the rules.
 *
 * Citations: 《信访工作条例》 2022 ("R22"), the seed documents ("seed 004"),
 * DESIGN.md section 3, and /work/shared/reference/RULES.md which collects them.
 *
 * The tests do not trust the table to describe itself: EXPECTED below is the
 * life cycle written down independently from the rules, and the table must
 * match it row for row. The loops over flow_rules() then check that each row
 * behaves as declared (roles, holder, required fields, guard).
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/xtime.h"
#include "domain/flow.h"

#define ALL_ROLES ((1u << ROLE__COUNT) - 1u)
#define ALL_NEEDS ((NEED_SUGGESTION << 1) - 1u)
#define DECISION (NEED_OUTCOME | NEED_FACTS | NEED_OPINION | NEED_LEGAL_BASIS)

/* ---- time: civil date in Asia/Shanghai (UTC+8, no DST) to epoch seconds ---- */

static int64_t sh(int y, int mo, int d, int h, int mi, int s)
{
	return xtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - 8 * 3600;
}

/* ---- units: the tree under the bureau "/1/" ---------------------------------- */

static const struct flow_unit BUREAU = { 1, "/1/" };             /* petition department */
static const struct flow_unit UNIT_A = { 5, "/1/5/" };           /* an unrelated handling unit */
static const struct flow_unit UNIT_B = { 6, "/1/6/" };           /* another one */
static const struct flow_unit ACCUSED = { 4, "/1/4/" };          /* the accused unit */
static const struct flow_unit ACCUSED_CHILD = { 9, "/1/4/9/" };  /* inside its subtree */
static const struct flow_unit ACCUSED_GRANDCHILD = { 12, "/1/4/9/12/" };
static const struct flow_unit SIBLING_40 = { 40, "/1/40/" };     /* shares the prefix "/1/4" only */

/* ---- the life cycle as the rules describe it ---------------------------------- */

struct spec {
	case_state from;
	case_action action;
	case_state to;
	unsigned roles;
	unsigned need;
	flow_holder holder;
};

static const struct spec EXPECTED[] = {
	/* R22 art. 22: within 15 days the petition department transfers (转送) ... */
	{ ST_REGISTERED, ACT_TRANSFER, ST_DISPATCHED, ROLE_DISPATCHER, NEED_LEAD_UNIT, HOLD_LEAD },
	/* ... assigns (交办) with a deadline ... */
	{ ST_REGISTERED, ACT_ASSIGN, ST_DISPATCHED, ROLE_DISPATCHER, NEED_LEAD_UNIT | NEED_DUE_DAYS,
	  HOLD_LEAD },
	/* ... handles it itself (自办) ... */
	{ ST_REGISTERED, ACT_SELF_HANDLE, ST_ACCEPTED, ROLE_DISPATCHER, 0, HOLD_SAME },
	/* ... or rejects it telling the statutory route (R22 art. 22, 31) */
	{ ST_REGISTERED, ACT_REJECT, ST_REJECTED, ROLE_DISPATCHER, NEED_REASON | NEED_ROUTE, HOLD_SAME },
	/* R22 art. 36: the same matter after recheck is not accepted again (不再受理) */
	{ ST_REGISTERED, ACT_DECLINE, ST_DECLINED, ROLE_DISPATCHER, NEED_REASON | NEED_REPEAT_OF,
	  HOLD_SAME },
	/* DESIGN.md section 3: archive, merge at triage */
	{ ST_REGISTERED, ACT_ARCHIVE, ST_ARCHIVED, ROLE_DISPATCHER, NEED_REASON, HOLD_SAME },
	{ ST_REGISTERED, ACT_MERGE, ST_MERGED, ROLE_DISPATCHER, NEED_INTO, HOLD_SAME },
	/* R22 art. 23: the receiving unit accepts, or objects with reasons (returns to the sender) */
	{ ST_DISPATCHED, ACT_ACCEPT, ST_ACCEPTED, ROLE_HANDLER, 0, HOLD_SAME },
	{ ST_DISPATCHED, ACT_RETURN, ST_REGISTERED, ROLE_HANDLER, NEED_REASON, HOLD_DISPATCH },
	/* R22 art. 34; seed 004 art. 10(5): extension approved by the unit head, with reasons */
	{ ST_ACCEPTED, ACT_REQUEST_EXTENSION, ST_ACCEPTED, ROLE_HANDLER, NEED_REASON | NEED_DAYS,
	  HOLD_SAME },
	{ ST_ACCEPTED, ACT_APPROVE_EXTENSION, ST_ACCEPTED, ROLE_UNIT_HEAD, 0, HOLD_SAME },
	{ ST_ACCEPTED, ACT_DENY_EXTENSION, ST_ACCEPTED, ROLE_UNIT_HEAD, NEED_REASON, HOLD_SAME },
	/* R22 art. 32: facts, opinion, legal basis, one of three outcomes; seed 004 art. 10(5): delivery */
	{ ST_ACCEPTED, ACT_REPLY, ST_REPLIED, ROLE_HANDLER, DECISION | NEED_DELIVERY, HOLD_DISPATCH },
	/* waiting for material the petitioner must supply is not counted */
	{ ST_ACCEPTED, ACT_REQUEST_MATERIAL, ST_ACCEPTED, ROLE_HANDLER, NEED_REASON, HOLD_SAME },
	{ ST_ACCEPTED, ACT_RECEIVE_MATERIAL, ST_ACCEPTED, ROLE_HANDLER, 0, HOLD_SAME },
	/* seed 004 art. 10(5): the bureau checks the reply; incomplete ones go back to be redone */
	{ ST_REPLIED, ACT_APPROVE, ST_CLOSED, ROLE_DISPATCHER | ROLE_UNIT_HEAD, 0, HOLD_SAME },
	{ ST_REPLIED, ACT_SEND_BACK, ST_ACCEPTED, ROLE_DISPATCHER | ROLE_UNIT_HEAD, NEED_REASON,
	  HOLD_LEAD },
	/* 国信发〔2014〕16号: the petitioner evaluates the handling */
	{ ST_CLOSED, ACT_RATE, ST_CLOSED, ROLE_PETITIONER, NEED_SATISFACTION, HOLD_SAME },
	/* R22 art. 35: review by the next level up, then recheck by the one above it */
	{ ST_CLOSED, ACT_REQUEST_REVIEW, ST_REVIEW, ROLE_PETITIONER, 0, HOLD_REVIEW },
	{ ST_CLOSED, ACT_REQUEST_RECHECK, ST_RECHECK, ROLE_PETITIONER, 0, HOLD_RECHECK },
	/* seed 000 art. 5(4): the handling unit records how a supported decision was carried out */
	{ ST_CLOSED, ACT_IMPLEMENT, ST_CLOSED, ROLE_HANDLER, NEED_FACTS, HOLD_SAME },
	{ ST_REVIEW, ACT_DECIDE_REVIEW, ST_CLOSED, ROLE_REVIEWER, DECISION, HOLD_SAME },
	/* R22 art. 36: hearing time is not counted */
	{ ST_REVIEW, ACT_START_HEARING, ST_REVIEW, ROLE_REVIEWER, 0, HOLD_SAME },
	{ ST_REVIEW, ACT_END_HEARING, ST_REVIEW, ROLE_REVIEWER, 0, HOLD_SAME },
	{ ST_RECHECK, ACT_START_HEARING, ST_RECHECK, ROLE_REVIEWER, 0, HOLD_SAME },
	{ ST_RECHECK, ACT_END_HEARING, ST_RECHECK, ROLE_REVIEWER, 0, HOLD_SAME },
	/* R22 art. 35-36: the recheck opinion concludes the matter for good */
	{ ST_RECHECK, ACT_DECIDE_RECHECK, ST_CONCLUDED, ROLE_REVIEWER, DECISION, HOLD_SAME },
	{ ST_CONCLUDED, ACT_RATE, ST_CONCLUDED, ROLE_PETITIONER, NEED_SATISFACTION, HOLD_SAME },
	{ ST_CONCLUDED, ACT_IMPLEMENT, ST_CONCLUDED, ROLE_HANDLER, NEED_FACTS, HOLD_SAME },
	/* R22 art. 39; R05 art. 36: 三项建议 while the case is handled or after, answered in writing */
#define SUGGEST_SPEC(st)                                                                               \
	{ st, ACT_SUGGEST, st, ROLE_SUPERVISOR, NEED_TARGET | NEED_SUGGESTION | NEED_OPINION, HOLD_SAME }, \
	{ st, ACT_SUGGESTION_FEEDBACK, st, ROLE_HANDLER | ROLE_UNIT_HEAD, NEED_FACTS, HOLD_SAME }
	SUGGEST_SPEC(ST_DISPATCHED), SUGGEST_SPEC(ST_ACCEPTED), SUGGEST_SPEC(ST_REPLIED),
	SUGGEST_SPEC(ST_CLOSED), SUGGEST_SPEC(ST_REVIEW), SUGGEST_SPEC(ST_RECHECK),
	SUGGEST_SPEC(ST_CONCLUDED),
#undef SUGGEST_SPEC
	/* R22 art. 38-40; seed 002: 催办 and 督办 by a supervising petition department while the
	 * case is triaged, handled, approved or reviewed; the state and the holder stay */
#define OVERSEE_SPEC(st)                                                  \
	{ st, ACT_REMIND, st, ROLE_SUPERVISOR, NEED_REASON, HOLD_SAME },    \
	{ st, ACT_SUPERVISE, st, ROLE_SUPERVISOR, NEED_REASON, HOLD_SAME }
	OVERSEE_SPEC(ST_REGISTERED), OVERSEE_SPEC(ST_DISPATCHED), OVERSEE_SPEC(ST_ACCEPTED),
	OVERSEE_SPEC(ST_REPLIED), OVERSEE_SPEC(ST_REVIEW), OVERSEE_SPEC(ST_RECHECK),
#undef OVERSEE_SPEC
	/* seeds 002, 003, 004 art. 12: a leader instructs (批示) on a case in any state after
	 * registration; owns (包案) one that is still open, one leader at a time; releases it */
#define LEADER_SPEC(st)                                                            \
	{ st, ACT_INSTRUCT, st, ROLE_LEADER, NEED_OPINION, HOLD_SAME },              \
	{ st, ACT_RELEASE_OWNERSHIP, st, ROLE_LEADER, 0, HOLD_SAME }
#define OWN_SPEC(st) LEADER_SPEC(st), { st, ACT_TAKE_OWNERSHIP, st, ROLE_LEADER, 0, HOLD_SAME }
	OWN_SPEC(ST_REGISTERED), OWN_SPEC(ST_DISPATCHED), OWN_SPEC(ST_ACCEPTED), OWN_SPEC(ST_REPLIED),
	OWN_SPEC(ST_CLOSED), OWN_SPEC(ST_REVIEW), OWN_SPEC(ST_RECHECK),
	LEADER_SPEC(ST_CONCLUDED), LEADER_SPEC(ST_REJECTED), LEADER_SPEC(ST_DECLINED),
	LEADER_SPEC(ST_ARCHIVED), LEADER_SPEC(ST_MERGED),
#undef OWN_SPEC
#undef LEADER_SPEC
};
#define N_EXPECTED ((int)(sizeof EXPECTED / sizeof EXPECTED[0]))

static const struct spec *expected_find(case_state from, case_action action)
{
	int i;

	for (i = 0; i < N_EXPECTED; i++)
		if (EXPECTED[i].from == from && EXPECTED[i].action == action)
			return &EXPECTED[i];
	return NULL;
}

static int expected_need_pairs(void)
{
	int i, pairs = 0;

	for (i = 0; i < N_EXPECTED; i++)
		pairs += __builtin_popcount(EXPECTED[i].need);
	return pairs;
}

/* ---- required fields: bit, the field name in the error, how to fill/blank it ---- */

struct need_field {
	unsigned bit;
	const char *field;
};

static const struct need_field NEEDS[] = {
	{ NEED_REASON, "reason" },
	{ NEED_ROUTE, "route" },
	{ NEED_LEAD_UNIT, "lead_unit" },
	{ NEED_DAYS, "days" },
	{ NEED_OUTCOME, "outcome" },
	{ NEED_FACTS, "facts" },
	{ NEED_OPINION, "opinion" },
	{ NEED_LEGAL_BASIS, "legal_basis" },
	{ NEED_DELIVERY, "delivery" },
	{ NEED_SATISFACTION, "satisfaction" },
	{ NEED_INTO, "into" },
	{ NEED_REPEAT_OF, "repeat_of" },
	{ NEED_DUE_DAYS, "due_days" },
	{ NEED_TARGET, "to_unit" },
	{ NEED_SUGGESTION, "suggestion_type" },
};
#define N_NEEDS ((int)(sizeof NEEDS / sizeof NEEDS[0]))

/* The text field a NEED bit refers to; NULL when it is not a string. */
static const char **need_text(struct flow_input *in, unsigned bit)
{
	switch (bit) {
	case NEED_REASON:
		return &in->reason;
	case NEED_ROUTE:
		return &in->route;
	case NEED_FACTS:
		return &in->facts;
	case NEED_OPINION:
		return &in->opinion;
	case NEED_LEGAL_BASIS:
		return &in->legal_basis;
	case NEED_SUGGESTION:
		return &in->suggestion_type;
	default:
		return NULL;
	}
}

/* Fill every field named by `need` with a valid value. */
static void fill_need(struct flow_input *in, unsigned need)
{
	if (need & NEED_REASON)
		in->reason = "经审查，该事项不属于本机关职权范围";
	if (need & NEED_ROUTE)
		in->route = "请依法向人民法院提起行政诉讼";
	if (need & NEED_LEAD_UNIT)
		in->lead = UNIT_A;
	if (need & NEED_DAYS)
		in->days = 15;
	if (need & NEED_DUE_DAYS)
		in->due_days = 30;
	if (need & NEED_OUTCOME)
		in->outcome = OUTCOME_EXPLAIN;
	if (need & NEED_FACTS)
		in->facts = "经调查核实，信访人反映的情况基本属实";
	if (need & NEED_OPINION)
		in->opinion = "依法予以解释说明";
	if (need & NEED_LEGAL_BASIS)
		in->legal_basis = "《信访工作条例》第三十二条";
	if (need & NEED_DELIVERY)
		in->delivery = DELIVERY_SIGNED;
	if (need & NEED_SATISFACTION)
		in->satisfaction = SAT_SATISFIED;
	if (need & NEED_INTO)
		in->into_given = 1;
	if (need & NEED_REPEAT_OF)
		in->repeat_given = 1;
	if (need & NEED_TARGET)
		in->target = UNIT_B;
	if (need & NEED_SUGGESTION)
		in->suggestion_type = "work";
}

/* Blank the field one NEED bit refers to. */
static void blank_need(struct flow_input *in, unsigned bit)
{
	const char **s = need_text(in, bit);

	if (s) {
		*s = NULL;
		return;
	}
	switch (bit) {
	case NEED_LEAD_UNIT:
		in->lead.id = 0;
		in->lead.path = NULL;
		break;
	case NEED_TARGET:
		in->target.id = 0;
		in->target.path = NULL;
		break;
	case NEED_DAYS:
		in->days = 0;
		break;
	case NEED_DUE_DAYS:
		in->due_days = 0;
		break;
	case NEED_OUTCOME:
		in->outcome = OUTCOME_NONE;
		break;
	case NEED_DELIVERY:
		in->delivery = DELIVERY_NONE;
		break;
	case NEED_SATISFACTION:
		in->satisfaction = SAT_NONE;
		break;
	case NEED_INTO:
		in->into_given = 0;
		break;
	case NEED_REPEAT_OF:
		in->repeat_given = 0;
		break;
	default:
		cr_assert_fail("no way to blank NEED bit 0x%x: add it to blank_need()", bit);
	}
}

/* ---- valid inputs ---------------------------------------------------------------- */

/* A case at `st` held by the bureau, an actor of that unit, national policy. */
static struct flow_input base_input(case_state st, case_action act, unsigned roles)
{
	struct flow_input in;

	memset(&in, 0, sizeof in);
	in.state = st;
	in.action = act;
	in.actor_roles = roles;
	in.actor_is_holder = 1;
	in.holder = BUREAU;
	in.has_review_organ = 1;
	in.has_recheck_organ = 1;
	in.closed_at = sh(2026, 3, 1, 10, 0, 0);
	in.now = sh(2026, 3, 2, 9, 0, 0);
	in.max_extension_days = 30; /* R22 art. 34 */
	in.review_window_days = 30; /* R22 art. 35 */
	return in;
}

/*
 * Set the case context the action's guard looks at so that it passes.
 * Returns 0 for an action nobody wrote a filler for: a new rule must come
 * with one (and with its own tests).
 */
static int fill_action(struct flow_input *in, case_action act)
{
	switch (act) {
	case ACT_TRANSFER:
	case ACT_ASSIGN:
	case ACT_SELF_HANDLE:
		/* an accusation, so the accused-unit guard really runs */
		in->is_accusation = 1;
		in->accused = ACCUSED;
		return 1;
	case ACT_DECLINE:
		in->repeat_found = 1;
		in->repeat_state = ST_CONCLUDED;
		return 1;
	case ACT_MERGE:
		in->into_found = 1;
		in->into_is_self = 0;
		in->into_state = ST_ACCEPTED;
		return 1;
	case ACT_REQUEST_EXTENSION:
		in->extension = EXT_NONE;
		return 1;
	case ACT_APPROVE_EXTENSION:
	case ACT_DENY_EXTENSION:
		in->extension = EXT_PENDING;
		return 1;
	case ACT_REPLY:
		in->witness = NULL; /* signed: no witness needed */
		return 1;
	case ACT_RATE:
		in->rated = 0;
		return 1;
	case ACT_REQUEST_REVIEW:
		in->stage = 0;
		return 1;
	case ACT_REQUEST_RECHECK:
		in->stage = 1;
		return 1;
	case ACT_REQUEST_MATERIAL:
	case ACT_START_HEARING:
		in->paused = 0;
		return 1;
	case ACT_RECEIVE_MATERIAL:
	case ACT_END_HEARING:
		in->paused = 1;
		return 1;
	case ACT_IMPLEMENT:
		in->supported = 1;
		in->implemented = 0;
		in->actor_is_lead = 1;
		return 1;
	case ACT_SUGGEST:
		in->suggestion_pending = 0;
		in->actor_supervises = 1;
		return 1;
	case ACT_SUGGESTION_FEEDBACK:
		in->suggestion_pending = 1;
		in->actor_is_target = 1;
		return 1;
	case ACT_REMIND:
	case ACT_SUPERVISE:
		/* a petition department that sees the case, not the one holding it */
		in->actor_is_holder = 0;
		in->actor_supervises = 1;
		return 1;
	case ACT_INSTRUCT:
		in->actor_is_holder = 0; /* any unit that sees the case */
		return 1;
	case ACT_TAKE_OWNERSHIP:
		in->actor_is_holder = 0;
		in->owned = 0;
		in->actor_is_owner = 0;
		return 1;
	case ACT_RELEASE_OWNERSHIP:
		in->actor_is_holder = 0;
		in->owned = 1;
		in->actor_is_owner = 1;
		return 1;
	case ACT_REJECT:
	case ACT_ARCHIVE:
	case ACT_ACCEPT:
	case ACT_RETURN:
	case ACT_APPROVE:
	case ACT_SEND_BACK:
	case ACT_DECIDE_REVIEW:
	case ACT_DECIDE_RECHECK:
		return 1;
	default:
		return 0;
	}
}

/* The smallest valid input for a rule: its roles, its fields, its guard satisfied. */
static struct flow_input valid_for(const struct flow_rule *r)
{
	struct flow_input in = base_input(r->from, r->action, r->roles);

	cr_assert(fill_action(&in, r->action), "no input filler for action %s: add it to fill_action()",
		  flow_action_name(r->action));
	fill_need(&in, r->need);
	return in;
}

/* A valid input for (state, action) taken straight from the table. */
static struct flow_input valid(case_state st, case_action act)
{
	const struct flow_rule *r = flow_find(st, act);

	cr_assert_not_null(r, "no rule %s --%s-->", flow_state_name(st), flow_action_name(act));
	return valid_for(r);
}

/* ---- assertions --------------------------------------------------------------------- */

static void assert_ok(const struct flow_input *in, const char *ctx)
{
	struct flow_result res;
	struct xerr err;

	memset(&res, 0, sizeof res);
	xerr_clear(&err);
	cr_assert_eq(flow_check(in, &res, &err), 0, "%s: refused with %s (%s) %s", ctx,
		     err.code ? err.code : "(null)", err.field, err.message);
	cr_assert_not_null(res.rule, "%s: res.rule not set", ctx);
	cr_assert_eq(res.rule->from, in->state, "%s: wrong rule", ctx);
	cr_assert_eq(res.rule->action, in->action, "%s: wrong rule", ctx);
}

static void assert_refused(const struct flow_input *in, int status, const char *code, const char *field,
			   const char *ctx)
{
	struct flow_result res;
	struct xerr err;

	memset(&res, 0, sizeof res);
	xerr_clear(&err);
	cr_assert_eq(flow_check(in, &res, &err), -1, "%s: accepted, expected %s", ctx, code);
	cr_assert_not_null(err.code, "%s: no error code", ctx);
	cr_assert_str_eq(err.code, code, "%s: code %s, expected %s", ctx, err.code, code);
	cr_assert_eq(err.status, status, "%s: status %d, expected %d", ctx, err.status, status);
	cr_assert_str_eq(err.field, field, "%s: field \"%s\", expected \"%s\"", ctx, err.field, field);
	cr_assert_neq(err.message[0], '\0', "%s: empty message", ctx);
}

static const char *ctx_of(char *buf, size_t n, case_state st, case_action act, const char *extra)
{
	snprintf(buf, n, "%s --%s--> (%s)", flow_state_name(st) ? flow_state_name(st) : "?",
		 flow_action_name(act) ? flow_action_name(act) : "?", extra ? extra : "");
	return buf;
}

/* Does the UTF-8 string contain a CJK unified ideograph (U+4E00..U+9FFF)? */
static int has_cjk(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p && *p; p++) {
		if ((p[0] & 0xF0) == 0xE0 && p[1] && p[2]) {
			unsigned cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
			if (cp >= 0x4E00 && cp <= 0x9FFF)
				return 1;
		}
	}
	return 0;
}

/* ============================================================================
 * The table itself
 * ========================================================================== */

/* R22 art. 22-36, DESIGN.md section 3: the table is exactly the life cycle of the rules. */
Test(flow_table, matches_the_life_cycle_of_r22_art22_to_36)
{
	int n, i;
	const struct flow_rule *rules = flow_rules(&n);

	cr_assert_not_null(rules);
	cr_assert_eq(n, N_EXPECTED, "table has %d rules, the rules describe %d", n, N_EXPECTED);
	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];
		const struct spec *e = expected_find(r->from, r->action);
		char c[128];

		ctx_of(c, sizeof c, r->from, r->action, NULL);
		cr_assert_not_null(e, "%s: not in the life cycle", c);
		cr_assert_eq(r->to, e->to, "%s: leads to %s, expected %s", c, flow_state_name(r->to),
			     flow_state_name(e->to));
		cr_assert_eq(r->roles, e->roles, "%s: roles 0x%x, expected 0x%x", c, r->roles, e->roles);
		cr_assert_eq(r->need, e->need, "%s: needs 0x%x, expected 0x%x", c, r->need, e->need);
		cr_assert_eq(r->holder, e->holder, "%s: holder %d, expected %d", c, r->holder, e->holder);
		cr_assert_eq(flow_find(r->from, r->action), r, "%s: duplicate (state, action)", c);
	}
}

/* R22 art. 22: the one entry point is registration; registered has the triage actions. */
Test(flow_table, every_live_state_has_a_way_out)
{
	int s;

	for (s = ST_REGISTERED; s < ST__COUNT; s++) {
		int a, outs = 0;

		if (flow_state_terminal((case_state)s))
			continue;
		for (a = ACT_REGISTER + 1; a < ACT__COUNT; a++)
			if (flow_find((case_state)s, (case_action)a))
				outs++;
		cr_assert_gt(outs, 0, "state %s is a dead end", flow_state_name((case_state)s));
	}
}

/* R22 art. 36: nothing leaves a terminal state; on a concluded case the petitioner may
 * still rate, and the handling unit records how a supported decision was carried
 * out (seed 000 art. 5(4)). */
Test(flow_table, terminal_states_are_never_left)
{
	int n, i;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		if (!flow_state_terminal(rules[i].from))
			continue;
		cr_assert_eq(rules[i].to, rules[i].from, "%s --%s--> leaves a terminal state",
			     flow_state_name(rules[i].from), flow_action_name(rules[i].action));
		cr_assert(rules[i].action == ACT_RATE || rules[i].action == ACT_IMPLEMENT ||
				  rules[i].action == ACT_SUGGEST || rules[i].action == ACT_SUGGESTION_FEEDBACK ||
				  rules[i].action == ACT_INSTRUCT || rules[i].action == ACT_RELEASE_OWNERSHIP,
			  "%s allows %s", flow_state_name(rules[i].from), flow_action_name(rules[i].action));
	}
}

/* Every NEED bit used by the table has a field name and a way to blank it. */
Test(flow_table, every_need_bit_is_known_to_the_tests)
{
	int n, i;
	unsigned used = 0, known = 0;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++)
		used |= rules[i].need;
	for (i = 0; i < N_NEEDS; i++)
		known |= NEEDS[i].bit;
	cr_assert_eq(used & ~known, 0u, "NEED bits 0x%x have no entry in NEEDS[]", used & ~known);
	cr_assert_eq(known, ALL_NEEDS);
}

/* ============================================================================
 * 1. Every legal transition
 * ========================================================================== */

/* R22 art. 22-36: each rule, given a valid input, is allowed and leads where it says. */
Test(flow_legal, every_rule_with_a_valid_input_succeeds)
{
	int n, i;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];
		struct flow_input in = valid_for(r);
		struct flow_result res;
		struct xerr err;
		char c[128];

		ctx_of(c, sizeof c, r->from, r->action, "valid input");
		memset(&res, 0, sizeof res);
		xerr_clear(&err);
		cr_assert_eq(flow_check(&in, &res, &err), 0, "%s: refused with %s (%s)", c,
			     err.code ? err.code : "(null)", err.field);
		cr_assert_eq(res.to, r->to, "%s: to %s", c, flow_state_name(res.to));
		cr_assert_eq(res.holder, r->holder, "%s: holder %d", c, res.holder);
		cr_assert_eq(res.rule, r, "%s: res.rule is not the rule", c);
	}
}

/* DESIGN.md section 1: any one of the allowed roles suffices, extra roles do not hurt. */
Test(flow_legal, each_allowed_role_alone_may_act)
{
	int n, i, b;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		for (b = 0; b < ROLE__COUNT; b++) {
			unsigned bit = 1u << b;
			struct flow_input in;
			char c[128];

			if (!(rules[i].roles & bit))
				continue;
			in = valid_for(&rules[i]);
			in.actor_roles = bit;
			assert_ok(&in, ctx_of(c, sizeof c, rules[i].from, rules[i].action,
					      flow_role_name(bit)));
			in.actor_roles = ALL_ROLES;
			assert_ok(&in, ctx_of(c, sizeof c, rules[i].from, rules[i].action, "all roles"));
		}
	}
}

/* Text with surrounding spaces is not blank. */
Test(flow_legal, text_with_surrounding_spaces_is_not_blank)
{
	int n, i, k;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		for (k = 0; k < N_NEEDS; k++) {
			struct flow_input in;
			const char **s;
			char c[128];

			if (!(rules[i].need & NEEDS[k].bit))
				continue;
			in = valid_for(&rules[i]);
			s = need_text(&in, NEEDS[k].bit);
			if (!s)
				continue;
			*s = " \t理由\r\n ";
			assert_ok(&in, ctx_of(c, sizeof c, rules[i].from, rules[i].action, NEEDS[k].field));
		}
	}
}

/* ============================================================================
 * 2. Every illegal transition
 * ========================================================================== */

/* DESIGN.md section 3: illegal transitions fail with a clear error (409) and change nothing. */
Test(flow_illegal, every_pair_without_a_rule_is_invalid_transition)
{
	int s, a, refused = 0;

	for (s = ST_NONE; s < ST__COUNT; s++) {
		for (a = ACT_REGISTER + 1; a < ACT__COUNT; a++) {
			struct flow_input in;
			char c[128];

			if (expected_find((case_state)s, (case_action)a))
				continue;
			/* everything else as favourable as possible: all roles, all fields */
			in = base_input((case_state)s, (case_action)a, ALL_ROLES);
			cr_assert(fill_action(&in, (case_action)a));
			fill_need(&in, ALL_NEEDS);
			assert_refused(&in, 409, "flow.invalid_transition", "action",
				       ctx_of(c, sizeof c, (case_state)s, (case_action)a, NULL));
			cr_assert_null(flow_find((case_state)s, (case_action)a));
			refused++;
		}
	}
	cr_assert_eq(refused, ST__COUNT * (ACT__COUNT - 1) - N_EXPECTED);
}

/* The refusal names the current state and the action, in Chinese. */
Test(flow_illegal, invalid_transition_message_names_state_and_action)
{
	struct flow_input in = base_input(ST_ACCEPTED, ACT_TRANSFER, ALL_ROLES);
	struct flow_result res;
	struct xerr err;

	fill_need(&in, ALL_NEEDS);
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_not_null(strstr(err.message, flow_state_label(ST_ACCEPTED)), "%s", err.message);
	cr_assert_not_null(strstr(err.message, flow_action_label(ACT_TRANSFER)), "%s", err.message);
}

/* R22 art. 21: registration creates the case; it is not an action on an existing one. */
Test(flow_illegal, register_is_an_unknown_action_in_every_state)
{
	int s;

	for (s = ST_NONE; s < ST__COUNT; s++) {
		struct flow_input in = base_input((case_state)s, ACT_REGISTER, ALL_ROLES);
		char c[128];

		fill_need(&in, ALL_NEEDS);
		assert_refused(&in, 404, "flow.unknown_action", "action",
			       ctx_of(c, sizeof c, (case_state)s, ACT_REGISTER, NULL));
	}
}

Test(flow_illegal, out_of_range_action_is_unknown)
{
	struct flow_input in = base_input(ST_REGISTERED, ACT__COUNT, ALL_ROLES);

	assert_refused(&in, 404, "flow.unknown_action", "action", "ACT__COUNT");
	in.action = (case_action)(ACT__COUNT + 7);
	assert_refused(&in, 404, "flow.unknown_action", "action", "ACT__COUNT+7");
}

/* flow.h: checks run in order action, state, role, holder, fields, guard. */
Test(flow_illegal, checks_run_in_the_documented_order)
{
	struct flow_input in;

	/* unknown action before anything: no roles, not holder, nothing filled */
	in = base_input(ST_NONE, ACT_REGISTER, 0);
	in.actor_is_holder = 0;
	assert_refused(&in, 404, "flow.unknown_action", "action", "action first");

	/* state before role */
	in = base_input(ST_ACCEPTED, ACT_TRANSFER, 0);
	in.actor_is_holder = 0;
	assert_refused(&in, 409, "flow.invalid_transition", "action", "state before role");

	/* role before holder */
	in = valid(ST_REGISTERED, ACT_TRANSFER);
	in.actor_roles = ROLE_HANDLER;
	in.actor_is_holder = 0;
	assert_refused(&in, 403, "auth.role_denied", "action", "role before holder");

	/* holder before fields */
	in = base_input(ST_REGISTERED, ACT_REJECT, ROLE_DISPATCHER);
	in.actor_is_holder = 0;
	assert_refused(&in, 403, "case.not_holder", "", "holder before fields");

	/* fields before guard: extension already used, but reason missing */
	in = valid(ST_ACCEPTED, ACT_REQUEST_EXTENSION);
	in.extension = EXT_APPROVED;
	in.reason = NULL;
	assert_refused(&in, 400, "validation.required", "reason", "fields before guard");

	/* fields in the order of NEED bits: reject without reason and route names reason */
	in = base_input(ST_REGISTERED, ACT_REJECT, ROLE_DISPATCHER);
	assert_refused(&in, 400, "validation.required", "reason", "reason before route");
}

/* ============================================================================
 * 3. Roles
 * ========================================================================== */

/* DESIGN.md section 1: each action is reserved to its roles; every other role is refused. */
Test(flow_roles, every_other_role_is_denied)
{
	int n, i, b;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];
		struct flow_input in = valid_for(r);
		char c[128];

		/* all other roles at once */
		in.actor_roles = ALL_ROLES & ~r->roles;
		assert_refused(&in, 403, "auth.role_denied", "action",
			       ctx_of(c, sizeof c, r->from, r->action, "all other roles"));
		/* no role at all */
		in.actor_roles = 0;
		assert_refused(&in, 403, "auth.role_denied", "action",
			       ctx_of(c, sizeof c, r->from, r->action, "no role"));
		/* each other role alone */
		for (b = 0; b < ROLE__COUNT; b++) {
			unsigned bit = 1u << b;

			if (r->roles & bit)
				continue;
			in.actor_roles = bit;
			assert_refused(&in, 403, "auth.role_denied", "action",
				       ctx_of(c, sizeof c, r->from, r->action, flow_role_name(bit)));
		}
	}
}

/* DESIGN.md section 1 (等保 2.0 三员分立): the three administrators never touch a case. */
Test(flow_roles, administrators_and_auditors_act_on_no_case)
{
	int n, i;
	const struct flow_rule *rules = flow_rules(&n);
	const unsigned admins = ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR | ROLE_ANALYST;

	for (i = 0; i < n; i++)
		cr_assert_eq(rules[i].roles & admins, 0u, "%s --%s--> allows an administrator",
			     flow_state_name(rules[i].from), flow_action_name(rules[i].action));
}

/* R22 art. 34: the extension is approved by the unit head, not by the handler asking for it. */
Test(flow_roles, r22_art34_handler_cannot_approve_own_extension)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_APPROVE_EXTENSION);

	in.actor_roles = ROLE_HANDLER;
	assert_refused(&in, 403, "auth.role_denied", "action", "handler approves");
	in = valid(ST_ACCEPTED, ACT_DENY_EXTENSION);
	in.actor_roles = ROLE_HANDLER;
	assert_refused(&in, 403, "auth.role_denied", "action", "handler denies");
}

/* R22 art. 35: only the petitioner asks for review and recheck. */
Test(flow_roles, r22_art35_only_the_petitioner_requests_review)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_REVIEW);

	in.actor_roles = ROLE_REVIEWER | ROLE_DISPATCHER | ROLE_LEADER;
	assert_refused(&in, 403, "auth.role_denied", "action", "staff requests review");
	in = valid(ST_CLOSED, ACT_REQUEST_RECHECK);
	in.actor_roles = ROLE_REVIEWER | ROLE_DISPATCHER | ROLE_LEADER;
	assert_refused(&in, 403, "auth.role_denied", "action", "staff requests recheck");
}

/* ============================================================================
 * 4. Holder
 * ========================================================================== */

/* DESIGN.md section 3: only the unit holding the case acts on it (staff actions). */
Test(flow_holder, staff_rules_require_the_holding_unit)
{
	int n, i, staff = 0;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];
		struct flow_input in;
		char c[128];

		/* a leader instructs on and owns any case he sees (flow_oversight below) */
		if ((r->roles & ROLE_PETITIONER) || r->action == ACT_INSTRUCT || r->action == ACT_TAKE_OWNERSHIP)
			continue;
		in = valid_for(r);
		in.actor_is_holder = 0;
		in.actor_is_lead = 0;    /* implement: the handling unit acts instead of the holder */
		in.actor_supervises = 0; /* suggest, remind, supervise: a petition department that sees it */
		in.actor_is_target = 0;  /* feedback: the unit the suggestion went to */
		in.actor_is_owner = 0;   /* release_ownership: the leader who owns it */
		assert_refused(&in, 403, "case.not_holder", "",
			       ctx_of(c, sizeof c, r->from, r->action, "not holder"));
		staff++;
	}
	/* 39 life-cycle rules, remind and supervise in 6 states, release in 12 */
	cr_assert_eq(staff, 39 + 12 + 12);
}

/* R22 art. 21, 35: the petitioner acts through the portal, whoever holds the case. */
Test(flow_holder, petitioner_rules_do_not_need_the_holder)
{
	int n, i, pub = 0;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];
		struct flow_input in;
		char c[128];

		if (!(r->roles & ROLE_PETITIONER))
			continue;
		in = valid_for(r);
		in.actor_is_holder = 0;
		in.holder.id = 0;
		in.holder.path = NULL;
		assert_ok(&in, ctx_of(c, sizeof c, r->from, r->action, "petitioner, not holder"));
		pub++;
	}
	/* rate (closed), rate (concluded), request_review, request_recheck */
	cr_assert_eq(pub, 4);
}

/* ============================================================================
 * 5. Required fields
 * ========================================================================== */

/* R22 art. 22, 23, 32, 34, 36: each required field, blanked alone, is named in the error. */
Test(flow_fields, each_required_field_blanked_is_validation_required)
{
	int n, i, k, checked = 0;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];

		for (k = 0; k < N_NEEDS; k++) {
			struct flow_input in;
			char c[128];

			if (!(r->need & NEEDS[k].bit))
				continue;
			in = valid_for(r);
			blank_need(&in, NEEDS[k].bit);
			assert_refused(&in, 400, "validation.required", NEEDS[k].field,
				       ctx_of(c, sizeof c, r->from, r->action, NEEDS[k].field));
			checked++;
		}
	}
	/* as many as the (rule, field) pairs the rules describe */
	cr_assert_eq(checked, expected_need_pairs());
}

/* Whitespace-only text is blank (space, tab, CR, LF, and "" ). */
Test(flow_fields, whitespace_only_text_is_blank)
{
	static const char *blanks[] = { "", " ", "\t", "\n", "\r\n", " \t \r\n  " };
	int n, i, k, b;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];

		for (k = 0; k < N_NEEDS; k++) {
			if (!(r->need & NEEDS[k].bit))
				continue;
			for (b = 0; b < (int)(sizeof blanks / sizeof blanks[0]); b++) {
				struct flow_input in = valid_for(r);
				const char **s = need_text(&in, NEEDS[k].bit);
				char c[128];

				if (!s)
					break;
				*s = blanks[b];
				assert_refused(&in, 400, "validation.required", NEEDS[k].field,
					       ctx_of(c, sizeof c, r->from, r->action, NEEDS[k].field));
			}
		}
	}
}

/*
 * Whitespace-only text is blank: the ideographic space U+3000 (全角空格) that
 * Chinese input methods type is whitespace too: a reason of "　　" is no reason.
 */
Test(flow_fields, fullwidth_space_only_text_is_blank)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_REJECT);

	in.reason = "\u3000\u3000";
	assert_refused(&in, 400, "validation.required", "reason", "reject, reason U+3000 only");
}

/* R22 art. 22, 31: a rejection tells the petitioner the statutory route. */
Test(flow_fields, r22_art22_reject_needs_reason_and_route)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_REJECT);

	in.route = "  ";
	assert_refused(&in, 400, "validation.required", "route", "reject without route");
	in = valid(ST_REGISTERED, ACT_REJECT);
	in.reason = NULL;
	assert_refused(&in, 400, "validation.required", "reason", "reject without reason");
}

/* R22 art. 32: the reply names one of three outcomes, the facts, the opinion and its basis. */
Test(flow_fields, r22_art32_reply_elements_required)
{
	static const struct {
		unsigned bit;
		const char *field;
	} elems[] = {
		{ NEED_OUTCOME, "outcome" },     { NEED_FACTS, "facts" },
		{ NEED_OPINION, "opinion" },     { NEED_LEGAL_BASIS, "legal_basis" },
		{ NEED_DELIVERY, "delivery" },
	};
	int k;

	for (k = 0; k < (int)(sizeof elems / sizeof elems[0]); k++) {
		struct flow_input in = valid(ST_ACCEPTED, ACT_REPLY);

		blank_need(&in, elems[k].bit);
		assert_refused(&in, 400, "validation.required", elems[k].field, elems[k].field);
	}
	/* each of the three outcomes is accepted */
	for (k = OUTCOME_SUPPORT; k <= OUTCOME_DENY; k++) {
		struct flow_input in = valid(ST_ACCEPTED, ACT_REPLY);

		in.outcome = (case_outcome)k;
		assert_ok(&in, flow_outcome_name((case_outcome)k));
	}
}

/* R22 art. 23: a unit objecting to a transfer gives its reasons. */
Test(flow_fields, r22_art23_return_needs_reason)
{
	struct flow_input in = valid(ST_DISPATCHED, ACT_RETURN);

	in.reason = "";
	assert_refused(&in, 400, "validation.required", "reason", "return without reason");
}

/* ============================================================================
 * 6. Guards
 * ========================================================================== */

/* --- accusations never reach the accused unit: R22 art. 30, 46(5); seed 004 art. 7 --- */

static struct flow_input accusation(case_action act)
{
	struct flow_input in = valid(ST_REGISTERED, act);

	in.is_accusation = 1;
	in.accused = ACCUSED;
	return in;
}

/* R22 art. 30, 46(5); seed 004 art. 7: not transferred or assigned to the accused unit as lead. */
Test(flow_accused, r22_art30_no_dispatch_to_accused_unit_as_lead)
{
	static const case_action acts[] = { ACT_TRANSFER, ACT_ASSIGN };
	static const struct flow_unit *leads[] = { &ACCUSED, &ACCUSED_CHILD, &ACCUSED_GRANDCHILD };
	int a, u;

	for (a = 0; a < 2; a++) {
		for (u = 0; u < 3; u++) {
			struct flow_input in = accusation(acts[a]);
			char c[128];

			in.lead = *leads[u];
			assert_refused(&in, 422, "flow.accused_unit", "lead_unit",
				       ctx_of(c, sizeof c, ST_REGISTERED, acts[a], leads[u]->path));
		}
	}
}

/* R22 art. 30; seed 004 art. 7: the accused unit is recognised by id even without a path. */
Test(flow_accused, r22_art30_accused_unit_matched_by_id)
{
	struct flow_input in = accusation(ACT_TRANSFER);

	in.lead.id = ACCUSED.id;
	in.lead.path = NULL;
	assert_refused(&in, 422, "flow.accused_unit", "lead_unit", "lead id = accused id, no path");
}

/* R22 art. 30, 46(5); seed 004 art. 7: nor as a co-unit (协办单位). */
Test(flow_accused, r22_art30_no_dispatch_to_accused_unit_as_co_unit)
{
	static const case_action acts[] = { ACT_TRANSFER, ACT_ASSIGN };
	static const struct flow_unit *bad[] = { &ACCUSED, &ACCUSED_CHILD };
	int a, u;

	for (a = 0; a < 2; a++) {
		for (u = 0; u < 2; u++) {
			struct flow_unit co[2];
			struct flow_input in = accusation(acts[a]);
			char c[128];

			co[0] = UNIT_B;
			co[1] = *bad[u];
			in.co = co;
			in.n_co = 2;
			assert_refused(&in, 422, "flow.accused_unit", "co_units",
				       ctx_of(c, sizeof c, ST_REGISTERED, acts[a], bad[u]->path));
		}
	}
}

/* R22 art. 30; seed 004 art. 7: the accused unit does not handle it itself either. */
Test(flow_accused, r22_art30_accused_unit_may_not_self_handle)
{
	struct flow_input in = accusation(ACT_SELF_HANDLE);

	in.holder = ACCUSED;
	assert_refused(&in, 422, "flow.accused_unit", "", "holder is the accused unit");
	in.holder = ACCUSED_CHILD;
	assert_refused(&in, 422, "flow.accused_unit", "", "holder inside the accused subtree");
}

/* R22 art. 30: a unit above the accused one, or beside it, may take the accusation. */
Test(flow_accused, r22_art30_other_units_may_take_the_accusation)
{
	struct flow_unit co[1];
	struct flow_input in;

	/* "/1/40/" shares only the characters "/1/4" with "/1/4/": not inside */
	in = accusation(ACT_TRANSFER);
	in.lead = SIBLING_40;
	assert_ok(&in, "transfer to /1/40/");
	in = accusation(ACT_ASSIGN);
	in.lead = SIBLING_40;
	co[0] = UNIT_B;
	in.co = co;
	in.n_co = 1;
	assert_ok(&in, "assign to /1/40/ with co /1/6/");
	/* the bureau above the accused unit handles it itself */
	in = accusation(ACT_SELF_HANDLE);
	in.holder = BUREAU;
	assert_ok(&in, "self_handle by /1/");
}

/* R22 art. 29-31: the guard is about accusations only; a claim may go to that unit. */
Test(flow_accused, r22_art31_non_accusation_may_go_to_that_unit)
{
	struct flow_unit co[1] = { { 9, "/1/4/9/" } };
	struct flow_input in;

	in = accusation(ACT_TRANSFER);
	in.is_accusation = 0;
	in.lead = ACCUSED;
	assert_ok(&in, "claim transferred to /1/4/");
	in = accusation(ACT_ASSIGN);
	in.is_accusation = 0;
	in.lead = ACCUSED;
	in.co = co;
	in.n_co = 1;
	assert_ok(&in, "claim assigned to /1/4/ with co /1/4/9/");
	in = accusation(ACT_SELF_HANDLE);
	in.is_accusation = 0;
	in.holder = ACCUSED;
	assert_ok(&in, "claim self-handled by /1/4/");
	/* an accusation with no accused unit recorded has nothing to avoid */
	in = accusation(ACT_TRANSFER);
	in.accused.id = 0;
	in.accused.path = NULL;
	in.lead = ACCUSED;
	assert_ok(&in, "accusation, no accused unit");
}

/* DESIGN.md glossary (主办/协办): a co-unit is not the lead unit again. */
Test(flow_accused, co_unit_equal_to_lead_is_invalid)
{
	struct flow_unit co[1];
	struct flow_input in = valid(ST_REGISTERED, ACT_TRANSFER);

	co[0] = in.lead;
	in.co = co;
	in.n_co = 1;
	assert_refused(&in, 400, "validation.invalid", "co_units", "co = lead");
}

/* R22 art. 30: "inside the subtree" is a path prefix on whole segments. */
Test(flow_accused, path_within_is_a_subtree_test)
{
	cr_assert(flow_path_within("/1/4/", "/1/4/"));
	cr_assert(flow_path_within("/1/4/9/", "/1/4/"));
	cr_assert(flow_path_within("/1/4/9/12/", "/1/4/"));
	cr_assert_not(flow_path_within("/1/40/", "/1/4/"));
	cr_assert_not(flow_path_within("/1/", "/1/4/"));
	cr_assert_not(flow_path_within("/2/4/", "/1/4/"));
	cr_assert_not(flow_path_within(NULL, "/1/4/"));
	cr_assert_not(flow_path_within("/1/4/", NULL));
	cr_assert_not(flow_path_within("/1/4/", ""));
}

/* --- extension: R22 art. 34; seed 004 art. 10(5) ----------------------------------- */

/* R22 art. 34: extended at most once. */
Test(flow_extension, r22_art34_extension_only_once)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REQUEST_EXTENSION);

	in.extension = EXT_APPROVED;
	assert_refused(&in, 409, "flow.extension_used", "", "after an approved extension");
	in.extension = EXT_DENIED;
	assert_refused(&in, 409, "flow.extension_used", "", "after a denied extension");
	in.extension = EXT_PENDING;
	assert_refused(&in, 409, "flow.extension_pending", "", "while one is pending");
}

/* R22 art. 34: at most 30 days. */
Test(flow_extension, r22_art34_extension_at_most_30_days)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REQUEST_EXTENSION);

	in.days = 30;
	assert_ok(&in, "30 days");
	in.days = 1;
	assert_ok(&in, "1 day");
	in.days = 31;
	assert_refused(&in, 422, "flow.extension_too_long", "days", "31 days");
	in.days = 365;
	assert_refused(&in, 422, "flow.extension_too_long", "days", "365 days");
}

/* R22 art. 34: the days are a positive number. */
Test(flow_extension, r22_art34_extension_days_positive)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REQUEST_EXTENSION);

	in.days = 0;
	assert_refused(&in, 400, "validation.required", "days", "0 days");
	in.days = -1;
	assert_refused(&in, 400, "validation.invalid", "days", "-1 days");
	in.days = -30;
	assert_refused(&in, 400, "validation.invalid", "days", "-30 days");
}

/* RULES.md: localities may be stricter; the limit is policy, 30 by default. */
Test(flow_extension, r22_art34_extension_limit_is_policy)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REQUEST_EXTENSION);

	in.max_extension_days = 15;
	in.days = 15;
	assert_ok(&in, "15 of 15");
	in.days = 16;
	assert_refused(&in, 422, "flow.extension_too_long", "days", "16 of 15");
}

/* R22 art. 34: the unit head decides a pending request, and only that. */
Test(flow_extension, r22_art34_decide_extension_needs_a_pending_request)
{
	static const case_action acts[] = { ACT_APPROVE_EXTENSION, ACT_DENY_EXTENSION };
	static const case_extension states[] = { EXT_NONE, EXT_APPROVED, EXT_DENIED };
	int a, s;

	for (a = 0; a < 2; a++) {
		struct flow_input in = valid(ST_ACCEPTED, acts[a]);

		assert_ok(&in, "pending");
		for (s = 0; s < 3; s++) {
			char c[128];

			in.extension = states[s];
			assert_refused(&in, 409, "flow.no_extension_pending", "",
				       ctx_of(c, sizeof c, ST_ACCEPTED, acts[a],
					      flow_extension_name(states[s])));
		}
	}
}

/* seed 004 art. 10(5): a denial tells the reasons. */
Test(flow_extension, seed004_art10_deny_extension_needs_reason)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_DENY_EXTENSION);

	in.reason = " ";
	assert_refused(&in, 400, "validation.required", "reason", "deny without reason");
}

/* --- reply delivery: seed 004 art. 10(5) -------------------------------------------- */

/* seed 004 art. 10(5): a refusal to sign is noted with a witness. */
Test(flow_reply, seed004_art10_5_refused_delivery_needs_witness)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REPLY);

	in.delivery = DELIVERY_REFUSED;
	in.witness = NULL;
	assert_refused(&in, 400, "validation.required", "witness", "refused, no witness");
	in.witness = "";
	assert_refused(&in, 400, "validation.required", "witness", "refused, empty witness");
	in.witness = "村委会主任 李四";
	assert_ok(&in, "refused, witnessed");
}

/* seed 004 art. 10(5): a signed delivery needs no witness. */
Test(flow_reply, seed004_art10_5_signed_delivery_needs_no_witness)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REPLY);

	in.delivery = DELIVERY_SIGNED;
	in.witness = NULL;
	assert_ok(&in, "signed");
}

/*
 * seed 004 art. 10(5) with "whitespace-only strings count as blank": a witness
 * of spaces is no witness.
 */
Test(flow_reply, seed004_art10_5_whitespace_witness_is_no_witness)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REPLY);

	in.delivery = DELIVERY_REFUSED;
	in.witness = "   ";
	assert_refused(&in, 400, "validation.required", "witness", "refused, witness of spaces");
}

/* --- assignment deadline: R22 art. 22 (交办 with a deadline) ------------------------- */

/* R22 art. 22 (交办 with a deadline); the 1..90 bound is flow.c policy, = R22 art. 34's 60 + 30 days. */
Test(flow_assign, r22_art22_assign_due_days_1_to_90)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_ASSIGN);

	in.due_days = 1;
	assert_ok(&in, "1 day");
	in.due_days = 90;
	assert_ok(&in, "90 days");
	in.due_days = 91;
	assert_refused(&in, 400, "validation.invalid", "due_days", "91 days");
	in.due_days = -1;
	assert_refused(&in, 400, "validation.invalid", "due_days", "-1 days");
	in.due_days = 0;
	assert_refused(&in, 400, "validation.required", "due_days", "0 days");
}

/* R22 art. 22: a transfer has no deadline field; due_days is not checked there. */
Test(flow_assign, r22_art22_transfer_ignores_due_days)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_TRANSFER);

	in.due_days = 0;
	assert_ok(&in, "transfer without due_days");
}

/* --- decline: R22 art. 36 ------------------------------------------------------------- */

/* R22 art. 36: 不再受理 only refers to a matter concluded after recheck. */
Test(flow_decline, r22_art36_decline_only_after_conclusion)
{
	int s;

	for (s = ST_NONE; s < ST__COUNT; s++) {
		struct flow_input in = valid(ST_REGISTERED, ACT_DECLINE);
		char c[128];

		in.repeat_state = (case_state)s;
		ctx_of(c, sizeof c, ST_REGISTERED, ACT_DECLINE, flow_state_name((case_state)s));
		if (s == ST_CONCLUDED)
			assert_ok(&in, c);
		else
			assert_refused(&in, 422, "flow.not_concluded", "repeat_of", c);
	}
}

/* R22 art. 36: the referred case must exist. */
Test(flow_decline, r22_art36_decline_referred_case_not_found)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_DECLINE);

	in.repeat_found = 0;
	assert_refused(&in, 404, "case.not_found", "repeat_of", "repeat_of missing");
}

/* --- merge: DESIGN.md section 3 (并案 / 重复件) ------------------------------------- */

/* DESIGN.md section 3: a case is not merged into itself. */
Test(flow_merge, merge_into_itself_is_invalid)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_MERGE);

	in.into_is_self = 1;
	assert_refused(&in, 400, "validation.invalid", "into", "into self");
}

/* DESIGN.md section 3: the target must exist (in scope). */
Test(flow_merge, merge_into_missing_case_is_not_found)
{
	struct flow_input in = valid(ST_REGISTERED, ACT_MERGE);

	in.into_found = 0;
	assert_refused(&in, 404, "case.not_found", "into", "into missing");
}

/* DESIGN.md section 3: nothing is merged into a case that has ended. */
Test(flow_merge, merge_into_terminal_case_is_refused)
{
	int s;

	for (s = ST_NONE; s < ST__COUNT; s++) {
		struct flow_input in = valid(ST_REGISTERED, ACT_MERGE);
		char c[128];

		in.into_state = (case_state)s;
		ctx_of(c, sizeof c, ST_REGISTERED, ACT_MERGE, flow_state_name((case_state)s));
		if (flow_state_terminal((case_state)s))
			assert_refused(&in, 422, "flow.merge_target_closed", "into", c);
		else
			assert_ok(&in, c);
	}
}

/* --- rating: 国信发〔2014〕16号 ------------------------------------------------------ */

/* 国信发〔2014〕16号: one evaluation per closing. */
Test(flow_rate, gxf2014_16_rate_only_once)
{
	struct flow_input in = valid(ST_CLOSED, ACT_RATE);

	in.rated = 1;
	assert_refused(&in, 409, "flow.already_rated", "", "closed, rated twice");
	in = valid(ST_CONCLUDED, ACT_RATE);
	in.rated = 1;
	assert_refused(&in, 409, "flow.already_rated", "", "concluded, rated twice");
}

/* 国信发〔2014〕16号: 满意 / 基本满意 / 不满意 are all accepted. */
Test(flow_rate, gxf2014_16_three_grades)
{
	int k;

	for (k = SAT_SATISFIED; k <= SAT_UNSATISFIED; k++) {
		struct flow_input in = valid(ST_CLOSED, ACT_RATE);

		in.satisfaction = (case_satisfaction)k;
		assert_ok(&in, flow_satisfaction_name((case_satisfaction)k));
	}
}

/* --- review and recheck: R22 art. 35 -------------------------------------------------- */

/* R22 art. 35: review is asked within 30 days; closed 03-01 10:00, last moment 03-31 24:00. */
Test(flow_review, r22_art35_review_within_30_days)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_REVIEW);

	in.closed_at = sh(2026, 3, 1, 10, 0, 0);
	in.now = sh(2026, 3, 1, 10, 0, 1);
	assert_ok(&in, "just after closing");
	in.now = sh(2026, 3, 31, 23, 59, 59);
	assert_ok(&in, "2026-03-31T23:59:59+08:00");
	in.now = sh(2026, 4, 1, 0, 0, 0);
	assert_refused(&in, 422, "flow.review_window_closed", "", "2026-04-01T00:00:00+08:00");
	in.now = sh(2026, 6, 1, 0, 0, 0);
	assert_refused(&in, 422, "flow.review_window_closed", "", "2026-06-01");
}

/* R22 art. 35: a reviewed matter is not reviewed again (only rechecked). */
Test(flow_review, r22_art35_review_only_once)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_REVIEW);

	in.stage = 1;
	assert_refused(&in, 409, "flow.review_done", "", "stage 1");
	in.stage = 2;
	assert_refused(&in, 409, "flow.review_done", "", "stage 2");
}

/* R22 art. 35: review goes to the next level up; none, no review. */
Test(flow_review, r22_art35_review_needs_a_higher_organ)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_REVIEW);

	in.has_review_organ = 0;
	assert_refused(&in, 422, "flow.no_higher_organ", "", "no review organ");
}

/* R22 art. 35: recheck comes after review. */
Test(flow_review, r22_art35_recheck_needs_review_first)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_RECHECK);

	in.stage = 0;
	assert_refused(&in, 409, "flow.review_required", "", "stage 0");
	in.stage = 2;
	assert_refused(&in, 409, "flow.review_required", "", "stage 2");
}

/* R22 art. 35: recheck is asked within 30 days of the review opinion. */
Test(flow_review, r22_art35_recheck_within_30_days)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_RECHECK);

	in.closed_at = sh(2026, 3, 1, 10, 0, 0);
	in.now = sh(2026, 3, 31, 23, 59, 59);
	assert_ok(&in, "2026-03-31T23:59:59+08:00");
	in.now = sh(2026, 4, 1, 0, 0, 0);
	assert_refused(&in, 422, "flow.recheck_window_closed", "", "2026-04-01T00:00:00+08:00");
}

/* R22 art. 35: recheck goes to the organ above the review organ. */
Test(flow_review, r22_art35_recheck_needs_a_higher_organ)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_RECHECK);

	in.has_recheck_organ = 0;
	assert_refused(&in, 422, "flow.no_higher_organ", "", "no recheck organ");
}

/* R22 art. 35: the review and recheck organs decide with a full opinion (as art. 32). */
Test(flow_review, r22_art35_decisions_need_the_reply_elements)
{
	static const case_state sts[] = { ST_REVIEW, ST_RECHECK };
	static const case_action acts[] = { ACT_DECIDE_REVIEW, ACT_DECIDE_RECHECK };
	int i;

	for (i = 0; i < 2; i++) {
		struct flow_input in = valid(sts[i], acts[i]);

		in.legal_basis = NULL;
		assert_refused(&in, 400, "validation.required", "legal_basis", flow_action_name(acts[i]));
	}
}

/* ============================================================================
 * 7. Counting days: 民法典 art. 201, 203 (RULES.md "Counting time")
 * ========================================================================== */

/* The test's own clock helper agrees with date(1). */
Test(flow_deadline, helper_matches_known_epochs)
{
	cr_assert_eq(sh(1970, 1, 1, 8, 0, 0), 0);
	cr_assert_eq(sh(2026, 3, 1, 10, 0, 0), 1772330400);
	cr_assert_eq(sh(2026, 4, 1, 0, 0, 0), 1774972800);
	cr_assert_eq(sh(2026, 9, 28, 23, 30, 0), 1790609400);
	cr_assert_eq(sh(2026, 10, 14, 0, 0, 0), 1791907200);
}

/* 民法典 art. 201, 203: start day not counted; the period ends at 24:00 Beijing time. */
Test(flow_deadline, civil_code_art201_start_day_not_counted)
{
	/* 2026-09-28T23:30+08:00 + 15 days -> 2026-10-13 24:00 = 2026-10-14T00:00+08:00 */
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 23, 30, 0), 15), 1791907200);
	/* the same day at 00:10, and at midnight exactly, give the same deadline */
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 0, 10, 0), 15), 1791907200);
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 0, 0, 0), 15), 1791907200);
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 23, 59, 59), 15), 1791907200);
	/* one second before that day is a day earlier */
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 27, 23, 59, 59), 15), sh(2026, 10, 13, 0, 0, 0));
}

/* 民法典 art. 201: the calendar day is Beijing's, not UTC's (07:30+08:00 is the previous UTC day). */
Test(flow_deadline, civil_code_art201_day_is_beijing_day)
{
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 7, 30, 0), 15), sh(2026, 10, 14, 0, 0, 0));
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 8, 30, 0), 15), sh(2026, 10, 14, 0, 0, 0));
}

/* R22 art. 35: 30 days from a closing on 2026-03-01 end at 2026-04-01T00:00+08:00. */
Test(flow_deadline, r22_art35_thirty_day_window)
{
	cr_assert_eq(flow_days_deadline(sh(2026, 3, 1, 10, 0, 0), 30), sh(2026, 4, 1, 0, 0, 0));
	/* across February in a common year: 2026-02-10 + 30 -> 2026-03-12 24:00 */
	cr_assert_eq(flow_days_deadline(sh(2026, 2, 10, 12, 0, 0), 30), sh(2026, 3, 13, 0, 0, 0));
	/* across a leap day: 2028-02-10 + 30 -> 2028-03-11 24:00 */
	cr_assert_eq(flow_days_deadline(sh(2028, 2, 10, 12, 0, 0), 30), sh(2028, 3, 12, 0, 0, 0));
	/* across the new year */
	cr_assert_eq(flow_days_deadline(sh(2026, 12, 20, 9, 0, 0), 15), sh(2027, 1, 5, 0, 0, 0));
}

/* 民法典 art. 203: 0 days ends at the end of the start day. */
Test(flow_deadline, zero_days_is_end_of_start_day)
{
	cr_assert_eq(flow_days_deadline(sh(2026, 9, 28, 13, 0, 0), 0), sh(2026, 9, 29, 0, 0, 0));
}

/* The day is found by flooring, also before the epoch in Beijing time. */
Test(flow_deadline, days_floor_around_the_epoch)
{
	/* 1970-01-01T00:00+08:00 is -28800 */
	cr_assert_eq(flow_days_deadline(sh(1970, 1, 1, 0, 0, 0), 1), sh(1970, 1, 3, 0, 0, 0));
	/* 1969-12-31T23:59:59+08:00 is a day earlier */
	cr_assert_eq(flow_days_deadline(sh(1969, 12, 31, 23, 59, 59), 1), sh(1970, 1, 2, 0, 0, 0));
	cr_assert_eq(flow_days_deadline(sh(1969, 12, 31, 0, 0, 0), 1), sh(1970, 1, 2, 0, 0, 0));
}

/* ============================================================================
 * 8. Names
 * ========================================================================== */

/* flow.h: states are stored by name, so the names are a storage format and never change. */
Test(flow_names, state_names_are_stable_and_round_trip)
{
	static const char *names[ST__COUNT] = {
		"none",    "registered", "dispatched", "accepted", "replied",  "closed",  "review",
		"recheck", "concluded",  "rejected",   "declined", "archived", "merged",
	};
	int s, t;

	for (s = 0; s < ST__COUNT; s++) {
		const char *nm = flow_state_name((case_state)s);

		cr_assert_not_null(nm, "state %d has no name", s);
		cr_assert_str_eq(nm, names[s]);
		cr_assert_eq(flow_state_parse(nm), s, "%s does not round-trip", nm);
		for (t = 0; t < s; t++)
			cr_assert_str_neq(nm, flow_state_name((case_state)t));
	}
	cr_assert_null(flow_state_name(ST__COUNT));
	cr_assert_eq(flow_state_parse("closedx"), -1);
	cr_assert_eq(flow_state_parse("Closed"), -1);
	cr_assert_eq(flow_state_parse(""), -1);
	cr_assert_eq(flow_state_parse(NULL), -1);
}

/* DESIGN.md section 2: one English name per concept, used in the API. */
Test(flow_names, action_names_are_stable_and_round_trip)
{
	static const char *names[ACT__COUNT] = {
		"register",       "transfer",         "assign",
		"self_handle",    "reject",           "decline",
		"archive",        "merge",            "accept",
		"return",         "request_extension", "approve_extension",
		"deny_extension", "reply",            "approve",
		"send_back",      "rate",             "request_review",
		"decide_review",  "request_recheck",  "decide_recheck",
		"request_material", "receive_material", "start_hearing",
		"end_hearing",    "implement",        "suggest",
		"suggestion_feedback", "remind",      "supervise",
		"instruct",       "take_ownership",   "release_ownership",
	};
	int a, t;

	for (a = 0; a < ACT__COUNT; a++) {
		const char *nm = flow_action_name((case_action)a);

		cr_assert_not_null(nm, "action %d has no name", a);
		cr_assert_str_eq(nm, names[a]);
		cr_assert_eq(flow_action_parse(nm), a, "%s does not round-trip", nm);
		for (t = 0; t < a; t++)
			cr_assert_str_neq(nm, flow_action_name((case_action)t));
	}
	cr_assert_null(flow_action_name(ACT__COUNT));
	cr_assert_eq(flow_action_parse("extend"), -1);
	cr_assert_eq(flow_action_parse(""), -1);
	cr_assert_eq(flow_action_parse(NULL), -1);
}

/* Every state and action has a Chinese label for people. */
Test(flow_names, every_state_and_action_has_a_chinese_label)
{
	int i;

	for (i = 0; i < ST__COUNT; i++) {
		const char *l = flow_state_label((case_state)i);

		cr_assert_not_null(l, "state %s has no label", flow_state_name((case_state)i));
		cr_assert(has_cjk(l), "state %s label \"%s\" is not Chinese", flow_state_name((case_state)i),
			  l);
	}
	for (i = 0; i < ACT__COUNT; i++) {
		const char *l = flow_action_label((case_action)i);

		cr_assert_not_null(l, "action %s has no label", flow_action_name((case_action)i));
		cr_assert(has_cjk(l), "action %s label \"%s\" is not Chinese",
			  flow_action_name((case_action)i), l);
	}
	cr_assert_null(flow_state_label(ST__COUNT));
	cr_assert_null(flow_action_label(ACT__COUNT));
}

/* DESIGN.md section 1: role ids. */
Test(flow_names, role_names_are_stable_and_round_trip)
{
	static const char *names[ROLE__COUNT] = {
		"registrar", "dispatcher", "handler",  "unit_head", "supervisor",
		"complaint_supervisor",    "reviewer", "leader",    "analyst",
		"sysadmin",  "secadmin",   "auditor",  "petitioner", "pii_reader",
	};
	int b;

	for (b = 0; b < ROLE__COUNT; b++) {
		unsigned bit = 1u << b;
		const char *nm = flow_role_name(bit);

		cr_assert_not_null(nm, "role bit %d has no name", b);
		cr_assert_str_eq(nm, names[b]);
		cr_assert_eq(flow_role_parse(nm), (int)bit, "%s does not round-trip", nm);
	}
	cr_assert_str_eq(flow_role_name(ROLE_UNIT_HEAD), "unit_head");
	cr_assert_null(flow_role_name(0));
	cr_assert_null(flow_role_name(ROLE_HANDLER | ROLE_UNIT_HEAD));
	cr_assert_null(flow_role_name(1u << ROLE__COUNT));
	cr_assert_eq(flow_role_parse("admin"), 0);
	cr_assert_eq(flow_role_parse(""), 0);
	cr_assert_eq(flow_role_parse(NULL), 0);
}

/* R22 art. 32 (three outcomes); 国信发〔2014〕16号 (three grades); seed 004 art. 10(5). */
Test(flow_names, small_enums_round_trip_and_reject_unknown)
{
	int v;

	cr_assert_str_eq(flow_outcome_name(OUTCOME_SUPPORT), "support");
	cr_assert_str_eq(flow_outcome_name(OUTCOME_EXPLAIN), "explain");
	cr_assert_str_eq(flow_outcome_name(OUTCOME_DENY), "deny");
	for (v = OUTCOME_SUPPORT; v <= OUTCOME_DENY; v++)
		cr_assert_eq(flow_outcome_parse(flow_outcome_name((case_outcome)v)), v);
	cr_assert_str_eq(flow_satisfaction_name(SAT_SATISFIED), "satisfied");
	cr_assert_str_eq(flow_satisfaction_name(SAT_FAIR), "fair");
	cr_assert_str_eq(flow_satisfaction_name(SAT_UNSATISFIED), "unsatisfied");
	for (v = SAT_SATISFIED; v <= SAT_UNSATISFIED; v++)
		cr_assert_eq(flow_satisfaction_parse(flow_satisfaction_name((case_satisfaction)v)), v);
	cr_assert_str_eq(flow_delivery_name(DELIVERY_SIGNED), "signed");
	cr_assert_str_eq(flow_delivery_name(DELIVERY_REFUSED), "refused");
	for (v = DELIVERY_SIGNED; v <= DELIVERY_REFUSED; v++)
		cr_assert_eq(flow_delivery_parse(flow_delivery_name((case_delivery)v)), v);
	cr_assert_str_eq(flow_extension_name(EXT_PENDING), "pending");
	cr_assert_str_eq(flow_extension_name(EXT_APPROVED), "approved");
	cr_assert_str_eq(flow_extension_name(EXT_DENIED), "denied");
	for (v = EXT_PENDING; v <= EXT_DENIED; v++)
		cr_assert_eq(flow_extension_parse(flow_extension_name((case_extension)v)), v);

	/* unknown, empty (the NONE slot) and NULL are -1 */
	cr_assert_eq(flow_outcome_parse("maybe"), -1);
	cr_assert_eq(flow_outcome_parse(""), -1);
	cr_assert_eq(flow_outcome_parse(NULL), -1);
	cr_assert_eq(flow_satisfaction_parse("happy"), -1);
	cr_assert_eq(flow_satisfaction_parse(""), -1);
	cr_assert_eq(flow_satisfaction_parse(NULL), -1);
	cr_assert_eq(flow_delivery_parse("lost"), -1);
	cr_assert_eq(flow_delivery_parse(""), -1);
	cr_assert_eq(flow_delivery_parse(NULL), -1);
	cr_assert_eq(flow_extension_parse("none"), -1);
	cr_assert_eq(flow_extension_parse(""), -1);
	cr_assert_eq(flow_extension_parse(NULL), -1);

	/* out of range names are NULL */
	cr_assert_null(flow_outcome_name((case_outcome)(OUTCOME_DENY + 1)));
	cr_assert_null(flow_satisfaction_name((case_satisfaction)(SAT_UNSATISFIED + 1)));
	cr_assert_null(flow_delivery_name((case_delivery)(DELIVERY_REFUSED + 1)));
	cr_assert_null(flow_extension_name((case_extension)(EXT_DENIED + 1)));
}

/* ============================================================================
 * 9. Terminal states
 * ========================================================================== */

/* R22 art. 35-36, DESIGN.md section 3: concluded, rejected, declined, archived, merged end a case. */
Test(flow_terminal, terminal_exactly_for_the_five_end_states)
{
	int s, count = 0;

	for (s = ST_NONE; s < ST__COUNT; s++) {
		int want = s == ST_CONCLUDED || s == ST_REJECTED || s == ST_DECLINED || s == ST_ARCHIVED ||
			   s == ST_MERGED;

		cr_assert_eq(!!flow_state_terminal((case_state)s), want, "state %s terminal=%d",
			     flow_state_name((case_state)s), flow_state_terminal((case_state)s));
		count += want;
	}
	cr_assert_eq(count, 5);
	/* closed is not terminal: review and recheck follow (R22 art. 35) */
	cr_assert_not(flow_state_terminal(ST_CLOSED));
}

/* ============================================================================
 * Clocks in the rules: windows and pauses (R22 art. 23, 35, 36; seed 000)
 * ========================================================================== */

/* R22 art. 23; seed 000 art. 14: the return (objection) must come within its window */
Test(flow_clock, r22_art23_return_after_the_objection_window_is_refused)
{
	struct flow_input in = valid(ST_DISPATCHED, ACT_RETURN);
	struct flow_result res;
	struct xerr err;

	in.deadline = in.now + 1;
	cr_assert_eq(flow_check(&in, &res, &err), 0, "%s", err.message);
	in.deadline = in.now;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.return_window_closed");
	cr_assert_eq(err.status, 422);
	in.deadline = 0; /* no objection clock: no window to keep */
	cr_assert_eq(flow_check(&in, &res, &err), 0);
}

/* R22 art. 35: the review window comes from the case's clock when there is one */
Test(flow_clock, r22_art35_review_window_from_the_clock)
{
	struct flow_input in = valid(ST_CLOSED, ACT_REQUEST_REVIEW);
	struct flow_result res;
	struct xerr err;

	/* a clock moved past a holiday: later than closed_at + 30 days */
	in.now = flow_days_deadline(in.closed_at, 30) + 3600;
	in.deadline = in.now + 86400;
	cr_assert_eq(flow_check(&in, &res, &err), 0, "%s", err.message);
	in.deadline = in.now;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.review_window_closed");
}

/* R22 art. 36: a hearing pauses the clock once; it cannot end when none started */
Test(flow_clock, r22_art36_hearing_pauses_once)
{
	struct flow_input in = valid(ST_REVIEW, ACT_START_HEARING);
	struct flow_result res;
	struct xerr err;

	in.paused = 1;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.already_paused");
	in = valid(ST_RECHECK, ACT_END_HEARING);
	in.paused = 0;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.not_paused");
}

/* Waiting for material the petitioner supplies: the handler pauses and resumes */
Test(flow_clock, material_pause_needs_a_reason_and_resumes_once)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REQUEST_MATERIAL);
	struct flow_result res;
	struct xerr err;

	in.reason = "  ";
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.field, "reason");
	in = valid(ST_ACCEPTED, ACT_RECEIVE_MATERIAL);
	in.paused = 0;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.not_paused");
}

/* Seed 000 art. 5(4): only a supported decision is implemented, once, by the unit that handled it */
Test(flow_clock, seed000_art5_implement_only_supported_once_by_the_handling_unit)
{
	struct flow_input in = valid(ST_CLOSED, ACT_IMPLEMENT);
	struct flow_result res;
	struct xerr err;

	in.supported = 0;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.not_supported");
	in = valid(ST_CLOSED, ACT_IMPLEMENT);
	in.implemented = 1;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.already_implemented");
	in = valid(ST_CLOSED, ACT_IMPLEMENT);
	in.actor_is_lead = 0; /* the bureau holds the closed case but did not handle it */
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "case.not_holder");
	in = valid(ST_CLOSED, ACT_IMPLEMENT);
	in.actor_is_holder = 0;
	cr_assert_eq(flow_check(&in, &res, &err), 0, "the handling unit acts without holding: %s", err.message);
}

/* R22 art. 39: one suggestion at a time, never sent to the accused unit; R05 art. 36: the
 * feedback needs a pending suggestion */
Test(flow_suggest, r22_art39_one_at_a_time_and_not_to_the_accused)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_SUGGEST);
	struct flow_result res;
	struct xerr err;

	in.suggestion_pending = 1;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.suggestion_pending");
	in = valid(ST_ACCEPTED, ACT_SUGGEST);
	in.is_accusation = 1;
	in.accused = ACCUSED;
	in.target = ACCUSED_CHILD;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.accused_unit");
	in = valid(ST_CLOSED, ACT_SUGGESTION_FEEDBACK);
	in.suggestion_pending = 0;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.no_suggestion");
	/* no suggestion on a case still being triaged or one that ended without handling */
	in = valid(ST_ACCEPTED, ACT_SUGGEST);
	in.state = ST_REGISTERED;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.invalid_transition");
}

/* R22 art. 34: an extension lengthens a running handling period, not a missed one */
Test(flow_clock, r22_art34_no_extension_after_the_deadline)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_REQUEST_EXTENSION);
	struct flow_result res;
	struct xerr err;

	in.deadline = in.now + 60;
	cr_assert_eq(flow_check(&in, &res, &err), 0, "%s", err.message);
	in.deadline = in.now;
	cr_assert_eq(flow_check(&in, &res, &err), -1);
	cr_assert_str_eq(err.code, "flow.extension_too_late");
}

/* ============================================================================
 * 10. Oversight: 催办, 督办, 批示, 包案 (R22 art. 38-40; seeds 002, 003, 004)
 *     Side records: DESIGN.md section 3 "never change the state"
 * ========================================================================== */

static const case_action OVERSIGHT[] = { ACT_REMIND, ACT_SUPERVISE, ACT_INSTRUCT, ACT_TAKE_OWNERSHIP,
					 ACT_RELEASE_OWNERSHIP };
#define N_OVERSIGHT ((int)(sizeof OVERSIGHT / sizeof OVERSIGHT[0]))

/* DESIGN.md section 3: reminders, supervision orders, instructions and ownership belong to
 * the case but never change its state or its holder; they are exactly the oversight actions */
Test(flow_oversight, side_records_keep_state_and_holder)
{
	int n, i, k, seen = 0;
	const struct flow_rule *rules = flow_rules(&n);

	for (i = 0; i < n; i++) {
		const struct flow_rule *r = &rules[i];
		int listed = 0;

		for (k = 0; k < N_OVERSIGHT; k++)
			listed |= r->action == OVERSIGHT[k];
		cr_assert_eq(!!flow_action_oversight(r->action), listed, "%s", flow_action_name(r->action));
		if (!listed)
			continue;
		seen++;
		cr_assert_eq(r->to, r->from, "%s in %s moves the case", flow_action_name(r->action),
			     flow_state_name(r->from));
		cr_assert_eq(r->holder, HOLD_SAME, "%s in %s moves the holder", flow_action_name(r->action),
			     flow_state_name(r->from));
		cr_assert_eq(r->roles & ROLE_PETITIONER, 0u);
	}
	/* remind, supervise: 6 states each; instruct, release: 12; take: 7 */
	cr_assert_eq(seen, 6 + 6 + 12 + 12 + 7);
	cr_assert_not(flow_action_oversight(ACT_SUGGEST));
	cr_assert_not(flow_action_oversight(ACT_TRANSFER));
	cr_assert_not(flow_action_oversight(ACT__COUNT));
}

/* R22 art. 38-40; seed 002 (交办督办专班): a supervisor of a petition department that sees the
 * case reminds and supervises in registered, dispatched, accepted, replied, review, recheck */
Test(flow_oversight, r22_art38_remind_and_supervise_by_a_supervising_petition_department)
{
	static const case_state open[] = { ST_REGISTERED, ST_DISPATCHED, ST_ACCEPTED,
					   ST_REPLIED, ST_REVIEW, ST_RECHECK };
	int a, s, k;

	for (a = 0; a < 2; a++) {
		case_action act = a ? ACT_SUPERVISE : ACT_REMIND;

		for (s = ST_NONE; s < ST__COUNT; s++) {
			struct flow_input in = valid_for(flow_find(ST_ACCEPTED, act));
			int allowed = 0;
			char c[128];

			for (k = 0; k < (int)(sizeof open / sizeof open[0]); k++)
				allowed |= s == (int)open[k];
			in.state = (case_state)s;
			ctx_of(c, sizeof c, (case_state)s, act, "supervisor");
			if (allowed)
				assert_ok(&in, c);
			else
				assert_refused(&in, 409, "flow.invalid_transition", "action", c);
		}
		/* the holding unit's handler, unit head or dispatcher may not */
		{
			struct flow_input in = valid(ST_DISPATCHED, act);

			in.actor_roles = ROLE_HANDLER | ROLE_UNIT_HEAD | ROLE_DISPATCHER | ROLE_LEADER;
			in.actor_is_holder = 1;
			assert_refused(&in, 403, "auth.role_denied", "action", "handler reminds");
			/* a supervisor whose unit is not a petition department that sees the case */
			in = valid(ST_DISPATCHED, act);
			in.actor_supervises = 0;
			in.actor_is_holder = 1;
			assert_refused(&in, 403, "case.not_holder", "", "not a supervising department");
			/* the opinion (reason) is required */
			in = valid(ST_DISPATCHED, act);
			in.reason = "\u3000 ";
			assert_refused(&in, 400, "validation.required", "reason", "no reason");
		}
	}
}

/* seed 002: a supervision order may set the feedback it expects, 1 to 30 days */
Test(flow_oversight, seed002_supervise_feedback_within_1_to_30_days)
{
	struct flow_input in = valid(ST_ACCEPTED, ACT_SUPERVISE);
	static const int ok[] = { 0, 1, 15, 30 }, bad[] = { -1, 31, 90, -30 };
	int i;

	for (i = 0; i < 4; i++) {
		in.due_days = ok[i];
		assert_ok(&in, "due_days in range or absent");
		in.due_days = bad[i];
		assert_refused(&in, 400, "validation.invalid", "due_days", "due_days out of range");
	}
}

/* seeds 003 (七), 004 art. 10(6), 12: a leader instructs on any case he sees, in any state after
 * registration (ended ones too: the instruction is filed with the case); an opinion is required */
Test(flow_oversight, seed004_instruct_by_a_leader_in_every_state_after_registration)
{
	int s;

	for (s = ST_NONE; s < ST__COUNT; s++) {
		struct flow_input in = valid(ST_ACCEPTED, ACT_INSTRUCT);
		char c[128];

		in.state = (case_state)s;
		in.actor_is_holder = 0;
		ctx_of(c, sizeof c, (case_state)s, ACT_INSTRUCT, "leader, not holder");
		if (s == ST_NONE)
			assert_refused(&in, 409, "flow.invalid_transition", "action", c);
		else
			assert_ok(&in, c);
	}
	{
		struct flow_input in = valid(ST_CLOSED, ACT_INSTRUCT);

		in.actor_roles = ROLE_SUPERVISOR | ROLE_UNIT_HEAD | ROLE_DISPATCHER;
		assert_refused(&in, 403, "auth.role_denied", "action", "not a leader");
		in = valid(ST_CLOSED, ACT_INSTRUCT);
		in.opinion = NULL;
		assert_refused(&in, 400, "validation.required", "opinion", "no opinion");
	}
}

/* seed 004 art. 12(1): one leader owns a case to the end (一包到底); only an open case; a second
 * leader waits until the owner releases it; only the owner releases */
Test(flow_oversight, seed004_art12_one_owner_at_a_time_released_by_the_owner)
{
	int s;
	struct flow_input in;

	for (s = ST_REGISTERED; s < ST__COUNT; s++) {
		char c[128];

		in = valid(ST_ACCEPTED, ACT_TAKE_OWNERSHIP);
		in.state = (case_state)s;
		ctx_of(c, sizeof c, (case_state)s, ACT_TAKE_OWNERSHIP, "unowned");
		if (flow_state_terminal((case_state)s))
			assert_refused(&in, 409, "flow.invalid_transition", "action", c);
		else
			assert_ok(&in, c);
		/* the owner may release in every state, an ended case too */
		in = valid(ST_ACCEPTED, ACT_RELEASE_OWNERSHIP);
		in.state = (case_state)s;
		assert_ok(&in, ctx_of(c, sizeof c, (case_state)s, ACT_RELEASE_OWNERSHIP, "owner"));
	}
	in = valid(ST_ACCEPTED, ACT_TAKE_OWNERSHIP);
	in.owned = 1;
	assert_refused(&in, 409, "flow.already_owned", "", "a second leader");
	in.actor_is_owner = 1;
	assert_refused(&in, 409, "flow.already_owned", "", "the owner again");
	in = valid(ST_ACCEPTED, ACT_TAKE_OWNERSHIP);
	in.actor_roles = ROLE_SUPERVISOR | ROLE_UNIT_HEAD;
	assert_refused(&in, 403, "auth.role_denied", "action", "not a leader");

	in = valid(ST_ACCEPTED, ACT_RELEASE_OWNERSHIP);
	in.actor_is_owner = 0;
	assert_refused(&in, 403, "case.not_holder", "", "another leader releases");
	in = valid(ST_ACCEPTED, ACT_RELEASE_OWNERSHIP);
	in.owned = 0;
	in.actor_is_owner = 0;
	assert_refused(&in, 409, "flow.not_owned", "", "nobody owns it");
	in = valid(ST_ACCEPTED, ACT_RELEASE_OWNERSHIP);
	in.actor_roles = ROLE_SUPERVISOR;
	assert_refused(&in, 403, "auth.role_denied", "action", "a supervisor releases");
}

/* The oversight actions leave the case where it is: flow_check answers the state it came from
 * and the same holder, for every role mix that may take them */
Test(flow_oversight, the_result_is_the_same_state_and_holder)
{
	int k, s;

	for (k = 0; k < N_OVERSIGHT; k++) {
		for (s = ST_REGISTERED; s < ST__COUNT; s++) {
			const struct flow_rule *r = flow_find((case_state)s, OVERSIGHT[k]);
			struct flow_input in;
			struct flow_result res;
			struct xerr err;

			if (!r)
				continue;
			in = valid_for(r);
			in.actor_roles = ALL_ROLES;
			cr_assert_eq(flow_check(&in, &res, &err), 0, "%s: %s", flow_action_name(OVERSIGHT[k]),
				     err.message);
			cr_assert_eq(res.to, (case_state)s);
			cr_assert_eq(res.holder, HOLD_SAME);
		}
	}
}
