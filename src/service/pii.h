/*
 * pii.h - personal data of petitioners (ID number, phone, address): sealed
 * at rest, matched by keyed hash, shown masked, unmasked only for a user
 * holding the pii_reader permission who states a reason, and every unmasked
 * view audited (issue 4; R22 art. 46(5); 等保 2.0 personal information
 * protection).
 */
#ifndef XF_SERVICE_PII_H
#define XF_SERVICE_PII_H

#include <jansson.h>

#include "service/svc.h"

/* Normalised forms that the keyed hash is taken over: an ID number in upper
 * case, a phone as its digits. */
void pii_id_key(const char *id_number, char out[31]);
void pii_phone_key(const char *phone, char out[32]);

/* A petitioner as stored in an event payload -> as shown: the masked values
 * under the plain names, the sealed values and hashes removed. In place. */
void pii_view_payload(json_t *petitioner);

/* Seal the plain personal data in events written before schema version 5
 * (run by app_open; the projections are rebuilt afterwards). *n = events
 * changed. */
int pii_seal_legacy(struct app *app, int *n, struct xerr *err);

#endif
