/*
 * sniff.c - file types from content, and download names. See sniff.h.
 *
 * Formats: PDF (ISO 32000 §7.5.2 header), JPEG (ITU T.81 SOI + marker),
 * PNG (RFC 2083 signature + IHDR), OLE2 compound files ([MS-CFB]: header,
 * DIFAT, FAT, directory red-black tree), Office Open XML (ZIP central
 * directory, APPNOTE 4.3.12/4.3.16), MPEG-1/2/2.5 audio layer III frame
 * headers (ISO 11172-3 §2.4.2.3) and ID3v2, AMR storage (RFC 4867 §5).
 */
#include "domain/sniff.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct sniff_info infos[SNIFF__COUNT] = {
	[SNIFF_PDF] = { "pdf", "application/pdf", "pdf", NULL },
	[SNIFF_JPEG] = { "jpg", "image/jpeg", "jpg", "jpeg" },
	[SNIFF_PNG] = { "png", "image/png", "png", NULL },
	[SNIFF_DOC] = { "doc", "application/msword", "doc", NULL },
	[SNIFF_XLS] = { "xls", "application/vnd.ms-excel", "xls", NULL },
	[SNIFF_DOCX] = { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			 "docx", NULL },
	[SNIFF_XLSX] = { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			 "xlsx", NULL },
	[SNIFF_MP3] = { "mp3", "audio/mpeg", "mp3", NULL },
	[SNIFF_AMR] = { "amr", "audio/amr", "amr", NULL },
	[SNIFF_AMR_WB] = { "amr-wb", "audio/amr-wb", "awb", "amr" },
};

const struct sniff_info *sniff_info(sniff_type t)
{
	return t > SNIFF_NONE && t < SNIFF__COUNT ? &infos[t] : NULL;
}

sniff_type sniff_by_name(const char *name)
{
	int t;

	for (t = SNIFF_NONE + 1; name && t < SNIFF__COUNT; t++)
		if (strcmp(infos[t].name, name) == 0)
			return (sniff_type)t;
	return SNIFF_NONE;
}

const char *sniff_allowed_text(void)
{
	return "PDF、JPG、PNG、DOC、DOCX、XLS、XLSX、MP3、AMR";
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- OLE2 compound files ([MS-CFB]) ------------------------------------------ */

#define CFB_END 0xFFFFFFFEu      /* ENDOFCHAIN */
#define CFB_NOSTREAM 0xFFFFFFFFu
#define CFB_MAXREG 0xFFFFFFFAu   /* larger ids are special values */
#define CFB_DIR_SECTORS 256      /* directory sectors looked at */
#define CFB_VISITS 1024          /* directory entries looked at */

struct cfb {
	const unsigned char *p;
	size_t n;
	unsigned shift; /* sector size = 1 << shift: 512 (v3) or 4096 (v4) */
	size_t ss;
};

/* Offset of sector sid, or 0 when it is not a sector inside the file. */
static size_t cfb_off(const struct cfb *c, uint32_t sid)
{
	uint64_t off = ((uint64_t)sid + 1) << c->shift;

	if (sid > CFB_MAXREG || off > c->n || c->n - off < c->ss)
		return 0;
	return (size_t)off;
}

/* The sector id of the i-th FAT sector: 109 in the header, the rest in the
 * DIFAT chain (each DIFAT sector: ss/4 - 1 ids, then the next DIFAT sector). */
static int cfb_fat_sector(const struct cfb *c, uint32_t i, uint32_t *out)
{
	uint32_t per = (uint32_t)(c->ss / 4 - 1), sid;
	size_t off, steps = 0;

	if (i < 109) {
		*out = le32(c->p + 0x4C + 4 * i);
		return 0;
	}
	i -= 109;
	sid = le32(c->p + 0x44);
	while (i >= per) {
		off = cfb_off(c, sid);
		if (!off || ++steps > c->n / c->ss)
			return -1;
		sid = le32(c->p + off + c->ss - 4);
		i -= per;
	}
	off = cfb_off(c, sid);
	if (!off)
		return -1;
	*out = le32(c->p + off + 4 * i);
	return 0;
}

/* The sector after sid in its chain (from the FAT). */
static int cfb_next(const struct cfb *c, uint32_t sid, uint32_t *next)
{
	uint32_t per = (uint32_t)(c->ss / 4), fat;
	size_t off;

	if (cfb_fat_sector(c, sid / per, &fat))
		return -1;
	off = cfb_off(c, fat);
	if (!off)
		return -1;
	*next = le32(c->p + off + 4 * (sid % per));
	return 0;
}

/* Does the directory entry's name equal `ascii` (UTF-16LE, compared without case)? */
static int cfb_name_is(const unsigned char *e, const char *ascii)
{
	size_t len = strlen(ascii), i;
	uint16_t nlen = le16(e + 0x40);

	if (nlen != 2 * (len + 1) || nlen > 64)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned ch = le16(e + 2 * i), a = (unsigned char)ascii[i];

		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (ch != a)
			return 0;
	}
	return 1;
}

