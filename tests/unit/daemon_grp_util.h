/* Shared by the CPG layer's unit tests (daemon_grp.c, daemon_grp_msg.c). */
#ifndef CPGD_TESTS_DAEMON_GRP_UTIL_H
#define CPGD_TESTS_DAEMON_GRP_UTIL_H

#include <stdint.h>
#include <string.h>

#include "grp/grp.h"

/* The group name s (at most CPG_MAX_NAME_LENGTH bytes), zero-padded. */
static inline struct grp_gname gn(const char *s)
{
	struct grp_gname g;

	memset(&g, 0, sizeof(g));
	g.len = (uint32_t)strlen(s);
	memcpy(g.value, s, g.len);
	return g;
}

#endif
