/*
 * totp.h - time-based one-time passwords (RFC 6238 over RFC 4226 HOTP,
 * HMAC-SHA1, 6 digits, 30-second steps): the second factor that 等保 2.0
 * level 3 asks of administrators (identification with two or more factors).
 * Secrets travel as RFC 4648 base32, as authenticator apps expect.
 */
#ifndef XF_TOTP_H
#define XF_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_STEP 30
#define TOTP_SECRET_BYTES 20

/* The 6-digit code of a step (0-padded, NUL-terminated). 0 or -1. */
int totp_code(const unsigned char *key, size_t n, uint64_t step, char out[7]);

/* Base32 without padding into out (cap bytes incl. NUL). Returns the length. */
size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t cap);
/* Decode base32 (upper or lower case, spaces and '=' ignored). Returns the
 * byte count, or -1 on a bad character or overflow. */
int base32_decode(const char *in, unsigned char *out, size_t cap);

/* The step of `code` within [step - window, step + window] that is later than
 * `after`, or -1 when none matches. Constant-time per comparison. */
int64_t totp_match(const unsigned char *key, size_t n, int64_t now, int window, int64_t after,
		   const char *code);

#endif
