/*
 * The real libcpg.so against a scripted daemon: a libqb IPC server named
 * "cpg" in this test's own network namespace (abstract sockets are per
 * namespace, so nothing else on the machine is disturbed).  The server
 * sends events a real daemon would not: malformed ones mixed with good
 * ones, flow control changes, and bogus responses.  The library must drop
 * what is bad, deliver what is good, report flow control, and turn libqb
 * back-pressure into CS_ERR_TRY_AGAIN.
 */
#define _GNU_SOURCE
#include <config.h>

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <qb/qbipcs.h>
#include <qb/qbloop.h>

#include <corosync/cpg.h>

#include "cpg_wire.h"
#include "lib_events.h"
#include "unit/check_main.h"

#include "cpg_test_model.h"

/* The server side; one per forked test process. */
static qb_loop_t *loop;
static qb_ipcs_service_t *service;

static int32_t job_add(enum qb_loop_priority p, void *data,
	qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(loop, p, data, fn);
}

static int32_t poll_add(enum qb_loop_priority p, int32_t fd, int32_t events,
	void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(loop, p, fd, events, data, fn);
}

static int32_t poll_mod(enum qb_loop_priority p, int32_t fd, int32_t events,
	void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(loop, p, fd, events, data, fn);
}

static int32_t poll_del(int32_t fd)
{
	return qb_loop_poll_del(loop, fd);
}

static int32_t accept_all(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	(void)c; (void)uid; (void)gid;
	return 0;
}

static void send_event(qb_ipcs_connection_t *c, const uint8_t *b, size_t len)
{
	if (qb_ipcs_event_send(c, b, len) < 0)
		abort();
}

static void reply(qb_ipcs_connection_t *c, uint32_t id, uint32_t error)
{
	uint8_t b[CPG_WIRE_RES_HDR];

	cpg_wire_put_res_hdr(b, id, sizeof(b), error);
	qb_ipcs_response_send(c, b, sizeof(b));
}

/* After JOIN: good events with bad ones between them. */
static void script_events(qb_ipcs_connection_t *c)
{
	uint8_t *b = calloc(1, 4096);
	size_t len;

	len = ev_deliver(b, "grp", 1, 10, "bad", 3);
	cpg_wire_put_u32(b, 8, (uint32_t)len + 1);	/* size field lies */
	send_event(c, b, len);
	send_event(c, b, ev_deliver(b, "grp", 1, 10, "one", 3));
	len = ev_confchg(b, 2, 0, 1);
	cpg_wire_put_u32(b, 160, 0xfffffff0);		/* count overflows */
	send_event(c, b, len);
	send_event(c, b, ev_confchg(b, 2, 0, 1));
	send_event(c, b, ev_flow(b, 1));
	send_event(c, b, ev_partial(b, 10, 4, CPG_FRAG_FIRST));
	send_event(c, b, ev_partial(b, 10, 6, CPG_FRAG_LAST));
	len = ev_flow(b, 0);
	cpg_wire_put_u32(b, 0, 99);			/* no such event */
	send_event(c, b, len);
	send_event(c, b, ev_partial(b, 10, 4, CPG_FRAG_CONTINUED));	/* no start */
	len = ev_totem(b, 3, 3);
	send_event(c, b, len - 4);			/* truncated */
	cpg_wire_put_u32(b, 8, (uint32_t)len);
	send_event(c, b, len);
	send_event(c, b, 10);				/* not even a header */
	send_event(c, b, ev_deliver(b, "grp", 1, 10, "two", 3));
	free(b);
}

static int32_t rate_normal(void *data)
{
	(void)data;
	qb_ipcs_request_rate_limit(service, QB_IPCS_RATE_NORMAL);
	return 0;
}

static void rate_normal_timer(void *data)
{
	rate_normal(data);
}

