/*
 * attach.c - attachments: files on a case (ID-card photos, contracts,
 * recordings, the unit's documents), uploaded by staff or by the
 * petitioner through the portal.
 *
 *   - The type comes from the bytes (domain/sniff.c), checked against the
 *     allow-list; the client's Content-Type and extension decide nothing.
 *   - The file is sealed at rest (sm_seal: SM4-CTR + HMAC-SM3, keys from
 *     app->keys) and kept as <database>.files/<32 random hex digits>
 *     (XINFANG_FILES_DIR instead, a private temp dir for ":memory:"),
 *     outside any served folder; the client's name is never used on disk.
 *   - It is written to a temporary name, fsync'd, renamed and the folder
 *     fsync'd before the `attach` event commits; when the transaction
 *     fails the file is removed, so a failure leaves nothing behind.
 *   - Its metadata is the event (events are the truth), projected into
 *     `attachments` by the same code on append and in a rebuild.
 *   - Reading goes through the case's own scope: whoever cannot read the
 *     case (out of scope, an accusation's accused unit, the three
 *     administrators) gets the same 404 as for the case itself.
 *   - Uploads and downloads are in the audit log (the id, type and size;
 *     never the file name, which may be case content).
 *
 * Each use case: under the app lock, find the case and check the rules;
 * then, outside the lock, the slow work on the bytes (detection, sealing,
 * fsync); then one transaction that checks again and appends the event.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/sm.h"
#include "domain/flow.h"
#include "domain/sniff.h"
#include "service/attach.h"
#include "service/audit.h"
#include "service/case.h"
#include "service/view.h"

/* The roles that work on cases and so may add material to one (not the analyst,
 * who reads statistics, nor the three administrators, who read no case at all). */
#define ATTACH_ROLES                                                                       \
	(ROLE_REGISTRAR | ROLE_DISPATCHER | ROLE_HANDLER | ROLE_UNIT_HEAD | ROLE_SUPERVISOR | \
	 ROLE_COMPLAINT_SUPERVISOR | ROLE_REVIEWER | ROLE_LEADER)

#define TMP_PREFIX ".tmp-"

/* ---- the folder ---------------------------------------------------------------- */

/* Remove leftovers of uploads that died between write and rename. */
static void sweep_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4200];

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
}

/* The folder of the sealed files, created (0700) at first use. Lock held. NULL on failure. */
static const char *files_dir(struct app *app)
{
	const char *env = getenv("XINFANG_FILES_DIR");
	const char *db = sqlite3_db_filename(app->st->db, "main");
	char *dir = NULL;

	if (app->files_dir)
		return app->files_dir;
	if (env && *env) {
		dir = strdup(env);
	} else if (db && *db) {
		size_t n = strlen(db) + sizeof ".files";

		dir = malloc(n);
		if (dir)
			snprintf(dir, n, "%s.files", db);
	} else {
		const char *tmp = getenv("TMPDIR");
		size_t n = strlen(tmp && *tmp ? tmp : "/tmp") + sizeof "/xinfang-files-XXXXXX";

		dir = malloc(n);
		if (dir) {
			snprintf(dir, n, "%s/xinfang-files-XXXXXX", tmp && *tmp ? tmp : "/tmp");
			if (!mkdtemp(dir)) {
				log_error("attachments: cannot create a temp folder: %s", strerror(errno));
				free(dir);
				return NULL;
			}
			app->files_tmp = 1;
		}
	}
	if (!dir)
		return NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("attachments: cannot create %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	sweep_tmp(dir);
	app->files_dir = dir;
	return dir;
}

void attach_close(struct app *app)
{
	if (app->files_dir && app->files_tmp) {
		DIR *d = opendir(app->files_dir);
		struct dirent *e;
		char path[4200];

		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.' || strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) == 0) {
				snprintf(path, sizeof path, "%s/%s", app->files_dir, e->d_name);
				unlink(path);
			}
		if (d)
			closedir(d);
		rmdir(app->files_dir);
	}
	free(app->files_dir);
	app->files_dir = NULL;
}

