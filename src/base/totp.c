#include "base/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <string.h>

int totp_code(const unsigned char *key, size_t n, uint64_t step, char out[7])
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0, off;
	uint32_t bin;
	int i;

	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	if (!HMAC(EVP_sha1(), key, (int)n, msg, sizeof msg, mac, &len) || len < 20)
		return -1;
	off = mac[len - 1] & 0x0f; /* RFC 4226 5.3 dynamic truncation */
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	      ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	for (i = 5; i >= 0; i--) {
		out[i] = (char)('0' + bin % 10);
		bin /= 10;
	}
	out[6] = '\0';
	return 0;
}

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0, i;
	unsigned buf = 0;
	int bits = 0;

	for (i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			if (o + 1 < cap)
				out[o++] = alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o + 1 < cap)
		out[o++] = alphabet[(buf << (5 - bits)) & 31];
	if (cap)
		out[o] = '\0';
	return o;
}

int base32_decode(const char *in, unsigned char *out, size_t cap)
{
	unsigned buf = 0;
	int bits = 0;
	size_t o = 0;

	for (; *in; in++) {
		const char *p;
		char c = *in;

		if (c == ' ' || c == '=' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		p = strchr(alphabet, c);
		if (!p || !c)
			return -1;
		buf = (buf << 5) | (unsigned)(p - alphabet);
		bits += 5;
		if (bits >= 8) {
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)((buf >> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return (int)o;
}

int64_t totp_match(const unsigned char *key, size_t n, int64_t now, int window, int64_t after,
		   const char *code)
{
	int64_t step = now / TOTP_STEP, s;
	char want[7];

	if (!code || strlen(code) != 6)
		return -1;
	for (s = step - window; s <= step + window; s++) {
		if (s <= after || s < 0 || totp_code(key, n, (uint64_t)s, want))
			continue;
		if (sodium_memcmp(want, code, 6) == 0)
			return s;
	}
	return -1;
}
