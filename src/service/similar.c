/*
 * similar.c - candidates for repeat and related cases (similar.h).
 *
 * Score (0..1) = 0.6 x content Jaccard (exact, over CJK bigrams and words of
 * title + content + request) + 0.25 when the same person (ID-number or phone
 * hash) + 0.05 same locality + 0.05 same category + 0.05 within 90 days.
 * Relation: the same person and (content >= 0.3 or the same category) ->
 * repeat; otherwise content >= 0.5, or >= 0.3 with the same locality and
 * category -> related; else none. Out of the viewer's scope only the number,
 * the holding unit and the score are shown; an accusation is never shown to
 * the unit it accuses or any unit under it (R22 art. 30).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sm.h"
#include "base/xtime.h"
#include "domain/codes.h"
#include "domain/flow.h"
#include "service/case.h"
#include "service/input.h"
#include "service/pii.h"
#include "service/similar.h"
#include "service/view.h"
#include "text/text.h"

#define LSH_CANDIDATES 200
#define ID_CANDIDATES 50

/* ---- the index ------------------------------------------------------------------ */

static char *case_text(json_t *o)
{
	const char *t = json_string_value(json_object_get(o, "title"));
	const char *c = json_string_value(json_object_get(o, "content"));
	const char *r = json_string_value(json_object_get(o, "request"));
	size_t n = (t ? strlen(t) : 0) + (c ? strlen(c) : 0) + (r ? strlen(r) : 0) + 3;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s %s %s", t ? t : "", c ? c : "", r ? r : "");
	return s;
}

static int sign_and_store(struct app *app, int64_t case_id, json_t *texts)
{
	uint32_t sig[TEXT_K];
	char *s = case_text(texts);
	int rc;

	if (!s || text_signature(s, sig)) {
		free(s);
		return -1;
	}
	free(s);
	rc = store_text_put(app->st, case_id, sig, sizeof sig);
	if (rc == 0 && app->lsh)
		rc = lsh_add(app->lsh, case_id, sig);
	return rc;
}

int similar_on_event(struct app *app, const struct event *ev)
{
	struct scope all = { .all = 1 };
	json_t *row;
	int found, rc;

	if (strcmp(ev->action, "register") != 0)
		return 0;
	row = store_case_row(app->st, ev->case_no, &all, &found);
	if (!row)
		return -1;
	rc = sign_and_store(app, row_int(row, "id"), row);
	json_decref(row);
	return rc;
}

/* The in-memory index is built from the persisted signatures. */
struct loader {
	struct app *app;
	int failed;
};

static int load_one(void *ctx, int64_t case_id, const void *blob, size_t len)
{
	struct loader *l = ctx;
	uint32_t sig[TEXT_K];

	if (len != sizeof sig)
		return 0; /* a signature of another size: re-signed by similar_open */
	memcpy(sig, blob, sizeof sig);
	if (lsh_add(l->app->lsh, case_id, sig)) {
		l->failed = 1;
		return 1;
	}
	return 0;
}

int similar_reload(struct app *app)
{
	struct loader l = { app, 0 };

	lsh_free(app->lsh);
	app->lsh = lsh_new();
	if (!app->lsh || store_text_each(app->st, load_one, &l) || l.failed) {
		log_error("text index: cannot load the signatures");
		return -1;
	}
	return 0;
}

int similar_open(struct app *app, struct xerr *err)
{
	int rc = 0, n = 0;
	json_t *missing, *m;
	size_t i;

	pthread_mutex_lock(&app->lock);
	/* sign what has no signature yet, in batches */
	for (;;) {
		missing = store_text_missing(app->st, 512);
		if (!missing || json_array_size(missing) == 0)
			break;
		if (store_begin(app->st)) {
			rc = -1;
			break;
		}
		json_array_foreach(missing, i, m)
		{
			struct scope all = { .all = 1 };
			int found;
			json_t *row = store_case_row(app->st, row_str(m, "no"), &all, &found);

			if (!row || sign_and_store(app, row_int(m, "id"), row))
				rc = -1;
			json_decref(row);
			n++;
		}
		if (rc || store_commit(app->st)) {
			store_rollback(app->st);
			rc = -1;
			break;
		}
		json_decref(missing);
	}
	json_decref(missing);
	if (rc == 0)
		rc = similar_reload(app);
	pthread_mutex_unlock(&app->lock);
	if (n)
		log_info("text index: signed %d cases", n);
	if (rc)
		return xerr_internal(err, "text index");
	return 0;
}