/* Write n bytes durably as dir/id: temp name, fsync, rename, fsync the folder. 0 or -1. */
static int file_write(const char *dir, const char *id, const unsigned char *buf, size_t n)
{
	char tmp[4200], final[4200];
	size_t done = 0;
	int fd, dfd, rc = -1;

	snprintf(tmp, sizeof tmp, "%s/" TMP_PREFIX "%s", dir, id);
	snprintf(final, sizeof final, "%s/%s", dir, id);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("attachment %s: create: %s", tmp, strerror(errno));
		return -1;
	}
	while (done < n) {
		ssize_t w = write(fd, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("attachment %s: write: %s", tmp, w < 0 ? strerror(errno) : "no progress");
			goto out;
		}
		done += (size_t)w;
	}
	if (fsync(fd) != 0) {
		log_error("attachment %s: fsync: %s", tmp, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (close(fd) != 0 && rc == 0) {
		log_error("attachment %s: close: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, final) != 0) {
		log_error("attachment %s: rename: %s", final, strerror(errno));
		rc = -1;
	}
	if (rc) {
		unlink(tmp);
		return -1;
	}
	/* the rename itself must survive a power cut */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		log_error("attachment %s: fsync of the folder: %s", dir, strerror(errno));
		rc = -1;
		unlink(final);
	}
	if (dfd >= 0)
		close(dfd);
	return rc;
}

static void file_remove(const char *dir, const char *id)
{
	char path[4200];

	snprintf(path, sizeof path, "%s/%s", dir, id);
	if (unlink(path) != 0)
		log_error("attachment %s: remove: %s", path, strerror(errno));
}

/* The sealed file dir/id, which must be exactly `expect` bytes; malloc'd or NULL. */
static unsigned char *file_read(const char *dir, const char *id, size_t expect)
{
	char path[4200];
	struct stat sb;
	unsigned char *buf = NULL;
	size_t done = 0;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, id);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		log_error("attachment %s: open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size != expect) {
		log_error("attachment %s: not a file of %zu bytes", path, expect);
		goto fail;
	}
	buf = malloc(expect ? expect : 1);
	if (!buf)
		goto fail;
	while (done < expect) {
		ssize_t r = read(fd, buf + done, expect - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			log_error("attachment %s: read: %s", path, r < 0 ? strerror(errno) : "short");
			goto fail;
		}
		done += (size_t)r;
	}
	close(fd);
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* ---- checks ----------------------------------------------------------------------- */

/* 32 lower-case hex digits. */
static int id_ok(const char *id)
{
	size_t i;

	for (i = 0; id && i < 32; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return id && i == 32 && id[32] == '\0';
}

/* The case as this actor may see it (lock held): staff through their scope,
 * the petitioner through the query code. NULL with err (404) or on error. */
static json_t *case_for(struct app *app, const struct actor *a, const char *no, const char *code,
			struct xerr *err)
{
	struct scope sc;
	json_t *row;
	int found;

	if (a->kind == ACTOR_PETITIONER)
		return public_row(app, no, code, err);
	scope_of(a, &sc);
	row = no ? store_case_row(app->st, no, &sc, &found) : (found = 0, NULL);
	if (found < 0)
		xerr_internal(err, "case lookup");
	else if (!found)
		xerr_set(err, 404, "case.not_found", NULL, "信访事项“%.20s”不存在", no ? no : "");
	return row;
}

/* May this actor add a file to this case now? (lock held) */
static int may_upload(struct app *app, const struct actor *a, json_t *row, struct xerr *err)
{
	int64_t all = store_attachment_count(app->st, row_int(row, "id"), NULL), mine = 0;

	if (a->kind == ACTOR_STAFF && !(a->user.roles & ATTACH_ROLES))
		return xerr_set(err, 403, "auth.role_denied", NULL, "您的角色无权上传附件");
	if (a->kind == ACTOR_PETITIONER) {
		if (flow_state_terminal((case_state)flow_state_parse(row_str(row, "state"))))
			return xerr_set(err, 409, "attachment.case_ended", NULL,
					"该信访事项已办理终结，不能再上传材料");
		mine = store_attachment_count(app->st, row_int(row, "id"), "petitioner");
		if (mine >= ATTACH_MAX_PUBLIC)
			return xerr_set(err, 409, "attachment.too_many", NULL, "每件信访事项最多上传%d个材料",
					ATTACH_MAX_PUBLIC);
	}
	if (all < 0 || mine < 0)
		return xerr_internal(err, "attachment count");
	if (all >= ATTACH_MAX_CASE)
		return xerr_set(err, 409, "attachment.too_many", NULL, "每件信访事项最多%d个附件", ATTACH_MAX_CASE);
	return 0;
}

static int name_ok(const char *name, struct xerr *err)
{
	const char *code, *why;

	if (sniff_name_check(name, &code, &why))
		return xerr_set(err, 400, code, "name", "%s", why);
	return 0;
}

int svc_attach_precheck(struct app *app, const struct actor *a, const char *no, const char *code,
			const char *name, struct xerr *err)
{
	struct actor petitioner = { .kind = ACTOR_PETITIONER };
	json_t *row;
	int rc = -1;

	if (!a)
		a = &petitioner;
	pthread_mutex_lock(&app->lock);
	row = case_for(app, a, no, code, err);
	if (row)
		rc = may_upload(app, a, row, err);
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	return rc ? -1 : name_ok(name, err);
}

/* ---- views ------------------------------------------------------------------------- */

/* A store row as the API shows it, in place. */
static void item_view(json_t *it, const char *no, int public)
{
	char url[160];
	const char *kind = row_str(it, "uploader_kind");
	json_t *by;

	snprintf(url, sizeof url, "%s/cases/%s/attachments/%s", public ? "/api/public/v1" : "/api/v1", no,
		 row_str(it, "id"));
	if (kind && strcmp(kind, "staff") == 0) {
		view_unit(it, "uploader_unit");
		by = json_pack("{s:s,s:O,s:O}", "kind", "staff", "name", json_object_get(it, "uploader_name"),
			       "unit", json_object_get(it, "uploader_unit"));
	} else {
		by = json_pack("{s:s}", "kind", kind ? kind : "petitioner");
	}
	json_object_del(it, "uploader_kind");
	json_object_del(it, "uploader_name");
	json_object_del(it, "uploader_unit");
	json_object_del(it, "uploader_unit_id");
	json_object_del(it, "uploader_unit_name");
	if (public)
		json_decref(by);
	else
		json_object_set_new(it, "uploaded_by", by);
	json_object_set_new(it, "url", json_string(url));
	view_times(it);
}

static json_t *view_list(struct app *app, int64_t case_id, const char *no, int public)
{
	json_t *items = store_attachments_json(app->st, case_id, public ? "petitioner" : NULL), *it;
	size_t i;

	json_array_foreach(items, i, it) item_view(it, no, public);
	return items;
}

json_t *attach_view_list(struct app *app, int64_t case_id, const char *no)
{
	json_t *items = view_list(app, case_id, no, 0);

	return items ? items : json_array();
}

/* ---- upload ------------------------------------------------------------------------- */

static int idem_caller(const struct actor *a, char caller[32])
{
	if (a->kind == ACTOR_STAFF)
		snprintf(caller, 32, "u:%lld", (long long)a->user.id);
	else
		snprintf(caller, 32, "public");
	return 0;
}

/* A retried upload with the same Idempotency-Key: 0 replayed (*out, *status),
 * 1 new, -1 refused (the key was used for something else). Lock held. */
static int idem_replay(struct app *app, const char *caller, const char *key, const char *req_hash,
		       int64_t now, int *status, json_t **out, struct xerr *err)
{
	char stored[65];
	char *body = NULL;
	int rc;

	if (!key)
		return 1;
	rc = store_idem_get(app->st, caller, key, stored, status, &body, now);
	if (rc < 0)
		return xerr_internal(err, "idempotency lookup");
	if (rc == 1)
		return 1;
	if (strcmp(stored, req_hash) != 0) {
		free(body);
		return xerr_set(err, 422, "idempotency.key_reused", "Idempotency-Key", "该幂等键已用于另一个不同的请求");
	}
	*out = json_loads(body, 0, NULL);
	free(body);
	return *out ? 0 : xerr_internal(err, "idempotency body");
}

/* The event and its audit row, then the answer (lock and transaction held). */
static int attach_locked(struct app *app, const struct actor *a, int64_t now, json_t *row,
			 const char *id, const char *name, sniff_type t, size_t len, const char *sha,
			 json_t **out, struct xerr *err)
{
	const struct sniff_info *info = sniff_info(t);
	const char *no = row_str(row, "no");
	struct event ev = { 0 };
	json_t *payload, *by, *items, *it, *found = NULL;
	char detail[96];
	size_t i;
	int rc;

	by = a->kind == ACTOR_STAFF ? json_pack("{s:s,s:I,s:I}", "kind", "staff", "user_id", (json_int_t)a->user.id,
						"unit_id", (json_int_t)a->unit.id)
				    : json_pack("{s:s}", "kind", "petitioner");
	payload = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:o}", "id", id, "name", name, "type", info->name,
			    "content_type", info->mime, "size", (json_int_t)len, "sha256", sha, "uploaded_by", by);
	if (!payload)
		return xerr_internal(err, "attach payload");
	ev.case_no = no;
	ev.seq = (int)row_int(row, "version") + 1;
	ev.at = now;
	ev.actor_kind = a->kind == ACTOR_STAFF ? "staff" : "petitioner";
	ev.actor_user_id = a->kind == ACTOR_STAFF ? a->user.id : 0;
	ev.actor_unit_id = a->kind == ACTOR_STAFF ? a->unit.id : 0;
	ev.action = "attach";
	ev.from_state = row_str(row, "state");
	ev.to_state = row_str(row, "state");
	ev.payload = payload;
	snprintf(detail, sizeof detail, "id=%s type=%s size=%zu", id, info->name, len);
	rc = event_record(app, a, &ev, ev.actor_unit_id, detail, now);
	json_decref(payload);
	if (rc)
		return xerr_internal(err, "attach event");
	items = view_list(app, row_int(row, "id"), no, a->kind != ACTOR_STAFF);
	json_array_foreach(items, i, it)
		if (strcmp(row_str(it, "id"), id) == 0)
			found = it;
	if (!found) {
		json_decref(items);
		return xerr_internal(err, "attach reload");
	}
	*out = json_pack("{s:O,s:i}", "attachment", found, "version", ev.seq);
	json_decref(items);
	return *out ? 0 : xerr_internal(err, "attach answer");
}

