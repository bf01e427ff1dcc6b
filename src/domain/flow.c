/*
 * flow.c - the transition table of the case life cycle and its guards.
 * See flow.h. Each rule cites the article it implements.
 */
#include "domain/flow.h"

#include "base/utf8.h"

#include <string.h>

#define DAY 86400
#define SHANGHAI_OFFSET (8 * 3600)

int flow_path_within(const char *path, const char *root)
{
	size_t n;

	if (!path || !root)
		return 0;
	n = strlen(root);
	return n > 0 && strncmp(path, root, n) == 0;
}

int64_t flow_days_deadline(int64_t start, int days)
{
	/* local calendar day of the start, then the end of day start+days */
	int64_t local = start + SHANGHAI_OFFSET;
	int64_t day = local >= 0 ? local / DAY : (local - DAY + 1) / DAY;

	return (day + days + 1) * DAY - SHANGHAI_OFFSET;
}

/* Blank: only ASCII white space or the full-width space U+3000 (input methods type it). */
#define blank utf8_blank

static int unit_in_accused(const struct flow_input *in, const struct flow_unit *u)
{
	if (!in->is_accusation || in->accused.id == 0 || u->id == 0)
		return 0;
	if (u->id == in->accused.id)
		return 1;
	return flow_path_within(u->path, in->accused.path);
}

#define JURISDICTION "只能转送、交办给本单位管辖范围内的单位；属于上级机关或其他地区职权的，请报上级信访部门"

static int outside_holder(const struct flow_input *in, const struct flow_unit *u)
{
	return u->id > 0 && in->holder.path && u->path && u->id != in->holder.id &&
	       !flow_path_within(u->path, in->holder.path);
}

/* R22 art. 30, 46(5); seed 004 art. 7: an accusation never goes to the accused unit. */
static int guard_dispatch(const struct flow_input *in, struct xerr *err)
{
	int i;

	/* R22 art. 22 (属地管理、分级负责): a bureau dispatches to the organs it oversees;
	 * a matter for an organ above it or elsewhere goes up through the bureau above */
	if (outside_holder(in, &in->lead))
		return xerr_set(err, 422, "flow.outside_jurisdiction", "lead_unit", JURISDICTION);
	for (i = 0; i < in->n_co; i++)
		if (outside_holder(in, &in->co[i]))
			return xerr_set(err, 422, "flow.outside_jurisdiction", "co_units", JURISDICTION);
	if (unit_in_accused(in, &in->lead))
		return xerr_set(err, 422, "flow.accused_unit", "lead_unit",
				"检举控告类信访事项不得转送、交办给被检举控告的单位");
	for (i = 0; i < in->n_co; i++) {
		if (in->co[i].id == in->lead.id)
			return xerr_set(err, 400, "validation.invalid", "co_units",
					"协办单位不能与主办单位相同");
		if (unit_in_accused(in, &in->co[i]))
			return xerr_set(err, 422, "flow.accused_unit", "co_units",
					"检举控告类信访事项不得转送、交办给被检举控告的单位");
	}
	return 0;
}

static int guard_self_handle(const struct flow_input *in, struct xerr *err)
{
	if (unit_in_accused(in, &in->holder))
		return xerr_set(err, 422, "flow.accused_unit", NULL,
				"本单位是被检举控告的单位，不得自办");
	return 0;
}

/* R22 art. 36: after recheck the same matter is not accepted again. */
static int guard_decline(const struct flow_input *in, struct xerr *err)
{
	if (!in->repeat_found)
		return xerr_set(err, 404, "case.not_found", "repeat_of", "所引用的原信访事项不存在");
	if (in->repeat_state != ST_CONCLUDED)
		return xerr_set(err, 422, "flow.not_concluded", "repeat_of",
				"原信访事项尚未经复核终结，不能作不再受理处理");
	return 0;
}

static int guard_merge(const struct flow_input *in, struct xerr *err)
{
	if (in->into_is_self)
		return xerr_set(err, 400, "validation.invalid", "into", "不能并入本件");
	if (!in->into_found)
		return xerr_set(err, 404, "case.not_found", "into", "要并入的信访事项不存在");
	if (flow_state_terminal(in->into_state))
		return xerr_set(err, 422, "flow.merge_target_closed", "into",
				"要并入的信访事项已终止，不能并案");
	return 0;
}