/* Word or Excel: the streams directly under the root storage. */
static sniff_type sniff_cfb(const unsigned char *p, size_t n)
{
	static const unsigned char sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	struct cfb c = { p, n, 0, 0 };
	uint32_t dirs[CFB_DIR_SECTORS], sid, stack[64], id;
	size_t ndir = 0, nstack = 0, visits = 0, per_sector;
	int word = 0, excel = 0;
	uint16_t major;
	const unsigned char *root;

	if (n < 512 || memcmp(p, sig, 8) != 0 || le16(p + 0x1C) != 0xFFFE)
		return SNIFF_NONE;
	major = le16(p + 0x1A);
	c.shift = le16(p + 0x1E);
	if (!((major == 3 && c.shift == 9) || (major == 4 && c.shift == 12)))
		return SNIFF_NONE;
	c.ss = (size_t)1 << c.shift;
	/* the directory stream's sectors */
	for (sid = le32(p + 0x30); sid != CFB_END && ndir < CFB_DIR_SECTORS;) {
		if (!cfb_off(&c, sid))
			return SNIFF_NONE;
		dirs[ndir++] = sid;
		if (cfb_next(&c, sid, &sid))
			return SNIFF_NONE;
	}
	if (ndir == 0)
		return SNIFF_NONE;
	per_sector = c.ss / 128;
#define ENTRY(k) (p + cfb_off(&c, dirs[(k) / per_sector]) + ((k) % per_sector) * 128)
	root = ENTRY(0);
	if (root[0x42] != 5) /* the root storage */
		return SNIFF_NONE;
	/* walk the root's children: its child, then every left and right sibling */
	id = le32(root + 0x4C);
	if (id != CFB_NOSTREAM)
		stack[nstack++] = id;
	while (nstack && visits++ < CFB_VISITS) {
		const unsigned char *e;
		uint32_t l, r;

		id = stack[--nstack];
		if (id > CFB_MAXREG || id == 0 || id / per_sector >= ndir)
			return SNIFF_NONE;
		e = ENTRY(id);
		if (e[0x42] == 2) { /* a stream */
			word |= cfb_name_is(e, "WordDocument");
			excel |= cfb_name_is(e, "Workbook") || cfb_name_is(e, "Book");
		}
		l = le32(e + 0x44);
		r = le32(e + 0x48);
		if (l != CFB_NOSTREAM && nstack < 64)
			stack[nstack++] = l;
		if (r != CFB_NOSTREAM && nstack < 64)
			stack[nstack++] = r;
	}
#undef ENTRY
	if (word && !excel)
		return SNIFF_DOC;
	if (excel && !word)
		return SNIFF_XLS;
	return SNIFF_NONE;
}

/* ---- Office Open XML (ZIP) ---------------------------------------------------- */

