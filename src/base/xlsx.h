/*
 * xlsx.h - a small, self-contained writer of one-sheet Excel workbooks
 * (Office Open XML, ECMA-376): a ZIP archive of stored (uncompressed)
 * entries with CRC-32, holding [Content_Types].xml, _rels/.rels,
 * xl/workbook.xml, xl/_rels/workbook.xml.rels, xl/styles.xml and
 * xl/worksheets/sheet1.xml. Text goes in as inline strings (t="inlineStr",
 * never a formula, so "=cmd|..." stays text), XML-escaped; characters XML
 * 1.0 does not allow (C0 controls other than tab, LF and CR, U+FFFE,
 * U+FFFF) and bytes that are not UTF-8 are dropped. No zlib: nothing is
 * compressed, so nothing has to be inflated to read the file either.
 *
 * Use: xlsx_new (sheet name, column widths, frozen rows), then per row
 * xlsx_row followed by its cells left to right (xlsx_str, xlsx_int,
 * xlsx_skip), then xlsx_finish. Errors (memory, a size past XLSX_MAX_BYTES)
 * are sticky: every call after the first failure returns -1, and
 * xlsx_finish reports it. Nothing here is thread-shared.
 */
#ifndef XF_XLSX_H
#define XF_XLSX_H

#include <stddef.h>
#include <stdint.h>

#define XLSX_MAX_COLS 64                 /* columns A..BL */
#define XLSX_MAX_CELL_CHARS 32767        /* Excel's limit on a cell's text */
#define XLSX_MAX_BYTES ((size_t)1 << 30) /* the whole archive (well under ZIP32's 4 GiB) */

enum xlsx_style {
	XLSX_PLAIN = 0,
	XLSX_BOLD = 1, /* a header row */
};

struct xlsx;

/* A new workbook of one sheet. name: the sheet's name (cut to 31 characters;
 * the characters Excel refuses in a sheet name, : \ / ? * [ ], become "_";
 * empty: "Sheet1"). widths: ncols column widths in characters (NULL: Excel's
 * default), at most XLSX_MAX_COLS. frozen_rows: rows kept in view when
 * scrolling (0: none). NULL when out of memory. */
struct xlsx *xlsx_new(const char *name, const double *widths, int ncols, int frozen_rows);

/* Start the next row (the first is row 1) with a style for its cells. */
int xlsx_row(struct xlsx *x, enum xlsx_style style);

/* The next cell of the row: text (NULL or "": an empty cell), an integer, or
 * nothing at all. Past XLSX_MAX_COLS: -1. Text longer than
 * XLSX_MAX_CELL_CHARS characters is cut there. */
int xlsx_str(struct xlsx *x, const char *s);
int xlsx_int(struct xlsx *x, long long v);
int xlsx_skip(struct xlsx *x);

/* Number of rows written so far. */
int xlsx_rows(const struct xlsx *x);

/* Build the archive: *out (malloc'd, the caller frees) and *len. The writer
 * is freed either way. 0, or -1 (nothing in *out) after any failure. */
int xlsx_finish(struct xlsx *x, unsigned char **out, size_t *len);

/* Free a writer that will not be finished. NULL is fine. */
void xlsx_free(struct xlsx *x);

/* CRC-32 (ISO 3309, the one ZIP uses: reflected 0xEDB88320) of n bytes,
 * continuing from crc (0 to start). */
uint32_t xlsx_crc32(uint32_t crc, const void *p, size_t n);

#endif
