/*
 * server.h - the HTTP server: libmicrohttpd, a sorted route table, JSON in
 * and out, session cookie + CSRF header. Listens on 127.0.0.1 by default.
 */
#ifndef XF_SERVER_H
#define XF_SERVER_H

#include "http/guard.h"
#include "service/svc.h"

struct server_opts {
	const char *listen;   /* IPv4 address, default 127.0.0.1 */
	int port;             /* default 8080 */
	int threads;          /* thread pool size, default 2 */
	int secure_cookie;    /* add "Secure" to the cookie (behind HTTPS) */
	const struct proxy_list *proxies; /* trusted reverse proxies (X-Forwarded-For), may be NULL */
	const char *ui_dir;   /* the front end's files (serve --ui, http/ui.h); NULL: the API only */
};

struct server;

/* Start serving in background threads (port 0: any free port). NULL on failure.
 * The options must outlive the server. */
struct server *server_start(struct app *app, const struct server_opts *o);
/* The port actually bound. */
int server_port(const struct server *s);
void server_stop(struct server *s);

/* Serve until SIGINT or SIGTERM. Returns 0 on a clean stop. */
int server_run(struct app *app, const struct server_opts *o);

#endif
