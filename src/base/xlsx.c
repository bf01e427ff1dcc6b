/*
 * xlsx.c - one-sheet .xlsx workbooks without zlib. See xlsx.h.
 *
 * The archive follows PKWARE's APPNOTE 6.3.x: for each entry a local file
 * header (4.3.7) and the bytes, stored (method 0); then the central
 * directory (4.3.12) and its end record (4.3.16). The parts are the minimum
 * SpreadsheetML (ECMA-376 Part 1, 18.2-18.3; Part 2 for the package) that
 * Excel, WPS and LibreOffice open without a repair prompt.
 */
#include "base/xlsx.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing byte buffer ------------------------------------------------- */

struct buf {
	unsigned char *p;
	size_t n, cap;
};

struct xlsx {
	struct buf sheet;          /* the rows (the inside of <sheetData>) */
	char name[31 * 4 + 1];     /* the sheet's name, XML-escaped later */
	double widths[XLSX_MAX_COLS];
	int ncols;                 /* widths given */
	int frozen;                /* rows frozen at the top */
	int rows;                  /* rows started */
	int col;                   /* cells of the current row so far */
	int max_col;               /* the widest row, for <dimension> */
	enum xlsx_style style;     /* of the current row */
	int failed;                /* sticky */
};

static int buf_add(struct xlsx *x, struct buf *b, const void *s, size_t n)
{
	if (x->failed)
		return -1;
	if (n > XLSX_MAX_BYTES || b->n + n > XLSX_MAX_BYTES) {
		x->failed = 1;
		return -1;
	}
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			x->failed = 1;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	return 0;
}

static int buf_str(struct xlsx *x, struct buf *b, const char *s)
{
	return buf_add(x, b, s, strlen(s));
}

static int buf_fmt(struct xlsx *x, struct buf *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int buf_fmt(struct xlsx *x, struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		x->failed = 1;
		return -1;
	}
	return buf_add(x, b, tmp, (size_t)n);
}

/* ---- text ------------------------------------------------------------------- */

/* The code point of the valid UTF-8 sequence at p (at most `left` bytes) in
 * *cp and its length, or 0 when the bytes are not UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included). */
static int utf8_next(const unsigned char *p, size_t left, unsigned *cp)
{
	int n, i;
	unsigned c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, c = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, c = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if ((size_t)n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* XML 1.0 section 2.2: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
static int xml_char_ok(unsigned cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Append s as XML character data: escaped, forbidden characters and bytes
 * that are not UTF-8 dropped, at most max_chars characters. *kept: how many
 * characters went in. */
static int xml_text(struct xlsx *x, struct buf *b, const char *s, size_t max_chars, size_t *kept)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), chars = 0;

	while (left && chars < max_chars) {
		unsigned cp;
		int n = utf8_next(p, left, &cp);
		const char *esc = NULL;

		if (n == 0) { /* not UTF-8: drop the byte */
			p++, left--;
			continue;
		}
		if (!xml_char_ok(cp)) {
			p += n, left -= (size_t)n;
			continue;
		}
		switch (cp) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&apos;"; break;
		case '\r': esc = "&#13;"; break; /* a raw CR would be read back as LF */
		default: break;
		}
		if (esc ? buf_str(x, b, esc) : buf_add(x, b, p, (size_t)n))
			return -1;
		p += n, left -= (size_t)n;
		chars++;
	}
	if (kept)
		*kept = chars;
	return 0;
}

/* ---- the sheet ------------------------------------------------------------------ */

struct xlsx *xlsx_new(const char *name, const double *widths, int ncols, int frozen_rows)
{
	struct xlsx *x = calloc(1, sizeof *x);
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	size_t left = strlen((const char *)p), o = 0, chars = 0;
	int i;

