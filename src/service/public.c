/*
 * public.c - the petitioner's portal: submit online (R22 art. 17, 21),
 * follow progress with the case number and query code (R05 art. 12), rate
 * the handling (国信发〔2014〕16号) and ask for review and recheck (R22
 * art. 35). The petitioner sees progress in plain words: no staff names,
 * no internal notes; accusations show no results (seed 004 art. 9(1)3).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "base/xtime.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "service/case.h"
#include "service/clock.h"
#include "service/input.h"
#include "service/view.h"

int svc_public_submit(struct app *app, int64_t now, json_t *body, const char *idem_key,
		      int *status, json_t **out, struct xerr *err)
{
	struct actor petitioner = { .kind = ACTOR_PETITIONER };
	struct unit bureau;
	const char *channel, *locality;
	int rc;

	*out = NULL;
	if (!json_is_object(body))
		return xerr_set(err, 400, "validation.type", "body", "请求体必须是 JSON 对象");
	if (input_str(body, "channel", 0, 20, &channel, err) ||
	    input_code(body, "locality", 1, CODES_DIVISION, &locality, err))
		return -1;
	/* 关联件 are marked by the registrar, not by the petitioner */
	if (json_object_get(body, "related"))
		return xerr_set(err, 400, "validation.unknown_field", "related", "不认识的字段“related”");
	if (channel && strcmp(channel, "online") != 0)
		return xerr_set(err, 400, "validation.invalid", "channel", "网上信访的渠道只能是“网上信访”");
	/* the petition department of the problem's locality receives it */
	pthread_mutex_lock(&app->lock);
	rc = store_unit_petition_for_division(app->st, locality, &bureau);
	pthread_mutex_unlock(&app->lock);
	if (rc < 0)
		return xerr_internal(err, "bureau lookup");
	if (rc == 1)
		return xerr_set(err, 422, "public.no_bureau", "locality", "该地区暂未开通网上信访，请联系当地信访部门");
	if (!channel) {
		json_t *copy = json_copy(body);

		json_object_set_new(copy, "channel", json_string("online"));
		rc = register_case(app, &petitioner, &bureau, now, copy, idem_key, status, out, err);
		json_decref(copy);
		return rc;
	}
	return register_case(app, &petitioner, &bureau, now, body, idem_key, status, out, err);
}

/* Find the case and check the query code; either failing reads as 404. */
json_t *public_row(struct app *app, const char *no, const char *code, struct xerr *err)
{
	struct scope all = { .all = 1 };
	char hash[65];
	json_t *row;
	int found;
	const char *stored;

	if (!no || !code || strlen(code) != 8) {
		xerr_set(err, 404, "case.not_found", NULL, "信访事项编号或查询码不正确");
		return NULL;
	}
	row = store_case_row(app->st, no, &all, &found);
	if (found < 0) {
		xerr_internal(err, "case lookup");
		return NULL;
	}
	sha256_hex_of(code, 8, hash);
	stored = row ? row_str(row, "query_hash") : NULL;
	if (!stored || sodium_memcmp(stored, hash, 64) != 0) {
		json_decref(row);
		xerr_set(err, 404, "case.not_found", NULL, "信访事项编号或查询码不正确");
		return NULL;
	}
	return row;
}

static const char *code_label(enum code_list l, const char *code)
{
	const struct code *c = codes_find(l, code);

	return c ? c->label : "";
}

static const char *unit_name(struct app *app, int64_t id, struct unit *u)
{
	return id && store_unit_get(app->st, id, u) == 0 ? u->name : "有关单位";
}

