/*
 * test_sniff.c - attachments: the type is detected from the bytes against
 * the allow-list (issue 4 "Attachments": pdf, jpg, png, doc/docx, xls/xlsx,
 * mp3/amr; everything else refused), and the names files are handed back
 * under (RFC 6266 / RFC 8187 Content-Disposition).
 *
 * The samples are built here from the formats' own specifications, with
 * their real magic numbers: PDF (ISO 32000-1 §7.5.2), JPEG (ITU-T T.81
 * B.1.1.2), PNG (ISO 15948 §5.2-5.3), OLE2 compound files ([MS-CFB] §2.2,
 * 2.6), ZIP (PKWARE APPNOTE §4.3.7, 4.3.12, 4.3.16), MPEG audio layer III
 * (ISO 11172-3 §2.4.1.3), ID3v2.4 (§3.1), AMR (RFC 4867 §5).
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/sniff.h"

#define NS 0xFFFFFFFFu   /* NOSTREAM */
#define END 0xFFFFFFFEu  /* ENDOFCHAIN */
#define FREE 0xFFFFFFFFu /* FREESECT */
#define FATSECT 0xFFFFFFFDu
#define DIFSECT 0xFFFFFFFCu

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

static sniff_type of(const void *p, size_t n)
{
	return sniff(p, n);
}

#define OF_STR(s) of(s, sizeof(s) - 1)

/* ---- OLE2 compound files -------------------------------------------------------- */

struct ent {
	const char *name;
	int type; /* 1 storage, 2 stream, 5 root */
	uint32_t left, right, child;
};