	if (!x)
		return NULL;
	/* Excel: 1-31 characters, none of : \ / ? * [ ] */
	while (left && chars < 31) {
		unsigned cp;
		int n = utf8_next(p, left, &cp);

		if (n == 0) {
			p++, left--;
			continue;
		}
		if (xml_char_ok(cp) && cp >= 0x20) {
			if (cp < 0x80 && strchr(":\\/?*[]", (int)cp))
				x->name[o++] = '_';
			else
				memcpy(x->name + o, p, (size_t)n), o += (size_t)n;
			chars++;
		}
		p += n, left -= (size_t)n;
	}
	x->name[o] = '\0';
	/* nor may it begin or end with an apostrophe */
	if (o && x->name[0] == '\'')
		x->name[0] = '_';
	if (o && x->name[o - 1] == '\'')
		x->name[o - 1] = '_';
	if (!o)
		snprintf(x->name, sizeof x->name, "Sheet1");
	if (ncols > XLSX_MAX_COLS || ncols < 0)
		x->failed = 1;
	else if (widths)
		for (i = 0; i < ncols; i++)
			x->widths[x->ncols++] = widths[i] > 0 && widths[i] <= 255 ? widths[i] : 8.43;
	x->frozen = frozen_rows > 0 && frozen_rows < 1000 ? frozen_rows : 0;
	return x;
}

void xlsx_free(struct xlsx *x)
{
	if (!x)
		return;
	free(x->sheet.p);
	free(x);
}

int xlsx_rows(const struct xlsx *x)
{
	return x->rows;
}

/* "A".."Z", "AA".."BL" */
static void col_name(int col, char out[4])
{
	if (col < 26) {
		out[0] = (char)('A' + col);
		out[1] = '\0';
	} else {
		out[0] = (char)('A' + col / 26 - 1);
		out[1] = (char)('A' + col % 26);
		out[2] = '\0';
	}
}

static int row_close(struct xlsx *x)
{
	return x->rows ? buf_str(x, &x->sheet, "</row>") : 0;
}

int xlsx_row(struct xlsx *x, enum xlsx_style style)
{
	if (x->failed || row_close(x))
		return -1;
	x->rows++;
	x->col = 0;
	x->style = style;
	return buf_fmt(x, &x->sheet, "<row r=\"%d\">", x->rows);
}

/* The next cell's column; -1 when there is no row or no column left. */
static int next_col(struct xlsx *x)
{
	if (x->failed)
		return -1;
	if (!x->rows || x->col >= XLSX_MAX_COLS) {
		x->failed = 1;
		return -1;
	}
	if (x->col + 1 > x->max_col)
		x->max_col = x->col + 1;
	return x->col++;
}

static const char *style_attr(const struct xlsx *x)
{
	return x->style == XLSX_BOLD ? " s=\"1\"" : "";
}

int xlsx_skip(struct xlsx *x)
{
	return next_col(x) < 0 ? -1 : 0;
}

int xlsx_str(struct xlsx *x, const char *s)
{
	int col = next_col(x);
	char ref[4];
	size_t mark, kept = 0;

	if (col < 0)
		return -1;
	if (!s || !*s)
		return 0;
	col_name(col, ref);
	mark = x->sheet.n;
	if (buf_fmt(x, &x->sheet, "<c r=\"%s%d\" t=\"inlineStr\"%s><is><t xml:space=\"preserve\">", ref, x->rows,
		    style_attr(x)) ||
	    xml_text(x, &x->sheet, s, XLSX_MAX_CELL_CHARS, &kept))
		return -1;
	if (kept == 0) { /* nothing was left of it: no cell at all */
		x->sheet.n = mark;
		return 0;
	}
	return buf_str(x, &x->sheet, "</t></is></c>");
}

int xlsx_int(struct xlsx *x, long long v)
{
	int col = next_col(x);
	char ref[4];

	if (col < 0)
		return -1;
	col_name(col, ref);
	return buf_fmt(x, &x->sheet, "<c r=\"%s%d\"%s><v>%lld</v></c>", ref, x->rows, style_attr(x), v);
}

/* ---- CRC-32 ---------------------------------------------------------------------- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	uint32_t k;

	for (k = 0; k < 256; k++) {
		uint32_t c = k;
		int j;

		for (j = 0; j < 8; j++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[k] = c;
	}
}

uint32_t xlsx_crc32(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	for (i = 0; i < n; i++)
		crc = crc_table[(crc ^ b[i]) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

/* ---- the package -------------------------------------------------------------------- */

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_OOXML "application/vnd.openxmlformats-officedocument."

