/*
 * flow.h - the case life cycle as one table (state x action -> state).
 *
 * Pure: no I/O, no allocation. The service layer gathers a flow_input
 * (the case as it is, who acts, what they sent, the time) and asks
 * flow_check() whether the action is allowed and where it leads. Every
 * refusal carries a stable error code and a Chinese message.
 *
 * Rules: 《信访工作条例》 (R22) art. 22-36, DESIGN.md section 3,
 * seed 004 art. 10 (extension, reply elements).
 */
#ifndef XF_FLOW_H
#define XF_FLOW_H

#include <stdint.h>
#include "base/xerr.h"

/* 信访事项状态. Order is stable: it is stored by name, never by number. */
typedef enum {
	ST_NONE = 0,     /* before registration */
	ST_REGISTERED,   /* 已登记, at the petition department */
	ST_DISPATCHED,   /* 已转送/交办, waiting for the unit to accept */
	ST_ACCEPTED,     /* 已受理, being handled */
	ST_REPLIED,      /* 已答复, reply waiting for the bureau's approval */
	ST_CLOSED,       /* 已办结 */
	ST_REVIEW,       /* 复查中 */
	ST_RECHECK,      /* 复核中 */
	ST_CONCLUDED,    /* 已终结 (after recheck) */
	ST_REJECTED,     /* 不予受理 */
	ST_DECLINED,     /* 不再受理 */
	ST_ARCHIVED,     /* 存档 */
	ST_MERGED,       /* 已并案 */
	ST__COUNT
} case_state;

typedef enum {
	ACT_REGISTER = 0,
	ACT_TRANSFER,           /* 转送 */
	ACT_ASSIGN,             /* 交办 */
	ACT_SELF_HANDLE,        /* 自办 */
	ACT_REJECT,             /* 不予受理, with the statutory route */
	ACT_DECLINE,            /* 不再受理: same matter concluded after recheck */
	ACT_ARCHIVE,            /* 存档 */
	ACT_MERGE,              /* 并案 */
	ACT_ACCEPT,             /* 受理 */
	ACT_RETURN,             /* 退回 (objection) */
	ACT_REQUEST_EXTENSION,  /* 申请延期 */
	ACT_APPROVE_EXTENSION,  /* 批准延期 */
	ACT_DENY_EXTENSION,     /* 不批准延期 */
	ACT_REPLY,              /* 答复 (处理意见书) */
	ACT_APPROVE,            /* 审核通过 -> 办结 */
	ACT_SEND_BACK,          /* 审核退回 */
	ACT_RATE,               /* 满意度评价 (petitioner) */
	ACT_REQUEST_REVIEW,     /* 申请复查 (petitioner) */
	ACT_DECIDE_REVIEW,      /* 复查意见 */
	ACT_REQUEST_RECHECK,    /* 申请复核 (petitioner) */
	ACT_DECIDE_RECHECK,     /* 复核意见 -> 终结 */
	ACT_REQUEST_MATERIAL,   /* 通知补充材料: the handling clock pauses */
	ACT_RECEIVE_MATERIAL,   /* 收到补充材料: it runs again */
	ACT_START_HEARING,      /* 举行听证: review/recheck time not counted (R22 art. 36) */
	ACT_END_HEARING,        /* 听证结束 */
	ACT_IMPLEMENT,          /* 落实处理意见 (seed 000 art. 5(4)), by the unit that handled it */
	ACT_SUGGEST,            /* 三项建议 by the supervising petition department (R22 art. 39) */
	ACT_SUGGESTION_FEEDBACK,/* 三项建议的书面反馈, by the unit it went to (R05 art. 36) */
	/* oversight: side records that never move the state or the holder (R22 art. 38-40;
	 * seeds 002, 003, 004; DESIGN.md section 3) */
	ACT_REMIND,             /* 催办, to the unit holding the case */
	ACT_SUPERVISE,          /* 督办, with the feedback expected in due_days */
	ACT_INSTRUCT,           /* 领导批示 */
	ACT_TAKE_OWNERSHIP,     /* 领导包案, one leader at a time, "一包到底" (seed 004 art. 12) */
	ACT_RELEASE_OWNERSHIP,  /* 解除包案, by the leader who took it */
	ACT__COUNT
} case_action;