/* R22 art. 34; seed 004 art. 10(5): extend once, at most 30 days. */
static int guard_request_extension(const struct flow_input *in, struct xerr *err)
{
	if (in->extension == EXT_PENDING)
		return xerr_set(err, 409, "flow.extension_pending", NULL, "已有延期申请待审批");
	if (in->extension != EXT_NONE)
		return xerr_set(err, 409, "flow.extension_used", NULL, "每件信访事项只能申请一次延期");
	if (in->days < 1)
		return xerr_set(err, 400, "validation.invalid", "days", "延期天数必须是正整数");
	if (in->days > in->max_extension_days)
		return xerr_set(err, 422, "flow.extension_too_long", "days",
				"延期不得超过%d日", in->max_extension_days);
	/* an extension lengthens a running period; it cannot excuse one already missed */
	if (in->deadline && in->now >= in->deadline)
		return xerr_set(err, 422, "flow.extension_too_late", NULL,
				"办理期限已过，不能再申请延期");
	return 0;
}

static int guard_decide_extension(const struct flow_input *in, struct xerr *err)
{
	if (in->extension != EXT_PENDING)
		return xerr_set(err, 409, "flow.no_extension_pending", NULL, "没有待审批的延期申请");
	return 0;
}

/* Seed 004 art. 10(5): signed by the petitioner, or refusal noted with a witness. */
static int guard_reply(const struct flow_input *in, struct xerr *err)
{
	if (in->delivery == DELIVERY_REFUSED && blank(in->witness))
		return xerr_set(err, 400, "validation.required", "witness",
				"信访人拒绝签收的，须注明见证人");
	return 0;
}

static int guard_assign(const struct flow_input *in, struct xerr *err)
{
	if (in->due_days < 1 || in->due_days > 90)
		return xerr_set(err, 400, "validation.invalid", "due_days", "交办期限须为1至90日");
	return guard_dispatch(in, err);
}

static int guard_rate(const struct flow_input *in, struct xerr *err)
{
	if (in->rated)
		return xerr_set(err, 409, "flow.already_rated", NULL, "您已对本次办理结果作出评价");
	return 0;
}

static int64_t window_end(const struct flow_input *in)
{
	return in->deadline ? in->deadline : flow_days_deadline(in->closed_at, in->review_window_days);
}

/* R22 art. 23; seed 000 art. 14-15: object and return within 5 working days. */
static int guard_return(const struct flow_input *in, struct xerr *err)
{
	if (in->deadline && in->now >= in->deadline)
		return xerr_set(err, 422, "flow.return_window_closed", NULL,
				"已超过提出异议、退回的期限，应予受理");
	return 0;
}

/* R22 art. 36 (hearing time not counted); material the petitioner must supply. */
static int guard_pause(const struct flow_input *in, struct xerr *err)
{
	if (in->paused)
		return xerr_set(err, 409, "flow.already_paused", NULL, "计时已暂停");
	return 0;
}

static int guard_resume(const struct flow_input *in, struct xerr *err)
{
	if (!in->paused)
		return xerr_set(err, 409, "flow.not_paused", NULL, "计时没有暂停");
	return 0;
}

/* Seed 000 art. 5(4): a supported decision is implemented within 30 days. */
static int guard_implement(const struct flow_input *in, struct xerr *err)
{
	if (!in->supported)
		return xerr_set(err, 409, "flow.not_supported", NULL, "只有予以支持的处理意见需要落实");
	if (in->implemented)
		return xerr_set(err, 409, "flow.already_implemented", NULL, "已记录落实情况");
	return 0;
}

/* R22 art. 35: review within 30 days of receiving the reply. */
static int guard_request_review(const struct flow_input *in, struct xerr *err)
{
	if (in->stage != 0)
		return xerr_set(err, 409, "flow.review_done", NULL, "本事项已经复查，只能申请复核");
	if (in->now >= window_end(in))
		return xerr_set(err, 422, "flow.review_window_closed", NULL,
				"已超过申请复查的期限（收到处理意见之日起%d日内）", in->review_window_days);
	if (!in->has_review_organ)
		return xerr_set(err, 422, "flow.no_higher_organ", NULL, "没有可受理复查的上一级机关");
	return 0;
}

