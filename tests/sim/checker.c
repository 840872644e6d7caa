/*
 * checker.c -- running the property checks and formatting their reports.
 */
#include <stdarg.h>
#include <string.h>

#include "checker_int.h"

void hc_violation(struct hc_chk *c, const char *prop, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	c->violations++;
	if (c->report)
		c->report(c->ctx, prop, text);
}

static char *next_buf(struct hc_chk *c)
{
	return c->buf[c->nbuf++ % (sizeof(c->buf) / sizeof(c->buf[0]))];
}

const char *hc_fmt_ref(struct hc_chk *c, uint32_t ev)
{
	char *b = next_buf(c);
	const struct hc_event *e = &c->h->ev[ev];
	const char *name = c->h->files[e->file], *slash = strrchr(name, '/');

	/* The base name keeps reports short; a run rarely mixes directories. */
	snprintf(b, sizeof(c->buf[0]), "%s:%u", slash ? slash + 1 : name, e->line);
	return b;
}

const char *hc_fmt_msg(struct hc_chk *c, uint32_t msg)
{
	char *b = next_buf(c);
	const struct hc_msg *m = &c->h->msg[msg];

	snprintf(b, sizeof(c->buf[0]), "%u.%u.%u", m->sender, m->inc, m->counter);
	return b;
}

const char *hc_fmt_proc(struct hc_chk *c, uint32_t proc)
{
	char *b = next_buf(c);
	const struct hc_proc *p = &c->h->proc[proc];

	if (p->inc == 1)
		snprintf(b, sizeof(c->buf[0]), "node %u", p->node);
	else
		snprintf(b, sizeof(c->buf[0]), "node %u (inc %u)", p->node, p->inc);
	return b;
}

const char *hc_fmt_ring(struct hc_chk *c, uint32_t ring)
{
	char *b = next_buf(c);

	if (ring == HC_NONE)
		snprintf(b, sizeof(c->buf[0]), "none");
	else
		snprintf(b, sizeof(c->buf[0]), "%u:%llu", c->h->ring[ring].rep,
			 (unsigned long long)c->h->ring[ring].seq);
	return b;
}

const char *hc_fmt_members(struct hc_chk *c, const struct hc_conf *cf)
{
	char *b = next_buf(c);
	size_t len = sizeof(c->buf[0]), n = 0;
	uint32_t i;

	b[0] = '\0';
	for (i = 0; i < cf->mem_cnt && n + 12 < len; i++) {
		int w = snprintf(b + n, len - n, "%s%u", i ? "," : "", c->h->mem[cf->mem_off + i]);

		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (i < cf->mem_cnt)
		snprintf(b + n, len - n, ",...");
	return b;
}

size_t hc_check(struct hc_history *h, const struct hc_opts *opts,
		hc_report_fn report, void *ctx)
{
	struct hc_chk c;

	if (!h->built)
		return 0;
	memset(&c, 0, sizeof(c));
	c.h = h;
	c.opts = opts;
	c.report = report;
	c.ctx = ctx;
	if (hc_conf_index(&c)) {
		hc_violation(&c, "error", "out of memory");
		return c.violations;
	}
	hc_check_config(&c);
	hc_check_duplicates(&c);
	hc_check_invented(&c);
	hc_check_agreed(&c);
	hc_check_fifo(&c);
	hc_check_self(&c);
	hc_check_vs(&c);
	hc_check_safe(&c);
	hc_check_liveness(&c);
	hc_check_agreed_holes(&c);
	hc_check_fifo_holes(&c);
	hc_check_safe_after_crash(&c);
	hc_conf_index_free(&c);
	return c.violations;
}
