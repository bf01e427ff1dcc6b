#include "http/guard.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- trusted proxies -------------------------------------------------------- */

struct proxy {
	int family;
	unsigned char addr[16];
	int bits;
};

struct proxy_list {
	int n;
	struct proxy p[];
};

static int parse_one(const char *s, size_t len, struct proxy *out)
{
	char buf[64], *slash;
	long bits = -1;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		*slash = '\0';
		bits = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1)
			return -1;
	}
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		out->bits = bits < 0 ? 32 : (int)bits;
		return out->bits > 32 ? -1 : 0;
	}
	if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		out->bits = bits < 0 ? 128 : (int)bits;
		return out->bits > 128 ? -1 : 0;
	}
	return -1;
}

struct proxy_list *proxy_list_parse(const char *spec, const char **bad)
{
	const char *p = spec ? spec : "";
	struct proxy_list *l;
	int n = 1;

	for (const char *q = p; *q; q++)
		n += *q == ',';
	l = calloc(1, sizeof *l + (size_t)n * sizeof l->p[0]);
	if (!l)
		return NULL;
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *s = p;

		while (len && *s == ' ')
			s++, len--;
		while (len && s[len - 1] == ' ')
			len--;
		if (len && parse_one(s, len, &l->p[l->n++])) {
			if (bad)
				*bad = s;
			free(l);
			return NULL;
		}
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return l;
}

void proxy_list_free(struct proxy_list *p)
{
	free(p);
}

static int in_net(const struct proxy *n, int family, const unsigned char *a)
{
	int full = n->bits / 8, rest = n->bits % 8;

	if (family != n->family)
		return 0;
	if (memcmp(a, n->addr, (size_t)full) != 0)
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		return (a[full] & mask) == (n->addr[full] & mask);
	}
	return 1;
}

int proxy_trusted(const struct proxy_list *p, const char *addr)
{
	unsigned char a[16];
	int family, i;

	if (!p || !p->n || !addr)
		return 0;
	if (inet_pton(AF_INET, addr, a) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, addr, a) == 1)
		family = AF_INET6;
	else
		return 0;
	for (i = 0; i < p->n; i++)
		if (in_net(&p->p[i], family, a))
			return 1;
	return 0;
}

static int is_addr(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

void guard_client(const struct proxy_list *p, const char *peer, const char *xff,
		  char out[GUARD_ADDR_LEN])
{
	const char *end;

	snprintf(out, GUARD_ADDR_LEN, "%s", peer ? peer : "");
	if (!xff || !proxy_trusted(p, peer))
		return;
	/* right to left: each hop appended the address it saw */
	end = xff + strlen(xff);
	while (end > xff) {
		const char *start = end;
		char hop[GUARD_ADDR_LEN];
		size_t len;

		while (start > xff && start[-1] != ',')
			start--;
		while (start < end && *start == ' ')
			start++;
		len = (size_t)(end - start);
		while (len && start[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof hop)
			return; /* unreadable: keep what we have */
		memcpy(hop, start, len);
		hop[len] = '\0';
		if (!is_addr(hop))
			return;
		snprintf(out, GUARD_ADDR_LEN, "%s", hop);
		if (!proxy_trusted(p, hop))
			return;
		end = start;
		while (end > xff && (end[-1] == ',' || end[-1] == ' '))
			end--;
	}
}

/* ---- rate limits ---------------------------------------------------------------- */

#define SLOTS 4096
#define PROBES 8

struct bucket {
	char client[GUARD_ADDR_LEN];
	double tokens, at;
};

static struct {
	pthread_mutex_t mu;
	int per_minute[RATE__COUNT];
	struct bucket b[RATE__COUNT][SLOTS];
} rl = { .mu = PTHREAD_MUTEX_INITIALIZER, .per_minute = { 60, 30 } };

void rate_configure(enum rate_class c, int per_minute)
{
	pthread_mutex_lock(&rl.mu);
	rl.per_minute[c] = per_minute;
	memset(rl.b[c], 0, sizeof rl.b[c]);
	pthread_mutex_unlock(&rl.mu);
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int rate_take(enum rate_class c, const char *client, double now)
{
	struct bucket *b = NULL, *oldest = NULL;
	double cap, rate;
	uint32_t h = hash(client);
	int i, wait = 0;

	pthread_mutex_lock(&rl.mu);
	if (rl.per_minute[c] <= 0) {
		pthread_mutex_unlock(&rl.mu);
		return 0;
	}
	cap = rl.per_minute[c];
	rate = cap / 60.0;
	for (i = 0; i < PROBES; i++) {
		struct bucket *x = &rl.b[c][(h + (uint32_t)i) % SLOTS];

		if (strcmp(x->client, client) == 0) {
			b = x;
			break;
		}
		if (!oldest || x->at < oldest->at)
			oldest = x;
	}
	if (!b) {
		/* a new client takes the slot idle longest (a full bucket by then) */
		b = oldest;
		snprintf(b->client, sizeof b->client, "%s", client);
		b->tokens = cap;
		b->at = now;
	}
	b->tokens += (now - b->at) * rate;
	if (b->tokens > cap)
		b->tokens = cap;
	b->at = now;
	if (b->tokens >= 1.0)
		b->tokens -= 1.0;
	else
		wait = (int)((1.0 - b->tokens) / rate) + 1;
	pthread_mutex_unlock(&rl.mu);
	return wait;
}
