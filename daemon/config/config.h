/*
 * daemon/config: corosync.conf syntax -> one typed, validated struct.
 *
 * The daemon reads its configuration once at start-up.  This module turns
 * the text into a `struct config` that every layer receives read-only:
 *
 *   struct config cfg;
 *   struct config_startup_opts o = { .path = path_from_c_option_or_NULL,
 *                                    .uidgid_dir = CONFIG_UIDGID_DIR };
 *   struct err e = { "" };
 *   unsigned me;
 *   int rc = config_startup(&cfg, &o, &me, &e);
 *   if (rc < 0)
 *           refuse to start, printing err_msg(&e, rc);
 *   ... log cfg.notices[], hand &cfg and cfg.nodes[me] to the layers ...
 *   config_free(&cfg);
 *
 * config_startup() is config_load_file() (or config_default_single_node()),
 * config_add_uidgid_dir(), config_resolve_addresses() and
 * config_find_local_node() in that order; each is usable alone.
 *
 * Syntax (as corosync reads it): one item per line; `name {` opens a
 * section, `}` alone closes it, `key: value` sets a key (the value is the
 * rest of the line, so IPv6 addresses need no quoting), lines whose first
 * non-blank character is `#` are comments.  Quotes are not special: like
 * corosync, a quoted value keeps its quote characters.  Stricter than
 * corosync, where corosync would silently drop text: anything but a
 * `# comment` after `{` on the same line, or next to `}`, is an error.
 *
 * Errors: every function that can fail returns 0 or -errno and puts a
 * one-line reason in `struct err *e` (util/err.h; e may be NULL, and the
 * caller clears it), "FILE:LINE: reason" when a line of the file is at
 * fault; the daemon refuses to start on them.  Things corosync accepts but
 * we ignore (sections of other services, udp-only keys, unknown keys)
 * become notices in cfg->notices; the parser itself never prints.  No
 * global state: several configurations may be parsed at once.
 */
#ifndef CPGD_CONFIG_H
#define CPGD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "util/err.h"

#define CONFIG_MAX_LINKS    8     /* knet links per host (KNET_MAX_LINK) */
/* The largest cluster: corosync's nodelist limit, the Totem engine's
 * TOTEM_MAX_NODES (the build checks they agree), well below knet's 65,536
 * hosts.  A nodelist with more nodes is an error. */
#define CONFIG_MAX_NODES    384
#define CONFIG_MAX_NODEID   65535 /* knet host ids are 16 bit */
#define CONFIG_MAX_UIDGID   64
#define CONFIG_MAX_SUBSYS   32
#define CONFIG_MAX_NOTICES  64
#define CONFIG_NAME_MAX     256   /* node names, addresses, cluster name */
#define CONFIG_PATH_MAX     1024
#define CONFIG_FILE_MAX     (1024 * 1024) /* larger files are refused */
#define CONFIG_LINE_MAX     4096
#define CONFIG_DEPTH_MAX    8     /* section nesting */
#define CONFIG_NOTICE_MAX   320

#define CONFIG_DEFAULT_FILE     "/etc/cpgd/cpgd.conf" /* the daemon's, without -c */
#define CONFIG_DEFAULT_KEYFILE  "/etc/cpgd/authkey"
#define CONFIG_COROSYNC_KEYFILE "/etc/corosync/authkey"
#define CONFIG_DEFAULT_PORT     5405 /* corosync's knet port for link 0 */

enum config_cipher {
	CONFIG_CIPHER_NONE = 0,
	CONFIG_CIPHER_AES256,
	CONFIG_CIPHER_AES192,
	CONFIG_CIPHER_AES128,
};

enum config_hash {
	CONFIG_HASH_NONE = 0,
	CONFIG_HASH_MD5,
	CONFIG_HASH_SHA1,
	CONFIG_HASH_SHA256,
	CONFIG_HASH_SHA384,
	CONFIG_HASH_SHA512,
};

enum config_ip_version {
	CONFIG_IP_IPV6_4 = 0, /* corosync's default for knet */
	CONFIG_IP_IPV4,
	CONFIG_IP_IPV6,
	CONFIG_IP_IPV4_6,
};

enum config_link_mode {
	CONFIG_LINK_PASSIVE = 0,
	CONFIG_LINK_ACTIVE,
	CONFIG_LINK_RR,
};

enum config_debug {
	CONFIG_DEBUG_OFF = 0,
	CONFIG_DEBUG_ON,
	CONFIG_DEBUG_TRACE,
};

enum config_timestamp {
	CONFIG_TIMESTAMP_HIRES = 0, /* corosync's default */
	CONFIG_TIMESTAMP_ON,
	CONFIG_TIMESTAMP_OFF,
};

