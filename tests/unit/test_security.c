/*
 * test_security.c - the pure pieces of issue 4: masking of personal data,
 * SM4 sealing with an HMAC-SM3 tag and the keyed SM3 index (GB/T 39786-2021),
 * TOTP (RFC 6238, the second factor 等保 2.0 level 3 asks of administrators),
 * the client address behind trusted proxies, and per-client rate limits.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm.h"
#include "base/totp.h"
#include "domain/mask.h"
#include "http/guard.h"

Test(mask, id_number_keeps_first_3_and_last_4)
{
	char out[64];

	mask_id_number("110101199003071234", out, sizeof out);
	cr_assert_str_eq(out, "110***********1234", "the issue's own example");
	mask_id_number("23010219900100070X", out, sizeof out);
	cr_assert_str_eq(out, "230***********070X");
	mask_id_number("E12345678", out, sizeof out); /* a passport: 9 characters */
	cr_assert_str_eq(out, "E12**5678");
	mask_id_number("1234", out, sizeof out);
	cr_assert_str_eq(out, "***4", "too short to keep both ends: only the last character stays");
}

Test(mask, phone_keeps_first_3_and_last_4)
{
	char out[64];

	mask_phone("13812345678", out, sizeof out);
	cr_assert_str_eq(out, "138****5678", "the issue's own example");
	mask_phone("0451-86661234", out, sizeof out);
	cr_assert_str_eq(out, "045******1234");
}

Test(mask, address_keeps_the_administrative_part)
{
	char out[256];

	mask_address("黑龙江省哈尔滨市道里区安静街12号3单元", out, sizeof out);
	cr_assert_str_eq(out, "黑龙江省哈尔滨市道里区****");
	mask_address("安静街12号", out, sizeof out);
	cr_assert_str_eq(out, "安静街****", "no division named: at most half stays");
	/* a small buffer cuts at a character boundary, never inside one */
	mask_address("黑龙江省哈尔滨市道里区安静街12号", out, 8);
	cr_assert_str_eq(out, "黑龙", "and stops there: no stars after a cut");
}

static struct sm_keys keys(unsigned char fill)
{
	unsigned char master[SM_KEY_BYTES];
	struct sm_keys k;

	memset(master, fill, sizeof master);
	cr_assert_eq(sm_keys_derive(master, &k), 0);
	return k;
}

Test(sm, seal_round_trip_and_no_plaintext)
{
	struct sm_keys k = keys(7);
	char *a = sm_seal_text(&k, "110101199003071234"), *b = sm_seal_text(&k, "110101199003071234");
	char *plain;

	cr_assert_not_null(a);
	cr_assert(strncmp(a, "sm4:", 4) == 0);
	cr_assert_null(strstr(a, "1101011990"), "the sealed text does not show the number");
	cr_assert_str_neq(a, b, "a fresh IV each time: equal values do not look equal");
	plain = sm_open_text(&k, a);
	cr_assert_str_eq(plain, "110101199003071234");
	free(plain);
	free(a);
	free(b);
}

Test(sm, altered_or_foreign_text_does_not_open)
{
	struct sm_keys k = keys(7), other = keys(8);
	char *a = sm_seal_text(&k, "13812345678");
	size_t n = strlen(a);

	cr_assert_null(sm_open_text(&other, a), "another key");
	a[n - 6] = a[n - 6] == 'A' ? 'B' : 'A';
	cr_assert_null(sm_open_text(&k, a), "one character changed: the tag no longer matches");
	cr_assert_null(sm_open_text(&k, "sm4:"), "too short");
	cr_assert_null(sm_open_text(&k, "13812345678"), "not sealed at all");
	free(a);
}

Test(sm, index_is_keyed_and_stable)
{
	struct sm_keys k = keys(7), other = keys(8);
	char h1[65], h2[65], h3[65];

	cr_assert_eq(sm_index(&k, "13812345678", h1), 0);
	cr_assert_eq(sm_index(&k, "13812345678", h2), 0);
	cr_assert_eq(sm_index(&other, "13812345678", h3), 0);
	cr_assert_str_eq(h1, h2, "the same value finds the same rows");
	cr_assert_str_neq(h1, h3, "without the key the hash cannot be recomputed from a guessed number");
	cr_assert_eq(strlen(h1), 64);
}

/* RFC 6238 appendix B (SHA-1 secret "12345678901234567890"), last 6 digits */
Test(totp, rfc6238_vectors)
{
	static const struct { int64_t t; const char *code; } v[] = {
		{ 59, "287082" }, { 1111111109, "081804" }, { 1111111111, "050471" },
		{ 1234567890, "005924" }, { 2000000000, "279037" }, { 20000000000, "353130" },
	};
	const unsigned char *key = (const unsigned char *)"12345678901234567890";
	char code[7];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		cr_assert_eq(totp_code(key, 20, (uint64_t)(v[i].t / TOTP_STEP), code), 0);
		cr_assert_str_eq(code, v[i].code, "T=%lld", (long long)v[i].t);
	}
}

