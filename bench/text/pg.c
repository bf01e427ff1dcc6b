/*
 * pg.c - see pg.h.
 */
#include "pg.h"

#include <dirent.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the newest /usr/lib/postgresql/<n>/bin with an initdb */
static int find_bin(char *out, size_t n)
{
	FILE *f = popen("pg_config --bindir 2>/dev/null", "r");
	char line[256] = "", path[512];
	DIR *d;
	struct dirent *e;
	int best = 0;

	if (f) {
		if (fgets(line, sizeof line, f))
			line[strcspn(line, "\n")] = '\0';
		pclose(f);
		snprintf(path, sizeof path, "%s/initdb", line);
		if (line[0] && access(path, X_OK) == 0) {
			snprintf(out, n, "%s", line);
			return 0;
		}
	}
	d = opendir("/usr/lib/postgresql");
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		int v = atoi(e->d_name);

		if (snprintf(path, sizeof path, "/usr/lib/postgresql/%s/bin/initdb", e->d_name) >= (int)sizeof path)
			continue;
		if (v > best && access(path, X_OK) == 0 &&
		    snprintf(out, n, "/usr/lib/postgresql/%s/bin", e->d_name) < (int)n)
			best = v;
	}
	closedir(d);
	return best ? 0 : -1;
}

/* run a PostgreSQL program as the cluster's owner */
static int run(const struct pg *p, const char *args)
{
	char cmd[4096];
	int n;

	if (geteuid() == 0)
		n = snprintf(cmd, sizeof cmd, "cd /tmp && runuser -u postgres -- %s", args);
	else
		n = snprintf(cmd, sizeof cmd, "cd /tmp && %s", args);
	(void)p;
	return n < (int)sizeof cmd ? system(cmd) : -1;
}

static void rm_dir(const char *dir)
{
	char cmd[600];

	if (!dir[0] || strncmp(dir, "/tmp/", 5) != 0) /* never anything else */
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "pg: could not remove %s\n", dir);
}

PGconn *pg_connect(const struct pg *p)
{
	char conninfo[512];
	PGconn *c;
	int i;

	snprintf(conninfo, sizeof conninfo, "host=%s port=%d user=postgres dbname=postgres", p->dir, p->port);
	for (i = 0; i < 50; i++) {
		c = PQconnectdb(conninfo);
		if (PQstatus(c) == CONNECTION_OK)
			return c;
		PQfinish(c);
		usleep(100000);
	}
	return NULL;
}

int pg_start(struct pg *p, const char *settings)
{
	char cmd[2048];

	memset(p, 0, sizeof *p);
	if (find_bin(p->bin, sizeof p->bin)) {
		fprintf(stderr, "pg: PostgreSQL not found (scripts/deps.sh bench installs it)\n");
		return -1;
	}
	snprintf(p->dir, sizeof p->dir, "/tmp/xinfang-text-bench-pg-%ld", (long)getpid());
	rm_dir(p->dir);
	if (mkdir(p->dir, 0700) != 0) {
		perror("pg: mkdir");
		return -1;
	}
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("postgres");

		if (!pw || chown(p->dir, pw->pw_uid, pw->pw_gid) != 0) {
			fprintf(stderr, "pg: running as root needs the postgres user to own the cluster\n");
			rm_dir(p->dir);
			return -1;
		}
	}
	snprintf(cmd, sizeof cmd, "%s/initdb -D %s/data -E UTF8 --locale=C.UTF-8 -A trust -U postgres >%s/initdb.log 2>&1",
		 p->bin, p->dir, p->dir);
	if (run(p, cmd) != 0) {
		fprintf(stderr, "pg: initdb failed (see %s/initdb.log)\n", p->dir);
		rm_dir(p->dir);
		return -1;
	}
	p->port = 54000 + (int)(getpid() % 1000);
	snprintf(cmd, sizeof cmd,
		 "%s/pg_ctl -D %s/data -l %s/server.log -w -t 60 -o \"-k %s -p %d -c listen_addresses='' %s\" start "
		 ">/dev/null 2>&1",
		 p->bin, p->dir, p->dir, p->dir, p->port, settings ? settings : "");
	if (run(p, cmd) != 0) {
		fprintf(stderr, "pg: the server did not start (see %s/server.log)\n", p->dir);
		snprintf(cmd, sizeof cmd, "cat %s/server.log >&2", p->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "pg: no server log\n");
		rm_dir(p->dir);
		return -1;
	}
	p->started = 1;
	p->conn = pg_connect(p);
	if (!p->conn) {
		fprintf(stderr, "pg: cannot connect\n");
		pg_stop(p);
		return -1;
	}
	snprintf(p->version, sizeof p->version, "%s", PQparameterStatus(p->conn, "server_version"));
	pg_do(p, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
	return 0;
}

void pg_stop(struct pg *p)
{
	char cmd[1024];

	if (p->conn) {
		PQfinish(p->conn);
		p->conn = NULL;
	}
	if (p->started) {
		snprintf(cmd, sizeof cmd, "%s/pg_ctl -D %s/data -m fast -w stop >/dev/null 2>&1", p->bin, p->dir);
		if (run(p, cmd) != 0)
			fprintf(stderr, "pg: pg_ctl stop failed\n");
		p->started = 0;
	}
	if (p->dir[0]) {
		rm_dir(p->dir);
		p->dir[0] = '\0';
	}
}

void pg_do(struct pg *p, const char *sql)
{
	PGresult *r = PQexec(p->conn, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "pg: %s: %s", sql, PQerrorMessage(p->conn));
		PQclear(r);
		pg_stop(p);
		exit(1);
	}
	PQclear(r);
}

long long pg_int(struct pg *p, const char *sql)
{
	PGresult *r = PQexec(p->conn, sql);
	long long v = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "pg: %s: %s", sql, PQerrorMessage(p->conn));
		PQclear(r);
		pg_stop(p);
		exit(1);
	}
	if (PQntuples(r) > 0)
		v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}