/* R22 art. 35: recheck within 30 days of receiving the review opinion. */
static int guard_request_recheck(const struct flow_input *in, struct xerr *err)
{
	if (in->stage != 1)
		return xerr_set(err, 409, "flow.review_required", NULL, "须先申请复查，复查后方可申请复核");
	if (in->now >= window_end(in))
		return xerr_set(err, 422, "flow.recheck_window_closed", NULL,
				"已超过申请复核的期限（收到复查意见之日起%d日内）", in->review_window_days);
	if (!in->has_recheck_organ)
		return xerr_set(err, 422, "flow.no_higher_organ", NULL, "没有可受理复核的上一级机关");
	return 0;
}

/* R22 art. 39: one suggestion at a time, never to the accused unit of an accusation */
static int guard_suggest(const struct flow_input *in, struct xerr *err)
{
	if (in->suggestion_pending)
		return xerr_set(err, 409, "flow.suggestion_pending", NULL, "已有三项建议等待反馈");
	if (unit_in_accused(in, &in->target))
		return xerr_set(err, 422, "flow.accused_unit", "to_unit",
				"检举控告类信访事项的材料不得送交被检举控告的单位");
	return 0;
}

/* R05 art. 36: the receiving organ answers in writing */
static int guard_feedback(const struct flow_input *in, struct xerr *err)
{
	if (!in->suggestion_pending)
		return xerr_set(err, 409, "flow.no_suggestion", NULL, "没有待反馈的三项建议");
	return 0;
}

/* seed 002: a supervision order (督办) may say when the unit reports back: 1 to 30 days */
static int guard_supervise(const struct flow_input *in, struct xerr *err)
{
	if (in->due_days != 0 && (in->due_days < 1 || in->due_days > 30))
		return xerr_set(err, 400, "validation.invalid", "due_days", "督办反馈期限须为1至30日");
	return 0;
}

/* seed 004 art. 12(1): one leader owns a case, "一包到底" */
static int guard_take_ownership(const struct flow_input *in, struct xerr *err)
{
	if (in->actor_is_owner)
		return xerr_set(err, 409, "flow.already_owned", NULL, "您已是该信访事项的包案领导");
	if (in->owned)
		return xerr_set(err, 409, "flow.already_owned", NULL,
				"该信访事项已有领导包案（一包到底），须由包案领导解除后方可另行包案");
	return 0;
}

#define DISPATCH ROLE_DISPATCHER
#define HANDLE ROLE_HANDLER
#define HEAD ROLE_UNIT_HEAD
#define PUBLIC ROLE_PETITIONER
#define DECISION (NEED_OUTCOME | NEED_FACTS | NEED_OPINION | NEED_LEGAL_BASIS)