static const char content_types[] =
	XML_HEAD
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT_OOXML "spreadsheetml.sheet.main+xml\"/>"
	"<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT_OOXML "spreadsheetml.worksheet+xml\"/>"
	"<Override PartName=\"/xl/styles.xml\" ContentType=\"" CT_OOXML "spreadsheetml.styles+xml\"/>"
	"</Types>";

static const char root_rels[] =
	XML_HEAD
	"<Relationships xmlns=\"" NS_PKG_REL "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
	"</Relationships>";

static const char workbook_rels[] =
	XML_HEAD
	"<Relationships xmlns=\"" NS_PKG_REL "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
	"</Relationships>";

/* style 0: plain; style 1: bold (the header). 等线 is Office's default CJK face. */
static const char styles[] =
	XML_HEAD
	"<styleSheet xmlns=\"" NS_MAIN "\">"
	"<fonts count=\"2\">"
	"<font><sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>"
	"<font><b/><sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/></font>"
	"</fonts>"
	"<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
	"<fill><patternFill patternType=\"gray125\"/></fill></fills>"
	"<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
	"<cellXfs count=\"2\">"
	"<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
	"<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
	"</cellXfs>"
	"<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
	"</styleSheet>";

struct part {
	const char *name;
	const unsigned char *data[3]; /* up to three pieces, written one after the other */
	size_t len[3];
	uint32_t crc;
	size_t size, offset;
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xFF);
	p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

#define LOCAL_HEAD 30
#define CENTRAL_HEAD 46
#define END_RECORD 22
#define DOS_DATE ((0u << 9) | (1u << 5) | 1u) /* 1980-01-01, 00:00:00: the output depends on the content only */

/* One header: local (central = 0) or central directory. */
static size_t zip_header(unsigned char *o, const struct part *pt, int central)
{
	size_t nlen = strlen(pt->name);
	unsigned char *p = o;

	put32(p, central ? 0x02014b50u : 0x04034b50u), p += 4;
	if (central)
		put16(p, 20), p += 2; /* made by: MS-DOS attributes, spec 2.0 */
	put16(p, 20), p += 2;         /* needed to extract: 2.0 */
	put16(p, 0), p += 2;          /* flags: none (the names are ASCII) */
	put16(p, 0), p += 2;          /* method: stored */
	put16(p, 0), p += 2;          /* time */
	put16(p, DOS_DATE), p += 2;
	put32(p, pt->crc), p += 4;
	put32(p, (uint32_t)pt->size), p += 4; /* compressed = uncompressed */
	put32(p, (uint32_t)pt->size), p += 4;
	put16(p, (unsigned)nlen), p += 2;
	put16(p, 0), p += 2; /* extra field */
	if (central) {
		put16(p, 0), p += 2; /* comment */
		put16(p, 0), p += 2; /* disk */
		put16(p, 0), p += 2; /* internal attributes */
		put32(p, 0), p += 4; /* external attributes */
		put32(p, (uint32_t)pt->offset), p += 4;
	}
	memcpy(p, pt->name, nlen);
	return (size_t)(p - o) + nlen;
}