static int upload(struct app *app, const struct actor *a, const char *code, int64_t now,
		  const char *no, const char *name, const void *data, size_t len, const char *idem_key,
		  int *status, json_t **out, struct xerr *err)
{
	char fixed[512], id[33], sha[65], caller[32], req_hash[65] = "";
	unsigned char raw[16], *sealed = NULL;
	const char *dir = NULL;
	json_t *row;
	sniff_type t;
	int rc = -1, written = 0;

	*out = NULL;
	*status = 201;
	/* who and where first: whoever may not add to this case learns nothing more */
	pthread_mutex_lock(&app->lock);
	row = case_for(app, a, no, code, err);
	rc = row ? may_upload(app, a, row, err) : -1;
	if (rc == 0 && !(dir = files_dir(app)))
		rc = xerr_internal(err, "attachments folder");
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	row = NULL;
	if (rc)
		return -1;
	rc = -1;
	if (name_ok(name, err))
		return -1;
	if (len == 0)
		return xerr_set(err, 400, "attachment.empty", NULL, "上传的文件是空的");
	if (len > ATTACH_MAX_BYTES)
		return xerr_set(err, 413, "attachment.too_large", NULL, "附件不能超过%dMB", ATTACH_MAX_BYTES >> 20);
	t = sniff(data, len);
	if (t == SNIFF_NONE)
		return xerr_set(err, 415, "attachment.type_not_allowed", NULL,
				"只能上传%s格式的文件（按文件内容识别，与扩展名无关）", sniff_allowed_text());
	if (sniff_name_fix(name, t, fixed, sizeof fixed))
		return xerr_set(err, 400, "validation.too_long", "name", "文件名过长");
	sha256_hex_of(data, len, sha);
	if (idem_key) {
		char canon[700];

		if (!*idem_key || strlen(idem_key) > 100)
			return xerr_set(err, 400, "validation.invalid", "Idempotency-Key", "幂等键须为1至100个字符");
		idem_caller(a, caller);
		snprintf(canon, sizeof canon, "attach\x1f%s\x1f%s\x1f%s", no, name, sha);
		sha256_hex_of(canon, strlen(canon), req_hash);
		pthread_mutex_lock(&app->lock);
		rc = idem_replay(app, caller, idem_key, req_hash, now, status, out, err);
		pthread_mutex_unlock(&app->lock);
		if (rc <= 0) /* replayed (0) or refused (-1) */
			return rc;
		rc = -1;
	}

	/* seal and write outside the lock: this is the slow part */
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(id, sizeof id, raw, sizeof raw);
	sealed = malloc(len + SM_SEAL_OVERHEAD);
	if (!sealed)
		return xerr_internal(err, "out of memory");
	if (sm_seal(&app->keys, data, len, sealed) || file_write(dir, id, sealed, len + SM_SEAL_OVERHEAD)) {
		free(sealed);
		return xerr_internal(err, "attachment write");
	}
	free(sealed);
	written = 1;

	/* one transaction: the same checks again, then the event */
	pthread_mutex_lock(&app->lock);
	if (store_begin(app->st)) {
		xerr_internal(err, "begin");
		goto out;
	}
	row = case_for(app, a, no, code, err);
	if (!row)
		goto out;
	if (idem_key) {
		int r = idem_replay(app, caller, idem_key, req_hash, now, status, out, err);

		if (r <= 0) { /* a twin request got there first */
			rc = r;
			goto out;
		}
	}
	if (may_upload(app, a, row, err))
		goto out;
	if (attach_locked(app, a, now, row, id, fixed, t, len, sha, out, err))
		goto out;
	if (idem_key) {
		char *text = json_dumps(*out, JSON_COMPACT);

		if (!text || store_idem_put(app->st, caller, idem_key, req_hash, 201, text, now)) {
			free(text);
			xerr_internal(err, "idempotency store");
			goto out;
		}
		free(text);
	}
	if (store_commit(app->st)) {
		xerr_internal(err, "commit");
		goto out;
	}
	written = 0; /* the file now belongs to the committed event */
	rc = 0;
out:
	store_rollback(app->st); /* no-op after a commit */
	if (written)
		file_remove(dir, id);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	pthread_mutex_unlock(&app->lock);
	json_decref(row);
	return rc;
}

