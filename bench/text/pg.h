/*
 * pg.h - a private PostgreSQL cluster for a benchmark run: initdb into a
 * temporary directory (UTF-8, LC_CTYPE C.UTF-8, so that pg_trgm sees Chinese
 * characters as word characters), a server on a Unix socket in that
 * directory and no TCP listener, stopped and removed at the end. Never
 * touches a system cluster. When run as root, initdb and the server run as
 * the `postgres` user (runuser), as PostgreSQL refuses root.
 */
#ifndef XF_BENCH_PG_H
#define XF_BENCH_PG_H

#include <libpq-fe.h>

struct pg {
	char dir[256];    /* the cluster and its socket live here */
	char bin[256];    /* PostgreSQL's bin directory */
	char version[64];
	int port;
	int started;
	PGconn *conn;
};

/* Find PostgreSQL (pg_config --bindir, else /usr/lib/postgresql/<n>/bin),
 * create and start the cluster, create extension pg_trgm. 0, or -1 with a
 * message on stderr (nothing left behind). settings: extra "-c name=value"
 * options for the server. */
int pg_start(struct pg *p, const char *settings);
/* Another connection to the cluster (e.g. from a child process), or NULL. */
PGconn *pg_connect(const struct pg *p);
/* Stop the server and remove the directory. Safe to call twice. */
void pg_stop(struct pg *p);

/* Run a statement that returns no rows; exits on error. */
void pg_do(struct pg *p, const char *sql);
/* One integer from a query (the first column of the first row). */
long long pg_int(struct pg *p, const char *sql);

#endif
