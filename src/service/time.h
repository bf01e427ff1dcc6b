/* time.h - loading the calendar and policies into the app (service-internal). */
#ifndef XF_SERVICE_TIME_H
#define XF_SERVICE_TIME_H

#include "service/svc.h"

/* Seed shipped calendar years, load calendar and policies, attach clocks. */
int time_open(struct app *app, struct xerr *err);
void time_close(struct app *app);

#endif
