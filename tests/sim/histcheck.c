/*
 * histcheck -- check delivery histories (tests/sim/HISTORY.md).
 *
 *   histcheck [--bound-us N] [--settle-us N] [--max-per-property N]
 *             [--ignore PROPERTY,...] [--old-before-trans] [--regular-only]
 *             [--one-clock] FILE...
 *
 * Exit 0: every property holds (one summary line on stdout).
 * Exit 1: violations, one line each on stdout: "<property>: <details>".
 * Exit 2: unreadable or malformed input, "file:line: reason" on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

#define NPROPS 12

struct out {
	const char *names[NPROPS];
	size_t count[NPROPS];
	int ignored[NPROPS];	/* --ignore: counted, not printed, not failing */
	size_t max;		/* lines printed per property, 0 = all */
};

static void report(void *ctx, const char *prop, const char *text)
{
	struct out *o = ctx;
	size_t i;

	for (i = 0; i < NPROPS && strcmp(o->names[i], prop) != 0; i++)
		;
	if (i == NPROPS) {
		/* Not a property (out of memory): never ignored or capped. */
		printf("%s: %s\n", prop, text);
		return;
	}
	o->count[i]++;
	if (!o->ignored[i] && (o->max == 0 || o->count[i] <= o->max))
		printf("%s: %s\n", prop, text);
}

static int parse_num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

/* Prints the usage on f; returns rc, the exit status to end with. */
static int usage(FILE *f, int rc)
{
	fprintf(f, "usage: histcheck [--bound-us N] [--settle-us N] [--max-per-property N]\n"
		"                 [--ignore PROPERTY[,PROPERTY...]] [--old-before-trans] [--regular-only]\n"
		"                 [--one-clock] FILE...\n"
		"  --bound-us N          convergence bound after faults-end (default 30000000)\n"
		"  --settle-us N         sends in the last N us before end owe no delivery (default 0)\n"
		"  --max-per-property N  print at most N violations per property, 0 = all (default 20)\n"
		"  --ignore LIST         do not fail on these properties (their counts are still shown)\n"
		"  --old-before-trans    the old ring's messages come before the transitional configuration:\n"
		"                        safe-delivery rule 1 binds the deliverer's survivors only, and a\n"
		"                        delivery in a regular configuration left later may be a recovery's\n"
		"                        (--safe-survivors is the same option)\n"
		"  --regular-only        the history has no transitional configurations (CPG clients'):\n"
		"                        a regular configuration may follow another directly\n"
		"  --one-clock           one clock for all nodes, crash lines written as nodes stop\n"
		"                        (the simulator): check safe-after-crash, and tell normal\n"
		"                        deliveries from a recovery's by their time\n"
		"exit: 0 all properties hold, 1 violations, 2 malformed input\n");
	return rc;
}

/* Mark the comma-separated property names in list as ignored. */
static int parse_ignore(struct out *o, const char *list)
{
	while (*list) {
		size_t n = strcspn(list, ","), i;

		for (i = 0; i < NPROPS; i++)
			if (strlen(o->names[i]) == n && strncmp(o->names[i], list, n) == 0)
				break;
		if (i == NPROPS) {
			fprintf(stderr, "histcheck: unknown property '%.*s'\n", (int)n, list);
			return -1;
		}
		o->ignored[i] = 1;
		list += n;
		if (*list)
			list++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "bound-us", required_argument, NULL, 'b' },
		{ "settle-us", required_argument, NULL, 's' },
		{ "max-per-property", required_argument, NULL, 'm' },
		{ "ignore", required_argument, NULL, 'i' },
		{ "safe-survivors", no_argument, NULL, 'S' },
		{ "old-before-trans", no_argument, NULL, 'S' },
		{ "one-clock", no_argument, NULL, 'C' },
		{ "regular-only", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = {
		.names = { HC_P_AGREED, HC_P_DUP, HC_P_INVENTED, HC_P_SELF, HC_P_FIFO,
			   HC_P_VS, HC_P_SAFE, HC_P_CONF, HC_P_LIVE, HC_P_AGREED_HOLES,
			   HC_P_FIFO_HOLES, HC_P_SAFE_CRASH },
		.max = 20,
	};
	struct hc_opts opts = { .bound_us = 30000000, .settle_us = 0 };
	struct hc_history *h;
	struct hc_stats st;
	char err[512];
	uint64_t v;
	size_t n, i;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (opt) {
		case 'b':
		case 's':
		case 'm':
			if (parse_num(optarg, &v)) {
				fprintf(stderr, "histcheck: bad number '%s'\n", optarg);
				return 2;
			}
			if (opt == 'b')
				opts.bound_us = v;
			else if (opt == 's')
				opts.settle_us = v;
			else
				o.max = (size_t)v;
			break;
		case 'S':
			opts.safe_survivors = 1;
			break;
		case 'R':
			opts.regular_only = 1;
			break;
		case 'C':
			opts.one_clock = 1;
			break;
		case 'i':
			if (parse_ignore(&o, optarg))
				return 2;
			break;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	if (optind >= argc)
		return usage(stderr, 2);
	h = hc_history_new();
	if (!h) {
		fprintf(stderr, "histcheck: out of memory\n");
		return 2;
	}
	for (; optind < argc; optind++) {
		rc = hc_load_file(h, argv[optind], err, sizeof(err));
		if (rc)
			goto bad;
	}
	rc = hc_build(h, err, sizeof(err));
	if (rc)
		goto bad;
	n = hc_check(h, &opts, report, &o);
	hc_stats(h, &st);
	for (i = 0; i < NPROPS; i++) {
		if (o.ignored[i]) {
			if (o.count[i])
				fprintf(stderr, "histcheck: ignored %zu %s violations\n", o.count[i], o.names[i]);
			n -= o.count[i];
		} else if (o.max && o.count[i] > o.max) {
			printf("%s: ... %zu more violations not shown\n", o.names[i], o.count[i] - o.max);
		}
	}
	if (n) {
		fprintf(stderr, "histcheck: %zu violations\n", n);
		hc_history_free(h);
		return 1;
	}
	for (i = 0; i < NPROPS; i++)
		if (o.ignored[i])
			printf("histcheck: %s NOT checked (--ignore)\n", o.names[i]);
	if (opts.safe_survivors)
		printf("histcheck: old-ring messages before the transitional configuration: safe-delivery "
		       "checked in its weaker survivors form (--old-before-trans)\n");
	if (!opts.one_clock)
		printf("histcheck: safe-after-crash NOT checked (needs --one-clock)\n");
	printf("histcheck: ok: %zu nodes, %zu incarnations, %zu messages, %zu deliveries, "
	       "%zu configurations installed, %zu ring ids%s\n",
	       st.nodes, st.incarnations, st.messages, st.deliveries, st.installs, st.rings,
	       st.liveness_checked ? "" : " (liveness not checked: no faults-end, or end before faults-end + bound)");
	hc_history_free(h);
	return 0;
bad:
	fprintf(stderr, "histcheck: %s\n", err);
	hc_history_free(h);
	return 2;
}
