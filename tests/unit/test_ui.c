/*
 * test_ui.c - the front end's files (src/http/ui.c, `serve --ui DIR`): which
 * file a decoded request path names, what is refused (dot segments, hidden
 * names, links out of DIR, devices and FIFOs), the single-page fallback for
 * client-side routes, Content-Type by extension and If-None-Match.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/ui.h"

static char base[128], dir[160];

static void put(const char *rel, const char *text)
{
	char p[400];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	f = fopen(p, "w");
	cr_assert(f, "cannot write %s", p);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *rel)
{
	char p[400];

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	cr_assert_eq(symlink(target, p), 0, "symlink %s", p);
}

/* base/outside.txt, and base/ui: index.html, assets/app-abc123.js, .env,
 * .git/config, links out (passwd.txt, passwd, up) and in (same.js, git) */
static void make_tree(void)
{
	char p[400];

	snprintf(base, sizeof base, "/tmp/xf-ui-test-XXXXXX");
	cr_assert(mkdtemp(base));
	snprintf(dir, sizeof dir, "%s/ui", base);
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(p, sizeof p, "%s/assets", dir);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/.git", dir);
	cr_assert_eq(mkdir(p, 0755), 0);
	put("index.html", "<!doctype html><title>x</title>");
	put("assets/app-abc123.js", "console.log(1)");
	put("assets/Font-X1.WOFF2", "wOF2");
	put(".env", "SECRET=1");
	put(".git/config", "[core]");
	put("../outside.txt", "OUTSIDE");
	link_to("/etc/passwd", "passwd.txt");
	link_to("/etc/passwd", "passwd");
	link_to("..", "up");
	link_to("assets/app-abc123.js", "same.js");
	link_to(".git", "git");
	snprintf(p, sizeof p, "%s/pipe.txt", dir);
	cr_assert_eq(mkfifo(p, 0600), 0);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static void remove_tree(void)
{
	nftw(base, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(ui, .init = make_tree, .fini = remove_tree);

/* ui_open's answer for url; on UI_OK the bytes of the file in out. */
static enum ui_result get(const char *url, struct ui_file *f, char *out, size_t cap)
{
	enum ui_result rc = ui_open(dir, url, f);
	ssize_t n;

	out[0] = '\0';
	if (rc == UI_OK) {
		cr_assert_geq(f->fd, 0);
		n = read(f->fd, out, cap - 1);
		out[n > 0 ? n : 0] = '\0';
		close(f->fd);
	}
	return rc;
}

Test(ui, files_of_the_directory_and_the_single_page_fallback)
{
	struct ui_file f;
	char b[256];

	cr_assert_eq(get("/", &f, b, sizeof b), UI_OK);
	cr_assert_str_eq(b, "<!doctype html><title>x</title>");
	cr_assert_str_eq(f.type, "text/html; charset=utf-8");
	cr_assert_eq(f.immutable, 0);
	cr_assert_eq(f.size, strlen(b));
	cr_assert_eq(get("/assets/app-abc123.js", &f, b, sizeof b), UI_OK);
	cr_assert_str_eq(b, "console.log(1)");
	cr_assert_str_eq(f.type, "text/javascript; charset=utf-8");
	cr_assert_eq(f.immutable, 1, "hashed build output is cached for a year");
	cr_assert_eq(f.fallback, 0);
	/* client-side routes: no extension, no such file */
	for (const char *const *u = (const char *const[]){ "/workbench", "/cases/XF2026112200001", "/portal/query",
							    "/cases/", "/assets", "/assets/", NULL };
	     *u; u++) {
		cr_assert_eq(get(*u, &f, b, sizeof b), UI_OK, "%s", *u);
		cr_assert_eq(f.fallback, 1, "%s", *u);
		cr_assert_str_eq(f.type, "text/html; charset=utf-8", "%s", *u);
		cr_assert_eq(f.immutable, 0, "%s: index.html is never immutable", *u);
		cr_assert_str_eq(b, "<!doctype html><title>x</title>", "%s", *u);
	}
	/* a link inside the directory to a file inside it is followed */
	cr_assert_eq(get("/same.js", &f, b, sizeof b), UI_OK);
	cr_assert_str_eq(b, "console.log(1)");
	/* the type is the requested name's, case-insensitively */
	cr_assert_eq(get("/assets/Font-X1.WOFF2", &f, b, sizeof b), UI_OK);
	cr_assert_str_eq(f.type, "font/woff2");
}

Test(ui, refused_paths_are_not_found_never_the_fallback)
{
	struct ui_file f;
	char b[256];
	static const char *const refused[] = {
		"/assets/nope.js",          /* missing, with an extension */
		"/..",
		"/../outside.txt",
		"/assets/../../outside.txt",
		"/assets/../index.html",     /* even one that stays inside */
		"/./index.html",
		"/.env",
		"/.git/config",
		"/.git",
		"/git/config",               /* a link to a hidden directory */
		"/passwd.txt",               /* links out of the directory */
		"/passwd",                   /* ... without an extension too */
		"/up/outside.txt",
		"/up",
		"/up/",                      /* a trailing slash through a link out */
		"/pipe.txt",                 /* not a regular file */
		"//etc/passwd",
		"/assets//app-abc123.js",
		"/a\\b",
		"/work\x01" "bench",
		"/work\x7f",
		"",
		"index.html",
		NULL,
	};
	char longp[2048];

	for (size_t i = 0; refused[i]; i++) {
		cr_assert_eq(get(refused[i], &f, b, sizeof b), UI_NOT_FOUND, "%s", refused[i]);
		cr_assert_eq(f.fd, -1, "%s", refused[i]);
	}
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	cr_assert_eq(get(longp, &f, b, sizeof b), UI_NOT_FOUND, "a path of 2 KB");
}

Test(ui, a_missing_directory_or_index)
{
	struct ui_file f;
	char p[400], b[64];

	snprintf(p, sizeof p, "%s/nothing", base);
	cr_assert_eq(ui_open(p, "/", &f), UI_NO_DIR);
	cr_assert_eq(ui_open(NULL, "/", &f), UI_NO_DIR);
	cr_assert_eq(ui_dir_ready(p), 0);
	cr_assert_eq(ui_dir_ready(dir), 1);
	snprintf(p, sizeof p, "%s/outside.txt", base);
	cr_assert_eq(ui_open(p, "/", &f), UI_NO_DIR, "a file is not a directory");
	snprintf(p, sizeof p, "%s/index.html", dir);
	cr_assert_eq(unlink(p), 0);
	cr_assert_eq(get("/", &f, b, sizeof b), UI_NOT_FOUND, "no index.html yet");
	cr_assert_eq(get("/workbench", &f, b, sizeof b), UI_NOT_FOUND);
	cr_assert_eq(get("/assets/app-abc123.js", &f, b, sizeof b), UI_OK);
}

Test(ui, etag_changes_with_the_file)
{
	struct ui_file f;
	char b[64], first[64];

	cr_assert_eq(get("/assets/app-abc123.js", &f, b, sizeof b), UI_OK);
	snprintf(first, sizeof first, "%s", f.etag);
	cr_assert_eq(first[0], '"');
	cr_assert_eq(first[strlen(first) - 1], '"');
	cr_assert_eq(get("/assets/app-abc123.js", &f, b, sizeof b), UI_OK);
	cr_assert_str_eq(f.etag, first, "stable while the file is");
	put("assets/app-abc123.js", "console.log(22)");
	cr_assert_eq(get("/assets/app-abc123.js", &f, b, sizeof b), UI_OK);
	cr_assert_str_neq(f.etag, first, "a new size is a new tag");
}

Test(ui_path, api_and_health_are_not_the_front_ends)
{
	cr_assert(ui_is_path("/"));
	cr_assert(ui_is_path("/workbench"));
	cr_assert(ui_is_path("/apis"));
	cr_assert(ui_is_path("/healthz/"));
	cr_assert(ui_is_path("/assets/app.js"));
	cr_assert_not(ui_is_path("/api"));
	cr_assert_not(ui_is_path("/api/"));
	cr_assert_not(ui_is_path("/api/v1/nope"));
	cr_assert_not(ui_is_path("/api/public/v1/query"));
	cr_assert_not(ui_is_path("/healthz"));
}

Test(ui_type, by_extension)
{
	static const char *const t[][2] = {
		{ "index.html", "text/html; charset=utf-8" },
		{ "a/b/app-x.js", "text/javascript; charset=utf-8" },
		{ "w.mjs", "text/javascript; charset=utf-8" },
		{ "s.css", "text/css; charset=utf-8" },
		{ "favicon.svg", "image/svg+xml" },
		{ "p.png", "image/png" },
		{ "p.JPG", "image/jpeg" },
		{ "p.jpeg", "image/jpeg" },
		{ "p.gif", "image/gif" },
		{ "p.webp", "image/webp" },
		{ "favicon.ico", "image/x-icon" },
		{ "f.woff", "font/woff" },
		{ "f.woff2", "font/woff2" },
		{ "f.ttf", "font/ttf" },
		{ "m.json", "application/json; charset=utf-8" },
		{ "app.js.map", "application/json; charset=utf-8" },
		{ "robots.txt", "text/plain; charset=utf-8" },
		{ "x.wasm", "application/octet-stream" },
		{ "noext", "application/octet-stream" },
		{ "dir.js/noext", "application/octet-stream" },
		{ "trailing.", "application/octet-stream" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		cr_assert_str_eq(ui_content_type(t[i][0]), t[i][1], "%s", t[i][0]);
}

Test(ui_etag, if_none_match)
{
	const char *e = "\"1-2-3\"";

	cr_assert(ui_etag_match("\"1-2-3\"", e));
	cr_assert(ui_etag_match("W/\"1-2-3\"", e), "weak comparison");
	cr_assert(ui_etag_match("\"x\", \"1-2-3\"", e));
	cr_assert(ui_etag_match("\"x\",W/\"1-2-3\" ", e));
	cr_assert(ui_etag_match("*", e));
	cr_assert_not(ui_etag_match("\"1-2-4\"", e));
	cr_assert_not(ui_etag_match("\"1-2-3", e), "unterminated");
	cr_assert_not(ui_etag_match("1-2-3", e), "unquoted");
	cr_assert_not(ui_etag_match("\"1-2-\"", e));
	cr_assert_not(ui_etag_match("", e));
	cr_assert_not(ui_etag_match(",,, ,", e));
	cr_assert_not(ui_etag_match(NULL, e));
}