/* One line of progress in plain words, or NULL for internal steps. */
static int progress_text(struct app *app, json_t *row, json_t *ev, char *out, size_t n)
{
	const char *action = json_string_value(json_object_get(ev, "action"));
	json_t *p = json_object_get(ev, "payload");
	int accusation = strcmp(row_str(row, "kind"), "accusation") == 0;
	struct unit u;
	int64_t holder = json_integer_value(json_object_get(p, "holder_unit_id"));

	if (strcmp(action, "register") == 0)
		snprintf(out, n, "您的信访事项已登记，编号%s", row_str(row, "no"));
	else if (accusation && strcmp(action, "approve") == 0)
		snprintf(out, n, "您反映的问题已办理完毕");
	else if (accusation && strcmp(action, "decide_recheck") != 0 && strcmp(action, "rate") != 0 &&
		 strcmp(action, "reject") != 0)
		return 0; /* seed 004 art. 9(1)3: no progress details for accusations */
	else if (strcmp(action, "transfer") == 0)
		snprintf(out, n, "已转送%s办理", unit_name(app, holder, &u));
	else if (strcmp(action, "assign") == 0)
		snprintf(out, n, "已交办%s办理", unit_name(app, holder, &u));
	else if (strcmp(action, "self_handle") == 0 || strcmp(action, "accept") == 0)
		snprintf(out, n, "%s已受理，正在办理",
			 unit_name(app, json_integer_value(json_object_get(ev, "actor_unit_id")), &u));
	else if (strcmp(action, "reject") == 0)
		snprintf(out, n, "不予受理：%s。请通过“%s”途径依法提出",
			 json_string_value(json_object_get(p, "reason")),
			 code_label(CODES_ROUTE, json_string_value(json_object_get(p, "route"))));
	else if (strcmp(action, "decline") == 0)
		snprintf(out, n, "您反映的事项已经复核终结，依照《信访工作条例》第三十六条不再受理");
	else if (strcmp(action, "archive") == 0)
		snprintf(out, n, "已存档");
	else if (strcmp(action, "merge") == 0)
		snprintf(out, n, "已与信访事项%s合并办理", json_string_value(json_object_get(p, "into")));
	else if (strcmp(action, "return") == 0)
		snprintf(out, n, "正在重新确定办理单位");
	else if (strcmp(action, "approve_extension") == 0)
		snprintf(out, n, "办理期限延长%lld日", (long long)row_int(row, "extension_days"));
	else if (strcmp(action, "approve") == 0)
		snprintf(out, n, "已出具处理意见，请查看答复内容");
	else if (strcmp(action, "rate") == 0)
		snprintf(out, n, "您已评价：%s",
			 strcmp(json_string_value(json_object_get(p, "satisfaction")), "satisfied") == 0 ? "满意"
			 : strcmp(json_string_value(json_object_get(p, "satisfaction")), "fair") == 0 ? "基本满意"
												: "不满意");
	else if (strcmp(action, "request_review") == 0)
		snprintf(out, n, "已申请复查，由%s办理", unit_name(app, holder, &u));
	else if (strcmp(action, "decide_review") == 0)
		snprintf(out, n, "已出具复查意见");
	else if (strcmp(action, "request_recheck") == 0)
		snprintf(out, n, "已申请复核，由%s办理", unit_name(app, holder, &u));
	else if (strcmp(action, "decide_recheck") == 0)
		snprintf(out, n, "已出具复核意见，本事项终结");
	else
		return 0;
	return 1;
}

/* The extension reason the petitioner must be told (R22 art. 34). */
static const char *extension_reason(json_t *events)
{
	size_t i;
	json_t *e;
	const char *reason = NULL;

	json_array_foreach(events, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "action")), "request_extension") == 0)
			reason = json_string_value(json_object_get(json_object_get(e, "payload"), "reason"));
	}
	return reason;
}

static json_t *decision_view(json_t *row, const char *key)
{
	const char *s = row_str(row, key);
	json_t *d = s ? json_loads(s, 0, NULL) : NULL, *out;
	int o;

	if (!d)
		return json_null();
	o = flow_outcome_parse(json_string_value(json_object_get(d, "outcome")));
	out = json_pack("{s:O,s:s,s:O,s:O,s:O}", "outcome", json_object_get(d, "outcome"), "outcome_label",
			o == OUTCOME_SUPPORT ? "予以支持" : o == OUTCOME_EXPLAIN ? "解释说明" : "不予支持",
			"facts", json_object_get(d, "facts"), "opinion", json_object_get(d, "opinion"),
			"legal_basis", json_object_get(d, "legal_basis"));
	json_decref(d);
	return out;
}

/* Can the petitioner take `action` now? Runs the same table as the action itself. */
static int can(struct app *app, json_t *row, case_action action, int64_t now)
{
	struct actor p = { .kind = ACTOR_PETITIONER };
	struct act_body_units bu;
	struct flow_input in;
	struct flow_result res;
	struct unit review, recheck;
	struct xerr err;

	if (flow_input_from(app, row, &p, action, &bu, &in, &err) ||
	    higher_organs(app, row, &review, &in.has_review_organ, &recheck, &in.has_recheck_organ, &err))
		return 0;
	in.satisfaction = SAT_SATISFIED;
	in.now = now;
	return flow_check(&in, &res, &err) == 0;
}

/* The running time limits that concern the petitioner, in plain words (no units or staff for
 * accusations). */
static json_t *public_deadlines(struct app *app, json_t *row, int64_t now)
{
	json_t *clocks = clock_view(app, row_int(row, "id"), now), *out = json_array(), *k;
	size_t i;

	json_array_foreach(clocks, i, k)
	{
		const char *state = json_string_value(json_object_get(k, "state"));
		const char *name = json_string_value(json_object_get(k, "name"));

		/* the units' own windows (退回异议期, 三项建议反馈) are not the petitioner's */
		if (strcmp(state, "stopped") == 0 || strcmp(name, "objection") == 0 ||
		    strcmp(name, "suggestion") == 0)
			continue;
		json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O}", "name", json_object_get(k, "name"),
						     "label", json_object_get(k, "label"), "due",
						     json_object_get(k, "due"), "state", json_object_get(k, "state")));
	}
	json_decref(clocks);
	return out;
}