/* The whole life cycle. One line per transition; sorted by state. */
static const struct flow_rule rules[] = {
	/* R22 art. 22: within 15 days the petition department transfers, assigns, handles or rejects */
	{ ST_REGISTERED, ACT_TRANSFER, ST_DISPATCHED, DISPATCH, NEED_LEAD_UNIT, HOLD_LEAD, guard_dispatch, ACTS_HOLDER },
	{ ST_REGISTERED, ACT_ASSIGN, ST_DISPATCHED, DISPATCH, NEED_LEAD_UNIT | NEED_DUE_DAYS, HOLD_LEAD, guard_assign, ACTS_HOLDER },
	{ ST_REGISTERED, ACT_SELF_HANDLE, ST_ACCEPTED, DISPATCH, 0, HOLD_SAME, guard_self_handle, ACTS_HOLDER },
	{ ST_REGISTERED, ACT_REJECT, ST_REJECTED, DISPATCH, NEED_REASON | NEED_ROUTE, HOLD_SAME, NULL, ACTS_HOLDER },
	{ ST_REGISTERED, ACT_DECLINE, ST_DECLINED, DISPATCH, NEED_REASON | NEED_REPEAT_OF, HOLD_SAME, guard_decline, ACTS_HOLDER },
	{ ST_REGISTERED, ACT_ARCHIVE, ST_ARCHIVED, DISPATCH, NEED_REASON, HOLD_SAME, NULL, ACTS_HOLDER },
	{ ST_REGISTERED, ACT_MERGE, ST_MERGED, DISPATCH, NEED_INTO, HOLD_SAME, guard_merge, ACTS_HOLDER },
	/* R22 art. 23: accept, or object within 5 working days with reasons */
	{ ST_DISPATCHED, ACT_ACCEPT, ST_ACCEPTED, HANDLE, 0, HOLD_SAME, NULL, ACTS_HOLDER },
	{ ST_DISPATCHED, ACT_RETURN, ST_REGISTERED, HANDLE, NEED_REASON, HOLD_DISPATCH, guard_return, ACTS_HOLDER },
	/* R22 art. 34: extension approved by the unit head, once, at most 30 days */
	{ ST_ACCEPTED, ACT_REQUEST_EXTENSION, ST_ACCEPTED, HANDLE, NEED_REASON | NEED_DAYS, HOLD_SAME, guard_request_extension, ACTS_HOLDER },
	{ ST_ACCEPTED, ACT_APPROVE_EXTENSION, ST_ACCEPTED, HEAD, 0, HOLD_SAME, guard_decide_extension, ACTS_HOLDER },
	{ ST_ACCEPTED, ACT_DENY_EXTENSION, ST_ACCEPTED, HEAD, NEED_REASON, HOLD_SAME, guard_decide_extension, ACTS_HOLDER },
	/* R22 art. 32: the reply states facts, opinion, legal basis and one of three outcomes */
	{ ST_ACCEPTED, ACT_REPLY, ST_REPLIED, HANDLE, DECISION | NEED_DELIVERY, HOLD_DISPATCH, guard_reply, ACTS_HOLDER },
	/* waiting for material the petitioner must supply is not counted */
	{ ST_ACCEPTED, ACT_REQUEST_MATERIAL, ST_ACCEPTED, HANDLE, NEED_REASON, HOLD_SAME, guard_pause, ACTS_HOLDER },
	{ ST_ACCEPTED, ACT_RECEIVE_MATERIAL, ST_ACCEPTED, HANDLE, 0, HOLD_SAME, guard_resume, ACTS_HOLDER },
	/* seed 004 art. 10(5): the bureau checks the reply; incomplete ones go back */
	{ ST_REPLIED, ACT_APPROVE, ST_CLOSED, DISPATCH | HEAD, 0, HOLD_SAME, NULL, ACTS_HOLDER },
	{ ST_REPLIED, ACT_SEND_BACK, ST_ACCEPTED, DISPATCH | HEAD, NEED_REASON, HOLD_LEAD, NULL, ACTS_HOLDER },
	/* 国信发〔2014〕16号: the petitioner evaluates the handling */
	{ ST_CLOSED, ACT_RATE, ST_CLOSED, PUBLIC, NEED_SATISFACTION, HOLD_SAME, guard_rate, ACTS_PETITIONER },
	/* R22 art. 35: review, then recheck, each asked within 30 days and decided within 30 */
	{ ST_CLOSED, ACT_REQUEST_REVIEW, ST_REVIEW, PUBLIC, 0, HOLD_REVIEW, guard_request_review, ACTS_PETITIONER },
	{ ST_CLOSED, ACT_REQUEST_RECHECK, ST_RECHECK, PUBLIC, 0, HOLD_RECHECK, guard_request_recheck, ACTS_PETITIONER },
	/* seed 000 art. 5(4): the unit that handled it records the implementation */
	{ ST_CLOSED, ACT_IMPLEMENT, ST_CLOSED, HANDLE, NEED_FACTS, HOLD_SAME, guard_implement, ACTS_LEAD },
	{ ST_REVIEW, ACT_DECIDE_REVIEW, ST_CLOSED, ROLE_REVIEWER, DECISION, HOLD_SAME, NULL, ACTS_HOLDER },
	/* R22 art. 36: hearing time is not counted */
	{ ST_REVIEW, ACT_START_HEARING, ST_REVIEW, ROLE_REVIEWER, 0, HOLD_SAME, guard_pause, ACTS_HOLDER },
	{ ST_REVIEW, ACT_END_HEARING, ST_REVIEW, ROLE_REVIEWER, 0, HOLD_SAME, guard_resume, ACTS_HOLDER },
	{ ST_RECHECK, ACT_DECIDE_RECHECK, ST_CONCLUDED, ROLE_REVIEWER, DECISION, HOLD_SAME, NULL, ACTS_HOLDER },
	{ ST_RECHECK, ACT_START_HEARING, ST_RECHECK, ROLE_REVIEWER, 0, HOLD_SAME, guard_pause, ACTS_HOLDER },
	{ ST_RECHECK, ACT_END_HEARING, ST_RECHECK, ROLE_REVIEWER, 0, HOLD_SAME, guard_resume, ACTS_HOLDER },
	{ ST_CONCLUDED, ACT_RATE, ST_CONCLUDED, PUBLIC, NEED_SATISFACTION, HOLD_SAME, guard_rate, ACTS_PETITIONER },
	{ ST_CONCLUDED, ACT_IMPLEMENT, ST_CONCLUDED, HANDLE, NEED_FACTS, HOLD_SAME, guard_implement, ACTS_LEAD },
	/* R22 art. 39; R05 art. 36: 三项建议 from a supervising petition department, answered in writing */
#define SUGGEST(st)                                                                                 \
	{ st, ACT_SUGGEST, st, ROLE_SUPERVISOR, NEED_TARGET | NEED_SUGGESTION | NEED_OPINION, HOLD_SAME, \
	  guard_suggest, ACTS_SUPERVISOR },                                                              \
	{ st, ACT_SUGGESTION_FEEDBACK, st, HANDLE | HEAD, NEED_FACTS, HOLD_SAME, guard_feedback, ACTS_TARGET }
	SUGGEST(ST_DISPATCHED), SUGGEST(ST_ACCEPTED), SUGGEST(ST_REPLIED), SUGGEST(ST_CLOSED),
	SUGGEST(ST_REVIEW), SUGGEST(ST_RECHECK), SUGGEST(ST_CONCLUDED),
#undef SUGGEST
	/* R22 art. 38-40; seed 002: a supervising petition department reminds (催办) and
	 * issues supervision orders (督办) while the case is triaged, handled, approved,
	 * reviewed or rechecked; side records, the state and holder stay */
#define OVERSEE(st)                                                                                   \
	{ st, ACT_REMIND, st, ROLE_SUPERVISOR, NEED_REASON, HOLD_SAME, NULL, ACTS_SUPERVISOR },         \
	{ st, ACT_SUPERVISE, st, ROLE_SUPERVISOR, NEED_REASON, HOLD_SAME, guard_supervise, ACTS_SUPERVISOR }
	OVERSEE(ST_REGISTERED), OVERSEE(ST_DISPATCHED), OVERSEE(ST_ACCEPTED), OVERSEE(ST_REPLIED),
	OVERSEE(ST_REVIEW), OVERSEE(ST_RECHECK),
#undef OVERSEE
	/* seeds 002, 003 (七), 004 art. 12: a leader who sees a case instructs on it (批示) in
	 * any state, and owns an open one (包案) until he releases it */
#define LEAD(st)                                                                           \
	{ st, ACT_INSTRUCT, st, ROLE_LEADER, NEED_OPINION, HOLD_SAME, NULL, ACTS_SCOPE },    \
	{ st, ACT_RELEASE_OWNERSHIP, st, ROLE_LEADER, 0, HOLD_SAME, NULL, ACTS_OWNER }
#define OWN(st) \
	LEAD(st), { st, ACT_TAKE_OWNERSHIP, st, ROLE_LEADER, 0, HOLD_SAME, guard_take_ownership, ACTS_SCOPE }
	OWN(ST_REGISTERED), OWN(ST_DISPATCHED), OWN(ST_ACCEPTED), OWN(ST_REPLIED), OWN(ST_CLOSED),
	OWN(ST_REVIEW), OWN(ST_RECHECK),
	LEAD(ST_CONCLUDED), LEAD(ST_REJECTED), LEAD(ST_DECLINED), LEAD(ST_ARCHIVED), LEAD(ST_MERGED),
#undef OWN
#undef LEAD
};

