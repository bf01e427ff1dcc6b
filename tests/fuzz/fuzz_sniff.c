/*
 * fuzz_sniff.c - libFuzzer harness for what an upload's body and name go
 * through before anything is stored (src/domain/sniff.h): the content
 * sniffer (PDF, JPEG, PNG, OLE2 compound files, ZIP central directories,
 * MP3 frames, AMR) and the file-name check, repair and Content-Disposition.
 *
 * The input is the file (exactly `size` bytes, so ASan sees any read past
 * it); the same bytes up to the first NUL are also the file name. A
 * violation of these aborts:
 *   sniff       a type in range, NONE for no bytes, the same answer twice,
 *               sniff_info and sniff_by_name agree with it;
 *   name_check  an accepted name is valid UTF-8, 1..100 characters, with no
 *               control, path or reserved character;
 *   name_fix    fits or says it does not (never writes past n), and the
 *               name it makes carries one of the type's extensions;
 *   disposition printable ASCII only (a header value), the quoted fallback
 *               free of '"' and '\', and the filename* part decoding back to
 *               the name exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "domain/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                       \
	do {                                                            \
		fprintf(stderr, "fuzz_sniff: " __VA_ARGS__);            \
		fputc('\n', stderr);                                    \
		abort();                                                \
	} while (0)

static void check_sniff(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	sniff_type t, t2;
	const struct sniff_info *info;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	t = sniff(copy, size);
	if ((int)t < SNIFF_NONE || t >= SNIFF__COUNT)
		FAIL("sniff returned %d", (int)t);
	if (size == 0 && t != SNIFF_NONE)
		FAIL("sniff of no bytes is %d", (int)t);
	t2 = sniff(copy, size);
	if (t2 != t)
		FAIL("sniff is not deterministic: %d then %d", (int)t, (int)t2);
	info = sniff_info(t);
	if ((t == SNIFF_NONE) != (info == NULL))
		FAIL("sniff_info(%d) disagrees", (int)t);
	if (info && (sniff_by_name(info->name) != t || !info->mime || !info->ext))
		FAIL("sniff_by_name(%s) disagrees", info->name);
	free(copy);
}

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = ext ? strlen(ext) : 0;

	return ext && n > e && name[n - e - 1] == '.' && strcasecmp(name + n - e, ext) == 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void check_disposition(const char *name)
{
	char out[2048], decoded[1024], *q, *star;
	size_t i, d = 0;
	int n;

	if (sniff_disposition(name, out, sizeof out) != 0)
		FAIL("sniff_disposition failed for a %zu-byte name", strlen(name));
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			FAIL("Content-Disposition has byte %02x", (unsigned char)out[i]);
	if (strncmp(out, "attachment; filename=\"", 22) != 0)
		FAIL("Content-Disposition does not start as it should: %s", out);
	q = strchr(out + 22, '"');
	if (!q || strncmp(q, "\"; filename*=UTF-8''", 20) != 0)
		FAIL("Content-Disposition: the quoted name is not closed where it should be: %s", out);
	if (memchr(out + 22, '\\', (size_t)(q - out - 22)))
		FAIL("Content-Disposition: a backslash in the quoted name: %s", out);
	star = q + 20;
	for (i = 0; star[i]; i++) {
		if (star[i] == '%') {
			int hi = hexval(star[i + 1]), lo = hi < 0 ? -1 : hexval(star[i + 2]);

			if (lo < 0)
				FAIL("Content-Disposition: a bad %% escape: %s", out);
			decoded[d++] = (char)(hi << 4 | lo);
			i += 2;
		} else if ((star[i] >= 'a' && star[i] <= 'z') || (star[i] >= 'A' && star[i] <= 'Z') ||
			   (star[i] >= '0' && star[i] <= '9') || strchr("!#$&+-.^_`|~", star[i])) {
			decoded[d++] = star[i];
		} else {
			FAIL("Content-Disposition: '%c' is not an attr-char: %s", star[i], out);
		}
		if (d >= sizeof decoded - 1)
			FAIL("Content-Disposition: filename* longer than expected");
	}
	decoded[d] = '\0';
	if (strcmp(decoded, name) != 0)
		FAIL("Content-Disposition: filename* does not decode to the name");
	/* a buffer too small is refused, never overrun */
	for (n = 1; n < 64; n += 7) {
		char *small = malloc((size_t)n);

		if (!small)
			abort();
		if (sniff_disposition(name, small, (size_t)n) == 0 && strlen(small) >= (size_t)n)
			FAIL("sniff_disposition overran %d bytes", n);
		free(small);
	}
}

static void check_name(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1);
	const char *code = NULL, *why = NULL;
	json_t *j;
	size_t i;
	int t, n;

	if (!name)
		abort();
	memcpy(name, data, size);
	name[size] = '\0';
	if (sniff_name_check(name, &code, &why) != 0) {
		if (!code || !why)
			FAIL("sniff_name_check refused without a code and a reason");
		free(name);
		return;
	}
	j = json_string(name);
	if (!j)
		FAIL("sniff_name_check accepted invalid UTF-8");
	if (json_string_length(j) == 0 || json_string_length(j) > 4 * SNIFF_NAME_MAX)
		FAIL("sniff_name_check accepted a name of %zu bytes", json_string_length(j));
	json_decref(j);
	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || strchr("/\\:*?\"<>|", c))
			FAIL("sniff_name_check accepted byte %02x", c);
	}
	for (t = SNIFF_NONE + 1; t < SNIFF__COUNT; t++) {
		const struct sniff_info *info = sniff_info((sniff_type)t);
		char out[1024];

		if (sniff_name_fix(name, (sniff_type)t, out, sizeof out) != 0)
			FAIL("sniff_name_fix failed for type %s", info->name);
		if (!has_ext(out, info->ext) && !has_ext(out, info->alt_ext))
			FAIL("sniff_name_fix made \"%s\" for type %s", out, info->name);
		if (!(j = json_string(out)))
			FAIL("sniff_name_fix made invalid UTF-8");
		json_decref(j);
		for (n = 1; n < 48; n += 5) {
			char *small = malloc((size_t)n);

			if (!small)
				abort();
			if (sniff_name_fix(name, (sniff_type)t, small, (size_t)n) == 0 && strlen(small) >= (size_t)n)
				FAIL("sniff_name_fix overran %d bytes", n);
			free(small);
		}
		check_disposition(out);
	}
	check_disposition(name);
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_sniff(data, size);
	check_name(data, size);
	return 0;
}