json_t *view_public(struct app *app, json_t *row, int64_t now)
{
	int accusation = strcmp(row_str(row, "kind"), "accusation") == 0;
	int st = flow_state_parse(row_str(row, "state"));
	json_t *events = store_case_events(app->st, row_int(row, "id"));
	json_t *timeline = json_array(), *e, *out;
	const char *ext_reason = extension_reason(events);
	size_t i;
	/* reasons are at most 1000 characters (3000 bytes): every line fits */
	char text[4096], iso[32], date[11];

	json_array_foreach(events, i, e)
	{
		json_t *line;

		if (!progress_text(app, row, e, text, sizeof text))
			continue;
		if (strcmp(json_string_value(json_object_get(e, "action")), "approve_extension") == 0 && ext_reason) {
			size_t len = strlen(text);

			snprintf(text + len, sizeof text - len, "，理由：%s", ext_reason);
		}
		utf8_clean(text);
		xtime_iso(json_integer_value(json_object_get(e, "at")), iso);
		line = json_pack("{s:s,s:s}", "at", iso, "text", text);
		if (!line || json_array_append_new(timeline, line))
			log_error("public timeline of %s: a line could not be built", row_str(row, "no"));
	}
	json_decref(events);
	xtime_iso(row_int(row, "registered_at"), iso);
	out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "no", row_str(row, "no"), "title",
			row_str(row, "title"), "channel", row_str(row, "channel"), "kind", row_str(row, "kind"),
			"state", row_str(row, "state"), "state_label",
			st >= 0 ? flow_state_label((case_state)st) : "", "registered_at", iso, "timeline", timeline);
	json_object_set_new(out, "petition_date", json_string(row_str(row, "petition_date")));
	/* the reply is shown once the bureau approved it, never for accusations */
	if (!accusation && row_int(row, "closed_at"))
		json_object_set_new(out, "reply", decision_view(row, "reply"));
	else
		json_object_set_new(out, "reply", json_null());
	json_object_set_new(out, "review_decision", accusation ? json_null() : decision_view(row, "review_decision"));
	json_object_set_new(out, "recheck_decision", accusation ? json_null() : decision_view(row, "recheck_decision"));
	json_object_set_new(out, "satisfaction", json_incref(json_object_get(row, "satisfaction")));
	if (row_int(row, "closed_at") && (st == ST_CLOSED)) {
		xtime_date(flow_days_deadline(row_int(row, "closed_at"), app->review_window_days) - 1, date);
		json_object_set_new(out, "review_deadline", json_string(date));
	}
	json_object_set_new(out, "can",
			    json_pack("{s:b,s:b,s:b}", "rate", can(app, row, ACT_RATE, now), "request_review",
				      can(app, row, ACT_REQUEST_REVIEW, now), "request_recheck",
				      can(app, row, ACT_REQUEST_RECHECK, now)));
	json_object_set_new(out, "version", json_integer(row_int(row, "version")));
	json_object_set_new(out, "deadlines", public_deadlines(app, row, now));
	return out;
}

int svc_public_query(struct app *app, int64_t now, const char *no, const char *code,
		     json_t **out, struct xerr *err)
{
	json_t *row;

	*out = NULL;
	pthread_mutex_lock(&app->lock);
	row = public_row(app, no, code, err);
	if (row)
		*out = view_public(app, row, now);
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	return *out ? 0 : -1;
}

int svc_public_act(struct app *app, int64_t now, const char *no, const char *code,
		   const char *action, json_t *body, json_t **out, struct xerr *err)
{
	struct actor petitioner = { .kind = ACTOR_PETITIONER };
	json_t *row = NULL;
	int a = flow_action_parse(action), rc = -1;

	*out = NULL;
	if (a != ACT_RATE && a != ACT_REQUEST_REVIEW && a != ACT_REQUEST_RECHECK)
		return xerr_set(err, 404, "flow.unknown_action", "action", "未知的操作");
	if (body && !json_is_object(body))
		return xerr_set(err, 400, "validation.type", "body", "请求体必须是 JSON 对象");
	pthread_mutex_lock(&app->lock);
	if (store_begin(app->st)) {
		xerr_internal(err, "begin");
		goto out;
	}
	row = public_row(app, no, code, err);
	if (!row)
		goto out;
	if (act_locked(app, &petitioner, now, row, action, body, err))
		goto out;
	json_decref(row);
	row = public_row(app, no, code, err);
	if (!row)
		goto out;
	if (store_commit(app->st)) {
		xerr_internal(err, "commit");
		goto out;
	}
	*out = view_public(app, row, now);
	rc = 0;
out:
	if (rc)
		store_rollback(app->st);
	json_decref(row);
	pthread_mutex_unlock(&app->lock);
	return rc;
}
