/*
 * attach.h - service-internal pieces of the attachments (attach.c).
 */
#ifndef XF_SERVICE_ATTACH_H
#define XF_SERVICE_ATTACH_H

#include <jansson.h>

#include "service/svc.h"

/* A case's attachments as the staff view shows them (new array; lock held). */
json_t *attach_view_list(struct app *app, int64_t case_id, const char *no);

/* Forget the files folder (and remove it when it was a private temp dir). */
void attach_close(struct app *app);

#endif