int xlsx_finish(struct xlsx *x, unsigned char **out, size_t *len)
{
	struct buf head = { 0 }, tail = { 0 }, book = { 0 };
	struct part parts[6];
	size_t n = sizeof parts / sizeof parts[0], total = END_RECORD, i, o, cd_start;
	unsigned char *z = NULL;
	char last[4];
	int rc = -1, c;

	*out = NULL;
	*len = 0;
	if (x->failed || row_close(x))
		goto out;
	/* the sheet: what comes before the rows, the rows, what comes after */
	buf_str(x, &head, XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\">");
	col_name(x->max_col > 0 ? x->max_col - 1 : 0, last);
	if (x->rows)
		buf_fmt(x, &head, "<dimension ref=\"A1:%s%d\"/>", last, x->rows);
	if (x->frozen)
		buf_fmt(x, &head,
			"<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"%d\" topLeftCell=\"A%d\""
			" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView></sheetViews>",
			x->frozen, x->frozen + 1);
	else
		buf_str(x, &head, "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>");
	if (x->ncols) {
		buf_str(x, &head, "<cols>");
		for (c = 0; c < x->ncols; c++)
			buf_fmt(x, &head, "<col min=\"%d\" max=\"%d\" width=\"%.2f\" customWidth=\"1\"/>", c + 1, c + 1,
				x->widths[c]);
		buf_str(x, &head, "</cols>");
	}
	buf_str(x, &head, "<sheetData>");
	buf_str(x, &tail, "</sheetData></worksheet>");
	/* the workbook names the sheet */
	buf_str(x, &book, XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets><sheet name=\"");
	xml_text(x, &book, x->name, 31, NULL);
	buf_str(x, &book, "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	if (x->failed)
		goto out;

	memset(parts, 0, sizeof parts);
	parts[0].name = "[Content_Types].xml";
	parts[0].data[0] = (const unsigned char *)content_types, parts[0].len[0] = sizeof content_types - 1;
	parts[1].name = "_rels/.rels";
	parts[1].data[0] = (const unsigned char *)root_rels, parts[1].len[0] = sizeof root_rels - 1;
	parts[2].name = "xl/workbook.xml";
	parts[2].data[0] = book.p, parts[2].len[0] = book.n;
	parts[3].name = "xl/_rels/workbook.xml.rels";
	parts[3].data[0] = (const unsigned char *)workbook_rels, parts[3].len[0] = sizeof workbook_rels - 1;
	parts[4].name = "xl/styles.xml";
	parts[4].data[0] = (const unsigned char *)styles, parts[4].len[0] = sizeof styles - 1;
	parts[5].name = "xl/worksheets/sheet1.xml";
	parts[5].data[0] = head.p, parts[5].len[0] = head.n;
	parts[5].data[1] = x->sheet.p, parts[5].len[1] = x->sheet.n;
	parts[5].data[2] = tail.p, parts[5].len[2] = tail.n;

	for (i = 0; i < n; i++) {
		int k;

		for (k = 0; k < 3; k++) {
			if (!parts[i].len[k])
				continue;
			parts[i].crc = xlsx_crc32(parts[i].crc, parts[i].data[k], parts[i].len[k]);
			parts[i].size += parts[i].len[k];
		}
		total += LOCAL_HEAD + CENTRAL_HEAD + 2 * strlen(parts[i].name) + parts[i].size;
	}
	if (total > XLSX_MAX_BYTES)
		goto out;
	z = malloc(total);
	if (!z)
		goto out;
	o = 0;
	for (i = 0; i < n; i++) {
		int k;

		parts[i].offset = o;
		o += zip_header(z + o, &parts[i], 0);
		for (k = 0; k < 3; k++)
			if (parts[i].len[k]) {
				memcpy(z + o, parts[i].data[k], parts[i].len[k]);
				o += parts[i].len[k];
			}
	}
	cd_start = o;
	for (i = 0; i < n; i++)
		o += zip_header(z + o, &parts[i], 1);
	put32(z + o, 0x06054b50u);
	put16(z + o + 4, 0);                      /* this disk */
	put16(z + o + 6, 0);                      /* the disk the directory starts on */
	put16(z + o + 8, (unsigned)n);            /* entries on this disk */
	put16(z + o + 10, (unsigned)n);           /* entries */
	put32(z + o + 12, (uint32_t)(o - cd_start)); /* directory size */
	put32(z + o + 16, (uint32_t)cd_start);    /* directory offset */
	put16(z + o + 20, 0);                     /* comment */
	o += END_RECORD;
	*out = z;
	*len = o;
	z = NULL;
	rc = 0;
out:
	free(z);
	free(head.p);
	free(tail.p);
	free(book.p);
	xlsx_free(x);
	return rc;
}