static int32_t msg_process(qb_ipcs_connection_t *c, void *data, size_t size)
{
	uint32_t id;
	uint8_t *b;
	qb_loop_timer_handle timer;

	if (size < 8)
		return 0;
	id = cpg_wire_get_u32(data, 0);
	switch (id) {
	case CPG_REQ_JOIN:
		reply(c, CPG_RES_JOIN, CS_OK);
		script_events(c);
		break;
	case CPG_REQ_LEAVE:
		reply(c, CPG_RES_LEAVE, CS_OK);
		b = calloc(1, 64);
		send_event(c, b, ev_flow(b, 0));
		free(b);
		break;
	case CPG_REQ_LOCAL_GET:
		/* answer, then push back on the client for a while */
		qb_ipcs_request_rate_limit(service, QB_IPCS_RATE_OFF_2);
		b = calloc(1, CPG_WIRE_LOCAL_GET_RES_SIZE);
		cpg_wire_put_res_hdr(b, CPG_RES_LOCAL_GET,
			CPG_WIRE_LOCAL_GET_RES_SIZE, CS_OK);
		cpg_wire_put_u32(b, 24, 7);
		qb_ipcs_response_send(c, b, CPG_WIRE_LOCAL_GET_RES_SIZE);
		free(b);
		qb_loop_timer_add(loop, QB_LOOP_MED, 300 * 1000000ULL, NULL,
			rate_normal_timer, &timer);
		break;
	case CPG_REQ_MEMBERSHIP:
		/* a member count beyond what the response holds */
		b = calloc(1, CPG_WIRE_MEMBERSHIP_RES_SIZE);
		cpg_wire_put_res_hdr(b, CPG_RES_MEMBERSHIP, 32 + 24, CS_OK);
		cpg_wire_put_u32(b, 24, 2);
		qb_ipcs_response_send(c, b, 32 + 24);
		free(b);
		break;
	case CPG_REQ_ITER_INIT:
		reply(c, CPG_RES_LEAVE, CS_OK);		/* the wrong id */
		break;
	case CPG_REQ_FINALIZE:
		reply(c, CPG_RES_FINALIZE, CS_OK);
		break;
	case CPG_REQ_FAST_HELLO:
		/* a standard daemon: refused as corosync refuses it */
		reply(c, 0, CS_ERR_INVALID_PARAM);
		break;
	default:
		break;					/* MCAST: no reply */
	}
	return 0;
}

/* The server thread runs until server_stop(): its loop looks at the flag
 * every 20 ms, since qb_loop_stop() may be called from the loop's thread
 * only. */
static pthread_t server_thread;
static pthread_mutex_t server_lock = PTHREAD_MUTEX_INITIALIZER;
static int server_stopping;		/* under server_lock */
static int server_running;		/* the test's thread only */

static void server_check_stop(void *arg)
{
	qb_loop_timer_handle th;
	int stop;

	(void)arg;
	pthread_mutex_lock(&server_lock);
	stop = server_stopping;
	pthread_mutex_unlock(&server_lock);
	if (stop)
		qb_loop_stop(loop);
	else
		qb_loop_timer_add(loop, QB_LOOP_LOW, 20000000ULL /* ns */,
			NULL, server_check_stop, &th);
}

static void *server_main(void *arg)
{
	(void)arg;
	server_check_stop(NULL);
	qb_loop_run(loop);
	return NULL;
}

/* The checked teardown of every test: the server thread joined, so that
 * nothing of it is left when the test's process ends. */
static void server_stop(void)
{
	if (!server_running)
		return;
	pthread_mutex_lock(&server_lock);
	server_stopping = 1;
	pthread_mutex_unlock(&server_lock);
	pthread_join(server_thread, NULL);
	server_running = 0;
}

static void server_start(void)
{
	static struct qb_ipcs_service_handlers sh = {
		.connection_accept = accept_all,
		.msg_process = msg_process,
	};
	static struct qb_ipcs_poll_handlers ph = {
		.job_add = job_add,
		.dispatch_add = poll_add,
		.dispatch_mod = poll_mod,
		.dispatch_del = poll_del,
	};
	loop = qb_loop_create();
	ck_assert_ptr_nonnull(loop);
	service = qb_ipcs_create("cpg", 0, QB_IPC_SHM, &sh);
	ck_assert_ptr_nonnull(service);
	qb_ipcs_poll_handlers_set(service, &ph);
	ck_assert_int_eq(qb_ipcs_run(service), 0);
	ck_assert_int_eq(pthread_create(&server_thread, NULL, server_main,
		NULL), 0);
	server_running = 1;
}

/* What the callbacks saw. */
struct seen {
	char msgs[8][16];
	int n_msgs;
	int n_confchg;
	size_t members, joined;
	int n_totem;
	uint32_t totem_nodes;
	uint64_t ring_seq;
};

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct seen *s = test_ctx(h);

	(void)g; (void)nodeid; (void)pid;
	if (s->n_msgs < 8 && len < 16)
		memcpy(s->msgs[s->n_msgs++], msg, len);
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
	const struct cpg_address *m, size_t nm, const struct cpg_address *l,
	size_t nl, const struct cpg_address *j, size_t nj)
{
	struct seen *s = test_ctx(h);

	(void)g; (void)m; (void)l; (void)nl; (void)j;
	s->n_confchg++;
	s->members = nm;
	s->joined = nj;
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring, uint32_t n,
	const uint32_t *nodes)
{
	struct seen *s = test_ctx(h);

	(void)nodes;
	s->n_totem++;
	s->totem_nodes = n;
	s->ring_seq = ring.seq;
}

