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

int sm_sm3(const void *const *parts, const size_t *lens, int n, unsigned char out[SM3_BYTES])
{
	EVP_MD *md = EVP_MD_fetch(NULL, "SM3", NULL);
	EVP_MD_CTX *ctx = md ? EVP_MD_CTX_new() : NULL;
	unsigned int len = 0;
	int i, rc = -1;

	if (!ctx || !EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	for (i = 0; i < n; i++)
		if (!EVP_DigestUpdate(ctx, parts[i], lens[i]))
			goto out;
	rc = EVP_DigestFinal_ex(ctx, out, &len) && len == SM3_BYTES ? 0 : -1;
out:
	if (rc)
		log_error("SM3 unavailable (OpenSSL 3 default provider)");
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
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

int sm_keys_derive(const unsigned char master[SM_KEY_BYTES], struct sm_keys *k)
{
	static const char *const purpose[] = { "xinfang sm4 v1", "xinfang seal-mac v1", "xinfang index v1" };
	unsigned char *const dest[] = { k->enc, k->mac, k->index };
	const size_t size[] = { sizeof k->enc, sizeof k->mac, sizeof k->index };
	unsigned char out[SM3_BYTES];
	int i;

	/* the audit chain has used the master key itself since schema 4; kept so
	 * older logs still verify (its inputs never look like these labels) */
	memcpy(k->audit, master, sizeof k->audit);
	for (i = 0; i < 3; i++) {
		const void *parts[1] = { purpose[i] };
		size_t lens[1] = { strlen(purpose[i]) };

		if (sm_hmac_sm3(master, parts, lens, 1, out))
			return -1;
		memcpy(dest[i], out, size[i]);
	}
	sodium_memzero(out, sizeof out);
	return 0;
}

/* SM4-CTR is its own inverse. */
static int sm4_ctr(const unsigned char key[16], const unsigned char iv[SM_IV_BYTES],
		   const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
	int len = 0, fin = 0, rc = -1;
	size_t done = 0;

	if (!ctx || !c || !EVP_EncryptInit_ex2(ctx, c, key, iv, NULL))
		goto out;
	while (done < n) {
		int chunk = n - done > (1u << 30) ? 1 << 30 : (int)(n - done);

		if (!EVP_EncryptUpdate(ctx, out + done, &len, in + done, chunk) || len != chunk)
			goto out;
		done += (size_t)chunk;
	}
	if (!EVP_EncryptFinal_ex(ctx, out + done, &fin) || fin != 0)
		goto out;
	rc = 0;
out:
	if (rc)
		log_error("SM4-CTR unavailable (OpenSSL 3 default provider)");
	EVP_CIPHER_free(c);
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

static int seal_tag(const struct sm_keys *k, const unsigned char *iv_ct, size_t n,
		    unsigned char tag[SM_TAG_BYTES])
{
	unsigned char full[SM3_BYTES];
	const void *parts[1] = { iv_ct };
	size_t lens[1] = { n };

	if (sm_hmac_sm3(k->mac, parts, lens, 1, full))
		return -1;
	memcpy(tag, full, SM_TAG_BYTES);
	return 0;
}

int sm_seal(const struct sm_keys *k, const void *pt, size_t n, unsigned char *out)
{
	randombytes_buf(out, SM_IV_BYTES);
	if (sm4_ctr(k->enc, out, pt, n, out + SM_IV_BYTES))
		return -1;
	return seal_tag(k, out, SM_IV_BYTES + n, out + SM_IV_BYTES + n);
}

int sm_open(const struct sm_keys *k, const unsigned char *in, size_t n, unsigned char *pt)
{
	unsigned char tag[SM_TAG_BYTES];

	if (n < SM_SEAL_OVERHEAD || seal_tag(k, in, n - SM_TAG_BYTES, tag) ||
	    sodium_memcmp(tag, in + n - SM_TAG_BYTES, SM_TAG_BYTES) != 0)
		return -1;
	return sm4_ctr(k->enc, in, in + SM_IV_BYTES, n - SM_SEAL_OVERHEAD, pt);
}

#define TEXT_PREFIX "sm4:"

char *sm_seal_text(const struct sm_keys *k, const char *s)
{
	size_t n = strlen(s), sealed_len = n + SM_SEAL_OVERHEAD;
	size_t b64 = sodium_base64_ENCODED_LEN(sealed_len, sodium_base64_VARIANT_ORIGINAL);
	unsigned char *sealed = malloc(sealed_len);
	char *out = malloc(sizeof TEXT_PREFIX - 1 + b64);

	if (!sealed || !out || sm_seal(k, s, n, sealed)) {
		free(sealed);
		free(out);
		return NULL;
	}
	memcpy(out, TEXT_PREFIX, sizeof TEXT_PREFIX - 1);
	sodium_bin2base64(out + sizeof TEXT_PREFIX - 1, b64, sealed, sealed_len, sodium_base64_VARIANT_ORIGINAL);
	free(sealed);
	return out;
}

char *sm_open_text(const struct sm_keys *k, const char *text)
{
	size_t n, bin_len = 0;
	unsigned char *bin;
	char *out;

	if (!text || strncmp(text, TEXT_PREFIX, sizeof TEXT_PREFIX - 1) != 0)
		return NULL;
	text += sizeof TEXT_PREFIX - 1;
	n = strlen(text);
	bin = malloc(n / 4 * 3 + 3);
	if (!bin)
		return NULL;
	if (sodium_base642bin(bin, n / 4 * 3 + 3, text, n, NULL, &bin_len, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    bin_len < SM_SEAL_OVERHEAD || !(out = malloc(bin_len - SM_SEAL_OVERHEAD + 1))) {
		free(bin);
		return NULL;
	}
	if (sm_open(k, bin, bin_len, (unsigned char *)out)) {
		free(bin);
		free(out);
		return NULL;
	}
	out[bin_len - SM_SEAL_OVERHEAD] = '\0';
	free(bin);
	return out;
}

int sm_index(const struct sm_keys *k, const char *s, char hex[2 * SM3_BYTES + 1])
{
	unsigned char h[SM3_BYTES];
	const void *parts[1] = { s };
	size_t lens[1] = { strlen(s) };

	if (sm_hmac_sm3(k->index, parts, lens, 1, h))
		return -1;
	sodium_bin2hex(hex, 2 * SM3_BYTES + 1, h, SM3_BYTES);
	return 0;
}
