/* qb_log set-up from struct log_settings, and the tag names used by
 * util/log.h. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <qb/qbdefs.h>

#include "util/log.h"

/*
 * libqb's logger is one per process and its filter callback takes no
 * argument, so what that callback needs (the subsystems to log at debug,
 * the targets in use) and the logfile's target live here, the one piece of
 * file-scope state of the daemon.  Only the main loop's thread changes it.
 */
static struct {
	uint32_t debug_tags, trace_tags;
	bool trace_all;			/* a target takes every trace line */
	bool on[QB_LOG_TARGET_MAX];
	int32_t logfile_t;		/* -1: no logfile target */
	char logfile[PATH_MAX];
} log_state = { .logfile_t = -1 };

static const char *tag_name(uint32_t tag)
{
	static const char *const names[LOG_T_MAX_] = {
		[0] = "-",
		[LOG_T_MAIN] = "main",
		[LOG_T_IPC] = "ipc",
		[LOG_T_CPG] = "cpg",
		[LOG_T_ORDER] = "order",
		[LOG_T_TOTEM] = "totem",
		[LOG_T_NET] = "net",
		[LOG_T_CONFIG] = "config",
		[LOG_T_EVS] = "evs",
	};

	return tag < LOG_T_MAX_ ? names[tag] : "qb";
}

enum log_tag log_tag_by_name(const char *name)
{
	/* ours, then corosync's subsystem names where one of ours does
	 * that job */
	static const struct {
		const char *name;
		enum log_tag tag;
	} map[] = {
		{ "main", LOG_T_MAIN }, { "ipc", LOG_T_IPC }, { "cpg", LOG_T_CPG },
		{ "order", LOG_T_ORDER }, { "totem", LOG_T_TOTEM },
		{ "net", LOG_T_NET }, { "config", LOG_T_CONFIG },
		{ "evs", LOG_T_EVS },
		{ "knet", LOG_T_NET },
		{ "totemknet", LOG_T_NET }, { "totemsrp", LOG_T_TOTEM },
		{ "totempg", LOG_T_ORDER },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(name, map[i].name) == 0)
			return map[i].tag;
	return 0;
}

int log_level_parse(const char *name, int *prio)
{
	static const struct {
		const char *name;
		int prio;
	} levels[] = {
		{ "error", LOG_ERR }, { "warning", LOG_WARNING },
		{ "notice", LOG_NOTICE }, { "info", LOG_INFO },
		{ "debug", LOG_DEBUG }, { "trace", LOG_TRACE },
	};
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcasecmp(name, levels[i].name) == 0) {
			*prio = levels[i].prio;
			return 0;
		}
	}
	return -EINVAL;
}

/* Adds the targets of subsystems set to debug or trace to a call site
 * that the priority filters left out. */
static void subsys_filter(struct qb_log_callsite *cs)
{
	int32_t t;
	int lim;

	if (cs->tags == 0 || cs->tags >= LOG_T_MAX_)
		return;
	if (log_state.trace_tags & (1u << cs->tags))
		lim = LOG_TRACE;
	else if (log_state.debug_tags & (1u << cs->tags))
		lim = LOG_DEBUG;
	else
		return;
	if (cs->priority > lim)
		return;
	for (t = 0; t < QB_LOG_TARGET_MAX; t++)
		if (log_state.on[t])
			qb_bit_set(cs->targets, t);
}

static void target_set(int32_t t, bool on, int prio, const char *format)
{
	qb_log_filter_ctl(t, QB_LOG_FILTER_CLEAR_ALL, QB_LOG_FILTER_FILE, "*", 0);
	if (on) {
		qb_log_filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*",
				  (uint8_t)prio);
		qb_log_format_set(t, format);
	}
	qb_log_ctl(t, QB_LOG_CONF_ENABLED, on ? QB_TRUE : QB_FALSE);
	log_state.on[t] = on;
}

/* "[tag] priority: file:line function() message", with the time first
 * where wanted */
