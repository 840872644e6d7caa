/*
 * A line cursor over an in-memory buffer.  Every access is checked against
 * the end pointer, so arbitrary bytes (the fuzzer's diet) are safe.
 */
#include <errno.h>
#include <string.h>

#include "config/config_int.h"

void cfg_cursor_init(struct cfg_cursor *c, const char *buf, size_t len)
{
	c->pos = buf;
	c->end = buf + len;
	c->line = 0;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

int cfg_cursor_next(struct cfg_cursor *c, struct cfg_line *l)
{
	const char *s, *e, *nl;

	if (c->pos >= c->end)
		return 0;
	c->line++;
	s = c->pos;
	nl = memchr(s, '\n', (size_t)(c->end - s));
	e = nl ? nl : c->end;
	c->pos = nl ? nl + 1 : c->end;
	l->number = c->line;
	if (memchr(s, '\0', (size_t)(e - s)) != NULL)
		return -EINVAL;
	if ((size_t)(e - s) > CONFIG_LINE_MAX)
		return -E2BIG;
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	l->start = s;
	l->len = (size_t)(e - s);
	return 1;
}