static int has_prefix(const unsigned char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

static int has_suffix(const unsigned char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static sniff_type sniff_zip(const unsigned char *p, size_t n)
{
	size_t eocd = 0, i, pos, end, lo;
	uint32_t entries, cd_size, cd_off;
	int types = 0, word = 0, excel = 0, macros = 0, found = 0;

	if (n < 30 + 22 || memcmp(p, "PK\x03\x04", 4) != 0)
		return SNIFF_NONE;
	/* the end of central directory record: in the last 22 + 65535 bytes */
	lo = n > 22 + 65535 ? n - 22 - 65535 : 0;
	for (i = n - 22 + 1; i-- > lo;)
		if (memcmp(p + i, "PK\x05\x06", 4) == 0) {
			eocd = i;
			found = 1;
			break;
		}
	if (!found)
		return SNIFF_NONE;
	entries = le16(p + eocd + 10);
	cd_size = le32(p + eocd + 12);
	cd_off = le32(p + eocd + 16);
	if (cd_off > eocd || cd_size > eocd - cd_off) /* also refuses ZIP64 (0xFFFFFFFF) */
		return SNIFF_NONE;
	pos = cd_off;
	end = (size_t)cd_off + cd_size;
	for (i = 0; i < entries; i++) {
		const unsigned char *name;
		size_t nlen;

		if (end - pos < 46 || memcmp(p + pos, "PK\x01\x02", 4) != 0)
			return SNIFF_NONE;
		nlen = le16(p + pos + 28);
		if (end - pos - 46 < nlen + le16(p + pos + 30) + le16(p + pos + 32))
			return SNIFF_NONE;
		name = p + pos + 46;
		types |= nlen == 19 && memcmp(name, "[Content_Types].xml", 19) == 0;
		word |= has_prefix(name, nlen, "word/");
		excel |= has_prefix(name, nlen, "xl/");
		/* docm/xlsm: the VBA project; not on the list */
		macros |= has_suffix(name, nlen, "vbaProject.bin") || has_suffix(name, nlen, "vbaProjectSignature.bin");
		pos += 46 + nlen + le16(p + pos + 30) + le16(p + pos + 32);
	}
	if (!types || macros)
		return SNIFF_NONE;
	if (word && !excel)
		return SNIFF_DOCX;
	if (excel && !word)
		return SNIFF_XLSX;
	return SNIFF_NONE;
}

/* ---- MP3 ----------------------------------------------------------------------- */

/* The length of the MPEG audio layer III frame whose header is at p, or 0. */
static size_t mpeg_frame(const unsigned char *p, size_t n)
{
	static const unsigned short kbps1[16] = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0 };
	static const unsigned short kbps2[16] = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0 };
	static const unsigned rates[4][3] = { { 11025, 12000, 8000 }, { 0, 0, 0 }, { 22050, 24000, 16000 },
					      { 44100, 48000, 32000 } };
	unsigned version, layer, br, sr, pad;

	if (n < 4 || p[0] != 0xFF || (p[1] & 0xE0) != 0xE0)
		return 0;
	version = (p[1] >> 3) & 3; /* 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1 */
	layer = (p[1] >> 1) & 3;   /* 1: layer III */
	br = p[2] >> 4;
	sr = (p[2] >> 2) & 3;
	pad = (p[2] >> 1) & 1;
	if (version == 1 || layer != 1 || br == 0 || br == 15 || sr == 3 || (p[3] & 3) == 2)
		return 0;
	if (version == 3)
		return 144000u * kbps1[br] / rates[version][sr] + pad;
	return 72000u * kbps2[br] / rates[version][sr] + pad;
}

static sniff_type sniff_mp3(const unsigned char *p, size_t n)
{
	size_t off = 0, len, skipped = 0;

	if (n >= 10 && memcmp(p, "ID3", 3) == 0) {
		if (p[3] < 2 || p[3] > 4 || p[4] == 0xFF || ((p[6] | p[7] | p[8] | p[9]) & 0x80))
			return SNIFF_NONE;
		off = 10 + ((size_t)p[6] << 21 | (size_t)p[7] << 14 | (size_t)p[8] << 7 | p[9]);
		if (p[5] & 0x10) /* footer */
			off += 10;
		/* some encoders pad with zeros past the tag */
		while (off < n && p[off] == 0 && skipped++ < 4096)
			off++;
	}
	if (off >= n)
		return SNIFF_NONE;
	len = mpeg_frame(p + off, n - off);
	if (!len)
		return SNIFF_NONE;
	/* a second frame (or the ID3v1 trailer) where the first one ends, when the file goes on */
	if (n - off >= len + 4 && !mpeg_frame(p + off + len, n - off - len) &&
	    memcmp(p + off + len, "TAG", 3) != 0)
		return SNIFF_NONE;
	return SNIFF_MP3;
}

/* ---- the rest ------------------------------------------------------------------- */

sniff_type sniff(const void *data, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };
	const unsigned char *p = data;

	if (!p || n == 0)
		return SNIFF_NONE;
	if (n >= 6 && memcmp(p, "%PDF-", 5) == 0 && p[5] >= '0' && p[5] <= '9')
		return SNIFF_PDF;
	if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF && p[3] >= 0xC0 && p[3] != 0xFF)
		return SNIFF_JPEG;
	if (n >= 16 && memcmp(p, png, 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0)
		return SNIFF_PNG;
	if (n > 6 && memcmp(p, "#!AMR\n", 6) == 0)
		return SNIFF_AMR;
	if (n > 9 && memcmp(p, "#!AMR-WB\n", 9) == 0)
		return SNIFF_AMR_WB;
	if (n >= 8 && p[0] == 0xD0 && p[1] == 0xCF)
		return sniff_cfb(p, n);
	if (n >= 4 && p[0] == 'P' && p[1] == 'K')
		return sniff_zip(p, n);
	return sniff_mp3(p, n);
}

