/*
 * test_xlsx.c - the .xlsx writer behind the list exports (src/base/xlsx.c).
 *
 * The archive is read back by a small ZIP reader written here from PKWARE's
 * APPNOTE (4.3.7 local header, 4.3.12 central directory, 4.3.16 end record)
 * with its own bit-by-bit CRC-32, so the writer's CRC is checked against an
 * independent one; the parts are checked against ECMA-376 (the package's
 * content types and relationships, SpreadsheetML inline strings) and XML 1.0
 * section 2.2 (the characters a document may hold). The attachment sniffer
 * (src/domain/sniff.c) must take the result for an .xlsx, as Excel would.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xlsx.h"
#include "domain/sniff.h"

/* ---- an independent reader ----------------------------------------------------- */

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* CRC-32 one bit at a time (no table): ISO 3309 / ITU-T V.42, reflected. */
static uint32_t slow_crc(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

struct entry {
	char name[64];
	const unsigned char *data;
	size_t size;
};

/* Every entry of a stored ZIP, checked: the end record, each central entry
 * against its local header, method 0, sizes, CRC. Returns the count. */
static int unzip(const unsigned char *z, size_t n, struct entry *out, int max)
{
	const unsigned char *end, *cd;
	unsigned entries, i;
	uint32_t cd_size, cd_off;

	cr_assert_geq(n, 22);
	end = z + n - 22; /* no archive comment */
	cr_assert_eq(get32(end), 0x06054b50u, "end of central directory record");
	cr_assert_eq(get16(end + 4), 0);
	cr_assert_eq(get16(end + 6), 0);
	entries = get16(end + 10);
	cr_assert_eq(get16(end + 8), entries);
	cd_size = get32(end + 12);
	cd_off = get32(end + 16);
	cr_assert_eq((size_t)cd_off + cd_size, n - 22, "the directory ends where the end record starts");
	cr_assert_leq((int)entries, max);
	cd = z + cd_off;
	for (i = 0; i < entries; i++) {
		unsigned nlen, elen, clen;
		uint32_t crc, csize, usize, loff;
		const unsigned char *lh;

		cr_assert_leq((size_t)(cd - z) + 46, n);
		cr_assert_eq(get32(cd), 0x02014b50u, "central directory header %u", i);
		cr_assert_eq(get16(cd + 10), 0, "stored");
		crc = get32(cd + 16);
		csize = get32(cd + 20);
		usize = get32(cd + 24);
		nlen = get16(cd + 28);
		elen = get16(cd + 30);
		clen = get16(cd + 32);
		loff = get32(cd + 42);
		cr_assert_eq(csize, usize, "stored: compressed = uncompressed size");
		cr_assert_lt(nlen, sizeof out[i].name);
		memcpy(out[i].name, cd + 46, nlen);
		out[i].name[nlen] = '\0';
		lh = z + loff;
		cr_assert_eq(get32(lh), 0x04034b50u, "local header of %s", out[i].name);
		cr_assert_eq(get16(lh + 8), 0);
		cr_assert_eq(get32(lh + 14), crc);
		cr_assert_eq(get32(lh + 18), csize);
		cr_assert_eq(get32(lh + 22), usize);
		cr_assert_eq(get16(lh + 26), nlen);
		cr_assert_eq(memcmp(lh + 30, out[i].name, nlen), 0, "the same name in both headers");
		out[i].data = lh + 30 + nlen + get16(lh + 28);
		out[i].size = usize;
		cr_assert_leq((size_t)(out[i].data - z) + usize, cd_off, "%s lies before the directory", out[i].name);
		cr_assert_eq(slow_crc(out[i].data, usize), crc, "CRC-32 of %s", out[i].name);
		cd += 46 + nlen + elen + clen;
	}
	cr_assert_eq(cd, z + cd_off + cd_size);
	return (int)entries;
}

/* A part as a NUL-terminated string (the caller frees), or NULL. */
static char *part(const struct entry *e, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0) {
			char *s = malloc(e[i].size + 1);

			cr_assert_not_null(s);
			memcpy(s, e[i].data, e[i].size);
			s[e[i].size] = '\0';
			cr_assert_eq(strlen(s), e[i].size, "%s holds no NUL byte", name);
			return s;
		}
	return NULL;
}

