/*
 * ui.h - the browser front end's files (`serve --ui DIR`, a Vite build:
 * index.html, assets/<name>-<hash>.js|css|woff2…): which file of DIR a
 * request path names, its Content-Type and how long it may be cached. Pure
 * file-system work, no HTTP; src/http/server.c sends the answer.
 *
 * A path names a file of DIR only when every segment is a plain name (no
 * "." or "..", no other name starting with a dot, no empty segment, no
 * control character or backslash), the file is a regular file, and its real
 * path (links resolved) lies inside DIR's real path and passes through no
 * hidden name. A missing path whose last segment has no extension is a
 * client-side route (/workbench, /cases/XF2026112200001) and gets index.html.
 */
#ifndef XF_UI_H
#define XF_UI_H

#include <stdint.h>

/* The Content-Security-Policy of the front end's answers. */
#define UI_CSP                                                                                         \
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "                      \
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; " \
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

/* Hashed build output (/assets/…): cached for a year; everything else is
 * revalidated on every use (its ETag makes that a 304). */
#define UI_CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define UI_CACHE_REVALIDATE "no-cache"

enum ui_result {
	UI_OK = 0,        /* *f is filled, f->fd open */
	UI_NOT_FOUND = 1, /* no such file, or one that may not be served: 404 */
	UI_NO_DIR = 2,    /* DIR itself is missing (or not a directory) */
};

struct ui_file {
	int fd;              /* read-only, blocking; the caller closes it (or hands it on) */
	uint64_t size;
	const char *type;    /* Content-Type, from the requested name (static) */
	int immutable;       /* under /assets/: UI_CACHE_IMMUTABLE, else UI_CACHE_REVALIDATE */
	int fallback;        /* index.html answering a client-side route */
	char etag[64];       /* "\"<inode>-<size>-<mtime ns>\"" in hex, quotes included */
};

/* Is url (decoded, without the query) one of the front end's paths: anything
 * but /api, /api/… and /healthz? */
int ui_is_path(const char *url);

/* Is dir an existing directory (links followed)? */
int ui_dir_ready(const char *dir);

/* The file of dir that url names (see above). On UI_OK the caller owns f->fd. */
enum ui_result ui_open(const char *dir, const char *url, struct ui_file *f);

/* The Content-Type of a name by its extension (case-insensitive);
 * application/octet-stream when unknown. */
const char *ui_content_type(const char *name);

/* Does an If-None-Match header list etag (weak comparison, RFC 9110 13.1.2;
 * "*" matches anything)? */
int ui_etag_match(const char *if_none_match, const char *etag);

#endif