int svc_attach_upload(struct app *app, const struct actor *a, int64_t now, const char *no,
		      const char *name, const void *data, size_t len, const char *idem_key,
		      int *status, json_t **out, struct xerr *err)
{
	return upload(app, a, NULL, now, no, name, data, len, idem_key, status, out, err);
}

int svc_public_attach_upload(struct app *app, int64_t now, const char *no, const char *code,
			     const char *name, const void *data, size_t len, const char *idem_key,
			     int *status, json_t **out, struct xerr *err)
{
	struct actor petitioner = { .kind = ACTOR_PETITIONER };

	return upload(app, &petitioner, code, now, no, name, data, len, idem_key, status, out, err);
}

/* ---- list and download ---------------------------------------------------------------- */

static int list(struct app *app, const struct actor *a, const char *no, const char *code,
		json_t **out, struct xerr *err)
{
	json_t *row, *items = NULL;

	*out = NULL;
	pthread_mutex_lock(&app->lock);
	row = case_for(app, a, no, code, err);
	if (row)
		items = view_list(app, row_int(row, "id"), row_str(row, "no"), a->kind != ACTOR_STAFF);
	pthread_mutex_unlock(&app->lock);
	if (!row)
		return -1;
	if (!items) {
		json_decref(row);
		return xerr_internal(err, "attachment list");
	}
	*out = json_pack("{s:s,s:o}", "no", row_str(row, "no"), "items", items);
	json_decref(row);
	return *out ? 0 : xerr_internal(err, "attachment list");
}

