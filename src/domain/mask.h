/*
 * mask.h - how personal data is shown to those who may not see it whole
 * (issue 4; 等保 2.0 8.1.4.8 personal information protection): an ID number
 * keeps its first 3 and last 4 characters (110***********1234), a phone its
 * first 3 and last 4 digits (138****5678), an address its administrative part
 * (up to the county or street) followed by ****. Pure functions over UTF-8.
 */
#ifndef XF_MASK_H
#define XF_MASK_H

#include <stddef.h>

/* Each writes a NUL-terminated masked copy of s into out (cap bytes; the
 * result is cut at a character boundary when out is too small). */
void mask_id_number(const char *s, char *out, size_t cap);
void mask_phone(const char *s, char *out, size_t cap);
void mask_address(const char *s, char *out, size_t cap);

#endif