/* logging.syslog_facility */
enum config_facility {
	CONFIG_FACILITY_DAEMON = 0, /* corosync's default */
	CONFIG_FACILITY_LOCAL0,     /* .. LOCAL7 follow in order */
	CONFIG_FACILITY_LOCAL1,
	CONFIG_FACILITY_LOCAL2,
	CONFIG_FACILITY_LOCAL3,
	CONFIG_FACILITY_LOCAL4,
	CONFIG_FACILITY_LOCAL5,
	CONFIG_FACILITY_LOCAL6,
	CONFIG_FACILITY_LOCAL7,
};

enum config_notice_level {
	CONFIG_NOTICE_INFO = 0,  /* ignored on purpose (another service's key) */
	CONFIG_NOTICE_WARNING,   /* probably a mistake (unknown key, ...) */
};

struct config_notice {
	enum config_notice_level level;
	char text[CONFIG_NOTICE_MAX]; /* "FILE:LINE: ..." */
};

/* totem.interface { } for one link; defaults apply to links without one. */
struct config_link {
	bool configured;            /* an interface section named this link */
	uint8_t knet_link_priority; /* default 1 */
	uint32_t knet_ping_interval; /* ms; default token / (pong_count * 2) */
	uint32_t knet_ping_timeout;  /* ms; default token / pong_count */
	uint32_t knet_ping_precision; /* samples; default 2048 */
	uint8_t knet_pong_count;     /* default 2 */
	uint16_t port;               /* UDP port: 5405 + link number */
};

/* One ringX_addr.  `text` is as written; `sa` is filled for numeric
 * addresses by the parser and for names by config_resolve_addresses(). */
struct config_addr {
	bool set;
	bool resolved;
	char text[CONFIG_NAME_MAX];
	struct sockaddr_storage sa; /* port 0; the net layer adds link->port */
	socklen_t salen;
};

struct config_node {
	uint32_t nodeid;
	char name[CONFIG_NAME_MAX];  /* "" when not given */
	struct config_addr addr[CONFIG_MAX_LINKS];
	unsigned line;               /* where its section starts, for messages */
};

struct config_totem {
	unsigned version;            /* must be 2 */
	char cluster_name[CONFIG_NAME_MAX];
	uint32_t nodeid;             /* totem.nodeid: explicit local id, 0 = none */

	enum config_cipher crypto_cipher;
	enum config_hash crypto_hash;
	char keyfile[CONFIG_PATH_MAX]; /* "" = CONFIG_DEFAULT_KEYFILE, then corosync's */
	char key[CONFIG_PATH_MAX];     /* totem.key: inline key, used without keyfile */

	char knet_compression_model[16]; /* knet model names are < 16 bytes */ /* "none" or a libknet model name */
	uint32_t knet_compression_threshold; /* default 100 (0 in the file = default) */
	int knet_compression_level;  /* default 1 */
	uint32_t knet_pmtud_interval; /* s, default 30 */
	uint32_t knet_mtu;           /* 0 = PMTU discovery */
	enum config_link_mode link_mode;
	enum config_ip_version ip_version;

	/* Timeouts in ms.  `token` is the effective token timeout: the
	 * configured value plus (nodes - 2) * token_coefficient for 3+ nodes;
	 * `token_configured` is the value from the file. */
	uint32_t token;
	uint32_t token_configured;
	uint32_t token_coefficient;
	uint32_t token_warning;       /* percent of token, default 75 */
	uint32_t token_retransmits_before_loss_const;
	uint32_t token_retransmit;    /* default token / (retransmits + 0.2) */
	uint32_t hold;                /* default token_retransmit * 0.8 - 10 */
	uint32_t join;
	uint32_t send_join;
	uint32_t consensus;           /* default 1.2 * token */
	uint32_t merge;
	uint32_t downcheck;
	uint32_t fail_recv_const;
	uint32_t seqno_unchanged_const;
	uint32_t miss_count_const;
	uint32_t max_network_delay;
	uint32_t window_size;
	uint32_t max_messages;
	uint32_t netmtu;              /* default 65536 for knet */
	uint64_t config_version;
	bool block_unlisted_ips;      /* default yes */
};

struct config_subsys {
	char subsys[64];
	enum config_debug debug;
};

struct config_logging {
	bool to_stderr;               /* default yes */
	bool to_syslog;               /* default yes */
	bool to_logfile;              /* default no; needs logfile */
	char logfile[CONFIG_PATH_MAX];
	enum config_debug debug;
	enum config_timestamp timestamp;
	bool fileline;
	bool function_name;
	enum config_facility syslog_facility;
	/* the least severe priority sent, as syslog(3) numbers them
	 * (LOG_EMERG 0 .. LOG_DEBUG 7); default LOG_INFO (6) for both;
	 * logfile_priority also applies to stderr */
	int syslog_priority;
	int logfile_priority;
	unsigned n_subsys;
	struct config_subsys subsys[CONFIG_MAX_SUBSYS];
};

