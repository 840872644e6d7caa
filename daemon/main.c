/*
 * cpgd: wires the layers to one libqb main loop.
 *
 *   configuration -> ordering layer -> service multiplexer
 *       -> CPG layer -> IPC service "cpg"
 *       -> EVS layer -> IPC service "evs"
 *
 * The ordering layer is the one-node sequencer when the node list has one
 * node, and the Totem engine over kronosnet when it has more; the
 * kronosnet transport is made here and handed to it, and to the status
 * service.  READY=1 comes from the ordering layer's ready upcall.
 *
 * Everything the daemon writes lives under --run-dir and --state-dir, so
 * that several daemons can run on one machine, each in a network namespace
 * of its own (libqb's IPC socket is abstract, hence per namespace).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <qb/qbloop.h>
#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "config/config.h"
#include "grp/grp.h"
#include "evs/evs.h"
#include "ipc/ipc_cfg.h"
#include "ipc/ipc_evs.h"
#include "ipc/ipc_proto.h"
#include "ipc/ipc_server.h"
#include "order/order_cluster.h"
#include "order/order_local.h"
#include "order/order_mux.h"
#include "net/net.h"
#include "status/status.h"
#include "status/status_sources.h"
#include "util/err.h"
#include "util/log.h"

#define DEFAULT_RUN_DIR "/run/cpgd"
#define DEFAULT_STATE_DIR "/var/lib/cpgd"

struct opts {
	int foreground;
	int flow_events;
	const char *config;
	const char *run_dir;
	const char *state_dir;
	int log_prio;			/* -l, else -1 */
	uint32_t nodeid;		/* 0: find it in the node list */
};

struct daemon {
	struct opts o;
	struct config cfg;
	int have_cfg;
	unsigned me;			/* index of this node in cfg.nodes */
	uint32_t nodeid;
	qb_loop_t *loop;
	struct net *net;		/* cluster only */
	struct order *order;
	struct order_mux *mux;		/* CPG and EVS on one order */
	struct grp *cpg;
	struct ipc_server *ipc;
	struct evs *evs;
	struct ipc_server *evs_ipc;
	struct ipc_cfg *cfgsvc;
	struct ipc_auth auth;		/* the uidgid lists of cfg */
	struct status_tap tap;		/* ring and counters for cpgd-tool */
	struct status_service *status;
	struct status_net_src net_src;	/* knet links, cluster only */
	char pid_path[PATH_MAX];
	int pid_written;
	int ready;			/* READY=1 sent */
	qb_loop_timer_handle rotation_timer;
	char cfg_path[PATH_MAX];	/* "" for the built-in configuration */
	struct config_logging logging;	/* as applied; SIGHUP replaces it */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cpgd [options]\n"
		"  -f, --foreground       do not detach; log to stderr\n"
		"  -c, --config FILE      configuration file (corosync.conf syntax)\n"
		"      --run-dir DIR      pid file and runtime files (default %s)\n"
		"      --state-dir DIR    persistent state (default %s)\n"
		"  -l, --log-level LEVEL  error|warning|notice|info|debug|trace\n"
		"  -n, --nodeid N         this node's id (default: found from the\n"
		"                         node list by local address)\n"
		"      --flow-events      tell clients of flow control changes\n"
		"                         (FLOWCONTROL_CALLBACK; Debian's libcpg\n"
		"                         does not know that event)\n"
		"  -h                     this text\n"
		"  -v                     print the version\n",
		DEFAULT_RUN_DIR, DEFAULT_STATE_DIR);
}

