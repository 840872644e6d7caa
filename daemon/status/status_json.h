/*
 * The status service's use of json-c: byte strings as JSON strings, and a
 * tree turned into bounded compact text.
 *
 * Strings are byte strings (CPG group names may hold any byte).  Each byte
 * becomes the code point of the same value (U+0000..U+00FF), so a reader
 * gets the original bytes back by taking each code point of the string as
 * one byte (cpgd-tool does: tools/cpgd_tool_json.h).  json-c escapes the
 * quote, the backslash and the control characters and writes the rest as
 * UTF-8.
 *
 * json-c reports a failed allocation by a NULL or negative return, never by
 * ending the process; every call here is checked, and so must be every
 * json-c call of the reply builder (status_build.c).
 */
#ifndef CPGD_STATUS_JSON_H
#define CPGD_STATUS_JSON_H

#include <stddef.h>

struct json_object;

/* A new JSON string holding the len bytes at s, one code point each;
 * NULL when out of memory. */
struct json_object *status_json_bytes(const void *s, size_t len);

/* The compact text of v (no spaces, '/' not escaped), copied into a new
 * buffer with a final NUL that *len does not count: 0, -EMSGSIZE when
 * longer than max bytes, -ENOMEM. */
int status_json_text(struct json_object *v, size_t max, char **out,
		     size_t *len);

#endif