struct config {
	char source[CONFIG_PATH_MAX]; /* file name, or "<built-in>" */
	struct config_totem totem;
	struct config_link links[CONFIG_MAX_LINKS];
	unsigned n_links;             /* 1 + the highest link any node uses */
	unsigned n_nodes;
	struct config_node *nodes;    /* heap, n_nodes entries */
	struct config_logging logging;
	unsigned n_uids, n_gids;      /* uidgid { uid: gid: }, any number */
	uid_t uids[CONFIG_MAX_UIDGID];
	gid_t gids[CONFIG_MAX_UIDGID];
	unsigned n_notices;
	unsigned notices_dropped;     /* beyond CONFIG_MAX_NOTICES */
	struct config_notice notices[CONFIG_MAX_NOTICES];
};

/* Parse `len` bytes of corosync.conf text; `source` names it in messages.
 * On success (0) *cfg is complete and validated, addresses that are names
 * still unresolved.  On failure returns -EINVAL (bad configuration, reason
 * in e) or -ENOMEM, and *cfg holds nothing to free.  Never reads outside
 * buf; NUL bytes are an error. */
int config_parse_buffer(struct config *cfg, const char *source,
			const char *buf, size_t len, struct err *e);

/* Read and parse a file.  -ENOENT (and other -errno from open/read) are
 * returned as is, with a message, so the caller can tell "no file" from
 * "bad file". */
int config_load_file(struct config *cfg, const char *path, struct err *e);

/* Add the uid/gid entries of a file holding only uidgid { } sections, as
 * corosync reads from /etc/corosync/uidgid.d; anything else is an error. */
int config_add_uidgid_file(struct config *cfg, const char *path,
			   struct err *e);

/* config_add_uidgid_file() for every regular file in `dir`, in name order;
 * a missing directory is not an error. */
int config_add_uidgid_dir(struct config *cfg, const char *dir,
			  struct err *e);

#define CONFIG_UIDGID_DIR "/etc/corosync/uidgid.d"

/* The built-in configuration used when no file exists: one node, id 1,
 * ring0_addr 127.0.0.1, every other value at its default. */
int config_default_single_node(struct config *cfg, struct err *e);

/* Resolve ringX_addr names with getaddrinfo() following totem.ip_version,
 * then check again that no address is used twice. */
int config_resolve_addresses(struct config *cfg, struct err *e);

/* Which nodelist entry is this node?  An explicit id (argument, else
 * totem.nodeid) must be in the nodelist.  Otherwise the node whose ringX
 * addresses are configured on a local interface (getifaddrs); if none,
 * the node whose name is this host's name (with or without domain).
 * Ambiguous matches are an error.  Sets *index into cfg->nodes. */
int config_find_local_node(const struct config *cfg, uint32_t explicit_nodeid,
			   unsigned *index, struct err *e);

/* As config_find_local_node(), with the interface addresses and host name
 * supplied by the caller (tests).  Addresses need AF_INET/AF_INET6. */
int config_find_local_node_in(const struct config *cfg, uint32_t explicit_nodeid,
			      const struct sockaddr_storage *local, size_t n_local,
			      const char *hostname, unsigned *index,
			      struct err *e);

/* Find a node by id; NULL if absent. */
const struct config_node *config_node_by_id(const struct config *cfg,
					    uint32_t nodeid);

/* Read the shared key: totem.keyfile if set; else totem.key if set; else
 * CONFIG_DEFAULT_KEYFILE, falling back to CONFIG_COROSYNC_KEYFILE when that
 * does not exist.  Keys of 128..4096 bytes (knet's limits).  Sets *len. */
int config_read_key(const struct config *cfg, uint8_t *key, size_t keymax,
		    size_t *len, struct err *e);

struct config_startup_opts {
	const char *path;       /* -c FILE; NULL: CONFIG_DEFAULT_FILE, and the
				 * built-in single node if that does not exist */
	const char *uidgid_dir; /* NULL: none */
	uint32_t nodeid;        /* 0: find this node from addresses / host name */
};

/* Everything the daemon does with its configuration before it starts:
 * load, add uidgid.d, resolve names, find the local node.  On error *cfg
 * holds nothing to free and e says why (with FILE:LINE when it is the
 * file's fault). */
int config_startup(struct config *cfg, const struct config_startup_opts *opts,
		   unsigned *local_index, struct err *e);

/* Names for the enums, as written in corosync.conf. */
const char *config_cipher_name(enum config_cipher c);
const char *config_hash_name(enum config_hash h);

void config_free(struct config *cfg);

#endif
