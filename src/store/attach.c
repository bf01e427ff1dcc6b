/*
 * attach.c - reading the attachments projection (written by the `attach`
 * event's projection in event.c). The files themselves are the service's
 * business (service/attach.c).
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/row.h"
#include "store/store.h"

int store_attachment_get(struct store *st, int64_t case_id, const char *id, struct attachment *a)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, name, type, content_type, size, sha256, uploader_kind"
					    " FROM attachments WHERE case_id=? AND id=?");
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	bind_text(s, 2, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_col(a->id, sizeof a->id, s, 0);
		copy_col(a->name, sizeof a->name, s, 1);
		copy_col(a->type, sizeof a->type, s, 2);
		copy_col(a->content_type, sizeof a->content_type, s, 3);
		a->size = sqlite3_column_int64(s, 4);
		copy_col(a->sha256, sizeof a->sha256, s, 5);
		copy_col(a->uploader_kind, sizeof a->uploader_kind, s, 6);
	} else if (rc != SQLITE_DONE) {
		log_error("attachment %s: %s", id, sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

json_t *store_attachments_json(struct store *st, int64_t case_id, const char *uploader_kind)
{
	sqlite3_stmt *s = store_prepare(
		st, "SELECT a.id, a.name, a.type, a.content_type, a.size, a.sha256, a.uploaded_at,"
		    " a.uploader_kind, u.name AS uploader_name, a.uploader_unit_id,"
		    " un.name AS uploader_unit_name FROM attachments a"
		    " LEFT JOIN users u ON u.id=a.uploader_user_id"
		    " LEFT JOIN units un ON un.id=a.uploader_unit_id"
		    " WHERE a.case_id=?1 AND (?2 IS NULL OR a.uploader_kind=?2) ORDER BY a.seq");
	json_t *rows;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, case_id);
	bind_text(s, 2, uploader_kind);
	rows = rows_json(st, s);
	sqlite3_finalize(s);
	return rows;
}

int64_t store_attachment_count(struct store *st, int64_t case_id, const char *uploader_kind)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM attachments WHERE case_id=?1"
					    " AND (?2 IS NULL OR uploader_kind=?2)");
	int64_t n = -1;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, case_id);
	bind_text(s, 2, uploader_kind);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		log_error("attachment count: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return n;
}
