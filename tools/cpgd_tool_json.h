/*
 * cpgd-tool's reading of the daemon's reply, with jansson: the reply text
 * into a tree, and the values the printer needs out of it.  The reply is
 * untrusted input: its size is bounded (and its nesting, by jansson), the
 * text must be one JSON value in valid UTF-8 with nothing after it, so a
 * broken or hostile reply ends in an error message, never a crash.
 *
 * Strings come back as bytes: each code point below U+0100 is one byte
 * (the daemon writes each byte of a name as the code point of its value,
 * see daemon/status/status_json.h), higher code points stay UTF-8.
 */
#ifndef CPGD_TOOL_JSON_H
#define CPGD_TOOL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define TJ_MAX_INPUT (16u * 1024 * 1024)

/* 0 and *out (free with json_decref()), or -1 with a reason in err. */
int tj_parse(const char *text, size_t len, json_t **out, char *err,
	     size_t errlen);

/* v is a non-negative integer that fits in max. */
bool tj_uint(const json_t *v, uint64_t max, uint64_t *out);
/* v is a string: its bytes (malloc'd, NUL-terminated, for free()) and
 * their number in *len; NULL if v is not a string or out of memory. */
char *tj_bytes(const json_t *v, size_t *len);

#endif
