/*
 * demo.h - demo data: the organisation of the demo province (petition
 * bureaus, handling and discipline units), one staff user per role, and a
 * few hundred cases driven through every state of the life cycle by the
 * same service calls the API uses. Deterministic for a given seed and time.
 */
#ifndef XF_DEMO_H
#define XF_DEMO_H

#include <stdint.h>
#include <stdio.h>

struct app;
struct xerr;

/* Password of every demo user (meets the password policy). */
#define DEMO_PASSWORD "Xinfang@2026demo"
/* The administrators' second factor in the demo (base32; any authenticator app,
 * or `xinfang totp --secret ...`). Real administrators enrol their own. */
#define DEMO_TOTP_SECRET "PBUW4ZTBNZTS2ZDFNVXS2MTGMEWWWZLZ"

/* Populate an empty database with the demo organisation, users and n_cases cases.
   Deterministic for a given seed and now. Prints progress to `log` (may be NULL). 0 or -1 with err. */
int demo_run(struct app *app, int n_cases, unsigned seed, int64_t now, FILE *log, struct xerr *err);

/* Print the demo logins (username, unit, roles) and the password to f. */
void demo_print_logins(FILE *f);

#endif