const struct flow_rule *flow_rules(int *n)
{
	*n = (int)(sizeof rules / sizeof rules[0]);
	return rules;
}

const struct flow_rule *flow_find(case_state from, case_action action)
{
	size_t i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].from == from && rules[i].action == action)
			return &rules[i];
	return NULL;
}

static int check_needs(const struct flow_input *in, case_action a, unsigned need, struct xerr *err)
{
	static const char req[] = "validation.required";

	if ((need & NEED_REASON) && blank(in->reason))
		return xerr_set(err, 400, req, "reason", "请填写理由");
	if ((need & NEED_ROUTE) && blank(in->route))
		return xerr_set(err, 400, req, "route", "请填写告知信访人的法定途径");
	if ((need & NEED_LEAD_UNIT) && in->lead.id == 0)
		return xerr_set(err, 400, req, "lead_unit", "请选择主办单位");
	if ((need & NEED_DAYS) && in->days == 0)
		return xerr_set(err, 400, req, "days", "请填写延期天数");
	if ((need & NEED_DUE_DAYS) && in->due_days == 0)
		return xerr_set(err, 400, req, "due_days", "请填写交办期限");
	if ((need & NEED_OUTCOME) && in->outcome == OUTCOME_NONE)
		return xerr_set(err, 400, req, "outcome", "请选择处理结果（予以支持、解释说明、不予支持）");
	if ((need & NEED_FACTS) && blank(in->facts))
		return xerr_set(err, 400, req, "facts", "请填写查明的事实");
	if ((need & NEED_OPINION) && blank(in->opinion))
		return xerr_set(err, 400, req, "opinion",
				a == ACT_INSTRUCT ? "请填写批示内容" : a == ACT_SUGGEST ? "请填写建议内容" : "请填写处理意见");
	if ((need & NEED_LEGAL_BASIS) && blank(in->legal_basis))
		return xerr_set(err, 400, req, "legal_basis", "请填写法律政策依据");
	if ((need & NEED_DELIVERY) && in->delivery == DELIVERY_NONE)
		return xerr_set(err, 400, req, "delivery", "请填写送达情况（签收或拒签）");
	if ((need & NEED_SATISFACTION) && in->satisfaction == SAT_NONE)
		return xerr_set(err, 400, req, "satisfaction", "请选择满意、基本满意或不满意");
	if ((need & NEED_INTO) && !in->into_given)
		return xerr_set(err, 400, req, "into", "请填写要并入的信访事项编号");
	if ((need & NEED_TARGET) && in->target.id == 0)
		return xerr_set(err, 400, req, "to_unit", "请选择建议送达的单位");
	if ((need & NEED_SUGGESTION) && blank(in->suggestion_type))
		return xerr_set(err, 400, req, "suggestion_type", "请选择建议类别（改进工作、完善政策、追究责任）");
	if ((need & NEED_REPEAT_OF) && !in->repeat_given)
		return xerr_set(err, 400, req, "repeat_of", "请填写已终结的原信访事项编号");
	return 0;
}

