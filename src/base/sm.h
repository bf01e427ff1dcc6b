/*
 * sm.h - the 国密 primitives the system uses, through OpenSSL 3 (GB/T
 * 39786-2021): HMAC-SM3 for the audit chain and for matching personal data
 * without decrypting it, SM4 for personal data and attachments at rest.
 * Keys come from a file or the environment, never from the database; each
 * use has its own key derived from the master key.
 *
 * Sealing is SM4-CTR, then HMAC-SM3 over the IV and the ciphertext
 * (encrypt-then-MAC; OpenSSL 3.0 has no SM4-GCM): iv(16) || ct || tag(16).
 */
#ifndef XF_SM_H
#define XF_SM_H

#include <stddef.h>

#define SM_KEY_BYTES 32
#define SM3_BYTES 32

/* HMAC-SM3 of the concatenation of `n` parts into out (32 bytes). 0 or -1. */
int sm_hmac_sm3(const unsigned char key[SM_KEY_BYTES], const void *const *parts,
		const size_t *lens, int n, unsigned char out[SM3_BYTES]);

/* SM3 of the concatenation of `n` parts. 0 or -1. */
int sm_sm3(const void *const *parts, const size_t *lens, int n, unsigned char out[SM3_BYTES]);

/* Load a key from env XINFANG_KEY (64 hex digits), else from `path` (created
 * with a random key and mode 0600 when missing). 0 or -1 (message in log). */
int sm_key_load(const char *path, unsigned char key[SM_KEY_BYTES]);

#define SM_IV_BYTES 16
#define SM_TAG_BYTES 16
#define SM_SEAL_OVERHEAD (SM_IV_BYTES + SM_TAG_BYTES)

/* The keys derived from the master key: HMAC-SM3(master, purpose); the audit
 * chain's key is the master key itself (as in schema 4, so old logs verify). */
struct sm_keys {
	unsigned char audit[SM_KEY_BYTES];  /* audit chain MAC */
	unsigned char enc[16];              /* SM4 */
	unsigned char mac[SM_KEY_BYTES];    /* seal tag */
	unsigned char index[SM_KEY_BYTES];  /* keyed hash for matching */
};

int sm_keys_derive(const unsigned char master[SM_KEY_BYTES], struct sm_keys *k);

/* Seal n bytes into out (n + SM_SEAL_OVERHEAD bytes). 0 or -1. */
int sm_seal(const struct sm_keys *k, const void *pt, size_t n, unsigned char *out);
/* Open n sealed bytes into pt (n - SM_SEAL_OVERHEAD bytes). -1 when the
 * input is short or was altered (nothing is written then). */
int sm_open(const struct sm_keys *k, const unsigned char *in, size_t n, unsigned char *pt);

/* Text forms: "sm4:" + base64 of the sealed bytes. Results are malloc'd
 * (NUL-terminated); NULL on failure or tampering. */
char *sm_seal_text(const struct sm_keys *k, const char *s);
char *sm_open_text(const struct sm_keys *k, const char *sealed);

/* Keyed hash for equality matching of a normalised value: 64 hex digits. */
int sm_index(const struct sm_keys *k, const char *s, char hex[2 * SM3_BYTES + 1]);

#endif