void similar_close(struct app *app)
{
	lsh_free(app->lsh);
	app->lsh = NULL;
}

/* ---- candidates ------------------------------------------------------------------- */

/* What is asked about: a registered case or a draft. */
struct probe {
	const uint32_t *sig; /* the stored signature of a registered case, or NULL */
	int64_t exclude_id;
	const char *text, *locality, *category;
	int64_t at;
	json_t *people; /* [{id, phone, name}] with hashes as in petitioners */
};

struct cand {
	int64_t id;
	double jaccard, score;
	int same_id, same_phone, same_name;
};

static int has(json_t *people, const char *key, const char *v)
{
	size_t i;
	json_t *p;

	if (!v)
		return 0;
	json_array_foreach(people, i, p)
	{
		const char *w = json_string_value(json_object_get(p, key));

		if (w && strcmp(w, v) == 0)
			return 1;
	}
	return 0;
}

static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->score < y->score ? 1 : x->score > y->score ? -1 : (x->id < y->id) - (x->id > y->id);
}

/* Can the actor see the case at all (its number and holder), and its content? */
static int visibility(struct app *app, const struct actor *a, json_t *brief, int *full)
{
	struct scope sc;
	int found = 0;
	json_t *row;

	*full = 0;
	scope_of(a, &sc);
	if (sc.all) {
		*full = 1;
		return 1;
	}
	row = store_case_row(app->st, row_str(brief, "no"), &sc, &found);
	json_decref(row);
	if (found == 1) {
		*full = 1;
		return 1;
	}
	/* R22 art. 30: not even the number of an accusation against one's own unit */
	if (strcmp(row_str(brief, "kind"), "accusation") == 0 && row_int(brief, "accused_unit_id")) {
		struct unit au;

		if (store_unit_get(app->st, row_int(brief, "accused_unit_id"), &au) != 0 ||
		    (a->kind == ACTOR_STAFF && flow_path_within(a->unit.path, au.path)))
			return 0;
	}
	/* the three administrators see no case at all */
	return a->kind == ACTOR_STAFF && sc.unit_id != -1;
}

static json_t *candidate_json(struct app *app, const struct actor *a, const struct probe *p,
			      const struct cand *c, json_t *brief)
{
	const char *rel;
	json_t *o, *reasons;
	int full, same_person = c->same_id || c->same_phone, same_loc, same_cat, days;
	char buf[64];

	if (!visibility(app, a, brief, &full))
		return NULL;
	same_loc = p->locality && strcmp(p->locality, row_str(brief, "locality")) == 0;
	same_cat = p->category && strcmp(p->category, row_str(brief, "category")) == 0;
	if (same_person && (c->jaccard >= 0.3 || same_cat))
		rel = "repeat";
	else if (c->jaccard >= 0.5 || (c->jaccard >= 0.3 && same_loc && same_cat))
		rel = "related";
	else
		rel = "none";
	o = json_pack("{s:s,s:{s:I,s:s?},s:f,s:b}", "no", row_str(brief, "no"), "holder_unit", "id",
		      (json_int_t)row_int(brief, "holder_unit_id"), "name",
		      json_string_value(json_object_get(brief, "holder_unit_name")), "score",
		      (double)(int)(c->score * 100 + 0.5) / 100, "in_scope", full);
	if (!full)
		return o; /* never the content, the petitioner or why */
	reasons = json_array();
	if (c->same_id)
		json_array_append_new(reasons, json_string("同一身份证号"));
	if (c->same_phone)
		json_array_append_new(reasons, json_string("同一联系电话"));
	if (c->same_name && !same_person)
		json_array_append_new(reasons, json_string("同名信访人"));
	if (c->jaccard >= 0.1) {
		snprintf(buf, sizeof buf, "正文重合 %d%%", (int)(c->jaccard * 100 + 0.5));
		json_array_append_new(reasons, json_string(buf));
	}
	if (same_loc)
		json_array_append_new(reasons, json_string("同一问题属地"));
	if (same_cat)
		json_array_append_new(reasons, json_string("同一问题类别"));
	days = (int)((p->at - row_int(brief, "registered_at")) / 86400);
	if (days < 0)
		days = -days;
	snprintf(buf, sizeof buf, days == 0 ? "同一天登记" : "相隔%d天", days);
	json_array_append_new(reasons, json_string(buf));
	json_object_set_new(o, "title", json_string(row_str(brief, "title")));
	json_object_set_new(o, "state", json_string(row_str(brief, "state")));
	{
		int st = flow_state_parse(row_str(brief, "state"));

		if (st >= 0)
			json_object_set_new(o, "state_label", json_string(flow_state_label((case_state)st)));
	}
	json_object_set_new(o, "registered_at", json_integer(row_int(brief, "registered_at")));
	json_object_set_new(o, "similarity", json_real((double)(int)(c->jaccard * 100 + 0.5) / 100));
	json_object_set_new(o, "relation", json_string(rel));
	json_object_set_new(o, "reasons", reasons);
	view_times(o);
	return o;
}