static const unsigned char CFB_SIG[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

static void cfb_header(unsigned char *out, unsigned major, unsigned shift)
{
	int i;

	memcpy(out, CFB_SIG, 8);
	put16(out + 0x18, 0x3E);
	put16(out + 0x1A, major);
	put16(out + 0x1C, 0xFFFE);
	put16(out + 0x1E, shift);
	put16(out + 0x20, 6);
	put32(out + 0x38, 4096);
	put32(out + 0x3C, END);
	put32(out + 0x44, END);
	for (i = 0; i < 109; i++)
		put32(out + 0x4C + 4 * i, FREE);
}

static void cfb_entry(unsigned char *d, const struct ent *e)
{
	size_t k, len = strlen(e->name);

	for (k = 0; k < len; k++)
		put16(d + 2 * k, (unsigned char)e->name[k]);
	put16(d + 0x40, (unsigned)(2 * (len + 1)));
	d[0x42] = (unsigned char)e->type;
	d[0x43] = 1;
	put32(d + 0x44, e->left);
	put32(d + 0x48, e->right);
	put32(d + 0x4C, e->child);
}

/* A compound file with sector size 1 << shift (9: version 3, 12: version 4): the
 * header, one FAT sector (sector 0), the directory in sectors 1.. ; *n its size. */
static unsigned char *cfb(const struct ent *e, int count, unsigned shift, size_t *n)
{
	size_t ss = (size_t)1 << shift, per = ss / 128;
	int dir_sectors = (int)((count + per - 1) / per), i;
	unsigned char *out, *fat;

	*n = ss * (size_t)(2 + dir_sectors);
	out = calloc(1, *n);
	cr_assert_not_null(out);
	cfb_header(out, shift == 9 ? 3 : 4, shift);
	put32(out + 0x2C, 1);
	put32(out + 0x30, 1);
	put32(out + 0x4C, 0);
	fat = out + ss;
	for (i = 0; i < (int)(ss / 4); i++)
		put32(fat + 4 * i, FREE);
	put32(fat, FATSECT);
	for (i = 0; i < dir_sectors; i++)
		put32(fat + 4 * (1 + i), i + 1 < dir_sectors ? (uint32_t)(2 + i) : END);
	for (i = 0; i < count; i++)
		cfb_entry(out + 2 * ss + 128 * (size_t)i, &e[i]);
	return out;
}

static sniff_type cfb_type(const struct ent *e, int count)
{
	size_t n;
	unsigned char *p = cfb(e, count, 9, &n);
	sniff_type t = sniff(p, n);

	free(p);
	return t;
}

Test(sniff, word_97_is_doc)
{
	/* a Word binary file: WordDocument, 1Table, the summary streams, all at the top */
	const struct ent e[] = {
		{ "Root Entry", 5, NS, NS, 2 },
		{ "1Table", 2, NS, NS, NS },
		{ "WordDocument", 2, 1, 3, NS },
		{ "\005SummaryInformation", 2, NS, NS, NS },
	};

	cr_assert_eq(cfb_type(e, 4), SNIFF_DOC);
	cr_assert_str_eq(sniff_info(SNIFF_DOC)->mime, "application/msword");
}

Test(sniff, excel_97_is_xls_and_excel_5_too)
{
	const struct ent biff8[] = {
		{ "Root Entry", 5, NS, NS, 1 },
		{ "Workbook", 2, NS, 2, NS },
		{ "\005DocumentSummaryInformation", 2, NS, NS, NS },
	};
	const struct ent biff5[] = {
		{ "Root Entry", 5, NS, NS, 1 },
		{ "Book", 2, NS, NS, NS },
	};

	cr_assert_eq(cfb_type(biff8, 3), SNIFF_XLS);
	cr_assert_eq(cfb_type(biff5, 2), SNIFF_XLS);
	cr_assert_str_eq(sniff_info(SNIFF_XLS)->mime, "application/vnd.ms-excel");
}

Test(sniff, stream_names_compare_without_case)
{
	const struct ent e[] = { { "Root Entry", 5, NS, NS, 1 }, { "WORKBOOK", 2, NS, NS, NS } };

	cr_assert_eq(cfb_type(e, 2), SNIFF_XLS);
}

Test(sniff, version_4_compound_file_with_4096_byte_sectors)
{
	const struct ent e[] = { { "Root Entry", 5, NS, NS, 1 }, { "WordDocument", 2, NS, NS, NS } };
	size_t n;
	unsigned char *p = cfb(e, 2, 12, &n);

	cr_assert_eq(sniff(p, n), SNIFF_DOC);
	put16(p + 0x1A, 3); /* version 3 must have 512-byte sectors */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	free(p);
}

Test(sniff, other_compound_files_are_refused)
{
	/* PowerPoint 97, an MSI installer (its streams have encoded names), Outlook .msg */
	const struct ent ppt[] = { { "Root Entry", 5, NS, NS, 1 }, { "PowerPoint Document", 2, NS, NS, NS } };
	const struct ent msi[] = { { "Root Entry", 5, NS, NS, 1 }, { "\005SummaryInformation", 2, NS, 2, NS },
				   { "Binary.exe", 2, NS, NS, NS } };
	const struct ent msg[] = { { "Root Entry", 5, NS, NS, 1 }, { "__substg1.0_0037001F", 2, NS, NS, NS } };
	const struct ent empty[] = { { "Root Entry", 5, NS, NS, NS } };

	cr_assert_eq(cfb_type(ppt, 2), SNIFF_NONE);
	cr_assert_eq(cfb_type(msi, 3), SNIFF_NONE);
	cr_assert_eq(cfb_type(msg, 2), SNIFF_NONE);
	cr_assert_eq(cfb_type(empty, 1), SNIFF_NONE);
}

Test(sniff, only_top_level_streams_count)
{
	/* a PowerPoint file embedding a Word document: WordDocument sits in a storage */
	const struct ent e[] = {
		{ "Root Entry", 5, NS, NS, 1 },
		{ "PowerPoint Document", 2, NS, 2, NS },
		{ "MBD0001", 1, NS, NS, 3 },
		{ "WordDocument", 2, NS, NS, NS },
	};
	/* both Word and Excel at the top: not one thing or the other */
	const struct ent both[] = {
		{ "Root Entry", 5, NS, NS, 1 },
		{ "WordDocument", 2, NS, 2, NS },
		{ "Workbook", 2, NS, NS, NS },
	};
	/* a Word document embedding an Excel sheet: Workbook is inside ObjectPool */
	const struct ent embed[] = {
		{ "Root Entry", 5, NS, NS, 1 },
		{ "WordDocument", 2, NS, 2, NS },
		{ "ObjectPool", 1, NS, NS, 3 },
		{ "Workbook", 2, NS, NS, NS },
	};
	/* a storage named like the stream is not the stream */
	const struct ent storage[] = { { "Root Entry", 5, NS, NS, 1 }, { "WordDocument", 1, NS, NS, NS } };

	cr_assert_eq(cfb_type(e, 4), SNIFF_NONE);
	cr_assert_eq(cfb_type(both, 3), SNIFF_NONE);
	cr_assert_eq(cfb_type(embed, 4), SNIFF_DOC);
	cr_assert_eq(cfb_type(storage, 2), SNIFF_NONE);
}

Test(sniff, directory_over_several_sectors_follows_the_fat)
{
	/* 9 entries: three directory sectors chained 1 -> 2 -> 3; the stream is in the last */
	struct ent e[9];
	int i;

	e[0] = (struct ent){ "Root Entry", 5, NS, NS, 1 };
	for (i = 1; i < 8; i++)
		e[i] = (struct ent){ "Filler", 2, NS, (uint32_t)(i + 1), NS };
	e[8] = (struct ent){ "Workbook", 2, NS, NS, NS };
	cr_assert_eq(cfb_type(e, 9), SNIFF_XLS);
}

Test(sniff, fat_beyond_the_header_is_found_through_the_difat)
{
	/* 512-byte sectors: the header lists 109 FAT sectors (13,952 sectors, ~7 MiB);
	 * a directory at sector 13,957 needs FAT sector 109, listed in a DIFAT sector */
	const uint32_t dir = 109 * 128 + 5;
	size_t n = (size_t)(dir + 2) * 512;
	unsigned char *p = calloc(1, n);
	const struct ent root = { "Root Entry", 5, NS, NS, 1 }, word = { "WordDocument", 2, NS, NS, NS };
	int i;

	cr_assert_not_null(p);
	cfb_header(p, 3, 9);
	put32(p + 0x2C, 110);
	put32(p + 0x30, dir);
	put32(p + 0x44, 0); /* first DIFAT sector */
	put32(p + 0x48, 1);
	for (i = 0; i < 109; i++)
		put32(p + 0x4C + 4 * i, 2); /* (the first 109 FAT sectors do not matter here) */
	for (i = 0; i < 128; i++)
		put32(p + 512 + 4 * i, FREE);
	put32(p + 512, 1);                /* DIFAT entry 0 = FAT sector #109 is sector 1 */
	put32(p + 512 + 127 * 4, END);    /* no further DIFAT sector */
	for (i = 0; i < 128; i++)
		put32(p + 1024 + 4 * i, FREE);
	put32(p + 1024 + 5 * 4, END);     /* the directory is one sector long */
	cfb_entry(p + (size_t)(dir + 1) * 512, &root);
	cfb_entry(p + (size_t)(dir + 1) * 512 + 128, &word);
	cr_assert_eq(sniff(p, n), SNIFF_DOC);
	put32(p + 512, 0x00FFFFFF); /* the DIFAT names a sector outside the file: refused, not misread */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	free(p);
}

Test(sniff, broken_compound_files_are_refused_without_reading_outside)
{
	const struct ent e[] = { { "Root Entry", 5, NS, NS, 1 }, { "WordDocument", 2, 1, 1, NS } };
	size_t n, k;
	unsigned char *p = cfb(e, 2, 9, &n);

	/* a tree whose entry points at itself: visited a bounded number of times */
	cr_assert_eq(sniff(p, n), SNIFF_DOC);
	/* a directory chain that loops (sector 1 -> 1) */
	put32(p + 512 + 4, 1);
	cr_assert_eq(sniff(p, n), SNIFF_DOC);
	put32(p + 512 + 4, END);
	/* a directory sector past the end of the file */
	put32(p + 0x30, 1000);
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	put32(p + 0x30, 1);
	/* an entry number past the directory */
	put32(p + 1024 + 0x4C, 77);
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	put32(p + 1024 + 0x4C, 1);
	/* the root entry is not a root */
	p[1024 + 0x42] = 1;
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	p[1024 + 0x42] = 5;
	/* byte order mark */
	put16(p + 0x1C, 0xFEFF);
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	put16(p + 0x1C, 0xFFFE);
	/* every truncation (ASan checks the reads) */
	for (k = 0; k < n; k++)
		cr_assert_eq(sniff(p, k), SNIFF_NONE, "truncated at %zu", k);
	free(p);
}

/* ---- Office Open XML ------------------------------------------------------------ */

/* A ZIP of empty stored entries with these names: local headers, central directory,
 * end record. */
static unsigned char *zip(const char *const *names, int count, size_t *n)
{
	unsigned char *out = calloc(1, 65536), *p = out;
	uint32_t offs[32], cd;
	int i;

	cr_assert_not_null(out);
	for (i = 0; i < count; i++) {
		size_t len = strlen(names[i]);

		offs[i] = (uint32_t)(p - out);
		memcpy(p, "PK\x03\x04", 4);
		put16(p + 4, 20);
		put16(p + 26, (unsigned)len);
		memcpy(p + 30, names[i], len);
		p += 30 + len;
	}
	cd = (uint32_t)(p - out);
	for (i = 0; i < count; i++) {
		size_t len = strlen(names[i]);

		memcpy(p, "PK\x01\x02", 4);
		put16(p + 4, 20);
		put16(p + 6, 20);
		put16(p + 28, (unsigned)len);
		put32(p + 42, offs[i]);
		memcpy(p + 46, names[i], len);
		p += 46 + len;
	}
	memcpy(p, "PK\x05\x06", 4);
	put16(p + 8, (unsigned)count);
	put16(p + 10, (unsigned)count);
	put32(p + 12, (uint32_t)(p - out) - cd);
	put32(p + 16, cd);
	p += 22;
	*n = (size_t)(p - out);
	return out;
}

static sniff_type zip_type(const char *const *names, int count)
{
	size_t n;
	unsigned char *p = zip(names, count, &n);
	sniff_type t = sniff(p, n);

	free(p);
	return t;
}

Test(sniff, word_2007_is_docx_and_excel_2007_is_xlsx)
{
	const char *docx[] = { "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
			       "docProps/core.xml" };
	const char *xlsx[] = { "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
			       "docProps/app.xml" };

	cr_assert_eq(zip_type(docx, 5), SNIFF_DOCX);
	cr_assert_eq(zip_type(xlsx, 5), SNIFF_XLSX);
	cr_assert_str_eq(sniff_info(SNIFF_DOCX)->mime,
			 "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	cr_assert_str_eq(sniff_info(SNIFF_XLSX)->mime,
			 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

Test(sniff, a_docx_with_an_embedded_workbook_is_still_a_docx)
{
	const char *d[] = { "[Content_Types].xml", "word/document.xml", "word/embeddings/Microsoft_Excel_Worksheet.xlsx" };

	cr_assert_eq(zip_type(d, 3), SNIFF_DOCX);
}

Test(sniff, other_zips_are_refused)
{
	const char *plain[] = { "readme.txt", "setup.exe" };
	const char *no_types[] = { "word/document.xml" };
	const char *pptx[] = { "[Content_Types].xml", "ppt/presentation.xml" };
	const char *both[] = { "[Content_Types].xml", "word/document.xml", "xl/workbook.xml" };
	const char *docm[] = { "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin" };
	const char *xlsm[] = { "[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin" };
	const char *jar[] = { "META-INF/MANIFEST.MF", "Main.class" };

	cr_assert_eq(zip_type(plain, 2), SNIFF_NONE, "a plain ZIP");
	cr_assert_eq(zip_type(no_types, 1), SNIFF_NONE, "no [Content_Types].xml");
	cr_assert_eq(zip_type(pptx, 2), SNIFF_NONE, "PowerPoint is not on the list");
	cr_assert_eq(zip_type(both, 3), SNIFF_NONE);
	cr_assert_eq(zip_type(docm, 3), SNIFF_NONE, "macros (docm)");
	cr_assert_eq(zip_type(xlsm, 3), SNIFF_NONE, "macros (xlsm)");
	cr_assert_eq(zip_type(jar, 2), SNIFF_NONE, "a Java archive");
}

Test(sniff, broken_zips_are_refused_without_reading_outside)
{
	const char *docx[] = { "[Content_Types].xml", "word/document.xml" };
	size_t n, k, eocd;
	unsigned char *p = zip(docx, 2, &n);

	eocd = n - 22;
	put32(p + eocd + 16, 0xFFFFFFFF); /* ZIP64 marker / offset past the end */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	put32(p + eocd + 16, 0);
	cr_assert_eq(sniff(p, n), SNIFF_NONE, "central directory pointing at a local header");
	free(p);
	p = zip(docx, 2, &n);
	put16(p + eocd + 10, 50); /* more entries than there are */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	free(p);
	p = zip(docx, 2, &n);
	for (k = 0; k < n; k++)
		cr_assert_eq(sniff(p, k), SNIFF_NONE, "truncated at %zu", k);
	/* something glued in front (a self-extracting archive): not a ZIP at offset 0 */
	memmove(p + 2, p, n);
	memcpy(p, "MZ", 2);
	cr_assert_eq(sniff(p, n + 2), SNIFF_NONE);
	free(p);
}

/* ---- images, PDF, audio ------------------------------------------------------------ */

Test(sniff, pdf_by_its_header)
{
	cr_assert_eq(OF_STR("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), SNIFF_PDF);
	cr_assert_eq(OF_STR("%PDF-2.0\n"), SNIFF_PDF);
	cr_assert_eq(OF_STR("%PDF-"), SNIFF_NONE, "no version");
	cr_assert_eq(OF_STR(" %PDF-1.4\n"), SNIFF_NONE, "not at the start");
	cr_assert_eq(OF_STR("<html>%PDF-1.4</html>"), SNIFF_NONE);
}

Test(sniff, jpeg_by_soi_and_a_marker)
{
	static const unsigned char jfif[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00 };
	static const unsigned char exif[] = { 0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0x00 };
	static const unsigned char raw[] = { 0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43 };

	cr_assert_eq(of(jfif, sizeof jfif), SNIFF_JPEG);
	cr_assert_eq(of(exif, sizeof exif), SNIFF_JPEG);
	cr_assert_eq(of(raw, sizeof raw), SNIFF_JPEG);
	cr_assert_eq(of(jfif, 3), SNIFF_NONE, "SOI without a marker");
	cr_assert_str_eq(sniff_info(SNIFF_JPEG)->name, "jpg");
}

Test(sniff, png_by_signature_and_ihdr)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13,
					     'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0 };
	unsigned char bad[sizeof png];

	cr_assert_eq(of(png, sizeof png), SNIFF_PNG);
	cr_assert_eq(of(png, 15), SNIFF_NONE);
	memcpy(bad, png, sizeof png);
	bad[4] = 0x0A; /* a signature mangled by a text-mode transfer */
	cr_assert_eq(of(bad, sizeof bad), SNIFF_NONE);
	memcpy(bad, png, sizeof png);
	memcpy(bad + 12, "tEXt", 4);
	cr_assert_eq(of(bad, sizeof bad), SNIFF_NONE, "IHDR must come first");
}

Test(sniff, amr_narrow_and_wide_band)
{
	cr_assert_eq(OF_STR("#!AMR\n\x3c\x48\xf5\x1f"), SNIFF_AMR);
	cr_assert_eq(OF_STR("#!AMR-WB\n\x04\x10"), SNIFF_AMR_WB);
	cr_assert_eq(OF_STR("#!AMR\n"), SNIFF_NONE, "no frame");
	cr_assert_eq(OF_STR("#!AMR\r\n\x3c"), SNIFF_NONE);
	cr_assert_str_eq(sniff_info(SNIFF_AMR)->mime, "audio/amr");
	cr_assert_str_eq(sniff_info(SNIFF_AMR_WB)->mime, "audio/amr-wb");
}

/* n bytes of MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz: 417 bytes each */
static unsigned char *mp3_frames(size_t frames, size_t *n)
{
	unsigned char *p = calloc(frames ? frames : 1, 417);
	size_t i;

	cr_assert_not_null(p);
	for (i = 0; i < frames; i++) {
		p[417 * i] = 0xFF;
		p[417 * i + 1] = 0xFB; /* MPEG-1, layer III, no CRC */
		p[417 * i + 2] = 0x90; /* 128 kbit/s, 44.1 kHz, no padding */
		p[417 * i + 3] = 0x64;
	}
	*n = 417 * frames;
	return p;
}

Test(sniff, mp3_by_frame_headers)
{
	size_t n;
	unsigned char *p = mp3_frames(3, &n);
	static const unsigned char mpeg2[] = { 0xFF, 0xF3, 0x80, 0xC4, 0, 0, 0, 0 }; /* MPEG-2 layer III, 64k, 22.05k */

	cr_assert_eq(sniff(p, n), SNIFF_MP3);
	cr_assert_eq(sniff(p, 417), SNIFF_MP3, "one frame");
	cr_assert_eq(sniff(mpeg2, sizeof mpeg2), SNIFF_MP3);
	p[417 + 1] = 0x00; /* the second frame is not where the first one ends */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	p[417 + 1] = 0xFB;
	p[1] = 0xFD; /* layer II: an MP2 file, not MP3 */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	p[1] = 0xEB; /* reserved MPEG version */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	p[1] = 0xFB;
	p[2] = 0xF0; /* bad bit rate index */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	p[2] = 0x9C; /* reserved sampling rate */
	cr_assert_eq(sniff(p, n), SNIFF_NONE);
	free(p);
}

Test(sniff, mp3_with_id3_tags)
{
	size_t n;
	unsigned char *frames = mp3_frames(2, &n), *p = calloc(1, n + 200);

	cr_assert_not_null(p);
	/* ID3v2.4 header: "ID3", 4.0, no flags, syncsafe size 100 */
	memcpy(p, "ID3\x04\x00\x00\x00\x00\x00\x64", 10);
	memcpy(p + 10, "TIT2", 4);
	memcpy(p + 110, frames, n);
	cr_assert_eq(sniff(p, 110 + n), SNIFF_MP3);
	/* zero padding after the tag */
	memmove(p + 130, p + 110, n);
	memset(p + 110, 0, 20);
	cr_assert_eq(sniff(p, 130 + n), SNIFF_MP3);
	/* a frame then the ID3v1 trailer */
	memcpy(p + 130 + 417, "TAG", 3);
	cr_assert_eq(sniff(p, 130 + n), SNIFF_MP3);
	/* a tag with nothing after it, a tag longer than the file, a size that is not syncsafe */
	cr_assert_eq(sniff(p, 110), SNIFF_NONE);
	p[9] = 0x7F;
	p[8] = 0x7F;
	cr_assert_eq(sniff(p, 130 + n), SNIFF_NONE);
	p[8] = 0;
	p[9] = 0x80;
	cr_assert_eq(sniff(p, 130 + n), SNIFF_NONE);
	/* an ID3 tag in front of a web page */
	p[9] = 10;
	memcpy(p + 20, "<html><script>alert(1)</script>", 31);
	cr_assert_eq(sniff(p, 60), SNIFF_NONE);
	free(frames);
	free(p);
}

Test(sniff, everything_else_is_refused)
{
	static const unsigned char elf[] = { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0 };
	static const unsigned char gif[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0 };
	static const unsigned char rar[] = { 'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00 };
	static const unsigned char sevenz[] = { '7', 'z', 0xBC, 0xAF, 0x27, 0x1C, 0, 4 };
	static const unsigned char gz[] = { 0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0 };

	cr_assert_eq(sniff(NULL, 0), SNIFF_NONE);
	cr_assert_eq(sniff("", 0), SNIFF_NONE, "empty");
	cr_assert_eq(OF_STR("<!doctype html><html><body>hi</body></html>"), SNIFF_NONE, "HTML");
	cr_assert_eq(OF_STR("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>"),
		     SNIFF_NONE, "SVG");
	cr_assert_eq(OF_STR("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), SNIFF_NONE, "a Windows executable");
	cr_assert_eq(of(elf, sizeof elf), SNIFF_NONE, "ELF");
	cr_assert_eq(OF_STR("#!/bin/sh\nrm -rf /\n"), SNIFF_NONE, "a script");
	cr_assert_eq(OF_STR("身份证号 230102198503150017"), SNIFF_NONE, "text");
	cr_assert_eq(of(gif, sizeof gif), SNIFF_NONE, "GIF is not on the list");
	cr_assert_eq(of(rar, sizeof rar), SNIFF_NONE, "RAR");
	cr_assert_eq(of(sevenz, sizeof sevenz), SNIFF_NONE, "7z");
	cr_assert_eq(of(gz, sizeof gz), SNIFF_NONE, "gzip");
	cr_assert_eq(OF_STR("PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), SNIFF_NONE, "an empty ZIP");
}

Test(sniff, mutated_samples_never_read_outside)
{
	/* every sample with bytes flipped at random: any answer, but no bad read (ASan) */
	const struct ent e[] = { { "Root Entry", 5, NS, NS, 1 }, { "WordDocument", 2, NS, NS, NS } };
	const char *docx[] = { "[Content_Types].xml", "word/document.xml" };
	size_t n[3], i, k;
	unsigned char *s[3];
	unsigned seed = 12345;

	s[0] = cfb(e, 2, 9, &n[0]);
	s[1] = zip(docx, 2, &n[1]);
	s[2] = mp3_frames(2, &n[2]);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 3000; k++) {
			unsigned char *m = malloc(n[i]);
			int flips;

			cr_assert_not_null(m);
			memcpy(m, s[i], n[i]);
			for (flips = 0; flips < 4; flips++) {
				seed = seed * 1103515245u + 12345u;
				m[(seed >> 8) % n[i]] ^= (unsigned char)(1u << (seed % 8));
			}
			(void)sniff(m, n[i]);
			free(m);
		}
	for (i = 0; i < 3; i++)
		free(s[i]);
}

Test(sniff, info_and_names_of_the_types)
{
	int t;

	cr_assert_null(sniff_info(SNIFF_NONE));
	cr_assert_null(sniff_info(SNIFF__COUNT));
	for (t = SNIFF_NONE + 1; t < SNIFF__COUNT; t++)
		cr_assert_eq(sniff_by_name(sniff_info((sniff_type)t)->name), t);
	cr_assert_eq(sniff_by_name("exe"), SNIFF_NONE);
	cr_assert_eq(sniff_by_name(NULL), SNIFF_NONE);
	cr_assert(strstr(sniff_allowed_text(), "DOCX") && strstr(sniff_allowed_text(), "AMR"));
}

/* ---- names ---------------------------------------------------------------------------- */

static void name_refused(const char *name, const char *want_code)
{
	const char *code = NULL, *why = NULL;

	cr_assert_eq(sniff_name_check(name, &code, &why), -1, "accepted: %s", name ? name : "(null)");
	cr_assert_str_eq(code, want_code, "%s", name ? name : "(null)");
	cr_assert(why && strlen(why) > 0);
}

Test(sniff, names_that_are_accepted)
{
	static const char *const ok[] = {
		"身份证正面.jpg", "2026年工资表 (1).xlsx", "report.final.pdf", "录音", "a", ".pdf", "Ünïcödé ñame.docx",
		"全角空格　名.doc",
	};
	const char *code, *why;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		cr_assert_eq(sniff_name_check(ok[i], &code, &why), 0, "%s: %s", ok[i], why);
}

Test(sniff, names_that_are_refused)
{
	char longest[4 * 101 + 1] = "";
	int i;

	name_refused(NULL, "validation.required");
	name_refused("", "validation.required");
	name_refused("../../etc/passwd", "validation.invalid");
	name_refused("C:\\Windows\\x.pdf", "validation.invalid");
	name_refused("a\x01.pdf", "validation.invalid");
	name_refused("a\tb.pdf", "validation.invalid");
	name_refused("a\x7f.pdf", "validation.invalid");
	name_refused("a\xc2\x85.pdf", "validation.invalid");          /* U+0085, a C1 control */
	name_refused("invoice\xe2\x80\xae" "fdp.exe", "validation.invalid"); /* U+202E turns it around */
	name_refused("a\xe2\x81\xa6.pdf", "validation.invalid");      /* U+2066 */
	name_refused("\xef\xbb\xbf" "a.pdf", "validation.invalid");   /* U+FEFF */
	name_refused("a\xff.pdf", "validation.invalid");              /* not UTF-8 */
	name_refused("a\xc0\xaf.pdf", "validation.invalid");          /* overlong "/" */
	name_refused("a\xed\xa0\x80.pdf", "validation.invalid");      /* a surrogate */
	name_refused("a\xe8\xba", "validation.invalid");              /* cut mid-character */
	name_refused("what?.pdf", "validation.invalid");
	name_refused("a\"b.pdf", "validation.invalid");
	name_refused("<script>.pdf", "validation.invalid");
	name_refused("..", "validation.invalid");
	name_refused(" . ", "validation.invalid");
	for (i = 0; i < 100; i++)
		strcat(longest, "档");
	{
		const char *code, *why;

		cr_assert_eq(sniff_name_check(longest, &code, &why), 0, "100 characters are allowed");
	}
	strcat(longest, "档");
	name_refused(longest, "validation.too_long");
}

static void fixed(const char *name, sniff_type t, const char *want)
{
	char out[512];

	cr_assert_eq(sniff_name_fix(name, t, out, sizeof out), 0);
	cr_assert_str_eq(out, want, "%s", name);
}

Test(sniff, the_extension_follows_the_content)
{
	fixed("身份证正面.jpg", SNIFF_JPEG, "身份证正面.jpg");
	fixed("photo.JPEG", SNIFF_JPEG, "photo.JPEG");
	fixed("扫描件", SNIFF_PDF, "扫描件.pdf");
	fixed("scan.exe", SNIFF_PDF, "scan.pdf");
	fixed("a.b.html", SNIFF_PDF, "a.b.pdf");
	fixed("合同.docx", SNIFF_DOC, "合同.doc");
	fixed("工资表.xls", SNIFF_XLSX, "工资表.xlsx");
	fixed("录音.wav", SNIFF_MP3, "录音.mp3");
	fixed("语音.amr", SNIFF_AMR_WB, "语音.amr");
	fixed("2026年度报告", SNIFF_PDF, "2026年度报告.pdf");
	fixed("v1.2.3", SNIFF_PNG, "v1.2.png");
	fixed("报告.最终版", SNIFF_PDF, "报告.最终版.pdf");
	fixed(".pdf", SNIFF_PDF, ".pdf.pdf");
	{
		char small[8];

		cr_assert_eq(sniff_name_fix("long-name", SNIFF_PDF, small, sizeof small), -1);
		cr_assert_eq(sniff_name_fix("x", SNIFF_NONE, small, sizeof small), -1);
	}
}

Test(sniff, content_disposition_has_an_ascii_fallback_and_the_utf8_name)
{
	char out[1024];

	cr_assert_eq(sniff_disposition("report.pdf", out, sizeof out), 0);
	cr_assert_str_eq(out, "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
	cr_assert_eq(sniff_disposition("身份证.jpg", out, sizeof out), 0);
	cr_assert_str_eq(out, "attachment; filename=\"attachment.jpg\"; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81.jpg");
	cr_assert_eq(sniff_disposition("2026年度报告 (终稿).pdf", out, sizeof out), 0);
	cr_assert_str_eq(out, "attachment; filename=\"2026_(_).pdf\"; "
			      "filename*=UTF-8''2026%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A%20%28%E7%BB%88%E7%A8%BF%29.pdf");
	/* quotes, backslashes, semicolons and percent signs never reach the header raw */
	cr_assert_eq(sniff_disposition("a;b%20c'd.pdf", out, sizeof out), 0);
	cr_assert_str_eq(out, "attachment; filename=\"a_b_20c_d.pdf\"; filename*=UTF-8''a%3Bb%2520c%27d.pdf");
	cr_assert_eq(sniff_disposition("录音", out, sizeof out), 0);
	cr_assert_str_eq(out, "attachment; filename=\"attachment\"; filename*=UTF-8''%E5%BD%95%E9%9F%B3");
	cr_assert_eq(sniff_disposition("report.pdf", out, 40), -1, "too small: refused, not cut");
}
