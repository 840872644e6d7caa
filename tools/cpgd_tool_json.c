/* Bounded JSON reader for cpgd-tool; see cpgd_tool_json.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpgd_tool_json.h"

struct parser {
	const char *p, *end;
	size_t nodes;
	char *err;
	size_t errlen;
	bool failed;
};

static void perr(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || !ps->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static size_t offset(const struct parser *ps, const char *start)
{
	return (size_t)(ps->p - start);
}

void tj_free(struct tj *v)
{
	while (v) {
		struct tj *next = v->next;

		tj_free(v->first);
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

static struct tj *node_new(struct parser *ps, enum tj_type t)
{
	struct tj *v;

	if (++ps->nodes > TJ_MAX_NODES) {
		perr(ps, "too many values");
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		perr(ps, "out of memory");
		return NULL;
	}
	v->type = t;
	return v;
}

static int hex4(struct parser *ps, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (ps->end - ps->p < 4) {
		perr(ps, "short \\u escape");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		char c = *ps->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else {
			perr(ps, "bad \\u escape");
			return -1;
		}
	}
	*out = v;
	return 0;
}

static size_t put_cp(char *o, unsigned cp)
{
	if (cp < 0x100) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* At the opening quote.  A decoded string is never longer than its
 * escaped text, so one buffer of that size is enough. */
static char *parse_string(struct parser *ps, size_t *len)
{
	const char *s, *real_end = ps->end;
	char *buf, *o;

	ps->p++;
	for (s = ps->p; s < ps->end && *s != '"'; s++) {
		if (*s == '\\') {
			if (s + 1 >= ps->end)
				break;
			s++;
		}
	}
	if (s >= ps->end || *s != '"') {
		perr(ps, "unterminated string");
		return NULL;
	}
	buf = malloc((size_t)(s - ps->p) + 1);
	if (!buf) {
		perr(ps, "out of memory");
		return NULL;
	}
	o = buf;
	/* decode up to the closing quote only: escapes cannot run past it */
	ps->end = s;
	while (ps->p < ps->end) {
		unsigned char c = (unsigned char)*ps->p++;
		unsigned cp, lo;

		if (c < 0x20) {
			perr(ps, "control character in a string");
			goto fail;
		}
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		c = (unsigned char)*ps->p++;
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (hex4(ps, &cp) < 0)
				goto fail;
			if (cp >= 0xd800 && cp < 0xdc00) {
				/* a pair takes 12 escaped bytes for 4 out */
				if (ps->end - ps->p < 6 || ps->p[0] != '\\' ||
				    ps->p[1] != 'u') {
					perr(ps, "lone surrogate");
					goto fail;
				}
				ps->p += 2;
				if (hex4(ps, &lo) < 0)
					goto fail;
				if (lo < 0xdc00 || lo >= 0xe000) {
					perr(ps, "bad surrogate pair");
					goto fail;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				perr(ps, "lone surrogate");
				goto fail;
			}
			o += put_cp(o, cp);
			break;
		default:
			perr(ps, "bad escape \\%c", c);
			goto fail;
		}
	}
	ps->end = real_end;
	ps->p++;
	*o = '\0';
	*len = (size_t)(o - buf);
	return buf;
fail:
	ps->end = real_end;
	free(buf);
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct tj *parse_number(struct parser *ps)
{
	const char *s = ps->p;
	bool integer = true, neg = false;
	struct tj *v;
	uint64_t u = 0;
	bool fits = true;

	if (ps->p < ps->end && *ps->p == '-') {
		neg = true;
		ps->p++;
	}
	if (ps->p >= ps->end || !is_digit(*ps->p)) {
		perr(ps, "bad number");
		return NULL;
	}
	if (*ps->p == '0') {
		ps->p++;
	} else {
		while (ps->p < ps->end && is_digit(*ps->p)) {
			unsigned d = (unsigned)(*ps->p++ - '0');

			if (u > (UINT64_MAX - d) / 10)
				fits = false;
			else
				u = u * 10 + d;
		}
	}
	if (ps->p < ps->end && *ps->p == '.') {
		integer = false;
		ps->p++;
		if (ps->p >= ps->end || !is_digit(*ps->p)) {
			perr(ps, "bad number");
			return NULL;
		}
		while (ps->p < ps->end && is_digit(*ps->p))
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		integer = false;
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || !is_digit(*ps->p)) {
			perr(ps, "bad number");
			return NULL;
		}
		while (ps->p < ps->end && is_digit(*ps->p))
			ps->p++;
	}
	v = node_new(ps, TJ_NUM);
	if (!v)
		return NULL;
	v->len = (size_t)(ps->p - s);
	v->str = malloc(v->len + 1);
	if (!v->str) {
		free(v);
		perr(ps, "out of memory");
		return NULL;
	}
	memcpy(v->str, s, v->len);
	v->str[v->len] = '\0';
	v->is_u64 = integer && !neg && fits;
	v->u = v->is_u64 ? u : 0;
	return v;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static struct tj *parse_value(struct parser *ps, unsigned depth);

static void add_child(struct tj *parent, struct tj *c)
{
	if (parent->last)
		parent->last->next = c;
	else
		parent->first = c;
	parent->last = c;
	parent->n++;
}

static struct tj *parse_container(struct parser *ps, unsigned depth,
				  bool obj)
{
	struct tj *v, *c;
	char close = obj ? '}' : ']';

	if (depth >= TJ_MAX_DEPTH) {
		perr(ps, "nested too deeply");
		return NULL;
	}
	v = node_new(ps, obj ? TJ_OBJ : TJ_ARR);
	if (!v)
		return NULL;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		size_t key_len = 0;

		skip_ws(ps);
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"') {
				perr(ps, "expected a member name");
				goto fail;
			}
			key = parse_string(ps, &key_len);
			if (!key)
				goto fail;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				perr(ps, "expected ':'");
				goto fail;
			}
			ps->p++;
		}
		c = parse_value(ps, depth + 1);
		if (!c) {
			free(key);
			goto fail;
		}
		c->key = key;
		c->key_len = key_len;
		add_child(v, c);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return v;
		}
		perr(ps, "expected ',' or '%c'", close);
		goto fail;
	}
