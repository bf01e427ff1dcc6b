/*
 * sm.h - the 国密 primitives the system uses, through OpenSSL 3: HMAC-SM3 for
 * the audit chain (GB/T 39786-2021). Keys come from a file or the
 * environment, never from the database.
 */
#ifndef XF_SM_H
#define XF_SM_H

#include <stddef.h>

#define SM_KEY_BYTES 32
#define SM3_BYTES 32

/* HMAC-SM3 of the concatenation of `n` parts into out (32 bytes). 0 or -1. */
int sm_hmac_sm3(const unsigned char key[SM_KEY_BYTES], const void *const *parts,
		const size_t *lens, int n, unsigned char out[SM3_BYTES]);

/* Load a key from env XINFANG_KEY (64 hex digits), else from `path` (created
 * with a random key and mode 0600 when missing). 0 or -1 (message in log). */
int sm_key_load(const char *path, unsigned char key[SM_KEY_BYTES]);

#endif
