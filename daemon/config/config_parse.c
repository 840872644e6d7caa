/*
 * The syntax walker: lines -> section open/close and key/value events,
 * each handed to config_sections.c with the section it belongs to.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config/config_int.h"

int cfg_error(struct cfg_ctx *x, const char *fmt, ...)
{
	char why[ERR_MSG_MAX];
	va_list ap;

	/* no one to tell, or a reason already recorded: err_set() keeps it */
	if (x->e == NULL || x->e->msg[0] != '\0')
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (x->line > 0)
		return err_set(x->e, -EINVAL, "%s:%u: %s", x->source, x->line, why);
	return err_set(x->e, -EINVAL, "%s: %s", x->source, why);
}

void cfg_notice(struct cfg_ctx *x, enum config_notice_level level,
		const char *fmt, ...)
{
	struct config *cfg = x->cfg;
	struct config_notice *n;
	va_list ap;
	int len;

	if (cfg->n_notices >= CONFIG_MAX_NOTICES) {
		cfg->notices_dropped++;
		return;
	}
	n = &cfg->notices[cfg->n_notices++];
	n->level = level;
	len = snprintf(n->text, sizeof(n->text), "%s:%u: ", x->source, x->line);
	if (len < 0 || (size_t)len >= sizeof(n->text))
		return;
	va_start(ap, fmt);
	vsnprintf(n->text + len, sizeof(n->text) - (size_t)len, fmt, ap);
	va_end(ap);
}

static bool valid_section_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 63)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

static int open_section(struct cfg_ctx *x, const struct cfg_line *l)
{
	const char *name = l->start;
	size_t len = l->len - 1; /* drop the '{' */
	char buf[64];
	enum cfg_sect s = SECT_SKIP;
	int rc;

	trim(&name, &len);
	/* corosync also drops a ':' before the brace ("totem: {") */
	while (len > 0 && (name[len - 1] == ':' || name[len - 1] == ' ' ||
			   name[len - 1] == '\t'))
		len--;
	if (len == 0)
		return cfg_error(x, "section without a name before '{'");
	if (memchr(name, '{', len) != NULL)
		return cfg_error(x, "only one '{' per line");
	if (!valid_section_name(name, len))
		return cfg_error(x, "invalid section name '%.*s'", (int)(len > 64 ? 64 : len), name);
	if (x->depth >= CONFIG_DEPTH_MAX)
		return cfg_error(x, "sections nested deeper than %d", CONFIG_DEPTH_MAX);
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (x->stack[x->depth] != SECT_SKIP) {
		rc = cfg_section_open(x, buf, &s);
		if (rc < 0)
			return rc;
	}
	x->depth++;
	x->stack[x->depth] = s;
	memset(x->seen[x->depth], 0, sizeof(x->seen[x->depth]));
	x->section_line[x->depth] = x->line;
	return 0;
}

static int close_section(struct cfg_ctx *x)
{
	enum cfg_sect s;
	int rc = 0;

	if (x->depth == 0)
		return cfg_error(x, "'}' without an open section");
	s = x->stack[x->depth];
	if (s != SECT_SKIP)
		rc = cfg_section_close(x, s);
	x->depth--;
	return rc;
}

static int key_value(struct cfg_ctx *x, const struct cfg_line *l,
		     const char *colon)
{
	const char *k = l->start, *v = colon + 1;
	size_t klen = (size_t)(colon - l->start);
	size_t vlen = l->len - klen - 1;
	char key[CONFIG_LINE_MAX + 1], value[CONFIG_LINE_MAX + 1];

	trim(&k, &klen);
	trim(&v, &vlen);
	if (klen == 0)
		return cfg_error(x, "missing key name before ':'");
	if (x->stack[x->depth] == SECT_SKIP)
		return 0;
	memcpy(key, k, klen);
	key[klen] = '\0';
	memcpy(value, v, vlen);
	value[vlen] = '\0';
	return cfg_key(x, x->stack[x->depth], key, value);
}

/* "totem {  # comment" and "}  # end of totem" occur in the wild and
 * corosync reads them; a '#' after a key's ':' stays part of the value. */
static void strip_brace_comment(struct cfg_line *l)
{
	const char *hash = memchr(l->start, '#', l->len);
	const char *colon = memchr(l->start, ':', l->len);
	size_t len;

	if (hash == NULL || (colon != NULL && colon < hash))
		return;
	len = (size_t)(hash - l->start);
	while (len > 0 && (l->start[len - 1] == ' ' || l->start[len - 1] == '\t'))
		len--;
	if (len > 0 && (l->start[len - 1] == '{' || (len == 1 && l->start[0] == '}')))
		l->len = len;
}

static int parse_line(struct cfg_ctx *x, struct cfg_line *l)
{
	const char *colon, *brace;

	if (l->len == 0 || l->start[0] == '#')
		return 0;
	strip_brace_comment(l);
	if (l->start[l->len - 1] == '{')
		return open_section(x, l);
	brace = memchr(l->start, '{', l->len);
	colon = memchr(l->start, ':', l->len);
	if (brace != NULL && (colon == NULL || brace < colon))
		return cfg_error(x, "text after '{': start the section's contents on the next line");
	if (colon != NULL)
		return key_value(x, l, colon);
	if (l->len == 1 && l->start[0] == '}')
		return close_section(x);
	if (memchr(l->start, '}', l->len) != NULL)
		return cfg_error(x, "'}' must be alone on its line");
	return cfg_error(x, "expected 'name {', '}' or 'key: value', got '%.*s'",
			 (int)(l->len > 64 ? 64 : l->len), l->start);
}

int cfg_parse_text(struct cfg_ctx *x, const char *buf, size_t len)
{
	struct cfg_cursor c;
	struct cfg_line l;
	int rc;

	x->depth = 0;
	x->stack[0] = SECT_TOP;
	cfg_cursor_init(&c, buf, len);
	while ((rc = cfg_cursor_next(&c, &l)) > 0) {
		x->line = l.number;
		rc = parse_line(x, &l);
		if (rc < 0)
			return rc;
	}
	if (rc < 0) {
		x->line = c.line;
		if (rc == -E2BIG)
			return cfg_error(x, "line longer than %d bytes", CONFIG_LINE_MAX);
		return cfg_error(x, "NUL byte in the file");
	}
	if (x->depth > 0) {
		x->line = x->section_line[x->depth];
		return cfg_error(x, "section opened here is never closed (missing '}')");
	}
	x->line = 0;
	return 0;
}