static json_t *find(struct app *app, const struct actor *a, const struct probe *p, int limit)
{
	uint32_t sig[TEXT_K], other[TEXT_K];
	int64_t ids[LSH_CANDIDATES + ID_CANDIDATES * 4];
	size_t n = 0, n_lsh = 0, i, j, np = 0, nd = 0;
	struct cand *c = NULL;
	uint64_t *mine = NULL;
	char *norm = NULL;
	json_t *out = json_array(), *x, *pp;

	if (!app->lsh)
		goto done;
	if (p->sig)
		memcpy(sig, p->sig, sizeof sig);
	else if (text_signature(p->text, sig))
		goto done;
	n = n_lsh = lsh_query(app->lsh, sig, ids, LSH_CANDIDATES);
	/* the same person, whatever they wrote */
	json_array_foreach(p->people, i, pp)
	{
		json_t *rows = store_cases_by_identity(app->st, json_string_value(json_object_get(pp, "id")),
						       json_string_value(json_object_get(pp, "phone")), ID_CANDIDATES);

		json_array_foreach(rows, j, x)
			if (n < sizeof ids / sizeof ids[0])
				ids[n++] = row_int(x, "id");
		json_decref(rows);
	}
	c = calloc(n ? n : 1, sizeof *c);
	norm = text_normalise(p->text, TEXT_T2S);
	mine = norm ? text_shingles(norm, &np) : NULL;
	if (!c || !norm)
		goto done;
	for (i = 0; i < n; i++) {
		json_t *b, *people;
		double est;
		int dup = 0;

		for (j = 0; j < nd; j++)
			dup |= c[j].id == ids[i];
		if (dup || ids[i] == p->exclude_id || store_text_sig(app->st, ids[i], other, sizeof other) != 0)
			continue;
		/* a text candidate far below any relation is not read at all */
		est = text_sig_similarity(sig, other);
		if (i < n_lsh && est < 0.15)
			continue;
		b = store_case_brief(app->st, ids[i]);
		if (!b)
			continue;
		people = json_loads(row_str(b, "people"), 0, NULL);
		c[nd].id = ids[i];
		json_array_foreach(p->people, j, pp)
		{
			c[nd].same_id |= has(people, "id", json_string_value(json_object_get(pp, "id")));
			c[nd].same_phone |= has(people, "phone", json_string_value(json_object_get(pp, "phone")));
			c[nd].same_name |= has(people, "name", json_string_value(json_object_get(pp, "name")));
		}
		json_decref(people);
		if (est < 0.15 && !c[nd].same_id && !c[nd].same_phone) {
			json_decref(b);
			continue;
		}
		if (est < 0.2 && !c[nd].same_id && !c[nd].same_phone) {
			/* below any relation's threshold: the estimate is enough */
			c[nd].jaccard = est;
		} else {
			/* exact Jaccard: the estimate only chose whom to look at */
			char *t = case_text(b), *tn = t ? text_normalise(t, TEXT_T2S) : NULL;
			size_t nt = 0;
			uint64_t *theirs = tn ? text_shingles(tn, &nt) : NULL;

			c[nd].jaccard = text_jaccard(mine, np, theirs, nt);
			free(t), free(tn), free(theirs);
		}
		c[nd].score = 0.6 * c[nd].jaccard + (c[nd].same_id || c[nd].same_phone ? 0.25 : 0) +
			      (p->locality && strcmp(p->locality, row_str(b, "locality")) == 0 ? 0.05 : 0) +
			      (p->category && strcmp(p->category, row_str(b, "category")) == 0 ? 0.05 : 0) +
			      (llabs(p->at - row_int(b, "registered_at")) <= 90 * 86400 ? 0.05 : 0);
		json_decref(b);
		nd++;
	}
	qsort(c, nd, sizeof *c, by_score);
	for (i = 0; i < nd && json_array_size(out) < (size_t)limit; i++) {
		json_t *b = store_case_brief(app->st, c[i].id), *o;

		if (!b)
			continue;
		o = candidate_json(app, a, p, &c[i], b);
		json_decref(b);
		if (o)
			json_array_append_new(out, o);
	}
done:
	free(c);
	free(norm);
	free(mine);
	return out;
}

