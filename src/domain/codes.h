/*
 * codes.h - the code lists a registration is checked against: channels
 * (R22 art. 17), kinds (R22 art. 29-31), purposes, content categories,
 * flags (RULES.md "Registration fields"), ID types and the
 * administrative divisions of the demo province. Static data; nothing
 * allocates.
 */
#ifndef XF_CODES_H
#define XF_CODES_H

struct code {
	const char *code;
	const char *label;   /* 中文 */
	const char *parent;  /* categories and divisions: parent code, NULL at the top */
};

enum code_list {
	CODES_CHANNEL,
	CODES_KIND,
	CODES_PURPOSE,
	CODES_CATEGORY,
	CODES_FLAG,
	CODES_ID_TYPE,
	CODES_SEX,
	CODES_DIVISION,
	CODES_ROUTE,
	CODES_SUGGESTION,
	CODES__COUNT
};

/* The list and its length. */
const struct code *codes_list(enum code_list which, int *n);

/* The entry for `code` in `which`, or NULL. */
const struct code *codes_find(enum code_list which, const char *code);

/* The list's name as used in the API ("channel", "category", ...). */
const char *codes_list_name(enum code_list which);

/* Bit of a flag code (its index), -1 if unknown. */
int codes_flag_bit(const char *code);

#endif