fail:
	tj_free(v);
	return NULL;
}

static struct tj *parse_value(struct parser *ps, unsigned depth)
{
	struct tj *v;

	skip_ws(ps);
	if (ps->p >= ps->end) {
		perr(ps, "unexpected end");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return parse_container(ps, depth, true);
	case '[':
		return parse_container(ps, depth, false);
	case '"':
		v = node_new(ps, TJ_STR);
		if (!v)
			return NULL;
		v->str = parse_string(ps, &v->len);
		if (!v->str) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
	case 'n':
		if (literal(ps, "true") || literal(ps, "false")) {
			bool b = ps->p[-1] == 'e' && ps->p[-2] == 'u';

			v = node_new(ps, TJ_BOOL);
			if (v)
				v->b = b;	/* "true" ends in "ue" */
			return v;
		}
		if (literal(ps, "null"))
			return node_new(ps, TJ_NULL);
		perr(ps, "unknown word");
		return NULL;
	default:
		return parse_number(ps);
	}
}

int tj_parse(const char *text, size_t len, struct tj **out, char *err,
	     size_t errlen)
{
	struct parser ps;
	struct tj *v;

	memset(&ps, 0, sizeof(ps));
	ps.p = text;
	ps.end = text + len;
	ps.err = err;
	ps.errlen = errlen;
	*out = NULL;
	if (len > TJ_MAX_INPUT) {
		perr(&ps, "reply too large");
		return -1;
	}
	v = parse_value(&ps, 0);
	if (v) {
		skip_ws(&ps);
		if (ps.p != ps.end) {
			perr(&ps, "trailing data");
			tj_free(v);
			v = NULL;
		}
	}
	if (!v) {
		size_t at = offset(&ps, text);
		size_t n = err ? strlen(err) : 0;

		if (err && n + 1 < errlen)
			snprintf(err + n, errlen - n, " at byte %zu", at);
		return -1;
	}
	*out = v;
	return 0;
}

const struct tj *tj_get(const struct tj *v, const char *key)
{
	const struct tj *c;
	size_t n = strlen(key);

	if (!v || v->type != TJ_OBJ)
		return NULL;
	for (c = v->first; c; c = c->next)
		if (c->key_len == n && memcmp(c->key, key, n) == 0)
			return c;
	return NULL;
}

bool tj_uint(const struct tj *v, uint64_t max, uint64_t *out)
{
	if (!v || v->type != TJ_NUM || !v->is_u64 || v->u > max)
		return false;
	*out = v->u;
	return true;
}
