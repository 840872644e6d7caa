/*
 * Library-internal result codes.
 *
 * Internal functions return 0 on success or a negative code: either -errno
 * for failures seen here, or cpg_err_from_cs() of a cs_error_t that the
 * daemon answered with (kept exact, since several of them have no errno
 * twin).  cpg_err_to_cs() turns either back into a cs_error_t; the public
 * functions call it once, on their way out.
 */
#ifndef CPG_ERR_H
#define CPG_ERR_H

#include <corosync/corotypes.h>

/* Negative codes at or below -CPG_ERR_CS_BASE carry a daemon's cs_error_t. */
#define CPG_ERR_CS_BASE 4096

/* The internal code for a daemon's answer: 0 for CS_OK. */
int cpg_err_from_cs(int cs);

/* The public result for an internal code. */
cs_error_t cpg_err_to_cs(int err);

#endif
