/*
 * A bounded JSON builder for the status service.
 *
 * Output is compact, ASCII only, and never exceeds the limit given at init:
 * a call that would cross it (or that breaks the nesting rules) sets a
 * sticky error and every later call does nothing, so a writer can call on
 * without checking each step and look at status_json_error() once at the end.
 *
 * Strings are byte strings (CPG group names may hold any byte): printable
 * ASCII goes out as is, '"' and '\' escaped, every other byte as \u00XX.
 * A reader therefore gets the original bytes back by taking each code point
 * of the string as one byte.
 *
 *   struct status_json w;
 *   status_json_init(&w, 1 << 20);
 *   status_json_obj_begin(&w, NULL);
 *   status_json_u64(&w, "nodeid", 1);
 *   status_json_obj_end(&w);
 *   if (status_json_error(&w) == 0) use w.buf, w.len;
 *   status_json_free(&w);
 *
 * Inside an object every value needs a key; inside an array or at the top
 * level the key must be NULL.  Exactly one top-level value is allowed.
 */
#ifndef CPGD_STATUS_JSON_H
#define CPGD_STATUS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATUS_JSON_MAX_DEPTH 16

struct status_json {
	char *buf;		/* NUL-terminated when len > 0 */
	size_t len, cap, max;
	int err;		/* 0, -EMSGSIZE, -ENOMEM, -EINVAL */
	unsigned depth;
	bool done;		/* the top-level value is complete */
	bool is_obj[STATUS_JSON_MAX_DEPTH];
	bool has_item[STATUS_JSON_MAX_DEPTH];
};

/* max: the largest output accepted, in bytes (without the final NUL). */
void status_json_init(struct status_json *w, size_t max);
void status_json_free(struct status_json *w);
/* 0 once a complete value was written without error, else -errno
 * (-EINVAL also when containers are still open or nothing was written). */
int status_json_finish(const struct status_json *w);
/* The first error so far, or 0. */
int status_json_error(const struct status_json *w);

void status_json_obj_begin(struct status_json *w, const char *key);
void status_json_obj_end(struct status_json *w);
void status_json_arr_begin(struct status_json *w, const char *key);
void status_json_arr_end(struct status_json *w);

void status_json_str(struct status_json *w, const char *key, const char *s);
void status_json_bytes(struct status_json *w, const char *key,
		       const void *s, size_t len);
void status_json_u64(struct status_json *w, const char *key, uint64_t v);
void status_json_bool(struct status_json *w, const char *key, bool v);
void status_json_null(struct status_json *w, const char *key);

#endif
