/*
 * policy.c - clock kinds and the policy text format. See policy.h.
 */
#include "domain/policy.h"

#include "base/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The clocks of a case. Start events restart a running clock. */
static const struct clock_kind kinds[] = {
	{ "triage", "甄别分办", { "register", "return" },
	  { "transfer", "assign", "self_handle", "reject", "decline", "archive", "merge" },
	  { NULL }, { NULL }, 1, "《信访工作条例》第二十二条" },
	{ "accept", "受理告知", { "transfer", "assign" }, { "accept", "return" }, { NULL }, { NULL }, 1,
	  "《信访工作条例》第二十三条" },
	{ "objection", "退回异议期", { "transfer", "assign" }, { "accept", "return" }, { NULL }, { NULL }, 0,
	  "《信访工作条例》第二十三条；黑信发〔2022〕27号第十四、十五条" },
	/* the reply waiting for the bureau's approval is not the handling unit's time */
	{ "handle", "办理", { "accept", "self_handle" }, { "approve" }, { "request_material", "reply" },
	  { "receive_material", "send_back" }, 1, "《信访工作条例》第三十四条" },
	{ "review_request", "申请复查期限", { "approve" }, { "request_review" }, { NULL }, { NULL }, 0,
	  "《信访工作条例》第三十五条" },
	{ "review", "复查", { "request_review" }, { "decide_review" }, { "start_hearing" }, { "end_hearing" }, 1,
	  "《信访工作条例》第三十五条、第三十六条" },
	{ "recheck_request", "申请复核期限", { "decide_review" }, { "request_recheck" }, { NULL }, { NULL }, 0,
	  "《信访工作条例》第三十五条" },
	{ "recheck", "复核", { "request_recheck" }, { "decide_recheck" }, { "start_hearing" }, { "end_hearing" }, 1,
	  "《信访工作条例》第三十五条、第三十六条" },
	{ "implement", "落实处理意见", { "approve", "decide_review", "decide_recheck" }, { "implement" },
	  { NULL }, { NULL }, 1,
	  "黑信发〔2022〕27号第五条第（四）项" },
	{ "suggestion", "三项建议反馈", { "suggest" }, { "suggestion_feedback" }, { NULL }, { NULL }, 1,
	  "《信访条例》（2005）第三十六条" },
};

/* Limits that are not clocks. */
static const char *const other_keys[] = { "extension", NULL };

const struct clock_kind *clock_kinds(int *n)
{
	*n = (int)(sizeof kinds / sizeof kinds[0]);
	return kinds;
}

const struct clock_kind *clock_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int clock_event_in(const char *const *list, int n, const char *action)
{
	int i;

	for (i = 0; i < n && list[i]; i++)
		if (strcmp(list[i], action) == 0)
			return 1;
	return 0;
}

static int key_ok(const char *key)
{
	char base[40];
	const char *dot = strchr(key, '.');
	size_t n = dot ? (size_t)(dot - key) : strlen(key);
	int i;

	if (n == 0 || n >= sizeof base)
		return 0;
	memcpy(base, key, n);
	base[n] = '\0';
	if (dot) {
		static const char *const variants[] = { "urgent", "province", "city", "county", "township", NULL };

		for (i = 0; variants[i]; i++)
			if (strcmp(dot + 1, variants[i]) == 0)
				break;
		if (!variants[i])
			return 0;
	}
	if (clock_kind_find(base))
		return 1;
	for (i = 0; other_keys[i]; i++)
		if (strcmp(other_keys[i], base) == 0)
			return 1;
	return 0;
}

struct policy *policy_find(struct policy_set *set, const char *name)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->p[i].name, name) == 0)
			return &set->p[i];
	return NULL;
}

int policy_set_entry(struct policy *p, const char *key, const struct limit *l, const char *rule)
{
	int i;

	if (!key_ok(key) || l->amount < 0 || l->amount > 3650 || l->warn_pct < 1 || l->warn_pct > 100)
		return -1;
	for (i = 0; i < p->n_entries; i++)
		if (strcmp(p->entries[i].key, key) == 0)
			break;
	if (i == p->n_entries) {
		if (p->n_entries == POLICY_MAX_ENTRIES)
			return -1;
		p->n_entries++;
	}
	snprintf(p->entries[i].key, sizeof p->entries[i].key, "%s", key);
	p->entries[i].limit = *l;
	snprintf(p->entries[i].rule, sizeof p->entries[i].rule, "%s", rule ? rule : "");
	utf8_clean(p->entries[i].rule); /* a long rule may be cut mid-character */
	return 0;
}

/* Next whitespace-separated word of *s into w[n]; quoted words keep spaces. */
static int word(const char **s, char *w, size_t n)
{
	const char *p = *s;
	size_t k = 0;
	char quote = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return 0;
	if (*p == '"')
		quote = *p++;
	while (*p && (quote ? *p != quote : (*p != ' ' && *p != '\t' && *p != '#'))) {
		if (k + 1 < n)
			w[k++] = *p;
		p++;
	}
	if (quote && *p == quote)
		p++;
	w[k] = '\0';
	*s = p;
	return 1;
}

