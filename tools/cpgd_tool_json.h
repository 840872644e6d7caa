/*
 * A small, bounded JSON reader for cpgd-tool: parses the daemon's reply
 * into a tree.  Input size, nesting depth and node count are limited, so a
 * broken or hostile reply ends in an error message, never a crash.
 *
 * Strings come back as bytes: \u escapes below U+0100 become one byte each
 * (the daemon writes every byte outside printable ASCII that way), higher
 * code points become UTF-8.
 */
#ifndef CPGD_TOOL_JSON_H
#define CPGD_TOOL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TJ_MAX_INPUT (16u * 1024 * 1024)
#define TJ_MAX_DEPTH 32
#define TJ_MAX_NODES 1000000u

enum tj_type { TJ_NULL, TJ_BOOL, TJ_NUM, TJ_STR, TJ_ARR, TJ_OBJ };

struct tj {
	enum tj_type type;
	char *key;		/* set when a member of an object */
	size_t key_len;
	char *str;		/* TJ_STR: the bytes; TJ_NUM: the number's text;
				 * NUL-terminated either way */
	size_t len;
	bool b;			/* TJ_BOOL */
	bool is_u64;		/* TJ_NUM: a non-negative integer that fits */
	uint64_t u;
	struct tj *first, *last, *next;	/* children (TJ_ARR, TJ_OBJ) */
	size_t n;
};

/* 0 and *out, or -1 with a reason in err. */
int tj_parse(const char *text, size_t len, struct tj **out, char *err,
	     size_t errlen);
void tj_free(struct tj *v);

/* The member `key` of an object; NULL if v is not an object or lacks it. */
const struct tj *tj_get(const struct tj *v, const char *key);
/* v is a non-negative integer that fits in max. */
bool tj_uint(const struct tj *v, uint64_t max, uint64_t *out);

#endif
