/*
 * cpgd-tool: show what the local cpgd knows (groups and members cluster-
 * wide, the ring, knet links, counters), asked over the daemon's
 * "cpgd-status" IPC service.  See cpgd-tool(8).
 *
 * Exit status: 0 done, 1 no answer from cpgd (not running, refused, error
 * reply), 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <qb/qbipcc.h>

#include "cpgd_tool_fmt.h"
#include "cpgd_tool_json.h"
#include "status/status_proto.h"

#define REPLY_TIMEOUT_MS 10000

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cpgd-tool [groups|ring|links|counters|evs|all] [--json] [-h]\n"
		"       cpgd-tool [groups] [-d DELIM | -n] [-e]\n"
		"Show the state of the local cpgd (default: all).\n"
		"  groups        process groups and their members on every node\n"
		"  ring          the current ring: id and member nodes\n"
		"  links         knet links to the other nodes\n"
		"  counters      message, byte and event counters\n"
		"  evs           local EVS clients and the groups they joined\n"
		"  -j, --json    print the daemon's JSON reply as it is\n"
		"  -d DELIM      groups: one line per member, fields split by DELIM\n"
		"  -n            groups: the group names only\n"
		"  -e            groups: print names without escaping\n"
		"  -h, --help    this text\n");
}

static int section_of(const char *word, unsigned *mask)
{
	static const struct {
		const char *name;
		unsigned mask;
	} words[] = {
		{ "groups", STATUS_SECT_GROUPS },
		{ "ring", STATUS_SECT_RING },
		{ "links", STATUS_SECT_LINKS },
		{ "counters", STATUS_SECT_COUNTERS },
		{ "evs", STATUS_SECT_EVS },
		{ "all", STATUS_SECT_ALL },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(word, words[i].name) == 0) {
			*mask = words[i].mask;
			return 0;
		}
	}
	return -1;
}

/* Ask the daemon; on success *json holds the reply text (malloc'd). */
static int fetch(unsigned mask, char **json, size_t *len)
{
	struct qb_ipc_request_header req;
	struct qb_ipc_response_header res;
	unsigned char le[4];
	struct iovec iov[2];
	size_t cap = STATUS_REPLY_MAX + sizeof(res);
	qb_ipcc_connection_t *c;
	char *buf;
	ssize_t n;

	c = qb_ipcc_connect(STATUS_SERVICE_NAME, cap);
	if (!c) {
		int e = errno ? errno : ECONNREFUSED;

		fprintf(stderr, "cpgd-tool: cannot connect to cpgd: %s%s\n",
			strerror(e),
			e == EACCES || e == EPERM ? " (root only)" :
			" (is cpgd running?)");
		return -1;
	}
	buf = malloc(cap);
	if (!buf) {
		fprintf(stderr, "cpgd-tool: out of memory\n");
		qb_ipcc_disconnect(c);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.id = STATUS_REQ_GET;
	req.size = (int32_t)(sizeof(req) + sizeof(le));
	le[0] = (unsigned char)(mask & 0xff);
	le[1] = (unsigned char)((mask >> 8) & 0xff);
	le[2] = (unsigned char)((mask >> 16) & 0xff);
	le[3] = (unsigned char)((mask >> 24) & 0xff);
	iov[0].iov_base = &req;
	iov[0].iov_len = sizeof(req);
	iov[1].iov_base = le;
	iov[1].iov_len = sizeof(le);
	n = qb_ipcc_sendv_recv(c, iov, 2, buf, cap, REPLY_TIMEOUT_MS);
	qb_ipcc_disconnect(c);
	if (n < 0) {
		fprintf(stderr, "cpgd-tool: cannot connect to cpgd: %s\n",
			strerror((int)-n));
		free(buf);
		return -1;
	}
	if ((size_t)n < sizeof(res)) {
		fprintf(stderr, "cpgd-tool: short reply from cpgd\n");
		free(buf);
		return -1;
	}
	memcpy(&res, buf, sizeof(res));
	if (res.id != STATUS_REQ_GET || res.size < (int32_t)sizeof(res) ||
	    (size_t)res.size != (size_t)n) {
		fprintf(stderr, "cpgd-tool: malformed reply from cpgd\n");
		free(buf);
		return -1;
	}
	if (res.error != 0) {
		fprintf(stderr, "cpgd-tool: cpgd could not answer: %s\n",
			res.error < 0 ? strerror(-res.error) : "unknown error");
		free(buf);
		return -1;
	}
	*len = (size_t)n - sizeof(res);
	memmove(buf, buf + sizeof(res), *len);
	*json = buf;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned mask = STATUS_SECT_ALL;
	struct tool_opts fo = { NULL, false, false };
	int opt, as_json = 0, rc = 0;
	char err[256];
	json_t *root;
	char *json;
	size_t len;

	while ((opt = getopt_long(argc, argv, "jd:neh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			as_json = 1;
			break;
		case 'd':
			fo.delim = optarg;
			break;
		case 'n':
			fo.names_only = true;
			break;
		case 'e':
			fo.raw_names = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "cpgd-tool: one section at a time\n");
		usage(stderr);
		return 2;
	}
	if (optind < argc && section_of(argv[optind], &mask) < 0) {
		fprintf(stderr, "cpgd-tool: unknown section '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (fo.delim || fo.names_only || fo.raw_names) {
		/* as corosync-cpgtool: these are about groups */
		if (optind == argc)
			mask = STATUS_SECT_GROUPS;
		if (mask != STATUS_SECT_GROUPS || as_json ||
		    (fo.delim && fo.names_only)) {
			fprintf(stderr, "cpgd-tool: -d, -n and -e go with groups, "
				"without --json; -d and -n not together\n");
			usage(stderr);
			return 2;
		}
	}
	if (fetch(mask, &json, &len) < 0)
		return 1;
	if (as_json) {
		if (fwrite(json, 1, len, stdout) != len || putchar('\n') == EOF)
			rc = 1;
	} else if (tj_parse(json, len, &root, err, sizeof(err)) < 0) {
		fprintf(stderr, "cpgd-tool: cannot read cpgd's reply: %s\n", err);
		rc = 1;
	} else {
		if (tool_print(root, mask, &fo, stdout, err, sizeof(err)) < 0) {
			fprintf(stderr, "cpgd-tool: unexpected reply from cpgd: %s\n",
				err);
			rc = 1;
		}
		json_decref(root);
	}
	free(json);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}