/* Roles (DESIGN.md section 1); a user holds a set of them. */
enum {
	ROLE_REGISTRAR = 1u << 0,
	ROLE_DISPATCHER = 1u << 1,
	ROLE_HANDLER = 1u << 2,
	ROLE_UNIT_HEAD = 1u << 3,
	ROLE_SUPERVISOR = 1u << 4,
	ROLE_COMPLAINT_SUPERVISOR = 1u << 5,
	ROLE_REVIEWER = 1u << 6,
	ROLE_LEADER = 1u << 7,
	ROLE_ANALYST = 1u << 8,
	ROLE_SYSADMIN = 1u << 9,
	ROLE_SECADMIN = 1u << 10,
	ROLE_AUDITOR = 1u << 11,
	ROLE_PETITIONER = 1u << 12, /* public portal, by case number + query code */
	ROLE_PII_READER = 1u << 13, /* a permission: may unmask personal data, with a reason */
	ROLE__COUNT = 14
};

/* Fields an action requires (flow_rule.need). */
enum {
	NEED_REASON = 1u << 0,
	NEED_ROUTE = 1u << 1,       /* statutory route told to the petitioner */
	NEED_LEAD_UNIT = 1u << 2,
	NEED_DAYS = 1u << 3,
	NEED_OUTCOME = 1u << 4,
	NEED_FACTS = 1u << 5,
	NEED_OPINION = 1u << 6,
	NEED_LEGAL_BASIS = 1u << 7,
	NEED_DELIVERY = 1u << 8,
	NEED_SATISFACTION = 1u << 9,
	NEED_INTO = 1u << 10,       /* merge target */
	NEED_REPEAT_OF = 1u << 11,  /* the concluded case a decline refers to */
	NEED_DUE_DAYS = 1u << 12,   /* 交办 deadline */
	NEED_TARGET = 1u << 13,     /* the unit a suggestion goes to */
	NEED_SUGGESTION = 1u << 14  /* its type: work, policy, accountability */
};

/* Whose unit may take an action (besides holding the right role). */
typedef enum {
	ACTS_HOLDER = 0,   /* the unit holding the case */
	ACTS_LEAD,         /* the unit that handled it (implementing its decision) */
	ACTS_SUPERVISOR,   /* a petition department that sees the case (R22 art. 38-40) */
	ACTS_TARGET,       /* the unit a suggestion went to */
	ACTS_PETITIONER,   /* the petitioner, through the portal */
	ACTS_SCOPE,        /* any unit that sees the case (leaders: 批示, 包案) */
	ACTS_OWNER         /* the leader who owns the case (包案领导) */
} flow_acts;

/* Who holds the case after the action. */
typedef enum {
	HOLD_SAME = 0,
	HOLD_LEAD,       /* the lead unit: named by transfer/assign, else the case's */
	HOLD_DISPATCH,   /* the petition department that dispatched it */
	HOLD_REVIEW,     /* the review organ (next petition department up) */
	HOLD_RECHECK     /* the recheck organ (the one above the review organ) */
} flow_holder;

typedef enum { OUTCOME_NONE = 0, OUTCOME_SUPPORT, OUTCOME_EXPLAIN, OUTCOME_DENY } case_outcome;
typedef enum { SAT_NONE = 0, SAT_SATISFIED, SAT_FAIR, SAT_UNSATISFIED } case_satisfaction;
typedef enum { DELIVERY_NONE = 0, DELIVERY_SIGNED, DELIVERY_REFUSED } case_delivery;
typedef enum { EXT_NONE = 0, EXT_PENDING, EXT_APPROVED, EXT_DENIED } case_extension;

struct flow_input;
typedef int (*flow_guard)(const struct flow_input *in, struct xerr *err);

struct flow_rule {
	case_state from;
	case_action action;
	case_state to;
	unsigned roles;   /* any of these may act */
	unsigned need;    /* NEED_* bits */
	flow_holder holder;
	flow_guard guard; /* NULL: none */
	flow_acts acts;   /* ACTS_HOLDER unless said (petitioner rules: by their role) */
};

/* A unit as the rules see it: id and its path in the unit tree ("/1/4/9/"). */
struct flow_unit {
	int64_t id;
	const char *path;
};

/* Everything flow_check needs. Strings may be NULL (absent). */
struct flow_input {
	/* the case */
	case_state state;
	int is_accusation;
	struct flow_unit accused;       /* id 0: none */
	case_extension extension;       /* state of the one allowed extension */
	int stage;                      /* 0 original, 1 reviewed, 2 rechecked */
	int rated;                      /* rated since the last closing */
	int64_t closed_at;              /* when the current decision closed (reply approved / review decided) */
	int has_review_organ;           /* a petition department above exists */
	int has_recheck_organ;