/* The sheet of a finished workbook; checks the package around it. */
struct book {
	unsigned char *z;
	size_t n;
	struct entry e[8];
	int ne;
	char *sheet, *workbook;
};

static void open_book(struct book *b, struct xlsx *x)
{
	static const char *const names[] = { "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
					     "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml" };
	char *ct, *rels, *wrels, *styles;
	size_t i;

	memset(b, 0, sizeof *b);
	cr_assert_eq(xlsx_finish(x, &b->z, &b->n), 0);
	b->ne = unzip(b->z, b->n, b->e, 8);
	cr_assert_eq(b->ne, 6, "six parts");
	for (i = 0; i < 6; i++)
		cr_assert_str_eq(b->e[i].name, names[i], "part %zu", i);
	ct = part(b->e, b->ne, "[Content_Types].xml");
	cr_assert(strstr(ct, "PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\""));
	cr_assert(strstr(ct, "PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\""));
	cr_assert(strstr(ct, "PartName=\"/xl/styles.xml\""));
	rels = part(b->e, b->ne, "_rels/.rels");
	cr_assert(strstr(rels, "relationships/officeDocument\" Target=\"xl/workbook.xml\""));
	wrels = part(b->e, b->ne, "xl/_rels/workbook.xml.rels");
	cr_assert(strstr(wrels, "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\""));
	cr_assert(strstr(wrels, "relationships/styles\" Target=\"styles.xml\""));
	styles = part(b->e, b->ne, "xl/styles.xml");
	cr_assert(strstr(styles, "<cellXfs count=\"2\">"));
	cr_assert(strstr(styles, "<font><b/>"), "style 1 is bold");
	b->workbook = part(b->e, b->ne, "xl/workbook.xml");
	cr_assert(strstr(b->workbook, "r:id=\"rId1\""));
	b->sheet = part(b->e, b->ne, "xl/worksheets/sheet1.xml");
	cr_assert(strncmp(b->sheet, "<?xml version=\"1.0\" encoding=\"UTF-8\"", 36) == 0);
	cr_assert(strstr(b->sheet, "</sheetData></worksheet>"));
	/* what any reader of an upload would see: a workbook, no macros */
	cr_assert_eq(sniff(b->z, b->n), SNIFF_XLSX);
	free(ct);
	free(rels);
	free(wrels);
	free(styles);
}

static void close_book(struct book *b)
{
	free(b->z);
	free(b->sheet);
	free(b->workbook);
}

/* ---- CRC-32 --------------------------------------------------------------------------- */

Test(xlsx_crc32, known_vectors)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";

	cr_assert_eq(xlsx_crc32(0, "", 0), 0x00000000u);
	cr_assert_eq(xlsx_crc32(0, "a", 1), 0xE8B7BE43u);
	cr_assert_eq(xlsx_crc32(0, "abc", 3), 0x352441C2u);
	/* the check value of CRC-32/ISO-HDLC (the catalogue's "123456789") */
	cr_assert_eq(xlsx_crc32(0, "123456789", 9), 0xCBF43926u);
	cr_assert_eq(xlsx_crc32(0, fox, sizeof fox - 1), 0x414FA339u);
}

Test(xlsx_crc32, continues_across_pieces_and_matches_bitwise)
{
	unsigned char buf[4096];
	size_t i;
	uint32_t c;

	for (i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 3));
	c = xlsx_crc32(0, "12345", 5);
	cr_assert_eq(xlsx_crc32(c, "6789", 4), 0xCBF43926u);
	c = xlsx_crc32(0, buf, 1000);
	c = xlsx_crc32(c, buf + 1000, sizeof buf - 1000);
	cr_assert_eq(c, slow_crc(buf, sizeof buf));
}

