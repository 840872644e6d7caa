/*
 * What each section may contain: one table of keys per section, with the
 * type and range of each value, and the few keys that need code of their
 * own (transport, secauth, linknumber, node addresses, uidgid).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_int.h"

enum key_type {
	K_U32,
	K_U8,
	K_U64,
	K_INT,
	K_BOOL,
	K_STR,
	K_ENUM,
	K_INFO,     /* known to corosync, not used by cpgd: info notice */
	K_SPECIAL,  /* handled by the section's own function */
};

struct key_def {
	const char *name;
	enum key_type type;
	size_t off;
	uint32_t min, max;
	size_t size;
	const char *const *names;
};

#define MS_MAX 10000000u /* ms; about 2.8 hours, far beyond any sane timeout */
#define MIN_TIMEOUT 30u  /* corosync's MINIMUM_TIMEOUT: 3 ticks of 10 ms */

static const char *const cipher_names[] = { "none", "aes256", "aes192", "aes128", NULL };
static const char *const hash_names[] = { "none", "md5", "sha1", "sha256", "sha384", "sha512", NULL };
static const char *const ipver_names[] = { "ipv6-4", "ipv4", "ipv6", "ipv4-6", NULL };
static const char *const linkmode_names[] = { "passive", "active", "rr", NULL };
static const char *const debug_names[] = { "off", "on", "trace", NULL };
static const char *const timestamp_names[] = { "hires", "on", "off", NULL };
static const char *const facility_names[] = {
	"daemon", "local0", "local1", "local2", "local3", "local4", "local5",
	"local6", "local7", NULL,
};
/* in syslog(3)'s order, so that the index is the priority */
static const char *const priority_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", NULL,
};

/* keys with no value in struct config */
#define SPECIAL(name) { name, K_SPECIAL, 0, 0, 0, 0, NULL }
#define INFO(name) { name, K_INFO, 0, 0, 0, 0, NULL }
#define KEYS_END { NULL, K_INFO, 0, 0, 0, 0, NULL }

#define T(f) offsetof(struct config_totem, f)
#define TU32(n, lo, hi) { #n, K_U32, T(n), lo, hi, 0, NULL }

static const struct key_def totem_keys[] = {
	{ "version", K_U32, T(version), 2, 2, 0, NULL },
	{ "cluster_name", K_STR, T(cluster_name), 0, 0, sizeof(((struct config_totem *)0)->cluster_name), NULL },
	{ "nodeid", K_U32, T(nodeid), 1, CONFIG_MAX_NODEID, 0, NULL },
	SPECIAL("transport"),
	{ "crypto_cipher", K_ENUM, T(crypto_cipher), 0, 0, 0, cipher_names },
	{ "crypto_hash", K_ENUM, T(crypto_hash), 0, 0, 0, hash_names },
	SPECIAL("crypto_model"),
	SPECIAL("secauth"),
	{ "keyfile", K_STR, T(keyfile), 0, 0, sizeof(((struct config_totem *)0)->keyfile), NULL },
	{ "key", K_STR, T(key), 0, 0, sizeof(((struct config_totem *)0)->key), NULL },
	{ "knet_compression_model", K_STR, T(knet_compression_model), 0, 0,
	  sizeof(((struct config_totem *)0)->knet_compression_model), NULL },
	{ "knet_compression_threshold", K_U32, T(knet_compression_threshold), 0, 65536, 0, NULL },
	{ "knet_compression_level", K_INT, T(knet_compression_level), 0, 0, 0, NULL },
	TU32(knet_pmtud_interval, 1, 86400),
	TU32(knet_mtu, 0, 65536),
	{ "link_mode", K_ENUM, T(link_mode), 0, 0, 0, linkmode_names },
	{ "ip_version", K_ENUM, T(ip_version), 0, 0, 0, ipver_names },
	{ "token", K_U32, T(token_configured), MIN_TIMEOUT, MS_MAX, 0, NULL },
	TU32(token_coefficient, 0, MS_MAX),
	TU32(token_warning, 0, 100),
	TU32(token_retransmits_before_loss_const, 1, 1000),
	TU32(token_retransmit, MIN_TIMEOUT, MS_MAX),
	TU32(hold, 14, MS_MAX), /* corosync's MINIMUM_TIMEOUT_HOLD */
	TU32(join, MIN_TIMEOUT, MS_MAX),
	TU32(send_join, 0, MS_MAX),
	TU32(consensus, MIN_TIMEOUT, MS_MAX),
	TU32(merge, MIN_TIMEOUT, MS_MAX),
	TU32(downcheck, MIN_TIMEOUT, MS_MAX),
	TU32(fail_recv_const, 1, 1000000),
	TU32(seqno_unchanged_const, 1, 1000000),
	TU32(miss_count_const, 1, 1000),
	TU32(max_network_delay, MIN_TIMEOUT, MS_MAX),
	TU32(window_size, 1, 10000),
	TU32(max_messages, 1, 10000),
	TU32(netmtu, 576, 65536),
	{ "config_version", K_U64, T(config_version), 0, 0, 0, NULL },
	{ "block_unlisted_ips", K_BOOL, T(block_unlisted_ips), 0, 0, 0, NULL },
	INFO("heartbeat_failures_allowed"),
	INFO("cancel_token_hold_on_retransmit"),
	INFO("clear_node_high_bit"),
	INFO("threads"),
	INFO("rrp_mode"),
	INFO("vsftype"),
	KEYS_END,
};