json_t *similar_for_case(struct app *app, const struct actor *a, int64_t case_id, int limit)
{
	json_t *b = store_case_brief(app->st, case_id), *out;
	struct probe p = { 0 };
	uint32_t sig[TEXT_K];
	char *text;

	if (!b)
		return json_array();
	if (store_text_sig(app->st, case_id, sig, sizeof sig) == 0)
		p.sig = sig; /* signed at registration: no need to sign again */
	text = case_text(b);
	p.exclude_id = case_id;
	p.text = text ? text : "";
	p.locality = row_str(b, "locality");
	p.category = row_str(b, "category");
	p.at = row_int(b, "registered_at");
	p.people = json_loads(row_str(b, "people"), 0, NULL);
	out = find(app, a, &p, limit);
	json_decref(p.people);
	free(text);
	json_decref(b);
	return out;
}

/* ---- the use cases ------------------------------------------------------------------- */

static int need_business_role(const struct actor *a, struct xerr *err)
{
	if (a->kind == ACTOR_STAFF &&
	    !(a->user.roles & ~(unsigned)(ROLE_SYSADMIN | ROLE_SECADMIN | ROLE_AUDITOR | ROLE_PII_READER)))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有办理信访事项的业务人员可以查找相似信访事项");
	return 0;
}

int svc_similar_case(struct app *app, const struct actor *a, const char *no, json_t **out, struct xerr *err)
{
	struct scope sc;
	json_t *row;
	int found;

	if (need_business_role(a, err))
		return -1;
	scope_of(a, &sc);
	pthread_mutex_lock(&app->lock);
	row = store_case_row(app->st, no, &sc, &found);
	if (row)
		*out = json_pack("{s:s,s:o}", "no", no, "candidates", similar_for_case(app, a, row_int(row, "id"), 10));
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	if (found < 0)
		return xerr_internal(err, "case read");
	if (!found)
		return xerr_set(err, 404, "case.not_found", NULL, "信访事项“%.20s”不存在", no);
	return 0;
}

/* A draft being typed: the registration fields that matter here. */
int svc_similar_draft(struct app *app, const struct actor *a, json_t *body, int64_t now, json_t **out,
		      struct xerr *err)
{
	static const char *const keys[] = { "title", "content", "request", "locality", "category", "petitioners",
					    "limit", NULL };
	static const char *const pkeys[] = { "name", "id_number", "phone", NULL };
	const char *title, *content, *request, *locality, *category;
	json_t *pets = json_object_get(body, "petitioners"), *pp;
	struct probe p = { 0 };
	int64_t limit = 10;
	size_t i, n;
	char *text;

	if (need_business_role(a, err) || input_only(body, keys, "body", err) ||
	    input_str(body, "title", 0, 200, &title, err) || input_str(body, "content", 0, 10000, &content, err) ||
	    input_str(body, "request", 0, 2000, &request, err) ||
	    input_code(body, "locality", 0, CODES_DIVISION, &locality, err) ||
	    input_code(body, "category", 0, CODES_CATEGORY, &category, err) ||
	    input_int(body, "limit", 0, 1, 50, &limit, err))
		return -1;
	if (pets && (!json_is_array(pets) || json_array_size(pets) > 100))
		return xerr_set(err, 400, "validation.type", "petitioners", "“petitioners”必须是不超过100人的数组");
	p.people = json_array();
	json_array_foreach(pets, i, pp)
	{
		const char *name, *id, *phone;
		char norm[32], idx[2][2 * SM3_BYTES + 1];

		if (!json_is_object(pp) || input_only(pp, pkeys, "petitioners", err) ||
		    input_str(pp, "name", 0, 50, &name, err) || input_str(pp, "id_number", 0, 30, &id, err) ||
		    input_str(pp, "phone", 0, 20, &phone, err)) {
			if (!json_is_object(pp))
				xerr_set(err, 400, "validation.type", "petitioners", "信访人必须是 JSON 对象");
			json_decref(p.people);
			return -1;
		}
		idx[0][0] = idx[1][0] = '\0';
		if (id) {
			pii_id_key(id, norm);
			sm_index(&app->keys, norm, idx[0]);
		}
		if (phone) {
			pii_phone_key(phone, norm);
			if (norm[0])
				sm_index(&app->keys, norm, idx[1]);
		}
		json_array_append_new(p.people, json_pack("{s:s?,s:s?,s:s?}", "id", idx[0][0] ? idx[0] : NULL,
							  "phone", idx[1][0] ? idx[1] : NULL, "name", name));
	}
	n = (title ? strlen(title) : 0) + (content ? strlen(content) : 0) + (request ? strlen(request) : 0) + 3;
	text = malloc(n);
	if (!text) {
		json_decref(p.people);
		return xerr_internal(err, "out of memory");
	}
	snprintf(text, n, "%s %s %s", title ? title : "", content ? content : "", request ? request : "");
	p.text = text;
	p.locality = locality;
	p.category = category;
	p.at = now;
	pthread_mutex_lock(&app->lock);
	*out = json_pack("{s:o}", "candidates", find(app, a, &p, (int)limit));
	pthread_mutex_unlock(&app->lock);
	free(text);
	json_decref(p.people);
	return 0;
}

