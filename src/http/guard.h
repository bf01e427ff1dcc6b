/*
 * guard.h - who is asking and how often: the client address behind trusted
 * reverse proxies (X-Forwarded-For), and per-client rate limits (token
 * buckets) on logins and on the public portal (等保 2.0 level 3 intrusion
 * prevention; OWASP ASVS 2.2.1 anti-automation). Thread-safe.
 */
#ifndef XF_GUARD_H
#define XF_GUARD_H

#include <stddef.h>

#define GUARD_ADDR_LEN 46 /* INET6_ADDRSTRLEN */

struct proxy_list;

/* Parse "127.0.0.1,10.0.0.0/8,::1" (IPv4 with optional /len, IPv6 exact).
 * NULL or "" gives an empty list. Returns NULL and sets *bad to the first
 * entry it cannot read (pointer into spec) on error. */
struct proxy_list *proxy_list_parse(const char *spec, const char **bad);
void proxy_list_free(struct proxy_list *p);
int proxy_trusted(const struct proxy_list *p, const char *addr);

/* The client: the peer, or, when the peer is a trusted proxy, the right-most
 * address in X-Forwarded-For that is not itself a trusted proxy. A header
 * that does not parse is ignored (the peer is the client). */
void guard_client(const struct proxy_list *p, const char *peer, const char *xff,
		  char out[GUARD_ADDR_LEN]);

enum rate_class { RATE_LOGIN, RATE_PUBLIC, RATE__COUNT };

/* Limits in requests per minute per client (0: no limit). */
void rate_configure(enum rate_class c, int per_minute);
/* Take one token for `client` at time `now` (seconds, monotonic). 0 allowed;
 * otherwise the seconds to wait before the next request is allowed. */
int rate_take(enum rate_class c, const char *client, double now);

#endif
