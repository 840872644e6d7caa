/* Bounded JSON builder; see status_json.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status/status_json.h"

void status_json_init(struct status_json *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	/* far above any reply; keeps the size arithmetic below from wrapping */
	w->max = max < SIZE_MAX / 4 ? max : SIZE_MAX / 4;
}

void status_json_free(struct status_json *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

int status_json_error(const struct status_json *w)
{
	return w->err;
}

int status_json_finish(const struct status_json *w)
{
	if (w->err)
		return w->err;
	return (w->done && w->depth == 0) ? 0 : -EINVAL;
}

static void fail(struct status_json *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Room for n more bytes plus the final NUL, within max. */
static int reserve(struct status_json *w, size_t n)
{
	size_t need, cap;
	char *p;

	if (w->err)
		return -1;
	if (n > w->max || w->len > w->max - n) {
		fail(w, -EMSGSIZE);
		return -1;
	}
	need = w->len + n + 1;
	if (need <= w->cap)
		return 0;
	cap = w->cap ? w->cap : 1024;
	while (cap < need)
		cap *= 2;
	if (cap > w->max + 1)
		cap = w->max + 1;
	p = realloc(w->buf, cap);
	if (!p) {
		fail(w, -ENOMEM);
		return -1;
	}
	w->buf = p;
	w->cap = cap;
	return 0;
}

static void put(struct status_json *w, const char *s, size_t n)
{
	if (reserve(w, n) < 0)
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void put_escaped(struct status_json *w, const unsigned char *s,
			size_t n)
{
	char esc[8];
	size_t i;

	put(w, "\"", 1);
	for (i = 0; i < n && !w->err; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':  put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				put(w, (const char *)&c, 1);
			} else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				put(w, esc, 6);
			}
		}
	}
	put(w, "\"", 1);
}

/* Separator and key before a value; checks the nesting rules. */
static int begin_value(struct status_json *w, const char *key)
{
	if (w->err)
		return -1;
	if (w->depth == 0) {
		if (w->done || key) {
			fail(w, -EINVAL);
			return -1;
		}
		return 0;
	}
	if (w->is_obj[w->depth - 1] != (key != NULL)) {
		fail(w, -EINVAL);
		return -1;
	}
	if (w->has_item[w->depth - 1])
		put(w, ",", 1);
	w->has_item[w->depth - 1] = true;
	if (key) {
		put_escaped(w, (const unsigned char *)key, strlen(key));
		put(w, ":", 1);
	}
	return w->err ? -1 : 0;
}

static void end_value(struct status_json *w)
{
	if (w->depth == 0 && !w->err)
		w->done = true;
}

static void open_container(struct status_json *w, const char *key, bool obj)
{
	if (begin_value(w, key) < 0)
		return;
	if (w->depth >= STATUS_JSON_MAX_DEPTH) {
		fail(w, -EINVAL);
		return;
	}
	put(w, obj ? "{" : "[", 1);
	w->is_obj[w->depth] = obj;
	w->has_item[w->depth] = false;
	w->depth++;
}

static void close_container(struct status_json *w, bool obj)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->is_obj[w->depth - 1] != obj) {
		fail(w, -EINVAL);
		return;
	}
	put(w, obj ? "}" : "]", 1);
	w->depth--;
	end_value(w);
}

void status_json_obj_begin(struct status_json *w, const char *key)
{
	open_container(w, key, true);
}

void status_json_obj_end(struct status_json *w)
{
	close_container(w, true);
}

void status_json_arr_begin(struct status_json *w, const char *key)
{
	open_container(w, key, false);
}

void status_json_arr_end(struct status_json *w)
{
	close_container(w, false);
}

void status_json_bytes(struct status_json *w, const char *key,
		       const void *s, size_t len)
{
	if (begin_value(w, key) < 0)
		return;
	put_escaped(w, s, len);
	end_value(w);
}

void status_json_str(struct status_json *w, const char *key, const char *s)
{
	if (!s) {
		status_json_null(w, key);
		return;
	}
	status_json_bytes(w, key, s, strlen(s));
}

void status_json_u64(struct status_json *w, const char *key, uint64_t v)
{
	char num[24];
	int n;

	if (begin_value(w, key) < 0)
		return;
	n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	put(w, num, (size_t)n);
	end_value(w);
}

void status_json_bool(struct status_json *w, const char *key, bool v)
{
	if (begin_value(w, key) < 0)
		return;
	put(w, v ? "true" : "false", v ? 4 : 5);
	end_value(w);
}

void status_json_null(struct status_json *w, const char *key)
{
	if (begin_value(w, key) < 0)
		return;
	put(w, "null", 4);
	end_value(w);
}