int flow_check(const struct flow_input *in, struct flow_result *res, struct xerr *err)
{
	const struct flow_rule *r;

	if ((unsigned)in->action >= ACT__COUNT || in->action == ACT_REGISTER)
		return xerr_set(err, 404, "flow.unknown_action", "action", "未知的操作");
	if ((unsigned)in->state >= ST__COUNT)
		return xerr_set(err, 409, "flow.invalid_transition", "action", "信访事项状态无效");
	r = flow_find(in->state, in->action);
	if (!r)
		return xerr_set(err, 409, "flow.invalid_transition", "action",
				"信访事项当前处于“%s”状态，不能“%s”",
				flow_state_label(in->state), flow_action_label(in->action));
	if (!(in->actor_roles & r->roles))
		return xerr_set(err, 403, "auth.role_denied", "action", "您的角色无权“%s”",
				flow_action_label(in->action));
	if (r->acts == ACTS_OWNER && !in->owned)
		return xerr_set(err, 409, "flow.not_owned", NULL, "该信访事项没有包案领导");
	/* ACTS_SCOPE: the case is in the actor's scope already, which is the whole test */
	if (r->acts != ACTS_PETITIONER && r->acts != ACTS_SCOPE) {
		int ok = r->acts == ACTS_LEAD ? in->actor_is_lead
			 : r->acts == ACTS_SUPERVISOR ? in->actor_supervises
			 : r->acts == ACTS_TARGET ? in->actor_is_target
			 : r->acts == ACTS_OWNER ? in->actor_is_owner
						  : in->actor_is_holder;

		if (!ok)
			return r->acts == ACTS_SUPERVISOR
				       ? xerr_set(err, 403, "case.not_holder", NULL, "只有信访部门可以“%s”",
						  flow_action_label(in->action))
				       : xerr_set(err, 403, "case.not_holder", NULL, "%s",
						  r->acts == ACTS_TARGET ? "三项建议不是向本单位提出的"
						  : r->acts == ACTS_OWNER ? "只有包案领导本人可以解除包案"
									  : "该信访事项不在本单位办理环节，只有当前承办单位可以操作");
	}
	if (check_needs(in, r->action, r->need, err))
		return -1;
	if (r->guard && r->guard(in, err))
		return -1;
	res->to = r->to;
	res->holder = r->holder;
	res->rule = r;
	return 0;
}