int svc_attach_list(struct app *app, const struct actor *a, const char *no, json_t **out,
		    struct xerr *err)
{
	return list(app, a, no, NULL, out, err);
}

int svc_public_attach_list(struct app *app, const char *no, const char *code, json_t **out,
			   struct xerr *err)
{
	struct actor petitioner = { .kind = ACTOR_PETITIONER };

	return list(app, &petitioner, no, code, out, err);
}

static int download(struct app *app, const struct actor *a, const char *code, int64_t now,
		    const char *no, const char *id, unsigned char **data, size_t *len, json_t **meta,
		    struct xerr *err)
{
	struct attachment att;
	const char *dir = NULL;
	unsigned char *sealed = NULL, *plain = NULL;
	char sha[65], detail[64], case_no[32];
	json_t *row;
	int rc = -1, have, ok;

	*data = NULL;
	*len = 0;
	*meta = NULL;
	pthread_mutex_lock(&app->lock);
	row = case_for(app, a, no, code, err);
	if (row) {
		rc = id_ok(id) ? store_attachment_get(app->st, row_int(row, "id"), id, &att) : 1;
		/* the petitioner reads back only what they uploaded */
		if (rc == 0 && a->kind != ACTOR_STAFF && strcmp(att.uploader_kind, "petitioner") != 0)
			rc = 1;
		if (rc < 0)
			xerr_internal(err, "attachment lookup");
		else if (rc == 1)
			xerr_set(err, 404, "attachment.not_found", NULL, "附件不存在");
		else if (!(dir = files_dir(app)))
			rc = xerr_internal(err, "attachments folder");
		snprintf(case_no, sizeof case_no, "%s", row_str(row, "no"));
	}
	pthread_mutex_unlock(&app->lock);
	have = row != NULL;
	json_decref(row);
	if (!have || rc)
		return -1;
	/* the seal's tag proves the bytes are the ones written; the hash that they
	 * belong to this attachment (a file swapped for another one is caught) */
	sealed = file_read(dir, att.id, (size_t)att.size + SM_SEAL_OVERHEAD);
	plain = sealed ? malloc(att.size ? (size_t)att.size : 1) : NULL;
	ok = plain && sm_open(&app->keys, sealed, (size_t)att.size + SM_SEAL_OVERHEAD, plain) == 0;
	if (ok) {
		sha256_hex_of((const char *)plain, (size_t)att.size, sha);
		ok = strlen(att.sha256) == 64 && sodium_memcmp(sha, att.sha256, 64) == 0;
	}
	free(sealed);
	if (!ok) {
		log_error("attachment %s of %s: missing, altered or unreadable", att.id, case_no);
		free(plain);
		return xerr_set(err, 500, "attachment.unavailable", NULL, "附件文件缺失或已损坏，请联系系统管理员");
	}
	/* 等保 2.0: every read of a file is in the audit log before it is handed out */
	snprintf(detail, sizeof detail, "id=%s", att.id);
	if (audit_add(app, audit_actor(a), a->kind == ACTOR_STAFF ? a->unit.id : 0, "attachment.download",
		      case_no, "ok", detail, now)) {
		free(plain);
		return xerr_internal(err, "audit");
	}
	*meta = json_pack("{s:s,s:s,s:s,s:I,s:s}", "name", att.name, "type", att.type, "content_type",
			  att.content_type, "size", (json_int_t)att.size, "sha256", att.sha256);
	if (!*meta) {
		free(plain);
		return xerr_internal(err, "attachment meta");
	}
	*data = plain;
	*len = (size_t)att.size;
	return 0;
}

int svc_attach_download(struct app *app, const struct actor *a, int64_t now, const char *no,
			const char *id, unsigned char **data, size_t *len, json_t **meta,
			struct xerr *err)
{
	return download(app, a, NULL, now, no, id, data, len, meta, err);
}

int svc_public_attach_download(struct app *app, int64_t now, const char *no, const char *code,
			       const char *id, unsigned char **data, size_t *len, json_t **meta,
			       struct xerr *err)
{
	struct actor petitioner = { .kind = ACTOR_PETITIONER };

	return download(app, &petitioner, code, now, no, id, data, len, meta, err);
}
