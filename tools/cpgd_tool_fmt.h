/*
 * cpgd-tool's plain-text rendering of the status reply (the JSON layout is
 * in daemon/status/status_proto.h), from the tree cpgd_tool_json.h reads.
 * Kept apart from the IPC code so it can be tested from a fixed reply.
 */
#ifndef CPGD_TOOL_FMT_H
#define CPGD_TOOL_FMT_H

#include <stddef.h>
#include <stdio.h>

#include "cpgd_tool_json.h"

#include <stdbool.h>

/* How groups are printed, as corosync-cpgtool's -d, -n and -e do. */
struct tool_opts {
	const char *delim;	/* one line per member: name DELIM pid DELIM
				 * nodeid, after a GRP_NAME,PID,NODEID head */
	bool names_only;	/* one group name per line */
	bool raw_names;		/* names as they are, unescaped */
};

/* Print the sections in `sections` (STATUS_SECT_* bits) of a parsed reply,
 * one after the other with a blank line between them; opts may be NULL.
 * 0, or -1 with a reason in err when the reply does not have the expected
 * shape. */
int tool_print(const json_t *root, unsigned sections,
	       const struct tool_opts *opts, FILE *out, char *err,
	       size_t errlen);

/* A group name for the terminal: printable ASCII as is, a backslash
 * doubled, any other byte as \xNN.  Always NUL-terminates (truncating to
 * fit outlen). */
void tool_escape_name(const char *name, size_t len, char *out,
		      size_t outlen);

#endif
