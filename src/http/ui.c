/*
 * ui.c - the browser front end's files (see ui.h).
 *
 * Each request resolves DIR again (realpath), so a front end built or
 * deployed (a link switched to a new build) while the server runs is picked
 * up, and a DIR that is missing at start is served once it exists.
 */
#include "http/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define URL_MAX 1024 /* longer request paths are not the front end's */

static const struct {
	const char *ext, *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "ico", "image/x-icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },
	{ "json", "application/json; charset=utf-8" },
	{ "map", "application/json; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
};

const char *ui_content_type(const char *name)
{
	const char *base = strrchr(name, '/'), *dot;
	size_t i;

	base = base ? base + 1 : name;
	dot = strrchr(base, '.');
	if (dot && dot != base)
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

int ui_is_path(const char *url)
{
	return strcmp(url, "/healthz") != 0 && strcmp(url, "/api") != 0 && strncmp(url, "/api/", 5) != 0;
}

int ui_dir_ready(const char *dir)
{
	struct stat st;

	return dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 0 when url is "/" followed by plain names separated by single slashes
 * (the last may be empty: a trailing slash); -1 otherwise. */
static int path_ok(const char *url)
{
	const char *p, *end, *q;

	if (url[0] != '/' || strlen(url) >= URL_MAX)
		return -1;
	for (p = url + 1;; p = end + 1) {
		end = strchrnul(p, '/');
		if (end == p && *end)
			return -1; /* "//" */
		if (*p == '.')
			return -1; /* ".", "..", ".env", ".git" */
		for (q = p; q < end; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f || *q == '\\')
				return -1;
		if (!*end)
			return 0;
	}
}

enum { FOUND, MISSING, REFUSED };

/* Open root/rel (root: a real path) if it is a regular file inside root. */
static int try_file(const char *root, const char *rel, struct ui_file *f)
{
	char full[PATH_MAX], real[PATH_MAX];
	size_t rl = strlen(root);
	struct stat st;
	int fd, fl;

	if (snprintf(full, sizeof full, "%s/%s", root, rel) >= (int)sizeof full)
		return REFUSED;
	if (!realpath(full, real))
		return errno == ENOENT || errno == ENOTDIR ? MISSING : REFUSED;
	if (rl == 1)
		rl = 0; /* root is "/" */
	/* inside root, and no hidden name on the way (a link to DIR/.git/…) */
	if (strncmp(real, root, rl) != 0 || real[rl] != '/' || strstr(real + rl, "/."))
		return REFUSED;
	/* O_NOFOLLOW: the last name may not have become a link since realpath;
	 * O_NONBLOCK: opening a FIFO does not wait for a writer */
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? MISSING : REFUSED;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return REFUSED;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		/* a directory (/assets, /cases/) may be a client-side route; a device or FIFO is refused */
		return S_ISDIR(st.st_mode) ? MISSING : REFUSED;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		close(fd);
		return REFUSED;
	}
	f->fd = fd;
	f->size = (uint64_t)st.st_size;
	snprintf(f->etag, sizeof f->etag, "\"%llx-%llx-%llx\"", (unsigned long long)st.st_ino,
		 (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec * 1000000000ull + (unsigned long long)st.st_mtim.tv_nsec);
	return FOUND;
}

enum ui_result ui_open(const char *dir, const char *url, struct ui_file *f)
{
	char root[PATH_MAX];
	const char *last;
	int rc;

	memset(f, 0, sizeof *f);
	f->fd = -1;
	if (!dir || !realpath(dir, root) || !ui_dir_ready(root))
		return UI_NO_DIR;
	if (path_ok(url))
		return UI_NOT_FOUND;
	last = strrchr(url, '/') + 1;
	if (strcmp(url, "/") == 0) {
		rc = try_file(root, "index.html", f);
		f->type = ui_content_type("index.html");
		return rc == FOUND ? UI_OK : UI_NOT_FOUND;
	}
	/* with a trailing slash: a directory or nothing (MISSING), or a link out (REFUSED) */
	rc = try_file(root, url + 1, f);
	if (rc == FOUND && !*last) {
		close(f->fd);
		f->fd = -1;
		rc = MISSING;
	}
	if (rc == FOUND) {
		f->type = ui_content_type(last);
		f->immutable = strncmp(url, "/assets/", 8) == 0;
		return UI_OK;
	}
	/* a client-side route (no extension): the single page answers it */
	if (rc == MISSING && !strchr(last, '.') && try_file(root, "index.html", f) == FOUND) {
		f->type = ui_content_type("index.html");
		f->fallback = 1;
		return UI_OK;
	}
	return UI_NOT_FOUND;
}

int ui_etag_match(const char *inm, const char *etag)
{
	const char *p = inm, *tag = etag;
	size_t tn;

	if (!inm || !etag)
		return 0;
	if (strncmp(tag, "W/", 2) == 0)
		tag += 2;
	tn = strlen(tag);
	while (*p) {
		const char *start;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		start = p;
		if (strncmp(p, "W/", 2) == 0)
			start = p += 2;
		if (*p == '"') {
			const char *close = strchr(p + 1, '"');

			if (!close)
				return 0;
			p = close + 1;
		} else {
			while (*p && *p != ',')
				p++;
		}
		if ((size_t)(p - start) == tn && strncmp(start, tag, tn) == 0)
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}
