#include "domain/mask.h"

#include <string.h>

/* Byte length of the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static size_t count_chars(const char *s)
{
	size_t n = 0;

	while (*s) {
		size_t l = seq_len((unsigned char)*s);

		while (l-- && *s)
			s++;
		n++;
	}
	return n;
}

/* Output that stops at the first character that does not fit whole. */
struct w {
	char *out;
	size_t cap, o;
	int full;
};

static void put(struct w *w, const char *s, size_t n)
{
	if (w->full || w->o + n >= w->cap) {
		w->full = 1;
		return;
	}
	memcpy(w->out + w->o, s, n);
	w->o += n;
}

/* Append the whole character at *s; advance *s. */
static void put_char(const char **s, struct w *w)
{
	size_t l = seq_len((unsigned char)**s), i;

	for (i = 0; i < l && (*s)[i]; i++)
		;
	put(w, *s, i);
	*s += i;
}

/* Keep `head` characters and `tail` characters, one '*' for each in between;
 * text too short to keep both becomes all stars but its last character. */
static void keep_ends(const char *s, size_t head, size_t tail, char *out, size_t cap)
{
	size_t n = count_chars(s), i;
	struct w w = { out, cap, 0, 0 };

	if (!cap)
		return;
	if (n < head + tail + 1) {
		head = 0;
		tail = n > 1 ? 1 : 0;
	}
	for (i = 0; i < n; i++) {
		if (i < head || i >= n - tail) {
			put_char(&s, &w);
		} else {
			size_t l = seq_len((unsigned char)*s);

			while (l-- && *s)
				s++;
			put(&w, "*", 1);
		}
	}
	out[w.o] = '\0';
}

void mask_id_number(const char *s, char *out, size_t cap)
{
	keep_ends(s, 3, 4, out, cap);
}

void mask_phone(const char *s, char *out, size_t cap)
{
	keep_ends(s, 3, 4, out, cap);
}

/* The administrative part ends after the last 省 市 区 县 旗 州 盟 镇 乡 街道
 * within the first 12 characters; without one, the first 6 characters stay. */
void mask_address(const char *s, char *out, size_t cap)
{
	static const char *const ends[] = { "省", "市", "区", "县", "旗", "州", "盟", "镇", "乡", "街道", NULL };
	const char *p = s, *keep_to = NULL;
	size_t n = 0, i;
	struct w w = { out, cap, 0, 0 };

	if (!cap)
		return;
	while (*p && n < 12) {
		for (i = 0; ends[i]; i++)
			if (strncmp(p, ends[i], strlen(ends[i])) == 0)
				keep_to = p + strlen(ends[i]);
		p += seq_len((unsigned char)*p);
		n++;
	}
	if (!keep_to) {
		size_t total = count_chars(s);

		/* short text keeps at most half of itself */
		for (p = s, n = 0; *p && n < 6 && n < total / 2; n++)
			p += seq_len((unsigned char)*p);
		keep_to = p;
	}
	for (p = s; *p && p < keep_to;)
		put_char(&p, &w);
	put(&w, "****", 4);
	out[w.o] = '\0';
}
