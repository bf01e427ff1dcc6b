/*
 * utf8.h - small UTF-8 helpers for Chinese text: blankness that knows the
 * full-width space, and repairing text cut at a byte count.
 */
#ifndef XF_UTF8_H
#define XF_UTF8_H

/* Only ASCII white space and U+3000 (全角空格)? NULL counts as blank. */
int utf8_blank(const char *s);

/* In place: replace every byte that is not part of a valid UTF-8 sequence
 * with '?', so a string cut mid-character (or holding raw bytes from a URL)
 * is valid UTF-8 afterwards. */
void utf8_clean(char *s);

#endif