#define L(f) offsetof(struct config_link, f)

static const struct key_def interface_keys[] = {
	SPECIAL("linknumber"),
	SPECIAL("ringnumber"),
	{ "knet_link_priority", K_U8, L(knet_link_priority), 0, 255, 0, NULL },
	{ "knet_ping_interval", K_U32, L(knet_ping_interval), 1, MS_MAX, 0, NULL },
	{ "knet_ping_timeout", K_U32, L(knet_ping_timeout), 1, MS_MAX, 0, NULL },
	{ "knet_ping_precision", K_U32, L(knet_ping_precision), 1, 1000000, 0, NULL },
	{ "knet_pong_count", K_U8, L(knet_pong_count), 1, 255, 0, NULL },
	SPECIAL("knet_transport"),
	SPECIAL("mcastport"),
	SPECIAL("bindnetaddr"),
	SPECIAL("mcastaddr"),
	SPECIAL("broadcast"),
	SPECIAL("ttl"),
	KEYS_END,
};

static const struct key_def node_keys[] = {
	SPECIAL("nodeid"),
	SPECIAL("name"),
	SPECIAL("ring0_addr"),
	SPECIAL("ring1_addr"),
	SPECIAL("ring2_addr"),
	SPECIAL("ring3_addr"),
	SPECIAL("ring4_addr"),
	SPECIAL("ring5_addr"),
	SPECIAL("ring6_addr"),
	SPECIAL("ring7_addr"),
	INFO("quorum_votes"),
	KEYS_END,
};

#define G(f) offsetof(struct config_logging, f)

static const struct key_def logging_keys[] = {
	{ "to_stderr", K_BOOL, G(to_stderr), 0, 0, 0, NULL },
	{ "to_syslog", K_BOOL, G(to_syslog), 0, 0, 0, NULL },
	{ "to_logfile", K_BOOL, G(to_logfile), 0, 0, 0, NULL },
	{ "logfile", K_STR, G(logfile), 0, 0, sizeof(((struct config_logging *)0)->logfile), NULL },
	{ "debug", K_ENUM, G(debug), 0, 0, 0, debug_names },
	{ "timestamp", K_ENUM, G(timestamp), 0, 0, 0, timestamp_names },
	{ "fileline", K_BOOL, G(fileline), 0, 0, 0, NULL },
	{ "function_name", K_BOOL, G(function_name), 0, 0, 0, NULL },
	INFO("blackbox"),
	{ "syslog_facility", K_ENUM, G(syslog_facility), 0, 0, 0, facility_names },
	{ "syslog_priority", K_ENUM, G(syslog_priority), 0, 0, 0, priority_names },
	{ "logfile_priority", K_ENUM, G(logfile_priority), 0, 0, 0, priority_names },
	KEYS_END,
};

