/*
 * Private to daemon/config: the parse context shared by the syntax walker
 * (config_parse.c), the per-section key tables (config_sections.c), the
 * value converters (config_values.c) and the final checks
 * (config_finish.c).
 */
#ifndef CPGD_CONFIG_INT_H
#define CPGD_CONFIG_INT_H

#include <stdarg.h>
#include <stdint.h>

#include "config/config.h"

/* The sections we know; SECT_SKIP is any section we read past unchecked. */
enum cfg_sect {
	SECT_TOP = 0,
	SECT_TOTEM,
	SECT_INTERFACE,
	SECT_NODELIST,
	SECT_NODE,
	SECT_LOGGING,
	SECT_SUBSYS,
	SECT_UIDGID,
	SECT_SKIP,
};

/* A bounds-checked view of the input: never reads at or past `end`. */
struct cfg_cursor {
	const char *pos;
	const char *end;
	unsigned line;   /* number of the line last returned, 1-based */
};

/* One line with its blanks trimmed: [start, start + len). */
struct cfg_line {
	const char *start;
	size_t len;
	unsigned number;
};

#define CFG_KEYS_MAX 64 /* keys per section table */

struct cfg_ctx {
	struct config *cfg;
	const char *source;
	unsigned line;
	struct err *e;                  /* the caller's; may be NULL */

	enum cfg_sect stack[CONFIG_DEPTH_MAX + 1];
	unsigned section_line[CONFIG_DEPTH_MAX + 1];
	unsigned depth;

	/* The line where each key was given (0 = not given), by index in its
	 * section's table: repeats warn, derived defaults apply only to keys
	 * not given, and cross-field errors name the line. */
	unsigned seen_totem[CFG_KEYS_MAX];
	unsigned seen_link[CONFIG_MAX_LINKS][CFG_KEYS_MAX];
	unsigned link_line[CONFIG_MAX_LINKS];
	unsigned seen[CONFIG_DEPTH_MAX + 1][CFG_KEYS_MAX]; /* per open section */

	/* The interface section being read. */
	struct config_link cur_link;
	int cur_linknumber;             /* -1 until linknumber is read */

	/* The node section being read. */
	struct config_node cur_node;
	bool cur_node_has_id;
	unsigned node_cap;

	/* The logger_subsys section being read. */
	struct config_subsys cur_subsys;
	bool cur_subsys_named;

	bool uidgid_only;               /* a uidgid.d file: nothing else allowed */
	bool have_nodelist;
	bool secauth;
};

/* config_cursor.c */
void cfg_cursor_init(struct cfg_cursor *c, const char *buf, size_t len);
/* 1 with a line, 0 at the end, -EINVAL on a NUL byte, -E2BIG on a line
 * longer than CONFIG_LINE_MAX. */
int cfg_cursor_next(struct cfg_cursor *c, struct cfg_line *l);

/* config_parse.c */
/* Record "SOURCE:LINE: reason" (no LINE when x->line is 0) in x->e unless
 * a reason is already there; returns -EINVAL. */
int cfg_error(struct cfg_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cfg_notice(struct cfg_ctx *x, enum config_notice_level level,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cfg_parse_text(struct cfg_ctx *x, const char *buf, size_t len);

/* config_sections.c: called by the walker. */
int cfg_section_open(struct cfg_ctx *x, const char *name, enum cfg_sect *out);
int cfg_section_close(struct cfg_ctx *x, enum cfg_sect s);
int cfg_key(struct cfg_ctx *x, enum cfg_sect s, const char *key,
	    const char *value);
/* Line where a totem key / a link's interface key was given, 0 if not. */
unsigned cfg_totem_line(const struct cfg_ctx *x, const char *key);
unsigned cfg_link_line(const struct cfg_ctx *x, unsigned link, const char *key);
/* Defaults for everything before parsing starts. */
void cfg_set_defaults(struct config *cfg);
void cfg_link_defaults(struct config_link *l, unsigned linknumber);

/* config_values.c: converters; each reports its own error. */
int cfg_u32(struct cfg_ctx *x, const char *key, const char *v,
	    uint32_t min, uint32_t max, uint32_t *out);
int cfg_u64(struct cfg_ctx *x, const char *key, const char *v, uint64_t *out);
int cfg_int(struct cfg_ctx *x, const char *key, const char *v,
	    int min, int max, int *out);
int cfg_bool(struct cfg_ctx *x, const char *key, const char *v, bool *out);
int cfg_enum(struct cfg_ctx *x, const char *key, const char *v,
	     const char *const *names, int *out);
int cfg_str(struct cfg_ctx *x, const char *key, const char *v,
	    char *dst, size_t dstlen);
/* Parse a numeric IPv4/IPv6 literal; 0 if it is one, -EINVAL if not. */
int cfg_addr_numeric(const char *text, struct sockaddr_storage *sa,
		     socklen_t *salen);
bool cfg_addr_equal(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b);
void cfg_addr_format(const struct sockaddr_storage *sa, char *buf, size_t len);

/* config_finish.c: derived defaults and cross-field checks. */
int cfg_finish(struct cfg_ctx *x);
int cfg_check_addresses(const struct config *cfg, struct err *e);

#endif
