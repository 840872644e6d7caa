/*
 * Logging for the daemon: printf-checked macros over libqb's qb_log, one tag
 * per subsystem so that a line shows where it comes from ("[ipc] ...").
 *
 *   log_warning(LOG_T_IPC, "client %d sent %zu bytes", pid, n);
 *   log_warning_errno(LOG_T_IPC, -rc, "cannot map %s", path);
 *
 * The _errno variants append ": <strerror(err)>"; err may be given as a
 * positive errno or as a negative -errno return value.
 */
#ifndef CPGD_UTIL_LOG_H
#define CPGD_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <qb/qblog.h>

enum log_tag {
	LOG_T_MAIN = 1,
	LOG_T_IPC,
	LOG_T_CPG,
	LOG_T_ORDER,
	LOG_T_TOTEM,
	LOG_T_NET,
	LOG_T_CONFIG,
	LOG_T_EVS,
	LOG_T_MAX_
};

enum log_timestamp {
	LOG_TS_OFF = 0,
	LOG_TS_ON,		/* to the second */
	LOG_TS_HIRES,		/* to the millisecond */
};

/* Where log lines go and which ones: the daemon fills this from the
 * configuration's logging section and the command line. */
struct log_settings {
	bool to_stderr, to_syslog, to_logfile;
	const char *logfile;		/* path; used when to_logfile */
	int syslog_facility;		/* LOG_DAEMON, LOG_LOCAL0.. */
	/* the least severe priority each target gets (LOG_ERR..LOG_TRACE);
	 * stderr follows logfile_priority */
	int syslog_priority, logfile_priority;
	/* subsystems (bit 1 << tag) logged at LOG_DEBUG, resp. LOG_TRACE,
	 * whatever the targets' priorities */
	uint32_t debug_tags, trace_tags;
	enum log_timestamp timestamp;	/* stderr and logfile; syslog stamps */
	bool fileline, function_name;
};

/* Before the configuration is known: notice and above to stderr. */
void log_early(void);

/* Apply settings, at start-up and again on reload: targets are switched
 * on and off, the logfile opened, reopened (same path: a rotated file is
 * let go) or replaced, filters and formats set.  0, or -errno when the
 * logfile cannot be opened (everything else is applied, and the error is
 * logged). */
int log_apply(const struct log_settings *s);

void log_teardown(void);

/* "error".."debug" (and "trace") to a priority; 0 or -EINVAL. */
int log_level_parse(const char *name, int *prio);

/* The tag for a subsystem name of logger_subsys: ours ("totem", "net",
 * ...) or corosync's where it maps ("TOTEM", "KNET", "CPG", "MAIN",
 * "SERV", "QB" ...); case does not matter.  0 when there is none. */
enum log_tag log_tag_by_name(const char *name);

const char *log_strerror(int err);

/* Whether trace lines of this subsystem go anywhere: for a hot path to
 * skip building one (and libqb's call site lookup) when they do not. */
bool log_trace_on(enum log_tag tag);

/* For trace lines: the first bytes of a message up to its first zero
 * byte, at most size - 1, anything but printable ASCII as '?', "-" when
 * there are none; written to buf, which is returned. */
const char *log_head(char *buf, size_t size, const void *msg, size_t len);

#define log_at_(prio, tag, fmt, ...) qb_logt(prio, tag, fmt, ##__VA_ARGS__)
#define log_at_errno_(prio, tag, err, fmt, ...) \
	qb_logt(prio, tag, fmt ": %s", ##__VA_ARGS__, log_strerror(err))

#define log_error(tag, fmt, ...)   log_at_(LOG_ERR, tag, fmt, ##__VA_ARGS__)
#define log_warning(tag, fmt, ...) log_at_(LOG_WARNING, tag, fmt, ##__VA_ARGS__)
#define log_notice(tag, fmt, ...)  log_at_(LOG_NOTICE, tag, fmt, ##__VA_ARGS__)
#define log_info(tag, fmt, ...)    log_at_(LOG_INFO, tag, fmt, ##__VA_ARGS__)
#define log_debug(tag, fmt, ...)   log_at_(LOG_DEBUG, tag, fmt, ##__VA_ARGS__)

#define log_error_errno(tag, err, fmt, ...) \
	log_at_errno_(LOG_ERR, tag, err, fmt, ##__VA_ARGS__)
#define log_warning_errno(tag, err, fmt, ...) \
	log_at_errno_(LOG_WARNING, tag, err, fmt, ##__VA_ARGS__)
#define log_notice_errno(tag, err, fmt, ...) \
	log_at_errno_(LOG_NOTICE, tag, err, fmt, ##__VA_ARGS__)
#define log_debug_errno(tag, err, fmt, ...) \
	log_at_errno_(LOG_DEBUG, tag, err, fmt, ##__VA_ARGS__)

#endif
