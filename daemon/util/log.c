/* qb_log set-up and the tag names used by util/log.h. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

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
	};

	return tag < LOG_T_MAX_ ? names[tag] : "qb";
}

int log_level_parse(const char *name, int *prio)
{
	static const struct {
		const char *name;
		int prio;
	} levels[] = {
		{ "error", LOG_ERR }, { "warning", LOG_WARNING },
		{ "notice", LOG_NOTICE }, { "info", LOG_INFO },
		{ "debug", LOG_DEBUG },
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

int log_setup(const char *level, int foreground)
{
	int prio = LOG_NOTICE;
	int target = foreground ? QB_LOG_STDERR : QB_LOG_SYSLOG;

	if (level && log_level_parse(level, &prio) < 0)
		return -EINVAL;
	qb_log_init("cpgd", LOG_DAEMON, prio);
	qb_log_tags_stringify_fn_set(tag_name);
	/* qb_log_init turns syslog on; use exactly one target. */
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_filter_ctl(target, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*",
			  prio);
	qb_log_format_set(target, foreground ? "%t [%g] %p: %b" : "[%g] %b");
	qb_log_ctl(target, QB_LOG_CONF_ENABLED, QB_TRUE);
	return 0;
}

void log_teardown(void)
{
	qb_log_fini();
}

const char *log_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}
