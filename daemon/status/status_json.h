/*
 * The status service's use of jansson: byte strings as JSON strings, and a
 * value turned into bounded compact text.
 *
 * Strings are byte strings (CPG group names may hold any byte).  Each byte
 * becomes the code point of the same value (U+0000..U+00FF), so a reader
 * gets the original bytes back by taking each code point of the string as
 * one byte (cpgd-tool does: tools/cpgd_tool_json.h).  The text is ASCII:
 * bytes from 0x80 up and control characters go out as \uXXXX escapes (or
 * \n, \t...), '"' and '\' escaped; DEL (0x7f) as it is.
 *
 * jansson reports a failed allocation by a NULL or -1 return, never by
 * ending the process, and its json_*_new() setters free the value they
 * could not store; every call here and in the reply builder
 * (status_build.c) is checked.
 */
#ifndef CPGD_STATUS_JSON_H
#define CPGD_STATUS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* A new JSON string holding the len bytes at s, one code point each;
 * NULL when out of memory. */
json_t *status_json_bytes(const void *s, size_t len);

/* A new JSON integer; values above INT64_MAX (jansson's largest) are
 * written as INT64_MAX.  NULL when out of memory. */
json_t *status_json_u64(uint64_t v);

/* The compact ASCII text of v, in a new buffer (for free()) with a final
 * NUL that *len does not count: 0, -EMSGSIZE when longer than max bytes,
 * -ENOMEM. */
int status_json_text(const json_t *v, size_t max, char **out, size_t *len);

#endif