static void format_line(char *buf, size_t len, const struct log_settings *s,
			bool stamp)
{
	const char *ts = "";

	if (stamp && s->timestamp == LOG_TS_ON)
		ts = "%t ";
	else if (stamp && s->timestamp == LOG_TS_HIRES)
		ts = "%T ";
	snprintf(buf, len, "%s[%%g] %s%s%s%%b", ts, stamp ? "%p: " : "",
		 s->fileline ? "%f:%l " : "", s->function_name ? "%n() " : "");
}

static int logfile_set(const struct log_settings *s)
{
	int32_t t;
	int rc = 0;

	if (!s->to_logfile || !s->logfile || !s->logfile[0]) {
		if (log_state.logfile_t >= 0) {
			target_set(log_state.logfile_t, false, 0, NULL);
			qb_log_file_close(log_state.logfile_t);
		}
		log_state.logfile_t = -1;
		return 0;
	}
	if (strlen(s->logfile) >= sizeof(log_state.logfile))
		return -ENAMETOOLONG;
	if (log_state.logfile_t >= 0 &&
	    strcmp(log_state.logfile, s->logfile) == 0) {
		/* the same file: open it again, so a rotated one is let go */
		rc = qb_log_file_reopen(log_state.logfile_t, s->logfile);
		if (rc >= 0)
			return 0;
	}
	if (log_state.logfile_t >= 0) {
		target_set(log_state.logfile_t, false, 0, NULL);
		qb_log_file_close(log_state.logfile_t);
		log_state.logfile_t = -1;
	}
	t = qb_log_file_open(s->logfile);
	if (t < 0)
		return t;
	log_state.logfile_t = t;
	strcpy(log_state.logfile, s->logfile);
	return rc;
}

void log_early(void)
{
	qb_log_init("cpgd", LOG_DAEMON, LOG_NOTICE);
	qb_log_tags_stringify_fn_set(tag_name);
	/* qb_log_init turns syslog on: nothing but stderr until the
	 * configuration says where to log */
	target_set(QB_LOG_SYSLOG, false, 0, NULL);
	target_set(QB_LOG_STDERR, true, LOG_NOTICE, "%T [%g] %p: %b");
}

int log_apply(const struct log_settings *s)
{
	char fmt[64];
	int rc;

	log_state.debug_tags = s->debug_tags;
	log_state.trace_tags = s->trace_tags;
	log_state.trace_all =
		((s->to_stderr || s->to_logfile) &&
		 s->logfile_priority >= LOG_TRACE) ||
		(s->to_syslog && s->syslog_priority >= LOG_TRACE);
	rc = logfile_set(s);
	format_line(fmt, sizeof(fmt), s, true);
	target_set(QB_LOG_STDERR, s->to_stderr, s->logfile_priority, fmt);
	if (log_state.logfile_t >= 0)
		target_set(log_state.logfile_t, true, s->logfile_priority, fmt);
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_FACILITY, s->syslog_facility);
	format_line(fmt, sizeof(fmt), s, false);
	target_set(QB_LOG_SYSLOG, s->to_syslog, s->syslog_priority, fmt);
	/* last: runs the filter over every call site known so far */
	qb_log_filter_fn_set(subsys_filter);
	if (rc < 0)
		log_error_errno(LOG_T_MAIN, rc, "cannot open the logfile %s",
				s->logfile);
	return rc;
}

void log_teardown(void)
{
	qb_log_fini();
	log_state.logfile_t = -1;
}

const char *log_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}

bool log_trace_on(enum log_tag tag)
{
	return log_state.trace_all ||
	       (tag < LOG_T_MAX_ && (log_state.trace_tags & (1u << tag)));
}

const char *log_head(char *buf, size_t size, const void *msg, size_t len)
{
	const unsigned char *p = msg;
	size_t i;

	if (size == 0)
		return "";
	for (i = 0; i < len && i + 1 < size && p[i]; i++)
		buf[i] = p[i] > 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	if (i == 0 && size > 1)
		buf[i++] = '-';
	buf[i] = 0;
	return buf;
}