static const struct key_def subsys_keys[] = {
	{ "subsys", K_STR, offsetof(struct config_subsys, subsys), 0, 0,
	  sizeof(((struct config_subsys *)0)->subsys), NULL },
	{ "debug", K_ENUM, offsetof(struct config_subsys, debug), 0, 0, 0, debug_names },
	INFO("to_stderr"),
	INFO("to_syslog"),
	INFO("to_logfile"),
	INFO("logfile"),
	INFO("logfile_priority"),
	INFO("syslog_facility"),
	INFO("syslog_priority"),
	INFO("fileline"),
	INFO("function_name"),
	INFO("timestamp"),
	KEYS_END,
};

#define FITS(tab) _Static_assert(sizeof(tab) / sizeof((tab)[0]) <= CFG_KEYS_MAX, \
				 #tab " has more keys than the seen[] arrays hold")
FITS(totem_keys);
FITS(interface_keys);
FITS(node_keys);
FITS(logging_keys);
FITS(subsys_keys);

static const char *const corosync_sections[] = {
	"quorum", "system", "resources", "qb", "nozzle", "pload", "amf",
	"aisexec", "service", NULL,
};

static const char *sect_name(enum cfg_sect s)
{
	switch (s) {
	case SECT_TOP: return "top level";
	case SECT_TOTEM: return "totem";
	case SECT_INTERFACE: return "totem.interface";
	case SECT_NODELIST: return "nodelist";
	case SECT_NODE: return "nodelist.node";
	case SECT_LOGGING: return "logging";
	case SECT_SUBSYS: return "logging.logger_subsys";
	case SECT_UIDGID: return "uidgid";
	case SECT_SKIP: break;
	}
	return "?";
}

void cfg_link_defaults(struct config_link *l, unsigned linknumber)
{
	memset(l, 0, sizeof(*l));
	l->knet_link_priority = 1;
	l->knet_ping_precision = 2048;
	l->knet_pong_count = 2;
	l->port = (uint16_t)(CONFIG_DEFAULT_PORT + linknumber);
}

void cfg_set_defaults(struct config *cfg)
{
	struct config_totem *t = &cfg->totem;
	struct config_logging *g = &cfg->logging;
	unsigned i;

	t->version = 2;
	strcpy(t->knet_compression_model, "none");
	t->knet_compression_threshold = 100;
	t->knet_compression_level = 1;
	t->knet_pmtud_interval = 30;
	t->knet_mtu = 0;
	t->link_mode = CONFIG_LINK_PASSIVE;
	t->ip_version = CONFIG_IP_IPV6_4;
	t->token_configured = 3000;
	t->token_coefficient = 650;
	t->token_warning = 75;
	t->token_retransmits_before_loss_const = 4;
	t->join = 50;
	t->send_join = 0;
	t->merge = 200;
	t->downcheck = 1000;
	t->fail_recv_const = 2500;
	t->seqno_unchanged_const = 30;
	t->miss_count_const = 5;
	t->max_network_delay = 50;
	t->window_size = 50;
	t->max_messages = 17;
	t->netmtu = 65536;
	t->block_unlisted_ips = true;
	for (i = 0; i < CONFIG_MAX_LINKS; i++)
		cfg_link_defaults(&cfg->links[i], i);
	g->to_stderr = true;
	g->to_syslog = true;
	g->to_logfile = false;
	g->debug = CONFIG_DEBUG_OFF;
	g->timestamp = CONFIG_TIMESTAMP_HIRES;
	g->syslog_facility = CONFIG_FACILITY_DAEMON;
	g->syslog_priority = 6; /* LOG_INFO */
	g->logfile_priority = 6;
}

static const struct key_def *find_key(const struct key_def *tab, const char *key,
				      unsigned *idx)
{
	unsigned i;

	for (i = 0; tab[i].name != NULL; i++) {
		if (strcmp(tab[i].name, key) == 0) {
			*idx = i;
			return &tab[i];
		}
	}
	return NULL;
}

/* Store a value through the table entry; K_SPECIAL and K_INFO are not
 * handled here. */
