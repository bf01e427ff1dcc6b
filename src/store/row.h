/* row.h - store-internal helpers for turning SQLite rows into JSON. */
#ifndef XF_ROW_H
#define XF_ROW_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

struct store;

/* The current row as a JSON object keyed by column name (new reference). */
json_t *row_json(sqlite3_stmt *s);

/* Step through all rows into a JSON array (new reference); NULL on error. */
json_t *rows_json(struct store *st, sqlite3_stmt *s);

/* Bind text, or NULL when v is NULL (copied). */
void bind_text(sqlite3_stmt *s, int i, const char *v);

/* Copy a text column into a fixed buffer, truncating safely. */
void copy_col(char *dst, size_t n, sqlite3_stmt *s, int col);

#endif
