/*
 * input.h - checking JSON request bodies: types, required fields, lengths
 * in characters (not bytes), code lists, unknown fields. Every refusal is
 * a 400 with a stable code and the field's name.
 */
#ifndef XF_INPUT_H
#define XF_INPUT_H

#include <jansson.h>
#include <stdint.h>

#include "base/xerr.h"
#include "domain/codes.h"

/* Refuse any key of obj not in the NULL-terminated list `allowed`. */
int input_only(json_t *obj, const char *const *allowed, const char *where, struct xerr *err);

/* A string field. *out is borrowed from obj (NULL when absent and optional).
 * Blank strings count as absent for required fields. max: characters. */
int input_str(json_t *obj, const char *key, int required, size_t max, const char **out,
	      struct xerr *err);

/* An integer field in [min, max]; *out untouched when absent and optional. */
int input_int(json_t *obj, const char *key, int required, int64_t min, int64_t max,
	      int64_t *out, struct xerr *err);

/* A boolean field; *out untouched when absent. */
int input_bool(json_t *obj, const char *key, int *out, struct xerr *err);

/* A string that must be a code of `list`. */
int input_code(json_t *obj, const char *key, int required, enum code_list list,
	       const char **out, struct xerr *err);

/* Number of UTF-8 characters in s. */
size_t input_chars(const char *s);

/* GB 11643-1999 citizen ID number: 18 characters with a valid check digit. */
int input_resident_id_ok(const char *s);

/* Phone: 7-20 of digits, '+', '-', ' '. */
int input_phone_ok(const char *s);

/* A case number "XF" + 8 digits + 5 digits. */
int input_case_no_ok(const char *s);

#endif