/* 0 to run, 1 to exit successfully (help, version), -1 on a usage error. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_RUN_DIR = 256, OPT_STATE_DIR, OPT_FLOW_EVENTS };
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "run-dir", required_argument, NULL, OPT_RUN_DIR },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "log-level", required_argument, NULL, 'l' },
		{ "nodeid", required_argument, NULL, 'n' },
		{ "flow-events", no_argument, NULL, OPT_FLOW_EVENTS },
		{ NULL, 0, NULL, 0 },
	};
	int c, prio;
	char *end;
	unsigned long v;

	memset(o, 0, sizeof(*o));
	o->run_dir = DEFAULT_RUN_DIR;
	o->state_dir = DEFAULT_STATE_DIR;
	o->log_prio = -1;
	while ((c = getopt_long(argc, argv, "fc:l:n:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->foreground = 1;
			break;
		case 'c':
			o->config = optarg;
			break;
		case OPT_RUN_DIR:
			o->run_dir = optarg;
			break;
		case OPT_STATE_DIR:
			o->state_dir = optarg;
			break;
		case OPT_FLOW_EVENTS:
			o->flow_events = 1;
			break;
		case 'l':
			if (log_level_parse(optarg, &prio) < 0) {
				fprintf(stderr, "cpgd: unknown log level '%s'\n", optarg);
				return -1;
			}
			o->log_prio = prio;
			break;
		case 'n':
			errno = 0;
			v = strtoul(optarg, &end, 0);
			if (errno || *end || end == optarg || v == 0 ||
			    v > UINT32_MAX) {
				fprintf(stderr, "cpgd: bad node id '%s'\n", optarg);
				return -1;
			}
			o->nodeid = (uint32_t)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'v':
			printf("cpgd %s\n", PACKAGE_VERSION);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cpgd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int ensure_dir(const char *dir, mode_t mode)
{
	struct stat st;

	if (mkdir(dir, mode) == 0 || errno == EEXIST) {
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		return -ENOTDIR;
	}
	return -errno;
}

static int write_pid_file(struct daemon *d)
{
	char tmp[PATH_MAX + 8];
	int fd;

	if ((size_t)snprintf(d->pid_path, sizeof(d->pid_path), "%s/cpgd.pid",
			     d->o.run_dir) >= sizeof(d->pid_path))
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->pid_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* written whole, then renamed: a reader never sees it half done */
	if (dprintf(fd, "%ld\n", (long)getpid()) < 0 || close(fd) < 0 ||
	    rename(tmp, d->pid_path) < 0) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	d->pid_written = 1;
	return 0;
}

