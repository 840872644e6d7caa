/*
 * checker.h -- delivery-history checker for Totem / extended virtual synchrony.
 *
 * A history is the text format of tests/sim/HISTORY.md: one event per line,
 * written by the simulator or by real daemons.  The checker loads one or more
 * files into an hc_history, builds a model (incarnations, configurations,
 * deliveries) and verifies the properties named in HISTORY.md.
 *
 * Usage:
 *	struct hc_history *h = hc_history_new();
 *	hc_load_file(h, path, err, sizeof(err));	// for each file
 *	hc_build(h, err, sizeof(err));			// once, after loading
 *	hc_check(h, &opts, report, ctx);		// returns violation count
 *	hc_history_free(h);
 *
 * Load and build errors mean the input is not a well-formed history
 * (HISTORY.md, "Well-formedness"); they are distinct from violations.
 */
#ifndef CPGD_TESTS_SIM_CHECKER_H
#define CPGD_TESTS_SIM_CHECKER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct hc_history;

/* Property names, as printed at the start of each violation line. */
#define HC_P_AGREED	"agreed-order"
#define HC_P_DUP	"no-duplicates"
#define HC_P_INVENTED	"no-invented"
#define HC_P_SELF	"self-delivery"
#define HC_P_FIFO	"fifo"
#define HC_P_VS		"virtual-synchrony"
#define HC_P_SAFE	"safe-delivery"
#define HC_P_CONF	"config-consistency"
#define HC_P_LIVE	"liveness"
#define HC_P_AGREED_HOLES	"agreed-holes"
#define HC_P_FIFO_HOLES	"fifo-holes"
#define HC_P_SAFE_CRASH	"safe-after-crash"

struct hc_opts {
	/* Time after faults-end by which the system must have converged. */
	uint64_t bound_us;
	/* Sends later than end - settle_us are exempt from delivery
	 * obligations (self-delivery, liveness). */
	uint64_t settle_us;
	/* The old ring's messages are delivered before the transitional
	 * configuration (--old-before-trans, also --safe-survivors): weaker
	 * safe-delivery rule 1 (a safe message delivered in a regular
	 * configuration binds only the members of the deliverer's following
	 * transitional configuration), and a delivery in a regular
	 * configuration that the process later leaves may be one of a
	 * recovery (agreed-holes, safe-after-crash). */
	int safe_survivors;
	/* Histories that carry regular configurations only (a CPG client
	 * hears of each new ring, never of a transitional configuration):
	 * one regular configuration may follow another directly. */
	int regular_only;
	/* All times come from one clock and a crash line is the instant the
	 * node stops (the simulator): enables safe-after-crash. */
	int one_clock;
};

/* Summary of a built history. */
struct hc_stats {
	size_t nodes;
	size_t incarnations;
	size_t messages;	/* distinct msgids that were sent or delivered */
	size_t sends;
	size_t deliveries;
	size_t installs;	/* configuration installations (conf lines) */
	size_t rings;		/* distinct regular ring ids */
	int liveness_checked;	/* 0 if there is no faults-end, or end is too early */
};

/*
 * Called once per violation.  prop is one of HC_P_*; text is one line
 * without a newline, naming nodes, msgids and file:line references.
 */
typedef void (*hc_report_fn)(void *ctx, const char *prop, const char *text);

struct hc_history *hc_history_new(void);
void hc_history_free(struct hc_history *h);

/*
 * Parse one file (or stdin if path is "-") and add its events.  Returns 0, or
 * -EINVAL with "file:line: reason" in err for malformed input, or another
 * -errno if the file cannot be read.
 */
int hc_load_file(struct hc_history *h, const char *path, char *err, size_t errlen);

/* Parse one line as if it were line lineno of the file named name. */
int hc_load_line(struct hc_history *h, const char *name, unsigned lineno,
		 const char *line, char *err, size_t errlen);

/*
 * Merge everything loaded, per node, by time, and check well-formedness.
 * Returns 0 or -EINVAL with the first problem in err.
 */
int hc_build(struct hc_history *h, char *err, size_t errlen);

/* Check every property; returns the number of violations reported. */
size_t hc_check(struct hc_history *h, const struct hc_opts *opts,
		hc_report_fn report, void *ctx);

void hc_stats(const struct hc_history *h, struct hc_stats *st);

#endif