static cpg_handle_t connect_client(struct seen *s)
{
	cpg_model_v1_data_t m = {
		CPG_MODEL_V1, on_deliver, on_confchg, on_totem, 0,
	};
	cpg_handle_t h;

	ck_assert_int_eq(cpg_model_initialize(&h, CPG_MODEL_V1,
		(cpg_model_data_t *)&m, s), CS_OK);
	return h;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

START_TEST(bad_events_dropped_good_delivered)
{
	struct seen s = { 0 };
	struct cpg_name g = ev_name("grp");
	cpg_flow_control_state_t fc = CPG_FLOW_CONTROL_ENABLED;
	struct pollfd pfd = { .events = POLLIN };
	uint64_t end;
	cpg_handle_t h;

	server_start();
	h = connect_client(&s);
	ck_assert_int_eq(cpg_flow_control_state_get(h, &fc), CS_OK);
	ck_assert_int_eq(fc, CPG_FLOW_CONTROL_DISABLED);
	ck_assert_int_eq(cpg_fd_get(h, &pfd.fd), CS_OK);
	ck_assert_int_eq(cpg_join(h, &g), CS_OK);

	end = now_ms() + 5000;
	while (s.n_msgs < 3 && now_ms() < end)
		if (poll(&pfd, 1, 100) > 0)
			ck_assert_int_eq(cpg_dispatch(h, CS_DISPATCH_ALL), CS_OK);
	ck_assert_int_eq(s.n_msgs, 3);
	ck_assert_str_eq(s.msgs[0], "one");
	ck_assert_str_eq(s.msgs[1], "ffffffffff");
	ck_assert_str_eq(s.msgs[2], "two");
	ck_assert_int_eq(s.n_confchg, 1);
	ck_assert_uint_eq(s.members, 2);
	ck_assert_uint_eq(s.joined, 1);
	ck_assert_int_eq(s.n_totem, 1);
	ck_assert_uint_eq(s.totem_nodes, 3);
	ck_assert_uint_eq(s.ring_seq, 0x1234);
	/* the daemon's flow control state, as its last event said */
	ck_assert_int_eq(cpg_flow_control_state_get(h, &fc), CS_OK);
	ck_assert_int_eq(fc, CPG_FLOW_CONTROL_ENABLED);

	ck_assert_int_eq(cpg_leave(h, &g), CS_OK);
	end = now_ms() + 5000;
	while (fc == CPG_FLOW_CONTROL_ENABLED && now_ms() < end) {
		if (poll(&pfd, 1, 100) > 0)
			cpg_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);
		cpg_flow_control_state_get(h, &fc);
	}
	ck_assert_int_eq(fc, CPG_FLOW_CONTROL_DISABLED);
	ck_assert_int_eq(cpg_finalize(h), CS_OK);
}
END_TEST

START_TEST(back_pressure_is_try_again)
{
	struct seen s = { 0 };
	struct iovec iov = { "x", 1 };
	unsigned int nodeid = 0;
	cs_error_t rc;
	uint64_t end;
	cpg_handle_t h;

	server_start();
	h = connect_client(&s);
	ck_assert_int_eq(cpg_local_get(h, &nodeid), CS_OK);
	ck_assert_uint_eq(nodeid, 7);
	/* the server now holds the client back for 300 ms */
	ck_assert_int_eq(cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1),
		CS_ERR_TRY_AGAIN);
	end = now_ms() + 5000;
	do {
		rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);
		usleep(10000);
	} while (rc == CS_ERR_TRY_AGAIN && now_ms() < end);
	ck_assert_int_eq(rc, CS_OK);
	ck_assert_int_eq(cpg_finalize(h), CS_OK);
}
END_TEST

START_TEST(bad_responses_refused)
{
	struct seen s = { 0 };
	struct cpg_name g = ev_name("grp");
	struct cpg_address members[8];
	int n = 8;
	cpg_iteration_handle_t ih;
	cpg_handle_t h;

	server_start();
	h = connect_client(&s);
	ck_assert_int_eq(cpg_membership_get(h, &g, members, &n),
		CS_ERR_MESSAGE_ERROR);
	ck_assert_int_eq(cpg_iteration_initialize(h, CPG_ITERATION_ALL, NULL,
		&ih), CS_ERR_MESSAGE_ERROR);
	/* the connection is still usable */
	ck_assert_int_eq(cpg_finalize(h), CS_OK);
}
END_TEST

Suite *unit_suite(void)
{
	static char why[160];
	Suite *s;
	TCase *tc;

	/* a private network namespace gives a private "cpg" IPC name */
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(why, sizeof(why), "cannot create a network namespace "
			 "(needs root): %s", strerror(errno));
		unit_skip(why);
		return NULL;
	}
	/* each test forks: its server lives and dies with it */
	unit_fork();
	s = suite_create("lib_dispatch");
	tc = tcase_create("scripted daemon");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, NULL, server_stop);
	tcase_add_test(tc, bad_events_dropped_good_delivered);
	tcase_add_test(tc, back_pressure_is_try_again);
	tcase_add_test(tc, bad_responses_refused);
	suite_add_tcase(s, tc);
	return s;
}
