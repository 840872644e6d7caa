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
	LOG_T_MAX_
};

/* Set up qb_log: "error".."debug" as level; to stderr when foreground,
 * to syslog otherwise.  0 or -EINVAL for an unknown level name. */
int log_setup(const char *level, int foreground);
int log_level_parse(const char *name, int *prio);
void log_teardown(void);
const char *log_strerror(int err);

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