/* ---- workbooks ---------------------------------------------------------------------------- */

Test(xlsx, header_rows_widths_and_frozen_pane)
{
	static const double w[] = { 18, 40, 8 };
	struct xlsx *x = xlsx_new("信访事项", w, 3, 1);
	struct book b;

	cr_assert_not_null(x);
	cr_assert_eq(xlsx_row(x, XLSX_BOLD), 0);
	cr_assert_eq(xlsx_str(x, "信访件编号"), 0);
	cr_assert_eq(xlsx_str(x, "标题"), 0);
	cr_assert_eq(xlsx_str(x, "人数"), 0);
	cr_assert_eq(xlsx_row(x, XLSX_PLAIN), 0);
	cr_assert_eq(xlsx_str(x, "XF2026112200001"), 0);
	cr_assert_eq(xlsx_str(x, "某建筑公司拖欠农民工工资"), 0);
	cr_assert_eq(xlsx_int(x, 12), 0);
	cr_assert_eq(xlsx_row(x, XLSX_PLAIN), 0);
	cr_assert_eq(xlsx_str(x, "XF2026112200002"), 0);
	cr_assert_eq(xlsx_skip(x), 0); /* an empty cell: nothing written */
	cr_assert_eq(xlsx_int(x, -3), 0);
	cr_assert_eq(xlsx_rows(x), 3);
	open_book(&b, x);
	cr_assert(strstr(b.workbook, "<sheet name=\"信访事项\" sheetId=\"1\" r:id=\"rId1\"/>"), "%s", b.workbook);
	cr_assert(strstr(b.sheet, "<dimension ref=\"A1:C3\"/>"), "%s", b.sheet);
	cr_assert(strstr(b.sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
	cr_assert(strstr(b.sheet, "<col min=\"1\" max=\"1\" width=\"18.00\" customWidth=\"1\"/>"));
	cr_assert(strstr(b.sheet, "<col min=\"2\" max=\"2\" width=\"40.00\" customWidth=\"1\"/>"));
	cr_assert(strstr(b.sheet, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">信访件编号</t></is></c>"),
		  "the header is bold: %s", b.sheet);
	cr_assert(strstr(b.sheet, "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">XF2026112200001</t></is></c>"));
	cr_assert(strstr(b.sheet, "<c r=\"C2\"><v>12</v></c></row>"));
	cr_assert(strstr(b.sheet, "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">XF2026112200002</t></is></c><c r=\"C3\"><v>-3</v></c></row>"),
		  "the skipped cell B3 is absent: %s", b.sheet);
	close_book(&b);
}

Test(xlsx, markup_is_escaped_never_a_formula)
{
	struct xlsx *x = xlsx_new("s", NULL, 0, 0);
	struct book b;

	xlsx_row(x, XLSX_PLAIN);
	xlsx_str(x, "a<b>&\"c'</t></is></c><c><f>1+1</f>");
	xlsx_str(x, "=HYPERLINK(\"http://x\",\"点我\")");
	xlsx_str(x, "&amp;");
	open_book(&b, x);
	cr_assert(strstr(b.sheet, ">a&lt;b&gt;&amp;&quot;c&apos;&lt;/t&gt;&lt;/is&gt;&lt;/c&gt;&lt;c&gt;&lt;f&gt;1+1&lt;/f&gt;</t>"), "%s",
		  b.sheet);
	/* a leading "=" stays text: inline strings are never formulas */
	cr_assert(strstr(b.sheet, "<c r=\"B1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">=HYPERLINK(&quot;http://x&quot;,&quot;点我&quot;)</t>"));
	cr_assert(strstr(b.sheet, ">&amp;amp;</t>"));
	cr_assert_null(strstr(b.sheet, "<f>"));
	cr_assert_null(strstr(b.sheet, "<sheetViews><sheetView workbookViewId=\"0\"><pane"), "no frozen pane asked for");
	close_book(&b);
}

Test(xlsx, characters_xml_forbids_are_dropped)
{
	struct xlsx *x = xlsx_new("s", NULL, 0, 0);
	struct book b;
	const char *p;

	xlsx_row(x, XLSX_PLAIN);
	/* C0 controls other than tab, LF, CR; DEL stays (XML allows it) */
	xlsx_str(x, "a\x01" "b\x08" "c\x0b" "d\x0c" "e\x1f" "f\tg\nh\ri\x7fj");
	/* U+FFFE and U+FFFF (EF BF BE, EF BF BF); U+FFFD stays */
	xlsx_str(x, "k\xef\xbf\xbel\xef\xbf\xbfm\xef\xbf\xbdn");
	/* bytes that are not UTF-8: a lone continuation, 0xFF, an overlong NUL, a surrogate, a cut sequence */
	xlsx_str(x, "o\x80p\xffq\xc0\x80r\xed\xa0\x80s\xe4\xbf");
	/* nothing left: no cell */
	xlsx_str(x, "\x01\x02\x03");
	xlsx_str(x, "end");
	open_book(&b, x);
	cr_assert(strstr(b.sheet, ">abcdef\tg\nh&#13;i\x7fj</t>"), "%s", b.sheet);
	cr_assert(strstr(b.sheet, ">klm\xef\xbf\xbdn</t>"), "%s", b.sheet);
	cr_assert(strstr(b.sheet, ">opqrs</t>"), "%s", b.sheet);
	cr_assert_null(strstr(b.sheet, "r=\"D1\""), "a cell of nothing but forbidden characters is left out");
	cr_assert(strstr(b.sheet, "<c r=\"E1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">end</t>"));
	/* no forbidden byte anywhere in the part */
	for (p = b.sheet; *p; p++) {
		unsigned char c = (unsigned char)*p;

		cr_assert(c >= 0x20 || c == '\t' || c == '\n', "byte 0x%02x at %td", c, p - b.sheet);
	}
	close_book(&b);
}

Test(xlsx, cjk_and_beyond_the_bmp_kept_whole)
{
	struct xlsx *x = xlsx_new("待办事项", NULL, 0, 1);
	struct book b;

	xlsx_row(x, XLSX_BOLD);
	xlsx_str(x, "问题属地");
	xlsx_row(x, XLSX_PLAIN);
	xlsx_str(x, "黑龙江省哈尔滨市道里区　安静街"); /* with a full-width space */
	xlsx_str(x, "𠀀𪚥😀");                          /* CJK Extension B, U+2A6A5, an emoji: four bytes each */
	open_book(&b, x);
	cr_assert(strstr(b.sheet, ">问题属地</t>"));
	cr_assert(strstr(b.sheet, ">黑龙江省哈尔滨市道里区　安静街</t>"));
	cr_assert(strstr(b.sheet, ">𠀀𪚥😀</t>"));
	cr_assert(strstr(b.workbook, "name=\"待办事项\""));
	close_book(&b);
}

Test(xlsx, zero_rows_is_still_a_workbook)
{
	struct book b;

	open_book(&b, xlsx_new("空", NULL, 0, 0));
	cr_assert(strstr(b.sheet, "<sheetData></sheetData></worksheet>"), "%s", b.sheet);
	cr_assert_null(strstr(b.sheet, "<dimension"));
	cr_assert_null(strstr(b.sheet, "<row"));
	close_book(&b);

	/* a header and no data rows: what an export of an empty list is */
	{
		static const double w[] = { 18 };
		struct xlsx *x = xlsx_new("信访事项", w, 1, 1);

		xlsx_row(x, XLSX_BOLD);
		xlsx_str(x, "信访件编号");
		open_book(&b, x);
		cr_assert(strstr(b.sheet, "<dimension ref=\"A1:A1\"/>"));
		cr_assert(strstr(b.sheet, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">信访件编号</t></is></c></row></sheetData>"));
		close_book(&b);
	}
}

Test(xlsx, sheet_names_follow_excel_rules)
{
	struct book b;

	open_book(&b, xlsx_new("a:b\\c/d?e*f[g]h", NULL, 0, 0));
	cr_assert(strstr(b.workbook, "name=\"a_b_c_d_e_f_g_h\""), "%s", b.workbook);
	close_book(&b);
	/* 31 characters at most (characters, not bytes) */
	open_book(&b, xlsx_new("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", NULL, 0, 0));
	cr_assert(strstr(b.workbook, "name=\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\""), "%s", b.workbook);
	close_book(&b);
	open_book(&b, xlsx_new("", NULL, 0, 0));
	cr_assert(strstr(b.workbook, "name=\"Sheet1\""));
	close_book(&b);
	open_book(&b, xlsx_new("'x&y'", NULL, 0, 0));
	cr_assert(strstr(b.workbook, "name=\"_x&amp;y_\""), "%s", b.workbook);
	close_book(&b);
}

Test(xlsx, columns_past_z_and_the_limits)
{
	struct xlsx *x = xlsx_new("s", NULL, 0, 0);
	struct book b;
	unsigned char *out = (unsigned char *)"untouched";
	size_t len = 7;
	char *big;
	size_t i;
	int c;

	xlsx_row(x, XLSX_PLAIN);
	for (c = 0; c < XLSX_MAX_COLS; c++)
		cr_assert_eq(xlsx_int(x, c), 0);
	open_book(&b, x);
	cr_assert(strstr(b.sheet, "<c r=\"Z1\"><v>25</v></c><c r=\"AA1\"><v>26</v></c>"));
	cr_assert(strstr(b.sheet, "<c r=\"BL1\"><v>63</v></c></row>"));
	cr_assert(strstr(b.sheet, "<dimension ref=\"A1:BL1\"/>"));
	close_book(&b);

	/* one column too many: the error sticks and finish reports it */
	x = xlsx_new("s", NULL, 0, 0);
	xlsx_row(x, XLSX_PLAIN);
	for (c = 0; c < XLSX_MAX_COLS; c++)
		xlsx_skip(x);
	cr_assert_eq(xlsx_str(x, "x"), -1);
	cr_assert_eq(xlsx_row(x, XLSX_PLAIN), -1);
	cr_assert_eq(xlsx_finish(x, &out, &len), -1);
	cr_assert_null(out);
	cr_assert_eq(len, 0);

	/* a cell before any row */
	x = xlsx_new("s", NULL, 0, 0);
	cr_assert_eq(xlsx_str(x, "x"), -1);
	xlsx_free(x);

	/* text is cut at Excel's 32767 characters (characters, not bytes) */
	big = malloc(40000 * 3 + 1);
	for (i = 0; i < 40000; i++)
		memcpy(big + 3 * i, "中", 3);
	big[40000 * 3] = '\0';
	x = xlsx_new("s", NULL, 0, 0);
	xlsx_row(x, XLSX_PLAIN);
	xlsx_str(x, big);
	open_book(&b, x);
	{
		const char *t = strstr(b.sheet, "preserve\">") + 10;
		const char *e = strstr(t, "</t>");

		cr_assert_eq((size_t)(e - t), (size_t)XLSX_MAX_CELL_CHARS * 3);
	}
	close_book(&b);
	free(big);
	xlsx_free(NULL);
}

Test(xlsx, the_same_content_gives_the_same_bytes)
{
	unsigned char *a, *b;
	size_t na, nb;
	int k;

	for (k = 0; k < 2; k++) {
		struct xlsx *x = xlsx_new("s", NULL, 0, 1);

		xlsx_row(x, XLSX_BOLD);
		xlsx_str(x, "标题");
		xlsx_row(x, XLSX_PLAIN);
		xlsx_str(x, "内容");
		cr_assert_eq(xlsx_finish(x, k ? &b : &a, k ? &nb : &na), 0);
	}
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(a, b, na), 0, "no clock in the archive");
	free(a);
	free(b);
}