Test(totp, match_window_and_no_replay)
{
	const unsigned char *key = (const unsigned char *)"12345678901234567890";
	int64_t now = 1111111111, step = now / TOTP_STEP;
	char prev[7], cur[7], next[7], old[7];

	totp_code(key, 20, (uint64_t)(step - 1), prev);
	totp_code(key, 20, (uint64_t)step, cur);
	totp_code(key, 20, (uint64_t)(step + 1), next);
	totp_code(key, 20, (uint64_t)(step - 2), old);
	cr_assert_eq(totp_match(key, 20, now, 1, 0, cur), step);
	cr_assert_eq(totp_match(key, 20, now, 1, 0, prev), step - 1, "a phone 30 s slow still works");
	cr_assert_eq(totp_match(key, 20, now, 1, 0, next), step + 1);
	cr_assert_eq(totp_match(key, 20, now, 1, 0, old), -1, "a minute old: refused");
	cr_assert_eq(totp_match(key, 20, now, 1, step, cur), -1, "a used code is not accepted again");
	cr_assert_eq(totp_match(key, 20, now, 1, 0, "12345"), -1);
	cr_assert_eq(totp_match(key, 20, now, 1, 0, NULL), -1);
}

Test(totp, base32_round_trip)
{
	unsigned char in[20], out[32];
	char text[40];
	int n;

	for (n = 0; n < 20; n++)
		in[n] = (unsigned char)(n * 37 + 11);
	cr_assert_eq(base32_encode(in, 20, text, sizeof text), 32);
	n = base32_decode(text, out, sizeof out);
	cr_assert_eq(n, 20);
	cr_assert(memcmp(in, out, 20) == 0);
	cr_assert_eq(base32_decode("pbuw 4ztb", out, sizeof out), 5, "lower case and spaces as typed from a phone");
	cr_assert_eq(base32_decode("PBUW1", out, sizeof out), -1, "1 is not base32");
}

Test(guard, client_behind_trusted_proxies)
{
	const char *bad = NULL;
	struct proxy_list *p = proxy_list_parse("127.0.0.1, 10.0.0.0/8,::1", &bad);
	char c[GUARD_ADDR_LEN];

	cr_assert_not_null(p);
	guard_client(p, "127.0.0.1", "203.0.113.9", c);
	cr_assert_str_eq(c, "203.0.113.9", "a trusted proxy names the client");
	guard_client(p, "127.0.0.1", "198.51.100.1, 203.0.113.9, 10.1.2.3", c);
	cr_assert_str_eq(c, "203.0.113.9", "right to left past trusted hops; the left part is the client's own claim");
	guard_client(p, "192.0.2.7", "203.0.113.9", c);
	cr_assert_str_eq(c, "192.0.2.7", "an untrusted peer cannot claim another address");
	guard_client(p, "127.0.0.1", "not-an-ip", c);
	cr_assert_str_eq(c, "127.0.0.1", "an unreadable header is ignored");
	guard_client(p, "127.0.0.1", NULL, c);
	cr_assert_str_eq(c, "127.0.0.1");
	cr_assert(proxy_trusted(p, "10.255.0.1"));
	cr_assert(!proxy_trusted(p, "11.0.0.1"));
	cr_assert(proxy_trusted(p, "::1"));
	proxy_list_free(p);
	cr_assert_null(proxy_list_parse("10.0.0.0/33", &bad));
	cr_assert_null(proxy_list_parse("127.0.0.1,example.org", &bad));
	cr_assert_str_eq(bad, "example.org");
	p = proxy_list_parse(NULL, &bad);
	cr_assert_not_null(p, "no list: nobody is trusted");
	guard_client(p, "127.0.0.1", "203.0.113.9", c);
	cr_assert_str_eq(c, "127.0.0.1");
	proxy_list_free(p);
}

Test(guard, rate_limit_per_client_refills)
{
	int i, wait = 0;

	rate_configure(RATE_LOGIN, 6); /* 6 a minute: one every 10 s */
	for (i = 0; i < 6; i++)
		cr_assert_eq(rate_take(RATE_LOGIN, "192.0.2.1", 1000.0), 0, "the burst is allowed");
	wait = rate_take(RATE_LOGIN, "192.0.2.1", 1000.0);
	cr_assert(wait >= 9 && wait <= 11, "the 7th waits ~10 s, got %d", wait);
	cr_assert_eq(rate_take(RATE_LOGIN, "192.0.2.2", 1000.0), 0, "another client is not affected");
	cr_assert_eq(rate_take(RATE_LOGIN, "192.0.2.1", 1011.0), 0, "a token back after 10 s");
	rate_configure(RATE_LOGIN, 0);
	for (i = 0; i < 100; i++)
		cr_assert_eq(rate_take(RATE_LOGIN, "192.0.2.1", 1011.0), 0, "0 means no limit");
}
