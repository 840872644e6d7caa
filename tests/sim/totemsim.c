/*
 * totemsim: run the Totem engine on N simulated nodes.
 *
 *   totemsim --seed S --nodes N --faults mixed|none|loss,crash,... \
 *            --duration MS [--history FILE] [--log FILE]
 *   totemsim --seeds A-B --nodes LO-HI ...      (batch)
 *
 * A failing run prints the one command that replays it bit for bit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: totemsim [--seed S | --seeds A-B] [--nodes N|LO-HI]\n"
		"  [--faults mixed|none|loss,crash,partition,timer]\n"
		"  [--duration MS] [--token MS] [--token-coef MS]\n"
		"  [--interval MS] [--safe-pct P] [--mtu B] [--max-msg B]\n"
		"  [--history FILE] [--log FILE] [--quiet]\n");
}

static int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char *end;

	errno = 0;
	*lo = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end == '-') {
		const char *p = end + 1;

		*hi = strtoull(p, &end, 10);
		if (errno || end == p)
			return -1;
	} else {
		*hi = *lo;
	}
	return *end || *hi < *lo ? -1 : 0;
}

static int parse_faults(const char *s, int *out)
{
	char buf[128], *tok, *save = NULL;
	int f = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "mixed"))
			f |= SIM_F_MIXED;
		else if (!strcmp(tok, "none"))
			f |= SIM_F_NONE;
		else if (!strcmp(tok, "loss"))
			f |= SIM_F_LOSS;
		else if (!strcmp(tok, "crash"))
			f |= SIM_F_CRASH;
		else if (!strcmp(tok, "partition"))
			f |= SIM_F_PART;
		else if (!strcmp(tok, "timer"))
			f |= SIM_F_TIMER;
		else
			return -1;
	}
	*out = f;
	return 0;
}

static void faults_str(int f, char *b, size_t len)
{
	if (f == SIM_F_MIXED) {
		snprintf(b, len, "mixed");
		return;
	}
	if (!f) {
		snprintf(b, len, "none");
		return;
	}
	snprintf(b, len, "%s%s%s%s", f & SIM_F_LOSS ? "loss," : "",
		 f & SIM_F_CRASH ? "crash," : "",
		 f & SIM_F_PART ? "partition," : "",
		 f & SIM_F_TIMER ? "timer," : "");
	b[strlen(b) - 1] = 0;
}

static void replay_cmd(const char *argv0, const struct sim_params *p)
{
	char f[64];

	faults_str(p->faults, f, sizeof(f));
	printf("replay: %s --seed %" PRIu64 " --nodes %d --faults %s "
	       "--duration %u --token %u --token-coef %u --interval %u "
	       "--safe-pct %d --mtu %u --max-msg %u --history h.txt\n",
	       argv0, p->seed, p->nodes, f, p->duration_ms, p->token_ms,
	       p->token_coef_ms, p->send_interval_ms, p->safe_pct, p->mtu,
	       p->max_msg);
}

int main(int argc, char **argv)
{
	struct sim_params p;
	struct sim_result r;
	uint64_t s_lo = 1, s_hi = 1, n_lo = 3, n_hi = 3, seed, v;
	const char *hist = NULL, *logf = NULL;
	unsigned long passed = 0, failed = 0;
	int quiet = 0, batch = 0, i;

	sim_params_default(&p);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t lo, hi;

		if (!strcmp(a, "--quiet")) {
			quiet = 1;
			continue;
		}
		if (!val) {
			usage();
			return 2;
		}
		i++;
		if (!strcmp(a, "--seed") || !strcmp(a, "--seeds")) {
			if (parse_range(val, &s_lo, &s_hi))
				goto bad;
			batch = !strcmp(a, "--seeds");
		} else if (!strcmp(a, "--nodes")) {
			if (parse_range(val, &n_lo, &n_hi) || n_lo < 1 ||
			    n_hi > SIM_MAX_NODES)
				goto bad;
		} else if (!strcmp(a, "--faults")) {
			if (parse_faults(val, &p.faults))
				goto bad;
		} else if (!strcmp(a, "--history")) {
			hist = val;
		} else if (!strcmp(a, "--log")) {
			logf = val;
		} else {
			if (parse_range(val, &lo, &hi) || lo != hi)
				goto bad;
			v = lo;
			if (!strcmp(a, "--duration"))
				p.duration_ms = (uint32_t)v;
			else if (!strcmp(a, "--token"))
				p.token_ms = (uint32_t)v;
			else if (!strcmp(a, "--token-coef"))
				p.token_coef_ms = (uint32_t)v;
			else if (!strcmp(a, "--interval"))
				p.send_interval_ms = (uint32_t)v;
			else if (!strcmp(a, "--safe-pct"))
				p.safe_pct = (int)v;
			else if (!strcmp(a, "--mtu"))
				p.mtu = (uint32_t)v;
			else if (!strcmp(a, "--max-msg"))
				p.max_msg = (uint32_t)v;
			else
				goto bad;
		}
		continue;
bad:
		fprintf(stderr, "totemsim: bad option %s %s\n", a, val);
		usage();
		return 2;
	}
	if (p.token_ms == 0 || p.send_interval_ms == 0 || p.max_msg < 1500 ||
	    p.mtu < 256 || p.safe_pct < 0 || p.safe_pct > 100) {
		fprintf(stderr, "totemsim: bad parameters\n");
		return 2;
	}
	if (batch && hist) {
		fprintf(stderr, "totemsim: --history needs a single --seed\n");
		return 2;
	}
	if (hist && !(p.history = fopen(hist, "w"))) {
		perror(hist);
		return 2;
	}
	if (logf && !(p.log = fopen(logf, "w"))) {
		perror(logf);
		return 2;
	}
	for (seed = s_lo; seed <= s_hi; seed++) {
		uint64_t pick = seed * 0x9e3779b97f4a7c15ull;

		p.seed = seed;
		p.nodes = (int)(n_lo + (n_hi > n_lo ? sim_rand(&pick) %
							 (n_hi - n_lo + 1) : 0));
		if (sim_run(&p, &r)) {
			fprintf(stderr, "totemsim: run failed to start\n");
			return 2;
		}
		if (r.violations) {
			failed++;
			printf("FAIL seed %" PRIu64 " nodes %d: %d violation(s): %s\n",
			       seed, p.nodes, r.violations, r.first);
			replay_cmd(argv[0], &p);
		} else {
			passed++;
			if (!quiet && !batch)
				printf("ok seed %" PRIu64 " nodes %d: sent %" PRIu64
				       " delivered %" PRIu64 " confs %" PRIu64
				       " events %" PRIu64 " end %" PRIu64 " us\n",
				       seed, p.nodes, r.sent, r.delivered,
				       r.confs, r.events, r.end_us);
		}
		if (seed == UINT64_MAX)
			break;
	}
	if (p.history)
		fclose(p.history);
	if (p.log)
		fclose(p.log);
	printf("totemsim: %lu passed, %lu failed\n", passed, failed);
	return failed ? 1 : 0;
}
