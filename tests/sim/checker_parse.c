/*
 * checker_parse.c -- reading history lines into the event table.
 *
 * Parsing is strict (a history is machine written): any deviation from the
 * grammar in HISTORY.md is reported with file:line and rejected.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

uint64_t hc_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t msg_hash(uint32_t s, uint32_t i, uint32_t k)
{
	return hc_mix64(((uint64_t)s << 32 | i) ^ hc_mix64(k));
}

static uint64_t ring_hash(uint32_t rep, uint64_t seq)
{
	return hc_mix64(seq ^ hc_mix64(rep));
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static uint64_t slot_hash(const struct hc_history *h, const struct hc_map *m, uint32_t idx)
{
	if (m == &h->msgmap)
		return msg_hash(h->msg[idx].sender, h->msg[idx].inc, h->msg[idx].counter);
	return ring_hash(h->ring[idx].rep, h->ring[idx].seq);
}

/* Keep the load factor under one half. */
static int map_reserve(struct hc_history *h, struct hc_map *m)
{
	size_t ncap, i, j;
	uint32_t *ns;

	if ((m->used + 1) * 2 <= m->cap)
		return 0;
	ncap = m->cap ? m->cap * 2 : 1024;
	ns = malloc(ncap * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	memset(ns, 0xff, ncap * sizeof(*ns));
	for (i = 0; i < m->cap; i++) {
		if (m->slot[i] == HC_NONE)
			continue;
		j = slot_hash(h, m, m->slot[i]) & (ncap - 1);
		while (ns[j] != HC_NONE)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = ns;
	m->cap = ncap;
	return 0;
}

/* Index of message s.i.k, created on first sight. */
static int msg_intern(struct hc_history *h, uint32_t s, uint32_t i, uint32_t k, uint32_t *out)
{
	struct hc_map *m = &h->msgmap;
	size_t j;
	int rc;

	rc = map_reserve(h, m);
	if (rc)
		return rc;
	j = msg_hash(s, i, k) & (m->cap - 1);
	for (; m->slot[j] != HC_NONE; j = (j + 1) & (m->cap - 1)) {
		const struct hc_msg *x = &h->msg[m->slot[j]];

		if (x->sender == s && x->inc == i && x->counter == k) {
			*out = m->slot[j];
			return 0;
		}
	}
	rc = grow((void **)&h->msg, &h->capmsg, h->nmsg + 1, sizeof(*h->msg));
	if (rc)
		return rc;
	memset(&h->msg[h->nmsg], 0, sizeof(*h->msg));
	h->msg[h->nmsg].sender = s;
	h->msg[h->nmsg].inc = i;
	h->msg[h->nmsg].counter = k;
	h->msg[h->nmsg].send_ev = HC_NONE;
	h->msg[h->nmsg].send_proc = HC_NONE;
	h->msg[h->nmsg].home = HC_NONE;
	m->slot[j] = (uint32_t)h->nmsg;
	m->used++;
	*out = (uint32_t)h->nmsg++;
	return 0;
}

static int ring_intern(struct hc_history *h, uint32_t rep, uint64_t seq, uint32_t *out)
{
	struct hc_map *m = &h->ringmap;
	size_t j;
	int rc;

	rc = map_reserve(h, m);
	if (rc)
		return rc;
	j = ring_hash(rep, seq) & (m->cap - 1);
	for (; m->slot[j] != HC_NONE; j = (j + 1) & (m->cap - 1)) {
		const struct hc_ring *x = &h->ring[m->slot[j]];

		if (x->rep == rep && x->seq == seq) {
			*out = m->slot[j];
			return 0;
		}
	}
	rc = grow((void **)&h->ring, &h->capring, h->nring + 1, sizeof(*h->ring));
	if (rc)
		return rc;
	h->ring[h->nring].rep = rep;
	h->ring[h->nring].seq = seq;
	m->slot[j] = (uint32_t)h->nring;
	m->used++;
	*out = (uint32_t)h->nring++;
	return 0;
}

struct hc_history *hc_history_new(void)
{
	return calloc(1, sizeof(struct hc_history));
}

void hc_history_free(struct hc_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nfiles; i++)
		free(h->files[i]);
	free(h->files);
	free(h->ev);
	free(h->conf);
	free(h->mem);
	free(h->ring);
	free(h->ringmap.slot);
	free(h->msg);
	free(h->msgmap.slot);
	free(h->node);
	free(h->proc);
	free(h->dlv);
	free(h->msg_dlv);
	free(h->proc_sends);
	free(h);
}

/* --- tokens --------------------------------------------------------------- */

struct cursor {
	const char *p;
	const char *tok;	/* current token */
	size_t len;
};

static int next_tok(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
	c->tok = c->p;
	while (*c->p && *c->p != ' ' && *c->p != '\t')
		c->p++;
	c->len = (size_t)(c->p - c->tok);
	return c->len > 0;
}

static int tok_is(const struct cursor *c, const char *word)
{
	return strlen(word) == c->len && memcmp(c->tok, word, c->len) == 0;
}

/* Unsigned decimal in [s, e): digits only, no overflow past max. */
static int parse_u64(const char *s, const char *e, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == e)
		return -1;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int parse_u32(const char *s, const char *e, uint32_t *out)
{
	uint64_t v;

	/* UINT32_MAX is reserved for HC_NONE. */
	if (parse_u64(s, e, UINT32_MAX - 1, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_msgid(const struct cursor *c, uint32_t v[3])
{
	const char *s = c->tok, *e = c->tok + c->len, *d;
	int i;

	for (i = 0; i < 3; i++) {
		d = s;
		while (d < e && *d != '.')
			d++;
		if ((i < 2) != (d < e))
			return -1;
		if (parse_u32(s, d, &v[i]))
			return -1;
		s = d + 1;
	}
	return v[1] >= 1 && v[2] >= 1 ? 0 : -1;
}

static int parse_guarantee(const struct cursor *c, uint8_t *safe)
{
	if (tok_is(c, "safe"))
		*safe = 1;
	else if (tok_is(c, "agreed"))
		*safe = 0;
	else
		return -1;
	return 0;
}

static int seterr(char *err, size_t len, const char *name, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int seterr(char *err, size_t len, const char *name, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, len, "%s:%u: ", name, line);
	if (n >= 0 && (size_t)n < len) {
		va_start(ap, fmt);
		vsnprintf(err + n, len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int file_index(struct hc_history *h, const char *name, uint32_t *out)
{
	char **nf;

	if (h->nfiles && strcmp(h->files[h->nfiles - 1], name) == 0) {
		*out = (uint32_t)h->nfiles - 1;
		return 0;
	}
	nf = realloc(h->files, (h->nfiles + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	h->files = nf;
	h->files[h->nfiles] = strdup(name);
	if (!h->files[h->nfiles])
		return -ENOMEM;
	*out = (uint32_t)h->nfiles++;
	return 0;
}

/* Member list "n1,n2,...": strictly ascending node ids. */
static int parse_members(struct hc_history *h, const struct cursor *c, uint32_t *off, uint32_t *cnt)
{
	const char *s = c->tok, *e = c->tok + c->len, *d;
	uint32_t v;
	int rc;

	*off = (uint32_t)h->nmem;
	*cnt = 0;
	while (s <= e) {
		d = s;
		while (d < e && *d != ',')
			d++;
		if (parse_u32(s, d, &v))
			return -1;
		if (*cnt && v <= h->mem[h->nmem - 1])
			return -2;
		rc = grow((void **)&h->mem, &h->capmem, h->nmem + 1, sizeof(*h->mem));
		if (rc)
			return rc;
		h->mem[h->nmem++] = v;
		(*cnt)++;
		s = d + 1;
	}
	return 0;
}

static int load_line(struct hc_history *h, const char *name, unsigned lineno,
		     const char *line, char *err, size_t errlen)
{
	struct cursor c = { .p = line };
	struct hc_event ev = { 0 };
	uint64_t v64;
	uint32_t v[3];
	int rc;

	if (h->built)
		return seterr(err, errlen, name, lineno, "history already built");
	if (!next_tok(&c) || c.tok[0] == '#')
		return 0;
	if (parse_u64(c.tok, c.tok + c.len, UINT64_MAX, &ev.t))
		return seterr(err, errlen, name, lineno, "bad time '%.*s'", (int)c.len, c.tok);
	if (!next_tok(&c))
		return seterr(err, errlen, name, lineno, "missing node");
	if (tok_is(&c, "-"))
		ev.node = HC_NONE;
	else if (parse_u32(c.tok, c.tok + c.len, &ev.node))
		return seterr(err, errlen, name, lineno, "bad node '%.*s'", (int)c.len, c.tok);
	if (!next_tok(&c))
		return seterr(err, errlen, name, lineno, "missing event keyword");
	rc = file_index(h, name, &ev.file);
	if (rc)
		return rc;
	ev.line = lineno;

	if (tok_is(&c, "faults-end") || tok_is(&c, "end")) {
		ev.kind = tok_is(&c, "end") ? HC_EV_END : HC_EV_FAULTS_END;
		if (ev.node != HC_NONE)
			return seterr(err, errlen, name, lineno, "'%.*s' takes node '-'", (int)c.len, c.tok);
	} else if (ev.node == HC_NONE) {
		return seterr(err, errlen, name, lineno, "node '-' only for faults-end and end");
	} else if (tok_is(&c, "start")) {
		ev.kind = HC_EV_START;
		if (!next_tok(&c) || parse_u32(c.tok, c.tok + c.len, &ev.arg) || ev.arg == 0)
			return seterr(err, errlen, name, lineno, "start needs an incarnation >= 1");
	} else if (tok_is(&c, "crash")) {
		ev.kind = HC_EV_CRASH;
	} else if (tok_is(&c, "send") || tok_is(&c, "deliver")) {
		ev.kind = tok_is(&c, "send") ? HC_EV_SEND : HC_EV_DELIVER;
		if (!next_tok(&c) || parse_msgid(&c, v))
			return seterr(err, errlen, name, lineno, "bad msgid '%.*s'", (int)c.len, c.tok);
		if (!next_tok(&c) || parse_guarantee(&c, &ev.safe))
			return seterr(err, errlen, name, lineno, "bad guarantee '%.*s' (agreed|safe)",
				      (int)c.len, c.tok);
		rc = msg_intern(h, v[0], v[1], v[2], &ev.arg);
		if (rc)
			return rc;
	} else if (tok_is(&c, "conf")) {
		struct hc_conf cf = { 0 };
		const char *colon;
		uint32_t rep;

		ev.kind = HC_EV_CONF;
		if (!next_tok(&c) || (!tok_is(&c, "reg") && !tok_is(&c, "trans")))
			return seterr(err, errlen, name, lineno, "conf type must be reg or trans");
		cf.reg = tok_is(&c, "reg");
		if (!next_tok(&c))
			return seterr(err, errlen, name, lineno, "missing ring id");
		colon = memchr(c.tok, ':', c.len);
		if (!colon || parse_u32(c.tok, colon, &rep) ||
		    parse_u64(colon + 1, c.tok + c.len, UINT64_MAX, &v64))
			return seterr(err, errlen, name, lineno, "bad ring id '%.*s' (rep:seq)",
				      (int)c.len, c.tok);
		if (!next_tok(&c))
			return seterr(err, errlen, name, lineno, "missing member list");
		rc = parse_members(h, &c, &cf.mem_off, &cf.mem_cnt);
		if (rc == -1)
			return seterr(err, errlen, name, lineno, "bad member list '%.*s'", (int)c.len, c.tok);
		if (rc == -2)
			return seterr(err, errlen, name, lineno, "member list not strictly ascending");
		if (rc)
			return rc;
		rc = ring_intern(h, rep, v64, &cf.ring);
		if (rc)
			return rc;
		rc = grow((void **)&h->conf, &h->capconf, h->nconf + 1, sizeof(*h->conf));
		if (rc)
			return rc;
		cf.ev = (uint32_t)h->nev;
		h->conf[h->nconf] = cf;
		ev.arg = (uint32_t)h->nconf++;
	} else {
		return seterr(err, errlen, name, lineno, "unknown event '%.*s'", (int)c.len, c.tok);
	}
	if (next_tok(&c))
		return seterr(err, errlen, name, lineno, "trailing text '%.*s'", (int)c.len, c.tok);
	if (h->nev >= HC_NONE - 1)
		return seterr(err, errlen, name, lineno, "too many events");
	rc = grow((void **)&h->ev, &h->capev, h->nev + 1, sizeof(*h->ev));
	if (rc)
		return rc;
	h->ev[h->nev++] = ev;
	return 0;
}

int hc_load_line(struct hc_history *h, const char *name, unsigned lineno,
		 const char *line, char *err, size_t errlen)
{
	int rc = load_line(h, name, lineno, line, err, errlen);

	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s:%u: out of memory", name, lineno);
	return rc;
}

int hc_load_file(struct hc_history *h, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = 0;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if ((size_t)n != strlen(line)) {
			rc = seterr(err, errlen, path, lineno, "NUL byte in line");
			break;
		}
		rc = hc_load_line(h, path, lineno, line, err, errlen);
		if (rc)
			break;
	}
	if (!rc && ferror(f)) {
		rc = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}