int flow_state_terminal(case_state s)
{
	return s == ST_CONCLUDED || s == ST_REJECTED || s == ST_DECLINED || s == ST_ARCHIVED ||
	       s == ST_MERGED;
}

int flow_action_oversight(case_action a)
{
	return a == ACT_REMIND || a == ACT_SUPERVISE || a == ACT_INSTRUCT || a == ACT_TAKE_OWNERSHIP ||
	       a == ACT_RELEASE_OWNERSHIP;
}

/* ---- names ---------------------------------------------------------------- */

struct name {
	const char *name;
	const char *label;
};

static const struct name state_names[ST__COUNT] = {
	[ST_NONE] = { "none", "未登记" },
	[ST_REGISTERED] = { "registered", "已登记" },
	[ST_DISPATCHED] = { "dispatched", "已转交办" },
	[ST_ACCEPTED] = { "accepted", "办理中" },
	[ST_REPLIED] = { "replied", "已答复待审核" },
	[ST_CLOSED] = { "closed", "已办结" },
	[ST_REVIEW] = { "review", "复查中" },
	[ST_RECHECK] = { "recheck", "复核中" },
	[ST_CONCLUDED] = { "concluded", "已终结" },
	[ST_REJECTED] = { "rejected", "不予受理" },
	[ST_DECLINED] = { "declined", "不再受理" },
	[ST_ARCHIVED] = { "archived", "已存档" },
	[ST_MERGED] = { "merged", "已并案" },
};