static int apply(struct cfg_ctx *x, const struct key_def *k, void *base,
		 const char *key, const char *value)
{
	char *p = (char *)base + k->off;
	uint32_t u32;
	int iv, rc;
	bool b;

	switch (k->type) {
	case K_U32:
		return cfg_u32(x, key, value, k->min, k->max, (uint32_t *)(void *)p);
	case K_U8:
		rc = cfg_u32(x, key, value, k->min, k->max, &u32);
		if (rc == 0)
			*(uint8_t *)p = (uint8_t)u32;
		return rc;
	case K_U64:
		return cfg_u64(x, key, value, (uint64_t *)(void *)p);
	case K_INT:
		return cfg_int(x, key, value, -128, 128, (int *)(void *)p);
	case K_BOOL:
		rc = cfg_bool(x, key, value, &b);
		if (rc == 0)
			*(bool *)p = b;
		return rc;
	case K_STR:
		return cfg_str(x, key, value, p, k->size);
	case K_ENUM:
		rc = cfg_enum(x, key, value, k->names, &iv);
		if (rc == 0)
			*(int *)(void *)p = iv;
		return rc;
	case K_INFO:
	case K_SPECIAL:
		break;
	}
	return 0;
}

/* Shared front half of every section: look the key up, warn on unknown
 * keys and repeats.  Returns 1 when the caller must handle the key. */
static int lookup(struct cfg_ctx *x, enum cfg_sect s, const struct key_def *tab,
		  unsigned *seen, const char *key, const struct key_def **out)
{
	unsigned idx;
	const struct key_def *k = find_key(tab, key, &idx);

	if (k == NULL) {
		cfg_notice(x, CONFIG_NOTICE_WARNING, "unknown key '%.64s' in %s; ignored",
			   key, sect_name(s));
		return 0;
	}
	if (seen[idx] != 0)
		cfg_notice(x, CONFIG_NOTICE_WARNING,
			   "%s.%s given again (first at line %u); the last value is used",
			   sect_name(s), key, seen[idx]);
	seen[idx] = x->line;
	if (k->type == K_INFO) {
		cfg_notice(x, CONFIG_NOTICE_INFO, "%s.%s is not used by cpgd; ignored",
			   sect_name(s), key);
		return 0;
	}
	*out = k;
	return 1;
}

static int totem_key(struct cfg_ctx *x, const char *key, const char *value)
{
	const struct key_def *k;
	int rc = lookup(x, SECT_TOTEM, totem_keys, x->seen_totem, key, &k);
	bool b;

	if (rc <= 0)
		return rc;
	if (k->type != K_SPECIAL)
		return apply(x, k, &x->cfg->totem, key, value);
	if (strcmp(key, "transport") == 0) {
		if (strcmp(value, "knet") == 0)
			return 0;
		if (strcmp(value, "udp") == 0 || strcmp(value, "udpu") == 0)
			return cfg_error(x, "transport %s is not supported: cpgd runs only over "
					 "knet (remove the line or write 'transport: knet')", value);
		return cfg_error(x, "transport: '%.64s' is not one of knet, udp, udpu", value);
	}
	if (strcmp(key, "secauth") == 0) {
		rc = cfg_bool(x, key, value, &b);
		if (rc == 0)
			x->secauth = b;
		return rc;
	}
	/* crypto_model */
	if (strcmp(value, "nss") == 0)
		return 0;
	if (strcmp(value, "openssl") == 0 || strcmp(value, "gcrypt") == 0) {
		cfg_notice(x, CONFIG_NOTICE_INFO,
			   "crypto_model %s: cpgd always uses knet's nss crypto; "
			   "the wire format is the same", value);
		return 0;
	}
	return cfg_error(x, "crypto_model: '%.64s' is not one of nss, openssl, gcrypt", value);
}

