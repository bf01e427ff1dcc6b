#include "base/sm.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

int sm_hmac_sm3(const unsigned char key[SM_KEY_BYTES], const void *const *parts,
		const size_t *lens, int n, unsigned char out[SM3_BYTES])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2];
	size_t len = 0;
	int i, rc = -1;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SM3", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!ctx || !EVP_MAC_init(ctx, key, SM_KEY_BYTES, params))
		goto out;
	for (i = 0; i < n; i++)
		if (!EVP_MAC_update(ctx, parts[i], lens[i]))
			goto out;
	if (!EVP_MAC_final(ctx, out, &len, SM3_BYTES) || len != SM3_BYTES)
		goto out;
	rc = 0;
out:
	if (rc)
		log_error("HMAC-SM3 unavailable (OpenSSL 3 default provider)");
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int sm_key_load(const char *path, unsigned char key[SM_KEY_BYTES])
{
	const char *env = getenv("XINFANG_KEY");
	char hex[2 * SM_KEY_BYTES + 2];
	size_t bin_len = 0;
	ssize_t got;
	int fd;

	if (env && *env) {
		if (sodium_hex2bin(key, SM_KEY_BYTES, env, strlen(env), NULL, &bin_len, NULL) || bin_len != SM_KEY_BYTES) {
			log_error("XINFANG_KEY must be %d hex digits", 2 * SM_KEY_BYTES);
			return -1;
		}
		return 0;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT) {
		/* first start: a random key, readable by this user only */
		randombytes_buf(key, SM_KEY_BYTES);
		sodium_bin2hex(hex, sizeof hex, key, SM_KEY_BYTES);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || write(fd, hex, 2 * SM_KEY_BYTES) != 2 * SM_KEY_BYTES || fsync(fd)) {
			log_error("cannot write the key file %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		log_info("created the key file %s (keep it apart from the database backups)", path);
		return 0;
	}
	if (fd < 0) {
		log_error("cannot read the key file %s: %s", path, strerror(errno));
		return -1;
	}
	got = read(fd, hex, sizeof hex - 1);
	close(fd);
	if (got < 2 * SM_KEY_BYTES) {
		log_error("key file %s is too short", path);
		return -1;
	}
	if (sodium_hex2bin(key, SM_KEY_BYTES, hex, 2 * SM_KEY_BYTES, NULL, &bin_len, NULL) || bin_len != SM_KEY_BYTES) {
		log_error("key file %s is not %d hex digits", path, 2 * SM_KEY_BYTES);
		return -1;
	}
	return 0;
}