/* ---- hot issues ------------------------------------------------------------------------
 *
 * Seed 000 art. 20: where complaints concentrate. The cases of the window in
 * the viewer's scope are indexed afresh (a private LSH index), each is joined
 * to those it shares a band with at estimated similarity >= HOT_SIM (union-
 * find), and the groups of at least `min` cases are the hot issues: their
 * size, main locality and category, the title of the member most like the
 * others, and the trend (second half of the window against the first).
 */
#define HOT_MAX 20000
#define HOT_SIM 0.4

struct hot_case {
	int64_t id, at;
	char no[32], title[256], locality[16], category[16];
	uint32_t sig[TEXT_K];
	int parent, size;
};

struct hot {
	struct hot_case *c;
	int n;
};

static int hot_row(void *ctx, sqlite3_stmt *s)
{
	struct hot *h = ctx;
	struct hot_case *c = &h->c[h->n];

	if (sqlite3_column_bytes(s, 6) != (int)sizeof c->sig)
		return 0;
	c->id = sqlite3_column_int64(s, 0);
	snprintf(c->no, sizeof c->no, "%s", (const char *)sqlite3_column_text(s, 1));
	snprintf(c->title, sizeof c->title, "%s", (const char *)sqlite3_column_text(s, 2));
	snprintf(c->locality, sizeof c->locality, "%s", (const char *)sqlite3_column_text(s, 3));
	snprintf(c->category, sizeof c->category, "%s", (const char *)sqlite3_column_text(s, 4));
	c->at = sqlite3_column_int64(s, 5);
	memcpy(c->sig, sqlite3_column_blob(s, 6), sizeof c->sig);
	c->parent = h->n;
	c->size = 1;
	h->n++;
	return 0;
}

static int root(struct hot_case *c, int i)
{
	while (c[i].parent != i)
		i = c[i].parent = c[c[i].parent].parent;
	return i;
}

static void join(struct hot_case *c, int a, int b)
{
	a = root(c, a), b = root(c, b);
	if (a == b)
		return;
	if (c[a].size < c[b].size) {
		int t = a;

		a = b, b = t;
	}
	c[b].parent = a;
	c[a].size += c[b].size;
}

/* The most frequent value of a field among the members of a group. */
static const char *mode_of(struct hot_case *c, const int *m, int k, size_t off)
{
	const char *best = "";
	int i, j, bestn = 0;

	for (i = 0; i < k; i++) {
		const char *v = (const char *)&c[m[i]] + off;
		int n = 0;

		for (j = 0; j < k; j++)
			n += strcmp(v, (const char *)&c[m[j]] + off) == 0;
		if (n > bestn)
			bestn = n, best = v;
	}
	return best;
}

struct group {
	int root, size;
};

static int by_size(const void *a, const void *b)
{
	return ((const struct group *)b)->size - ((const struct group *)a)->size;
}

int svc_hot_issues(struct app *app, const struct actor *a, int64_t from, int64_t to, int min, json_t **out,
		   struct xerr *err)
{
	struct hot h = { 0 };
	struct lsh_index *x = NULL;
	struct group *g = NULL;
	struct scope sc;
	json_t *items;
	int64_t found[64], half = from + (to - from) / 2;
	int i, ng = 0, rc = -1;
	size_t k, nf;
	char f[11], t[11];