static int interface_key(struct cfg_ctx *x, const char *key, const char *value)
{
	const struct key_def *k;
	int rc = lookup(x, SECT_INTERFACE, interface_keys, x->seen[x->depth], key, &k);
	uint32_t u;

	if (rc <= 0)
		return rc;
	if (k->type != K_SPECIAL)
		return apply(x, k, &x->cur_link, key, value);
	if (strcmp(key, "linknumber") == 0 || strcmp(key, "ringnumber") == 0) {
		rc = cfg_u32(x, key, value, 0, CONFIG_MAX_LINKS - 1, &u);
		if (rc == 0)
			x->cur_linknumber = (int)u;
		return rc;
	}
	if (strcmp(key, "knet_transport") == 0) {
		if (strcmp(value, "udp") == 0)
			return 0;
		if (strcmp(value, "sctp") == 0)
			return cfg_error(x, "knet_transport sctp is not supported by cpgd; use udp");
		return cfg_error(x, "knet_transport: '%.64s' is not one of udp, sctp", value);
	}
	if (strcmp(key, "mcastport") == 0) {
		rc = cfg_u32(x, key, value, 0, 65535, &u);
		if (rc == 0)
			cfg_notice(x, CONFIG_NOTICE_INFO,
				   "mcastport is ignored: link N uses UDP port %u + N",
				   CONFIG_DEFAULT_PORT);
		return rc;
	}
	cfg_notice(x, CONFIG_NOTICE_INFO, "%s is for the udp transports; ignored", key);
	return 0;
}

static int node_key(struct cfg_ctx *x, const char *key, const char *value)
{
	const struct key_def *k;
	struct config_node *n = &x->cur_node;
	struct config_addr *a;
	int rc = lookup(x, SECT_NODE, node_keys, x->seen[x->depth], key, &k);

	if (rc <= 0)
		return rc;
	if (strcmp(key, "nodeid") == 0) {
		rc = cfg_u32(x, key, value, 1, CONFIG_MAX_NODEID, &n->nodeid);
		if (rc == 0)
			x->cur_node_has_id = true;
		return rc;
	}
	if (strcmp(key, "name") == 0)
		return cfg_str(x, key, value, n->name, sizeof(n->name));
	/* ringN_addr: the table holds exactly ring0..ring7 */
	a = &n->addr[key[4] - '0'];
	if (value[0] == '\0')
		return cfg_error(x, "%s: empty address", key);
	rc = cfg_str(x, key, value, a->text, sizeof(a->text));
	if (rc < 0)
		return rc;
	a->set = true;
	a->resolved = cfg_addr_numeric(value, &a->sa, &a->salen) == 0;
	return 0;
}

