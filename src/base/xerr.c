#include "base/xerr.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"

int xerr_set(struct xerr *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	/* user text in a message may be cut mid-character or be raw bytes */
	utf8_clean(e->message);
	utf8_clean(e->field);
	return -1;
}

void xerr_clear(struct xerr *e)
{
	e->status = 0;
	e->code = NULL;
	e->message[0] = '\0';
	e->field[0] = '\0';
}

int xerr_internal(struct xerr *e, const char *what)
{
	log_error("internal error: %s", what);
	return xerr_set(e, 503, "server.unavailable", NULL, "服务暂时不可用，请稍后重试（未作任何更改）");
}