/* ---- names ----------------------------------------------------------------------- */

/* The code point at s and its length in bytes; 0 when s is not valid UTF-8 there. */
static int utf8_next(const unsigned char *s, unsigned *cp)
{
	int len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, *cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, *cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, *cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && *cp < 0x800) || (len == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)) ||
	    (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

int sniff_name_check(const char *name, const char **code, const char **why)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t chars = 0;
	int only_dots = 1;

	*code = "validation.invalid";
	if (!name || !*name) {
		*code = "validation.required";
		*why = "请在 name 参数中给出文件名";
		return -1;
	}
	while (*s) {
		unsigned cp;
		int len = utf8_next(s, &cp);

		if (!len) {
			*why = "文件名不是合法的 UTF-8 文本";
			return -1;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			*why = "文件名不能含控制字符";
			return -1;
		}
		if (cp == '/' || cp == '\\') {
			*why = "文件名不能含路径分隔符（/ 或 \\）";
			return -1;
		}
		if (cp < 0x80 && strchr(":*?\"<>|", (int)cp)) {
			*why = "文件名不能含 : * ? \" < > | 等字符";
			return -1;
		}
		if (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF) {
			*why = "文件名不能含文字方向控制字符";
			return -1;
		}
		only_dots &= cp == '.' || cp == ' ' || cp == 0x3000;
		chars++;
		s += len;
	}
	if (chars > SNIFF_NAME_MAX) {
		*code = "validation.too_long";
		*why = "文件名不能超过100个字";
		return -1;
	}
	if (only_dots) {
		*why = "文件名不能只由点和空格组成";
		return -1;
	}
	return 0;
}

static int lower_eq(const char *a, size_t n, const char *b)
{
	size_t i;

	if (!b || strlen(b) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 'a' - 'A');
		if (c != b[i])
			return 0;
	}
	return 1;
}

/* Where the extension of name begins (after the last dot), or NULL when it has none:
 * 1-5 ASCII letters or digits, and something before the dot. */
static const char *extension(const char *name)
{
	const char *dot = strrchr(name, '.'), *e;

	if (!dot || dot == name || !dot[1] || strlen(dot + 1) > 5)
		return NULL;
	for (e = dot + 1; *e; e++)
		if (!((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9')))
			return NULL;
	return dot + 1;
}

int sniff_name_fix(const char *name, sniff_type t, char *out, size_t n)
{
	const struct sniff_info *info = sniff_info(t);
	const char *ext = extension(name);
	size_t base;
	int w;

	if (!info)
		return -1;
	if (ext && (lower_eq(ext, strlen(ext), info->ext) || lower_eq(ext, strlen(ext), info->alt_ext))) {
		w = snprintf(out, n, "%s", name);
		return w < 0 || (size_t)w >= n ? -1 : 0;
	}
	base = ext ? (size_t)(ext - 1 - name) : strlen(name);
	w = snprintf(out, n, "%.*s.%s", (int)base, name, info->ext);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int sniff_disposition(const char *name, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char fallback[128];
	const char *ext = extension(name);
	size_t f = 0, o = 0, i, len = strlen(name);
	int kept = 0, w;

	/* the ASCII fallback: runs of anything else become one "_" */
	for (i = 0; i < len && f < sizeof fallback - 8; i++) {
		unsigned char c = (unsigned char)name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_' || c == '(' || c == ')') {
			fallback[f++] = (char)c;
			kept += c != '.' && c != '_' && (!ext || name + i < ext - 1);
		} else if (!f || fallback[f - 1] != '_') {
			fallback[f++] = '_';
		}
	}
	fallback[f] = '\0';
	if (!kept || i < len)
		snprintf(fallback, sizeof fallback, "attachment%s%.5s", ext ? "." : "", ext ? ext : "");
	w = snprintf(out, n, "attachment; filename=\"%s\"; filename*=UTF-8''", fallback);
	if (w < 0 || (size_t)w >= n)
		return -1;
	o = (size_t)w;
	/* RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else %XX */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c && strchr("!#$&+-.^_`|~", c))) {
			if (o + 1 >= n)
				return -1;
			out[o++] = (char)c;
		} else {
			if (o + 3 >= n)
				return -1;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return 0;
}
