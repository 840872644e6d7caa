/*
 * cpgd: wires the layers to one libqb main loop.
 *
 *   configuration -> ordering layer -> CPG layer -> IPC service "cpg"
 *
 * The ordering layer is the one-node sequencer when the node list has one
 * node, and the Totem engine over kronosnet when it has more.
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
#include "cpg/cpg.h"
#include "ipc/ipc_cfg.h"
#include "ipc/ipc_proto.h"
#include "ipc/ipc_server.h"
#include "order/order_cluster.h"
#include "order/order_local.h"
#include "status/status.h"
#include "status/status_sources.h"
#include "util/log.h"

#define DEFAULT_RUN_DIR "/run/cpgd"
#define DEFAULT_STATE_DIR "/var/lib/cpgd"
#define CPGD_CONFIG_FILE "/etc/cpgd/cpgd.conf"

struct opts {
	int foreground;
	int flow_events;
	const char *config;
	const char *run_dir;
	const char *state_dir;
	const char *log_level;
	int log_level_given;
	uint32_t nodeid;		/* 0: find it in the node list */
};

struct daemon {
	struct opts o;
	struct config cfg;
	int have_cfg;
	unsigned me;			/* index of this node in cfg.nodes */
	uint32_t nodeid;
	qb_loop_t *loop;
	struct order *order;
	struct cpg *cpg;
	struct ipc_server *ipc;
	struct ipc_cfg *cfgsvc;
	struct status_tap tap;		/* ring and counters for cpgd-tool */
	struct status_service *status;
	struct status_net_src net_src;	/* knet links, cluster only */
	char pid_path[PATH_MAX];
	int pid_written;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cpgd [options]\n"
		"  -f, --foreground       do not detach; log to stderr\n"
		"  -c, --config FILE      configuration file (corosync.conf syntax)\n"
		"      --run-dir DIR      pid file and runtime files (default %s)\n"
		"      --state-dir DIR    persistent state (default %s)\n"
		"  -l, --log-level LEVEL  error|warning|notice|info|debug\n"
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
	o->log_level = "notice";
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
			o->log_level = optarg;
			o->log_level_given = 1;
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

static int32_t on_stop_signal(int32_t sig, void *data)
{
	struct daemon *d = data;

	log_notice(LOG_T_MAIN, "signal %d: stopping", (int)sig);
	qb_loop_stop(d->loop);
	return 0;
}

static int32_t on_hup(int32_t sig, void *data)
{
	(void)sig;
	(void)data;
	log_notice(LOG_T_MAIN, "SIGHUP: nothing to reload in this build");
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
	char err[CONFIG_ERR_MAX];
	int rc;

	if (!so.path && access(CPGD_CONFIG_FILE, F_OK) == 0)
		so.path = CPGD_CONFIG_FILE;
	if (so.path) {
		rc = config_startup(&d->cfg, &so, &d->me, err, sizeof(err));
	} else {
		rc = config_default_single_node(&d->cfg, err, sizeof(err));
		d->me = 0;
		if (rc == 0 && d->o.nodeid)
			d->cfg.nodes[0].nodeid = d->o.nodeid;
	}
	if (rc < 0) {
		fprintf(stderr, "cpgd: %s\n", err);
		return -1;
	}
	d->have_cfg = 1;
	d->nodeid = d->cfg.nodes[d->me].nodeid;
	/* The file's logging section asks for debug unless -l says otherwise. */
	if (!d->o.log_level_given && d->cfg.logging.debug != CONFIG_DEBUG_OFF)
		d->o.log_level = "debug";
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
	if (d->cfg.n_nodes > 1 && d->cfg.totem.crypto_cipher == CONFIG_CIPHER_NONE)
		log_warning(LOG_T_CONFIG, "crypto_cipher is none: cluster traffic "
			    "is neither encrypted nor authenticated");
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
static int start_status(struct daemon *d)
{
	struct status_sources src;

	memset(&src, 0, sizeof(src));
	src.groups = status_src_cpg_groups;
	src.groups_arg = d->cpg;
	src.ring = status_src_ring;
	src.ring_arg = &d->tap;
	src.counters[0].fn = status_src_tap_counters;
	src.counters[0].arg = &d->tap;
	if (d->cfg.n_nodes > 1) {
		d->net_src.net = order_cluster_net(d->order);
		d->net_src.cfg = &d->cfg;
		src.links = status_src_net_links;
		src.links_arg = &d->net_src;
		src.counters[1].fn = status_src_totem_counters;
		src.counters[1].arg = d->order;
		src.counters[2].fn = status_src_net_counters;
		src.counters[2].arg = &d->net_src;
	}
	d->status = status_new(&src);
	if (!d->status)
		return -errno;
	return status_start(d->status);
}

static int start(struct daemon *d)
{
	qb_loop_signal_handle sh;
	struct cpg_options copts;
	struct ipc_server_options iopts;
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
		char err[CONFIG_ERR_MAX];

		d->order = order_cluster_new(d->loop, &d->cfg, d->me,
					     d->o.state_dir, err, sizeof(err));
		if (!d->order) {
			log_error(LOG_T_MAIN, "cannot join the cluster: %s", err);
			return -EINVAL;
		}
	} else {
		d->order = order_local_new(d->loop, d->nodeid, d->o.state_dir,
					   NULL);
		if (!d->order) {
			rc = -errno;
			log_error_errno(LOG_T_MAIN, rc,
					"cannot start the ordering layer");
			return rc;
		}
	}
	memset(&iopts, 0, sizeof(iopts));
	iopts.flow_events = d->o.flow_events;
	d->ipc = ipc_server_new(d->loop, &iopts);
	if (!d->ipc)
		return -ENOMEM;
	memset(&copts, 0, sizeof(copts));
	copts.zc_dir = d->o.run_dir;
	copts.max_payload = IPC_MAX_PAYLOAD;
	d->cpg = cpg_new(d->order, ipc_server_sink(d->ipc), &copts);
	if (!d->cpg) {
		rc = -errno;
		log_error_errno(LOG_T_MAIN, rc, "cannot start the CPG layer");
		return rc;
	}
	rc = ipc_server_start(d->ipc, d->cpg);
	if (rc < 0) {
		log_error_errno(LOG_T_MAIN, rc, "cannot serve IPC \"cpg\"");
		return rc;
	}
	status_tap_install(&d->tap, d->order);
	rc = start_status(d);
	if (rc < 0) {
		log_error_errno(LOG_T_MAIN, rc, "cannot serve IPC \"%s\"",
				STATUS_SERVICE_NAME);
		return rc;
	}
	d->cfgsvc = ipc_cfg_start(d->nodeid);
	if (!d->cfgsvc) {
		rc = -errno;
		log_error_errno(LOG_T_MAIN, rc, "cannot serve IPC \"cfg\"");
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
#ifdef HAVE_LIBSYSTEMD
	/* the pid file and this say the same: clients are served */
	sd_notify(0, "READY=1");
#endif
	return 0;
}

static void stop(struct daemon *d)
{
#ifdef HAVE_LIBSYSTEMD
	if (d->pid_written)
		sd_notify(0, "STOPPING=1");
#endif
	status_destroy(d->status);
	ipc_cfg_destroy(d->cfgsvc);
	ipc_server_destroy(d->ipc);
	cpg_destroy(d->cpg);
	status_tap_remove(&d->tap);
	/* peers see this node leave now, not after a token timeout */
	if (d->cfg.n_nodes > 1)
		order_cluster_leave(d->order);
	order_destroy(d->order);
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
	if (load_config(&d) < 0)
		return 1;
	if (!d.o.foreground && detach() < 0) {
		perror("cpgd: cannot detach");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (log_setup(d.o.log_level, d.o.foreground) < 0)
		return 2;
	log_config(&d);
	rc = start(&d);
	if (rc == 0)
		qb_loop_run(d.loop);
	stop(&d);
	log_notice(LOG_T_MAIN, "stopped");
	log_teardown();
	return rc == 0 ? 0 : 1;
}