	struct flow_unit holder;        /* the unit holding it now */

	/* who acts */
	unsigned actor_roles;
	int actor_is_holder;            /* the actor's unit holds the case */

	/* what they sent (already type-checked) */
	case_action action;
	const char *reason;
	const char *route;
	struct flow_unit lead;          /* id 0: none */
	const struct flow_unit *co;     /* co-units */
	int n_co;
	int days;                       /* extension days; 0 = absent */
	int due_days;                   /* 交办 deadline, 督办 feedback, in days; 0 = absent
					   (supervise: -1 = sent but not a positive number) */
	case_outcome outcome;
	const char *facts;
	const char *opinion;
	const char *legal_basis;
	case_delivery delivery;
	const char *witness;
	case_satisfaction satisfaction;
	int into_given;                 /* a merge target was named */
	int into_found;                 /* merge target exists and is in scope */
	int into_is_self;
	case_state into_state;
	int repeat_given;               /* decline: a concluded case was named */
	int repeat_found;               /* decline: referred case exists */
	case_state repeat_state;

	int64_t now;                    /* seconds since the epoch */
	int64_t deadline;               /* the window the action must keep (return, review,
					   recheck, extension), from the case's clock; 0 = none
					   (review/recheck: closed_at + review_window_days) */
	int paused;                     /* the clock this state runs is paused */
	int actor_is_lead;              /* the actor's unit handled the case (implement) */
	int supported;                  /* the approved reply supports the request */
	int implemented;                /* implementation already recorded */
	int actor_supervises;           /* the actor's unit is a petition department that sees it */
	int actor_is_target;            /* the actor's unit received the pending suggestion */
	int suggestion_pending;         /* a suggestion awaits its written feedback */
	struct flow_unit target;        /* suggest: the unit it goes to (id 0: none) */
	const char *suggestion_type;    /* suggest: work | policy | accountability */
	int owned;                      /* a leader owns the case (包案) */
	int actor_is_owner;             /* the actor is that leader */
	int max_extension_days;         /* policy; 30 by R22 art. 34 */
	int review_window_days;         /* policy; 30 by R22 art. 35 */
};

/* Outcome of a successful check. */
struct flow_result {
	case_state to;
	flow_holder holder;
	const struct flow_rule *rule;
};

/*
 * flow_check - may in->action be taken now? On success fills *res and
 * returns 0. On refusal fills *err (static strings) and returns -1.
 * Checks in this order: action known, state allows it, role, holder,
 * required fields, guard. Pure; allocates nothing.
 */
int flow_check(const struct flow_input *in, struct flow_result *res, struct xerr *err);

/* The transition table itself, for tests and documentation. */
const struct flow_rule *flow_rules(int *n);

/* Find the rule for (state, action); NULL if the state does not allow it. */
const struct flow_rule *flow_find(case_state from, case_action action);

/* Names as stored and sent over the API; NULL / -1 when unknown. */
const char *flow_state_name(case_state s);
int flow_state_parse(const char *name);           /* -1 unknown */
const char *flow_state_label(case_state s);       /* 中文, for people */
const char *flow_action_name(case_action a);
int flow_action_parse(const char *name);
const char *flow_action_label(case_action a);
const char *flow_role_name(unsigned role_bit);
int flow_role_parse(const char *name);             /* returns the bit, 0 unknown */
const char *flow_outcome_name(case_outcome o);
int flow_outcome_parse(const char *name);
const char *flow_satisfaction_name(case_satisfaction s);
int flow_satisfaction_parse(const char *name);
const char *flow_delivery_name(case_delivery d);
int flow_delivery_parse(const char *name);
const char *flow_extension_name(case_extension e);
int flow_extension_parse(const char *name);

/* True for states nothing more happens in (rejected, declined, archived, merged, concluded). */
int flow_state_terminal(case_state s);

/* True for the oversight actions (remind, supervise, instruct, take and release
 * ownership): open on every case a supervisor or leader sees, never work that
 * waits for them, so they keep nothing on a to-do list. */
int flow_action_oversight(case_action a);

/*
 * Last moment (exclusive, epoch seconds) of a period of `days` calendar
 * days starting at `start`: the start day is not counted and the period
 * ends at 24:00 Asia/Shanghai (民法典 art. 201, 203). Holiday shifting
 * belongs to the calendar (issue 3).
 */
int64_t flow_days_deadline(int64_t start, int days);

/* Is `path` (a unit path) inside the subtree rooted at `root` (also a path)? */
int flow_path_within(const char *path, const char *root);

#endif