	if (to <= from)
		return xerr_set(err, 400, "validation.invalid", "to", "截止日期须晚于起始日期");
	if (min < 2 || min > 1000)
		return xerr_set(err, 400, "validation.invalid", "min", "每个热点至少2件、至多1000件");
	if (!(a->user.roles & (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ANALYST | ROLE_UNIT_HEAD | ROLE_DISPATCHER)))
		return xerr_set(err, 403, "auth.role_denied", NULL, "只有分流员、督办员、领导、分析员和单位负责人可以查看热点问题");
	/* made after the checks above, which return without freeing it */
	items = json_array();
	scope_of(a, &sc);
	h.c = malloc(HOT_MAX * sizeof *h.c);
	x = lsh_new();
	if (!h.c || !x)
		goto done;
	pthread_mutex_lock(&app->lock);
	rc = store_text_recent(app->st, from, to, &sc, HOT_MAX, hot_row, &h);
	pthread_mutex_unlock(&app->lock);
	if (rc)
		goto done;
	rc = -1;
	/* the slot of case i in the private index is i itself */
	for (i = 0; i < h.n; i++)
		if (lsh_add(x, i, h.c[i].sig))
			goto done;
	for (i = 0; i < h.n; i++) {
		nf = lsh_query(x, h.c[i].sig, found, 64);
		for (k = 0; k < nf; k++)
			if (found[k] != i && text_sig_similarity(h.c[i].sig, h.c[found[k]].sig) >= HOT_SIM)
				join(h.c, i, (int)found[k]);
	}
	g = malloc(((size_t)h.n + 1) * sizeof *g);
	if (!g)
		goto done;
	for (i = 0; i < h.n; i++)
		if (root(h.c, i) == i && h.c[i].size >= min)
			g[ng].root = i, g[ng++].size = h.c[i].size;
	qsort(g, (size_t)ng, sizeof *g, by_size);
	for (i = 0; i < ng && i < 20; i++) {
		int *m = malloc((size_t)g[i].size * sizeof *m), nm = 0, j, best = 0, recent = 0, earlier = 0;
		double bestsum = -1;
		json_t *nos = json_array(), *item;

		if (!m) {
			json_decref(nos);
			goto done;
		}
		for (j = 0; j < h.n; j++)
			if (root(h.c, j) == g[i].root)
				m[nm++] = j;
		for (j = 0; j < nm; j++) {
			double sum = 0;
			int l;

			for (l = 0; l < nm && l < 200; l++)
				sum += text_sig_similarity(h.c[m[j]].sig, h.c[m[l]].sig);
			if (sum > bestsum)
				bestsum = sum, best = m[j];
			if (h.c[m[j]].at >= half)
				recent++;
			else
				earlier++;
			if (j < 50)
				json_array_append_new(nos, json_string(h.c[m[j]].no));
		}
		item = json_pack("{s:s,s:i,s:s,s:s,s:s,s:{s:i,s:i},s:s,s:o}", "label", h.c[best].title, "size", nm,
				 "locality", mode_of(h.c, m, nm, offsetof(struct hot_case, locality)),
				 "category", mode_of(h.c, m, nm, offsetof(struct hot_case, category)), "example",
				 h.c[best].no, "halves", "earlier", earlier, "recent", recent, "trend",
				 recent > earlier * 3 / 2 + 1 ? "rising" : earlier > recent * 3 / 2 + 1 ? "falling" : "steady",
				 "cases", nos);
		{
			const struct code *lab = codes_find(CODES_DIVISION, json_string_value(json_object_get(item, "locality")));
			const struct code *cat = codes_find(CODES_CATEGORY, json_string_value(json_object_get(item, "category")));

			if (lab)
				json_object_set_new(item, "locality_label", json_string(lab->label));
			if (cat)
				json_object_set_new(item, "category_label", json_string(cat->label));
		}
		json_array_append_new(items, item);
		free(m);
	}
	rc = 0;
done:
	free(h.c);
	free(g);
	lsh_free(x);
	if (rc) {
		json_decref(items);
		return xerr_internal(err, "hot issues");
	}
	xtime_date(from, f);
	xtime_date(to - 1, t);
	*out = json_pack("{s:s,s:s,s:i,s:i,s:o}", "from", f, "to", t, "min_cases", min, "cases_considered", h.n,
			 "issues", items);
	return 0;
}
