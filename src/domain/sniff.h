/*
 * sniff.h - what an uploaded file is, judged from its bytes alone against
 * the allow-list (PDF, JPEG, PNG, Word and Excel in their old and new
 * formats, MP3, AMR), and what it may be called when it is handed back.
 *
 * The client's declared type and file name never decide the type: a file
 * whose bytes are not one of these is refused, whatever it is called
 * (HTML, SVG, executables, installers, plain ZIP archives, macro-enabled
 * Office files ...).
 *
 * Pure: no I/O, no allocation; every read is bounds-checked, so any bytes
 * at all may be given (tests/unit/test_sniff.c).
 */
#ifndef XF_SNIFF_H
#define XF_SNIFF_H

#include <stddef.h>

typedef enum {
	SNIFF_NONE = 0, /* not on the allow-list */
	SNIFF_PDF,      /* "%PDF-" */
	SNIFF_JPEG,     /* FF D8 FF */
	SNIFF_PNG,      /* 89 50 4E 47 0D 0A 1A 0A, then the IHDR chunk */
	SNIFF_DOC,      /* OLE2 compound file with a top-level "WordDocument" stream */
	SNIFF_XLS,      /* OLE2 compound file with a top-level "Workbook" (or "Book") stream */
	SNIFF_DOCX,     /* ZIP with [Content_Types].xml and word/ parts, no macros */
	SNIFF_XLSX,     /* ZIP with [Content_Types].xml and xl/ parts, no macros */
	SNIFF_MP3,      /* an ID3v2 tag or an MPEG audio layer III frame, then frames */
	SNIFF_AMR,      /* "#!AMR\n" (RFC 4867 storage format) */
	SNIFF_AMR_WB,   /* "#!AMR-WB\n" */
	SNIFF__COUNT
} sniff_type;

struct sniff_info {
	const char *name;    /* stable, stored: "pdf", "jpg", ... */
	const char *mime;    /* Content-Type it is served with */
	const char *ext;     /* canonical extension, lower case, no dot */
	const char *alt_ext; /* another extension it may carry ("jpeg"), or NULL */
};

/* The type of n bytes at p (SNIFF_NONE when not allowed or n == 0). */
sniff_type sniff(const void *p, size_t n);

/* Facts about a type; NULL for SNIFF_NONE or out of range. */
const struct sniff_info *sniff_info(sniff_type t);

/* The type with this stored name ("pdf"), or SNIFF_NONE. */
sniff_type sniff_by_name(const char *name);

/* The allowed types for people, e.g. in an error message:
 * "PDF、JPG、PNG、DOC、DOCX、XLS、XLSX、MP3、AMR". Static. */
const char *sniff_allowed_text(void);

/* ---- file names ------------------------------------------------------------ */

#define SNIFF_NAME_MAX 100 /* characters, not bytes */

/* Check a client's file name: valid UTF-8, 1..SNIFF_NAME_MAX characters,
 * not only dots and spaces, no control characters (C0, DEL, C1), no path
 * separators or characters Windows refuses in names (\ / : * ? " < > |),
 * no bidirectional-text controls (they can disguise an extension:
 * "doc\u202Efdp.exe"). 0 when acceptable; else -1 with *code one of
 * "validation.required", "validation.too_long", "validation.invalid" and
 * *why a Chinese message (both static). */
int sniff_name_check(const char *name, const char **code, const char **why);

/* The name to keep for a file of type t, in out[n]: the name itself when
 * its extension (1-5 ASCII letters or digits after the last dot,
 * compared without case) is one of the type's; with the type's extension
 * instead of another one; with the type's extension appended when it has
 * none. 0, or -1 when out is too small. */
int sniff_name_fix(const char *name, sniff_type t, char *out, size_t n);

/* The value of a Content-Disposition header for downloading `name`:
 *   attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>
 * (RFC 6266, RFC 8187). The fallback keeps ASCII letters, digits and
 * ". - _ ( )", turns each run of anything else into "_", and is
 * "attachment.<ext>" when nothing of the name itself survives. 0, or -1
 * when out is too small. */
int sniff_disposition(const char *name, char *out, size_t n);

#endif