static const struct name action_names[ACT__COUNT] = {
	[ACT_REGISTER] = { "register", "登记" },
	[ACT_TRANSFER] = { "transfer", "转送" },
	[ACT_ASSIGN] = { "assign", "交办" },
	[ACT_SELF_HANDLE] = { "self_handle", "自办" },
	[ACT_REJECT] = { "reject", "不予受理" },
	[ACT_DECLINE] = { "decline", "不再受理" },
	[ACT_ARCHIVE] = { "archive", "存档" },
	[ACT_MERGE] = { "merge", "并案" },
	[ACT_ACCEPT] = { "accept", "受理" },
	[ACT_RETURN] = { "return", "退回" },
	[ACT_REQUEST_EXTENSION] = { "request_extension", "申请延期" },
	[ACT_APPROVE_EXTENSION] = { "approve_extension", "批准延期" },
	[ACT_DENY_EXTENSION] = { "deny_extension", "不批准延期" },
	[ACT_REPLY] = { "reply", "答复" },
	[ACT_APPROVE] = { "approve", "审核通过" },
	[ACT_SEND_BACK] = { "send_back", "审核退回" },
	[ACT_RATE] = { "rate", "评价" },
	[ACT_REQUEST_REVIEW] = { "request_review", "申请复查" },
	[ACT_DECIDE_REVIEW] = { "decide_review", "出具复查意见" },
	[ACT_REQUEST_RECHECK] = { "request_recheck", "申请复核" },
	[ACT_DECIDE_RECHECK] = { "decide_recheck", "出具复核意见" },
	[ACT_REQUEST_MATERIAL] = { "request_material", "通知补充材料" },
	[ACT_RECEIVE_MATERIAL] = { "receive_material", "收到补充材料" },
	[ACT_START_HEARING] = { "start_hearing", "举行听证" },
	[ACT_END_HEARING] = { "end_hearing", "听证结束" },
	[ACT_IMPLEMENT] = { "implement", "落实处理意见" },
	[ACT_SUGGEST] = { "suggest", "提出三项建议" },
	[ACT_SUGGESTION_FEEDBACK] = { "suggestion_feedback", "反馈三项建议" },
	[ACT_REMIND] = { "remind", "催办" },
	[ACT_SUPERVISE] = { "supervise", "督办" },
	[ACT_INSTRUCT] = { "instruct", "批示" },
	[ACT_TAKE_OWNERSHIP] = { "take_ownership", "包案" },
	[ACT_RELEASE_OWNERSHIP] = { "release_ownership", "解除包案" },
};

static const char *role_names[ROLE__COUNT] = {
	"registrar", "dispatcher", "handler", "unit_head", "supervisor",
	"complaint_supervisor", "reviewer", "leader", "analyst", "sysadmin",
	"secadmin", "auditor", "petitioner", "pii_reader",
};

static int parse(const struct name *t, int n, const char *s)
{
	int i;

	if (!s)
		return -1;
	for (i = 0; i < n; i++)
		if (t[i].name && strcmp(t[i].name, s) == 0)
			return i;
	return -1;
}

const char *flow_state_name(case_state s)
{
	return (unsigned)s < ST__COUNT ? state_names[s].name : NULL;
}

const char *flow_state_label(case_state s)
{
	return (unsigned)s < ST__COUNT ? state_names[s].label : NULL;
}

int flow_state_parse(const char *name)
{
	return parse(state_names, ST__COUNT, name);
}

const char *flow_action_name(case_action a)
{
	return (unsigned)a < ACT__COUNT ? action_names[a].name : NULL;
}

const char *flow_action_label(case_action a)
{
	return (unsigned)a < ACT__COUNT ? action_names[a].label : NULL;
}

int flow_action_parse(const char *name)
{
	return parse(action_names, ACT__COUNT, name);
}

const char *flow_role_name(unsigned role_bit)
{
	int i;

	for (i = 0; i < ROLE__COUNT; i++)
		if (role_bit == (1u << i))
			return role_names[i];
	return NULL;
}

int flow_role_parse(const char *name)
{
	int i;

	if (!name)
		return 0;
	for (i = 0; i < ROLE__COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return (int)(1u << i);
	return 0;
}

#define ENUM_NAMES(fn, type, ...)                                              \
	static const char *fn##_names[] = { __VA_ARGS__ };                     \
	const char *flow_##fn##_name(type v)                                   \
	{                                                                      \
		return (unsigned)v < sizeof fn##_names / sizeof fn##_names[0]  \
			       ? fn##_names[v]                                 \
			       : NULL;                                         \
	}                                                                      \
	int flow_##fn##_parse(const char *s)                                   \
	{                                                                      \
		unsigned i;                                                    \
		if (!s)                                                        \
			return -1;                                             \
		for (i = 1; i < sizeof fn##_names / sizeof fn##_names[0]; i++) \
			if (strcmp(fn##_names[i], s) == 0)                     \
				return (int)i;                                 \
		return -1;                                                     \
	}

ENUM_NAMES(outcome, case_outcome, "", "support", "explain", "deny")
ENUM_NAMES(satisfaction, case_satisfaction, "", "satisfied", "fair", "unsatisfied")
ENUM_NAMES(delivery, case_delivery, "", "signed", "refused")
ENUM_NAMES(extension, case_extension, "", "pending", "approved", "denied")
