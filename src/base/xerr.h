/*
 * xerr.h - a user-facing error: HTTP status, stable code, Chinese message,
 * and the offending field. All strings are static or owned by the
 * struct's fixed buffers; nothing here allocates.
 */
#ifndef XF_XERR_H
#define XF_XERR_H

#include <stdarg.h>

struct xerr {
	int status;            /* HTTP status to answer with */
	const char *code;      /* stable identifier, e.g. "case.not_found" */
	char message[256];     /* for people, Simplified Chinese */
	char field[64];        /* offending input field, "" if none */
};

/* Set an error; returns -1 so callers can `return xerr_set(...)`. */
int xerr_set(struct xerr *e, int status, const char *code, const char *field,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

void xerr_clear(struct xerr *e);

/* Internal failure (storage, memory): 500/503 with a generic message. */
int xerr_internal(struct xerr *e, const char *what);

#endif