static void notify(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

/* READY=1 once clients are served and, in a cluster, the first ring has
 * formed: units ordered after cpgd then find a node that can deliver. */
static void become_ready(struct daemon *d, const char *why)
{
	if (d->ready)
		return;
	d->ready = 1;
	log_notice(LOG_T_MAIN, "ready: %s", why);
	notify("READY=1\nSTATUS=serving clients");
}

/* The ordering layer's ready upcall (order.h): the first ring. */
static void on_ready(void *arg, const struct order_membership *m)
{
	struct daemon *d = arg;
	char why[96];

	if (d->ready)
		return;
	snprintf(why, sizeof(why), "first ring %u.%llu with %zu member(s)",
		 (unsigned)m->ring.rep, (unsigned long long)m->ring.seq,
		 m->n_members);
	become_ready(d, why);
}

#define ROTATION_CHECK_MS 1000

/* Once a second while the ordering layer measures token rotations (the
 * engine reports them: totem.h): warn, once, when a rotation took more
 * than token_warning percent of the token timeout, so that a timeout too
 * short for this cluster is seen before it costs memberships. */
static void check_rotation(void *data)
{
	struct daemon *d = data;
	struct order_stats st;
	uint32_t pct = d->cfg.totem.token_warning;

	if (order_stats(d->order, &st) < 0)
		return;		/* no counters: no tokens (one node) */
	if (pct && st.token_timeout_us &&
	    st.token_rotation_max_us * 100 > st.token_timeout_us * pct) {
		log_warning(LOG_T_TOTEM, "a token rotation took %llu ms, more "
			    "than token_warning (%u%%) of the token timeout "
			    "(%llu ms): raise token in the totem section",
			    (unsigned long long)(st.token_rotation_max_us / 1000),
			    (unsigned)pct,
			    (unsigned long long)(st.token_timeout_us / 1000));
		return;		/* once */
	}
	qb_loop_timer_add(d->loop, QB_LOOP_LOW, ROTATION_CHECK_MS * 1000000ull,
			  d, check_rotation, &d->rotation_timer);
}

static int32_t on_stop_signal(int32_t sig, void *data)
{
	struct daemon *d = data;

	log_notice(LOG_T_MAIN, "signal %d: stopping", (int)sig);
	qb_loop_stop(d->loop);
	return 0;
}

/* The logging section and the command line as util/log.h takes them. */
static void apply_logging(struct daemon *d)
{
	static const int facilities[] = {
		[CONFIG_FACILITY_DAEMON] = LOG_DAEMON,
		[CONFIG_FACILITY_LOCAL0] = LOG_LOCAL0,
		[CONFIG_FACILITY_LOCAL1] = LOG_LOCAL1,
		[CONFIG_FACILITY_LOCAL2] = LOG_LOCAL2,
		[CONFIG_FACILITY_LOCAL3] = LOG_LOCAL3,
		[CONFIG_FACILITY_LOCAL4] = LOG_LOCAL4,
		[CONFIG_FACILITY_LOCAL5] = LOG_LOCAL5,
		[CONFIG_FACILITY_LOCAL6] = LOG_LOCAL6,
		[CONFIG_FACILITY_LOCAL7] = LOG_LOCAL7,
	};
	const struct config_logging *g = &d->logging;
	struct log_settings s;
	unsigned i;
	enum log_tag tag;

	memset(&s, 0, sizeof(s));
	/* detached, stderr is /dev/null */
	s.to_stderr = g->to_stderr && d->o.foreground;
	s.to_syslog = g->to_syslog;
	s.to_logfile = g->to_logfile;
	s.logfile = g->logfile;
	s.syslog_facility = facilities[g->syslog_facility];
	s.syslog_priority = g->syslog_priority;
	s.logfile_priority = g->logfile_priority;
	if (g->debug != CONFIG_DEBUG_OFF)
		s.syslog_priority = s.logfile_priority =
			g->debug == CONFIG_DEBUG_TRACE ? LOG_TRACE : LOG_DEBUG;
	if (d->o.log_prio >= 0)
		s.syslog_priority = s.logfile_priority = d->o.log_prio;
	for (i = 0; i < g->n_subsys; i++) {
		tag = log_tag_by_name(g->subsys[i].subsys);
		if (tag == 0 || g->subsys[i].debug == CONFIG_DEBUG_OFF)
			continue;
		if (g->subsys[i].debug == CONFIG_DEBUG_TRACE)
			s.trace_tags |= 1u << tag;
		else
			s.debug_tags |= 1u << tag;
	}
	s.timestamp = g->timestamp == CONFIG_TIMESTAMP_OFF ? LOG_TS_OFF :
		      g->timestamp == CONFIG_TIMESTAMP_ON ? LOG_TS_ON : LOG_TS_HIRES;
	s.fileline = g->fileline;
	s.function_name = g->function_name;
	log_apply(&s);
	for (i = 0; i < g->n_subsys; i++)
		if (log_tag_by_name(g->subsys[i].subsys) == 0)
			log_warning(LOG_T_CONFIG, "logger_subsys %s: no such "
				    "subsystem in cpgd; ignored",
				    g->subsys[i].subsys);
}

/* Only the logging section is read again: the layers were built from the
 * rest at start-up and keep pointers into it. */
static int32_t on_hup(int32_t sig, void *data)
{
	struct daemon *d = data;
	struct config nc;
	struct err e = { "" };
	int rc;

	(void)sig;
	if (!d->cfg_path[0]) {
		log_notice(LOG_T_MAIN, "SIGHUP: no configuration file to read "
			   "again; logging unchanged");
		return 0;
	}
	rc = config_load_file(&nc, d->cfg_path, &e);
	if (rc < 0) {
		log_error(LOG_T_CONFIG, "SIGHUP: %s; logging unchanged",
			  err_msg(&e, rc));
		return 0;
	}
	d->logging = nc.logging;
	config_free(&nc);
	apply_logging(d);
	log_notice(LOG_T_MAIN, "SIGHUP: logging section of %s applied; the "
		   "other sections are not changed at run time (restart for "
		   "them)", d->cfg_path);
	return 0;
}

/* -c FILE, else /etc/cpgd/cpgd.conf, else the built-in single node (whose
 * node id -n may set).  corosync's own file is used only when named. */
static int load_config(struct daemon *d)
{
	struct config_startup_opts so = {
		.path = d->o.config,
		.nodeid = d->o.nodeid,
	};
	struct err e = { "" };
	char udir[PATH_MAX];
	const char *slash;
	int rc;

	if (!so.path && access(CONFIG_DEFAULT_FILE, F_OK) == 0)
		so.path = CONFIG_DEFAULT_FILE;
	if (so.path) {
		/* uidgid.d next to the file, as /etc/corosync/uidgid.d is */
		slash = strrchr(so.path, '/');
		if (!slash)
			snprintf(udir, sizeof(udir), "uidgid.d");
		else
			snprintf(udir, sizeof(udir), "%.*s/uidgid.d",
				 (int)(slash - so.path), so.path);
		so.uidgid_dir = udir;
		rc = config_startup(&d->cfg, &so, &d->me, &e);
	} else {
		rc = config_default_single_node(&d->cfg, &e);
		d->me = 0;
		if (rc == 0 && d->o.nodeid)
			d->cfg.nodes[0].nodeid = d->o.nodeid;
	}
	if (rc < 0) {
		fprintf(stderr, "cpgd: %s\n", err_msg(&e, rc));
		return -1;
	}
	d->have_cfg = 1;
	d->nodeid = d->cfg.nodes[d->me].nodeid;
	d->logging = d->cfg.logging;
	if (so.path)
		snprintf(d->cfg_path, sizeof(d->cfg_path), "%s", so.path);
	return 0;
}

static void log_config(const struct daemon *d)
{
	unsigned i;

	for (i = 0; i < d->cfg.n_notices; i++) {
		const struct config_notice *n = &d->cfg.notices[i];

		if (n->level == CONFIG_NOTICE_WARNING)
			log_warning(LOG_T_CONFIG, "%s", n->text);
		else
			log_info(LOG_T_CONFIG, "%s", n->text);
	}
	if (d->cfg.n_nodes > 1 && d->cfg.totem.crypto_cipher == CONFIG_CIPHER_NONE) {
		if (d->cfg.totem.crypto_hash == CONFIG_HASH_NONE)
			log_warning(LOG_T_CONFIG, "crypto_cipher and crypto_hash "
				    "are none: cluster traffic is neither "
				    "encrypted nor authenticated");
		else
			log_warning(LOG_T_CONFIG, "crypto_cipher is none: cluster "
				    "traffic is authenticated but not encrypted");
	}
}

static int detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

/* What cpgd-tool shows (status/status.h). */
static int start_status(struct daemon *d, struct err *e)
{
	struct status_sources src;
	int rc;

	memset(&src, 0, sizeof(src));
	src.groups = status_src_cpg_groups;
	src.groups_arg = d->cpg;
	src.evs = status_src_evs_clients;
	src.evs_arg = d->evs;
	src.ring = status_src_ring;
	src.ring_arg = &d->tap;
	src.counters[0].fn = status_src_tap_counters;
	src.counters[0].arg = &d->tap;
	/* none from the one-node sequencer */
	src.counters[1].fn = status_src_order_counters;
	src.counters[1].arg = d->order;
	if (d->net) {
		d->net_src.net = d->net;
		d->net_src.cfg = &d->cfg;
		src.links = status_src_net_links;
		src.links_arg = &d->net_src;
		src.counters[2].fn = status_src_net_counters;
		src.counters[2].arg = &d->net_src;
	}
	rc = status_new(&src, &d->status, e);
	return rc < 0 ? rc : status_start(d->status);
}

/* The EVS layer and its IPC service, beside CPG on the multiplexer. */
static int start_evs(struct daemon *d, const struct ipc_server_options *iopts)
{
	struct evs_sink sink;
	struct err e = { "" };
	int rc;

	rc = ipc_server_new(d->loop, iopts, &d->evs_ipc, &e);
	if (rc == 0) {
		ipc_evs_sink(d->evs_ipc, &sink);
		rc = evs_new(order_mux_service(d->mux, ORDER_MUX_EVS), &sink,
			     &d->evs, &e);
	}
	if (rc < 0) {
		log_error(LOG_T_MAIN, "cannot start the EVS layer: %s",
			  err_msg(&e, rc));
		return rc;
	}
	rc = ipc_evs_start(d->evs_ipc, d->evs);
	if (rc < 0)
		log_error_errno(LOG_T_MAIN, rc, "cannot serve IPC \"evs\"");
	return rc;
}

static int start(struct daemon *d)
{
	qb_loop_signal_handle sh;
	struct grp_options copts;
	struct ipc_server_options iopts;
	struct err e = { "" };
	int rc;

	rc = ensure_dir(d->o.run_dir, 0755);
	if (rc == 0)
		rc = ensure_dir(d->o.state_dir, 0700);
	if (rc < 0) {
		log_error_errno(LOG_T_MAIN, rc, "cannot use %s or %s", d->o.run_dir,
				d->o.state_dir);
		return rc;
	}
	d->loop = qb_loop_create();
	if (!d->loop) {
		log_error(LOG_T_MAIN, "cannot create the main loop");
		return -ENOMEM;
	}
	qb_loop_signal_add(d->loop, QB_LOOP_HIGH, SIGTERM, d, on_stop_signal, &sh);
	qb_loop_signal_add(d->loop, QB_LOOP_HIGH, SIGINT, d, on_stop_signal, &sh);
	qb_loop_signal_add(d->loop, QB_LOOP_HIGH, SIGHUP, d, on_hup, &sh);

	if (d->cfg.n_nodes > 1) {
		rc = net_new(&d->cfg, d->me, &d->net, &e);
		if (rc == 0)
			rc = order_cluster_new(d->loop, &d->cfg, d->me,
					       d->o.state_dir, d->net, &d->order,
					       &e);
		if (rc < 0) {
			log_error(LOG_T_MAIN, "cannot join the cluster: %s",
				  err_msg(&e, rc));
			return rc;
		}
	} else {
		rc = order_local_new(d->loop, d->nodeid, d->o.state_dir, NULL,
				     &d->order, &e);
		if (rc < 0) {
			log_error(LOG_T_MAIN, "cannot start the ordering layer: "
				  "%s", err_msg(&e, rc));
			return rc;
		}
	}
	/* READY=1 once clients are served (the loop runs only after
	 * everything below) and this node delivers */
	order_set_ready(d->order, on_ready, d);
	memset(&iopts, 0, sizeof(iopts));
	iopts.flow_events = d->o.flow_events;
	d->auth.uids = d->cfg.uids;
	d->auth.n_uids = d->cfg.n_uids;
	d->auth.gids = d->cfg.gids;
	d->auth.n_gids = d->cfg.n_gids;
	iopts.auth = &d->auth;
	iopts.zc_dir = d->o.run_dir;
	memset(&copts, 0, sizeof(copts));
	copts.max_payload = IPC_MAX_PAYLOAD;
	rc = ipc_server_new(d->loop, &iopts, &d->ipc, &e);
	if (rc == 0)
		rc = order_mux_new(d->order, &d->mux, &e);
	if (rc == 0)
		rc = grp_new(order_mux_service(d->mux, ORDER_MUX_CPG),
			     ipc_server_sink(d->ipc), &copts, &d->cpg, &e);
	if (rc < 0) {
		log_error(LOG_T_MAIN, "cannot start the CPG layer: %s",
			  err_msg(&e, rc));
		return rc;
	}
	rc = ipc_server_start(d->ipc, d->cpg);
	if (rc < 0) {
		log_error_errno(LOG_T_MAIN, rc, "cannot serve IPC \"cpg\"");
		return rc;
	}
	rc = start_evs(d, &iopts);
	if (rc < 0)
		return rc;
	status_tap_install(&d->tap, d->order);
	rc = start_status(d, &e);
	if (rc < 0) {
		log_error(LOG_T_MAIN, "cannot serve IPC \"%s\": %s",
			  STATUS_SERVICE_NAME, err_msg(&e, rc));
		return rc;
	}
	rc = ipc_cfg_new(d->nodeid, &d->auth, &d->cfgsvc, &e);
	if (rc < 0) {
		log_error(LOG_T_MAIN, "cannot serve IPC \"cfg\": %s",
			  err_msg(&e, rc));
		return rc;
	}
	rc = write_pid_file(d);
	if (rc < 0) {
		log_error_errno(LOG_T_MAIN, rc, "cannot write the pid file in %s",
				d->o.run_dir);
		return rc;
	}
	log_notice(LOG_T_MAIN, "cpgd %s serving, node id %u of %u (%s)",
		   PACKAGE_VERSION, d->nodeid, d->cfg.n_nodes, d->cfg.source);
	/* The pid file says clients are served; the node is ready once it
	 * delivers as well (on_ready, from the loop: for one node at its
	 * first turn). */
	if (d->cfg.n_nodes > 1)
		notify("STATUS=serving clients, waiting for the first ring");
	check_rotation(d);
	return 0;
}

static void stop(struct daemon *d)
{
	if (d->pid_written)
		notify("STOPPING=1");
	status_destroy(d->status);
	ipc_cfg_destroy(d->cfgsvc);
	ipc_server_destroy(d->evs_ipc);
	ipc_server_destroy(d->ipc);
	evs_destroy(d->evs);
	grp_destroy(d->cpg);
	status_tap_remove(&d->tap);
	order_mux_destroy(d->mux);
	/* peers see this node leave now, not after a token timeout */
	order_leave(d->order);
	order_destroy(d->order);
	net_destroy(d->net);
	if (d->have_cfg)
		config_free(&d->cfg);
	if (d->pid_written)
		unlink(d->pid_path);
	if (d->loop)
		qb_loop_destroy(d->loop);
}

int main(int argc, char **argv)
{
	struct daemon d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = parse_args(argc, argv, &d.o);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	log_early();
	if (load_config(&d) < 0)
		return 1;
	if (!d.o.foreground && detach() < 0) {
		perror("cpgd: cannot detach");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	apply_logging(&d);
	log_config(&d);
	rc = start(&d);
	if (rc == 0)
		qb_loop_run(d.loop);
	stop(&d);
	log_notice(LOG_T_MAIN, "stopped");
	log_teardown();
	return rc == 0 ? 0 : 1;
}