int policy_parse(struct policy_set *set, const char *text, struct xerr *err)
{
	const char *line = text;
	struct policy *cur = NULL;
	int lineno = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512], w[160];
		const char *p = buf;

		lineno++;
		if (len >= sizeof buf)
			return xerr_set(err, 400, "policy.syntax", NULL, "时限配置第%d行过长", lineno);
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = end ? end + 1 : NULL;
		if (!word(&p, w, sizeof w))
			continue;
		if (strcmp(w, "policy") == 0) {
			if (set->n == POLICY_MAX)
				return xerr_set(err, 400, "policy.syntax", NULL, "时限配置第%d行：策略过多", lineno);
			cur = &set->p[set->n++];
			memset(cur, 0, sizeof *cur);
			if (!word(&p, cur->name, sizeof cur->name))
				return xerr_set(err, 400, "policy.syntax", NULL, "时限配置第%d行：缺少策略名", lineno);
			word(&p, cur->label, sizeof cur->label);
			if (word(&p, w, sizeof w)) {
				if (strcmp(w, "inherits") != 0 || !word(&p, cur->inherits, sizeof cur->inherits))
					return xerr_set(err, 400, "policy.syntax", NULL,
							"时限配置第%d行：应为 inherits 策略名", lineno);
			}
			continue;
		}
		if (!cur)
			return xerr_set(err, 400, "policy.syntax", NULL, "时限配置第%d行：须先写 policy", lineno);
		if (strcmp(w, "units") == 0) {
			while (word(&p, w, sizeof w) && cur->n_units < POLICY_MAX_UNITS)
				snprintf(cur->units[cur->n_units++], sizeof cur->units[0], "%.31s", w);
			continue;
		}
		{
			struct limit l = { 0, CAL_DAYS, 80 };
			char key[40], amount[16], unit[16];
			const char *hash;
			char *endp;
			int u;

			snprintf(key, sizeof key, "%.39s", w);
			if (!word(&p, amount, sizeof amount) || !word(&p, unit, sizeof unit))
				return xerr_set(err, 400, "policy.syntax", NULL,
						"时限配置第%d行：应为“时限名 数量 单位”", lineno);
			l.amount = (int)strtol(amount, &endp, 10);
			u = calendar_unit_parse(unit);
			if (*endp || u < 0)
				return xerr_set(err, 400, "policy.syntax", NULL,
						"时限配置第%d行：数量或单位（days/workdays/hours）有误", lineno);
			l.unit = (enum cal_unit)u;
			if (word(&p, w, sizeof w)) {
				if (strcmp(w, "warn") != 0 || !word(&p, w, sizeof w) ||
				    (l.warn_pct = (int)strtol(w, &endp, 10), strcmp(endp, "%") != 0))
					return xerr_set(err, 400, "policy.syntax", NULL,
							"时限配置第%d行：预警应写作 warn 80%%", lineno);
			}
			hash = strchr(p, '#');
			if (policy_set_entry(cur, key, &l, hash ? hash + 1 + (hash[1] == ' ') : NULL))
				return xerr_set(err, 400, "policy.syntax", NULL,
						"时限配置第%d行：未知的时限“%s”或取值越界", lineno, key);
		}
	}
	return 0;
}

static const struct policy *find_const(const struct policy_set *set, const char *name)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->p[i].name, name) == 0)
			return &set->p[i];
	return NULL;
}

static const struct policy_entry *entry(const struct policy *p, const char *key)
{
	int i;

	for (i = 0; i < p->n_entries; i++)
		if (strcmp(p->entries[i].key, key) == 0)
			return &p->entries[i];
	return NULL;
}

/* The entry `key` in policy `name` or the nearest policy it inherits from. */
static const struct policy_entry *chain_entry(const struct policy_set *set, const char *name,
					      const char *key)
{
	const struct policy *p = find_const(set, name);
	int depth;

	for (depth = 0; p && depth < POLICY_MAX; depth++) {
		const struct policy_entry *e = entry(p, key);

		if (e)
			return e;
		p = p->inherits[0] ? find_const(set, p->inherits) : NULL;
	}
	return NULL;
}

/* Variants win over plain limits along the whole chain: a local policy that
 * shortens ordinary handling does not undo the province's urgent relay. */
int policy_limit(const struct policy_set *set, const char *name, const char *clock, int urgent,
		 const char *level, struct limit *out, const struct policy_entry **from)
{
	char key[64];
	const struct policy_entry *e = NULL;

	if (!name)
		name = "national";
	if (urgent) {
		snprintf(key, sizeof key, "%s.urgent", clock);
		e = chain_entry(set, name, key);
	}
	if (!e && level) {
		snprintf(key, sizeof key, "%s.%s", clock, level);
		e = chain_entry(set, name, key);
	}
	if (!e)
		e = chain_entry(set, name, clock);
	if (!e)
		return -1;
	*out = e->limit;
	if (from)
		*from = e;
	return 0;
}