static int name_to_id(struct cfg_ctx *x, const char *key, const char *value,
		      bool is_uid, uint32_t *out)
{
	char buf[4096];
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	uint64_t n = 0;
	const char *p;

	if (value[0] == '\0')
		return cfg_error(x, "uidgid.%s: empty value", key);
	for (p = value; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	/* corosync takes names; a plain number is taken as an id too */
	if (*p == '\0' && p - value < 11 && n < UINT32_MAX) {
		*out = (uint32_t)n;
		return 0;
	}
	if (is_uid) {
		if (getpwnam_r(value, &pw, buf, sizeof(buf), &pwp) != 0 || pwp == NULL)
			return cfg_error(x, "uidgid.uid: user '%.64s' not found", value);
		*out = pw.pw_uid;
	} else {
		if (getgrnam_r(value, &gr, buf, sizeof(buf), &grp) != 0 || grp == NULL)
			return cfg_error(x, "uidgid.gid: group '%.64s' not found", value);
		*out = gr.gr_gid;
	}
	return 0;
}

static int uidgid_key(struct cfg_ctx *x, const char *key, const char *value)
{
	struct config *cfg = x->cfg;
	uint32_t id;
	int rc;

	if (strcmp(key, "uid") != 0 && strcmp(key, "gid") != 0)
		return cfg_error(x, "uidgid: only uid and gid are allowed, not '%.64s'", key);
	rc = name_to_id(x, key, value, key[0] == 'u', &id);
	if (rc < 0)
		return rc;
	if (key[0] == 'u') {
		if (cfg->n_uids >= CONFIG_MAX_UIDGID)
			return cfg_error(x, "more than %d uid entries", CONFIG_MAX_UIDGID);
		cfg->uids[cfg->n_uids++] = (uid_t)id;
	} else {
		if (cfg->n_gids >= CONFIG_MAX_UIDGID)
			return cfg_error(x, "more than %d gid entries", CONFIG_MAX_UIDGID);
		cfg->gids[cfg->n_gids++] = (gid_t)id;
	}
	return 0;
}

int cfg_key(struct cfg_ctx *x, enum cfg_sect s, const char *key, const char *value)
{
	const struct key_def *k;
	int rc;

	switch (s) {
	case SECT_TOTEM:
		return totem_key(x, key, value);
	case SECT_INTERFACE:
		return interface_key(x, key, value);
	case SECT_NODE:
		return node_key(x, key, value);
	case SECT_LOGGING:
		rc = lookup(x, s, logging_keys, x->seen[x->depth], key, &k);
		/* corosync takes "error" for "err" too */
		if (rc > 0 && k->names == priority_names && strcmp(value, "error") == 0)
			value = "err";
		return rc <= 0 ? rc : apply(x, k, &x->cfg->logging, key, value);
	case SECT_SUBSYS:
		rc = lookup(x, s, subsys_keys, x->seen[x->depth], key, &k);
		if (rc > 0 && strcmp(key, "subsys") == 0)
			x->cur_subsys_named = true;
		return rc <= 0 ? rc : apply(x, k, &x->cur_subsys, key, value);
	case SECT_UIDGID:
		return uidgid_key(x, key, value);
	case SECT_NODELIST:
		cfg_notice(x, CONFIG_NOTICE_WARNING,
			   "key '%.64s' directly in nodelist; ignored (keys go in node { })", key);
		return 0;
	case SECT_TOP:
		if (x->uidgid_only)
			return cfg_error(x, "only uidgid sections are allowed in this file");
		cfg_notice(x, CONFIG_NOTICE_WARNING,
			   "key '%.64s' outside any section; ignored", key);
		return 0;
	case SECT_SKIP:
		break;
	}
	return 0;
}

static bool in_list(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

int cfg_section_open(struct cfg_ctx *x, const char *name, enum cfg_sect *out)
{
	enum cfg_sect parent = x->stack[x->depth];
	enum cfg_sect s = SECT_SKIP;

	if (x->uidgid_only && !(parent == SECT_TOP && strcmp(name, "uidgid") == 0))
		return cfg_error(x, "only uidgid sections are allowed in this file, not '%s'", name);
	switch (parent) {
	case SECT_TOP:
		if (strcmp(name, "totem") == 0)
			s = SECT_TOTEM;
		else if (strcmp(name, "nodelist") == 0)
			s = SECT_NODELIST;
		else if (strcmp(name, "logging") == 0)
			s = SECT_LOGGING;
		else if (strcmp(name, "uidgid") == 0)
			s = SECT_UIDGID;
		else if (in_list(corosync_sections, name))
			cfg_notice(x, CONFIG_NOTICE_INFO,
				   "section '%s' is for corosync services cpgd does not "
				   "provide; ignored", name);
		else
			cfg_notice(x, CONFIG_NOTICE_WARNING, "unknown section '%s'; ignored", name);
		break;
	case SECT_TOTEM:
		if (strcmp(name, "interface") == 0) {
			s = SECT_INTERFACE;
			cfg_link_defaults(&x->cur_link, 0);
			x->cur_linknumber = -1;
		} else {
			cfg_notice(x, CONFIG_NOTICE_WARNING,
				   "unknown section '%s' in totem; ignored", name);
		}
		break;
	case SECT_NODELIST:
		if (strcmp(name, "node") == 0) {
			s = SECT_NODE;
			memset(&x->cur_node, 0, sizeof(x->cur_node));
			x->cur_node.line = x->line;
			x->cur_node_has_id = false;
		} else {
			cfg_notice(x, CONFIG_NOTICE_WARNING,
				   "unknown section '%s' in nodelist; ignored", name);
		}
		break;
	case SECT_LOGGING:
		if (strcmp(name, "logger_subsys") == 0) {
			s = SECT_SUBSYS;
			memset(&x->cur_subsys, 0, sizeof(x->cur_subsys));
			x->cur_subsys_named = false;
		} else if (strcmp(name, "logging_daemon") == 0) {
			cfg_notice(x, CONFIG_NOTICE_INFO, "logging_daemon is not used by cpgd; ignored");
		} else {
			cfg_notice(x, CONFIG_NOTICE_WARNING,
				   "unknown section '%s' in logging; ignored", name);
		}
		break;
	case SECT_INTERFACE:
		if (strcmp(name, "member") == 0)
			cfg_notice(x, CONFIG_NOTICE_INFO,
				   "interface member is for udpu; ignored (use nodelist)");
		else
			cfg_notice(x, CONFIG_NOTICE_WARNING,
				   "unknown section '%s' in interface; ignored", name);
		break;
	case SECT_UIDGID:
		return cfg_error(x, "uidgid: no sections allowed inside, found '%s'", name);
	case SECT_NODE:
	case SECT_SUBSYS:
	case SECT_SKIP:
		cfg_notice(x, CONFIG_NOTICE_WARNING, "unexpected section '%s' in %s; ignored",
			   name, sect_name(parent));
		break;
	}
	if (s == SECT_NODELIST)
		x->have_nodelist = true;
	*out = s;
	return 0;
}

static int close_interface(struct cfg_ctx *x)
{
	unsigned n = x->cur_linknumber < 0 ? 0 : (unsigned)x->cur_linknumber;
	struct config_link *l = &x->cfg->links[n];

	if (l->configured)
		return cfg_error(x, "a second interface section for link %u", n);
	*l = x->cur_link;
	l->configured = true;
	l->port = (uint16_t)(CONFIG_DEFAULT_PORT + n);
	memcpy(x->seen_link[n], x->seen[x->depth], sizeof(x->seen_link[n]));
	x->link_line[n] = x->section_line[x->depth];
	return 0;
}

static int close_node(struct cfg_ctx *x)
{
	struct config *cfg = x->cfg;
	struct config_node *grown;

	x->line = x->cur_node.line;
	if (!x->cur_node.addr[0].set)
		return cfg_error(x, "node has no ring0_addr");
	if (!x->cur_node_has_id)
		return cfg_error(x, "node has no nodeid (knet needs one for every node)");
	if (cfg->n_nodes >= CONFIG_MAX_NODES)
		return cfg_error(x, "more than %d nodes: cpgd supports clusters of "
				 "at most %d nodes", CONFIG_MAX_NODES, CONFIG_MAX_NODES);
	if (cfg->n_nodes == x->node_cap) {
		unsigned cap = x->node_cap ? x->node_cap * 2 : 4;

		grown = realloc(cfg->nodes, cap * sizeof(*grown));
		if (grown == NULL)
			return -ENOMEM;
		cfg->nodes = grown;
		x->node_cap = cap;
	}
	cfg->nodes[cfg->n_nodes++] = x->cur_node;
	return 0;
}

static int close_logging(struct cfg_ctx *x)
{
	const struct config_logging *g = &x->cfg->logging;
	unsigned idx = 0;

	if (g->to_logfile && g->logfile[0] == '\0') {
		find_key(logging_keys, "to_logfile", &idx);
		if (x->seen[x->depth][idx] != 0)
			x->line = x->seen[x->depth][idx];
		return cfg_error(x, "to_logfile is yes but no logfile is given");
	}
	return 0;
}

int cfg_section_close(struct cfg_ctx *x, enum cfg_sect s)
{
	struct config_logging *g = &x->cfg->logging;

	switch (s) {
	case SECT_INTERFACE:
		return close_interface(x);
	case SECT_NODE:
		return close_node(x);
	case SECT_SUBSYS:
		if (!x->cur_subsys_named)
			return cfg_error(x, "logger_subsys without a subsys key");
		if (g->n_subsys >= CONFIG_MAX_SUBSYS)
			return cfg_error(x, "more than %d logger_subsys sections", CONFIG_MAX_SUBSYS);
		g->subsys[g->n_subsys++] = x->cur_subsys;
		return 0;
	case SECT_LOGGING:
		return close_logging(x);
	case SECT_TOP:
	case SECT_TOTEM:
	case SECT_NODELIST:
	case SECT_UIDGID:
	case SECT_SKIP:
		break;
	}
	return 0;
}

unsigned cfg_totem_line(const struct cfg_ctx *x, const char *key)
{
	unsigned idx;

	return find_key(totem_keys, key, &idx) ? x->seen_totem[idx] : 0;
}

unsigned cfg_link_line(const struct cfg_ctx *x, unsigned link, const char *key)
{
	unsigned idx;

	if (link >= CONFIG_MAX_LINKS || find_key(interface_keys, key, &idx) == NULL)
		return 0;
	return x->seen_link[link][idx];
}
