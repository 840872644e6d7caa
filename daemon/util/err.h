/*
 * Why a constructor failed.
 *
 * Every layer's constructor has one shape:
 *
 *   int x_new(<inputs>, struct x **out, struct err *e);
 *
 * It returns 0 and sets *out, or -errno with *out set to NULL and, when e
 * is not NULL, a one-line reason in e->msg for the caller's log line
 * ("cannot join the cluster: %s").  The caller clears e before the call
 * (struct err e = { "" }).  Header only, with no dependency, so that the
 * Totem engine and the tests use it as the daemon does.
 */
#ifndef CPGD_ERR_H
#define CPGD_ERR_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Room for the config layer's "FILE:LINE: reason" with a long path or
 * address in it. */
#define ERR_MSG_MAX 512

struct err {
	char msg[ERR_MSG_MAX];
};

/* Record a reason (printf-style) and return rc, a negative errno; e may be
 * NULL.  A reason already recorded by a layer below is kept, so that the
 * deepest, most precise one reaches the caller. */
__attribute__((format(printf, 3, 4)))
static inline int err_set(struct err *e, int rc, const char *fmt, ...)
{
	va_list ap;

	if (e && !e->msg[0]) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* The reason, or strerror(-rc) when none was recorded. */
static inline const char *err_msg(const struct err *e, int rc)
{
	return e && e->msg[0] ? e->msg : strerror(rc < 0 ? -rc : rc);
}

#endif
