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
#include "checker.h"

/* Run the history checker (HISTORY.md) over one run's history. */
struct hc_ctx {
	int n;
	char first[256];
};

static void hc_report(void *arg, const char *prop, const char *text)
{
	struct hc_ctx *c = arg;

	if (!c->n++)
		snprintf(c->first, sizeof(c->first), "%s: %s", prop, text);
}

static int run_checker(char *buf, size_t len, const struct sim_result *r,
		       int old_before_trans, char *first, size_t first_len)
{
	struct hc_history *h = hc_history_new();
	struct hc_opts o;
	struct hc_ctx c;
	char err[256];
	unsigned int lineno = 0;
	char *line = buf, *nl;
	int rc = 0;

	if (!h)
		return -1;
	memset(&c, 0, sizeof(c));
	while (line < buf + len) {
		nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (nl)
			*nl = 0;
		lineno++;
		if (*line && hc_load_line(h, "history", lineno, line, err,
					  sizeof(err))) {
			snprintf(first, first_len, "malformed history: %s", err);
			rc = 1;
			goto out;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (hc_build(h, err, sizeof(err))) {
		snprintf(first, first_len, "malformed history: %s", err);
		rc = 1;
		goto out;
	}
	memset(&o, 0, sizeof(o));
	/* the simulator's application stops 2 s before the end; 4 s before
	 * it the ring must have formed */
	o.bound_us = r->end_us - r->faults_end_us - 4000000;
	o.settle_us = 0;
	/* delivering every old-ring message before the transitional
	 * configuration binds a safe one to the survivors only (totem.h) */
	o.safe_survivors = old_before_trans;
	/* virtual time is one clock; a crash line is the instant of the crash */
	o.one_clock = 1;
	hc_check(h, &o, hc_report, &c);
	if (c.n) {
		snprintf(first, first_len, "checker: %d violation(s), first %s",
			 c.n, c.first);
		rc = 1;
	}
out:
	hc_history_free(h);
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"Runs the Totem engine on N simulated nodes (virtual time, one seeded\n"
		"random source); --seeds A-B runs a batch, --nodes LO-HI picks the size\n"
		"per seed.  Prints the replay command of every failing seed.\n");
	fprintf(stderr,
		"usage: totemsim [--seed S | --seeds A-B] [--nodes N|LO-HI]\n"
		"  [--faults mixed|none|loss,crash,partition,timer,oneway,burst,kill,leave,pause,\n"
		"            link,linklie]\n"
		"  [--duration MS] [--token MS] [--token-coef MS]\n"
		"  [--interval MS] [--safe-pct P] [--mtu B] [--max-msg B] [--backlog B]\n"
		"  [--history FILE] [--log FILE] [--dump-packets DIR]\n"
		"  [--check] [--old-before-trans] [--quiet]\n"
		"--check runs the history checker (HISTORY.md) on every run.\n");
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
		else if (!strcmp(tok, "oneway"))
			f |= SIM_F_ONEWAY;
		else if (!strcmp(tok, "burst"))
			f |= SIM_F_BURST;
		else if (!strcmp(tok, "kill"))
			f |= SIM_F_KILL;
		else if (!strcmp(tok, "leave"))
			f |= SIM_F_LEAVE;
		else if (!strcmp(tok, "pause"))
			f |= SIM_F_PAUSE;
		else if (!strcmp(tok, "link"))
			f |= SIM_F_LINK;
		else if (!strcmp(tok, "linklie"))
			f |= SIM_F_LINK | SIM_F_LINKLIE;
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
	snprintf(b, len, "%s%s%s%s%s%s%s%s%s%s", f & SIM_F_LOSS ? "loss," : "",
		 f & SIM_F_CRASH ? "crash," : "",
		 f & SIM_F_PART ? "partition," : "",
		 f & SIM_F_TIMER ? "timer," : "",
		 f & SIM_F_ONEWAY ? "oneway," : "",
		 f & SIM_F_BURST ? "burst," : "",
		 f & SIM_F_KILL ? "kill," : "",
		 f & SIM_F_LEAVE ? "leave," : "",
		 f & SIM_F_PAUSE ? "pause," : "",
		 f & SIM_F_LINKLIE ? "linklie," : f & SIM_F_LINK ? "link," : "");
	b[strlen(b) - 1] = 0;
}

static void replay_cmd(const char *argv0, const struct sim_params *p,
		       int check)
{
	char f[128];

	faults_str(p->faults, f, sizeof(f));
	printf("replay: %s --seed %" PRIu64 " --nodes %d --faults %s "
	       "--duration %u --token %u --token-coef %u --interval %u "
	       "--safe-pct %d --mtu %u --max-msg %u --backlog %u%s%s "
	       "--history h.txt\n",
	       argv0, p->seed, p->nodes, f, p->duration_ms, p->token_ms,
	       p->token_coef_ms, p->send_interval_ms, p->safe_pct, p->mtu,
	       p->max_msg, p->backlog, p->old_before_trans ? " --old-before-trans" : "",
	       check ? " --check" : "");
}

int main(int argc, char **argv)
{
	struct sim_params p;
	struct sim_result r;
	uint64_t s_lo = 1, s_hi = 1, n_lo = 3, n_hi = 3, seed, v;
	const char *hist = NULL, *logf = NULL;
	unsigned long passed = 0, failed = 0;
	int quiet = 0, batch = 0, check = 0, i;
	FILE *hist_file = NULL;
	char *mem = NULL;
	size_t mem_len = 0;
	char cfirst[512];

	sim_params_default(&p);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t lo, hi;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			return 0;
		}
		if (!strcmp(a, "--quiet")) {
			quiet = 1;
			continue;
		}
		if (!strcmp(a, "--check")) {
			check = 1;
			continue;
		}
		if (!strcmp(a, "--old-before-trans")) {
			p.old_before_trans = 1;
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
		} else if (!strcmp(a, "--dump-packets")) {
			p.dump_dir = val;
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
			else if (!strcmp(a, "--backlog"))
				p.backlog = (uint32_t)v;
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
	if (hist && !(hist_file = fopen(hist, "w"))) {
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
		p.history = hist_file;
		if (check) {
			p.history = open_memstream(&mem, &mem_len);
			if (!p.history) {
				perror("open_memstream");
				return 2;
			}
		}
		if (sim_run(&p, &r)) {
			fprintf(stderr, "totemsim: run failed to start\n");
			return 2;
		}
		if (check) {
			fclose(p.history);
			p.history = NULL;
			if (hist_file)
				fwrite(mem, 1, mem_len, hist_file);
			if (run_checker(mem, mem_len, &r, p.old_before_trans, cfirst,
					sizeof(cfirst))) {
				if (!r.violations)
					snprintf(r.first, sizeof(r.first),
						 "%s", cfirst);
				r.violations++;
			}
			free(mem);
			mem = NULL;
		}
		if (r.violations) {
			failed++;
			printf("FAIL seed %" PRIu64 " nodes %d: %d violation(s): %s\n",
			       seed, p.nodes, r.violations, r.first);
			replay_cmd(argv[0], &p, check);
		} else {
			passed++;
			if (!quiet && !batch)
				printf("ok seed %" PRIu64 " nodes %d: sent %" PRIu64
				       " delivered %" PRIu64 " eagain %" PRIu64
				       " confs %" PRIu64
				       " events %" PRIu64 " end %" PRIu64 " us\n",
				       seed, p.nodes, r.sent, r.delivered, r.eagain,
				       r.confs, r.events, r.end_us);
		}
		if (seed == UINT64_MAX)
			break;
	}
	if (hist_file)
		fclose(hist_file);
	if (p.log)
		fclose(p.log);
	printf("totemsim: %lu passed, %lu failed\n", passed, failed);
	return failed ? 1 : 0;
}
