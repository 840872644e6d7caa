/*
 * The nodelist checks, cross-key checks, address resolution, finding the
 * local node, files, the built-in default and the key file.
 */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_config_util.h"
#include "unit/check_main.h"

#define NODE(id, addr) " node {\n  nodeid: " #id "\n  ring0_addr: " addr "\n }\n"

START_TEST(node_errors)
{
	PARSE_ERR("nodelist {\n node {\n  nodeid: 1\n }\n}\n", "t.conf:2: ", "no ring0_addr");
	PARSE_ERR("nodelist {\n node {\n  ring0_addr: 10.0.0.1\n }\n}\n", "t.conf:2: ",
		  "no nodeid");
	PARSE_ERR("nodelist {\n node {\n  nodeid: 0\n }\n}\n", "t.conf:3: ", "nodeid");
	PARSE_ERR("nodelist {\n node {\n  nodeid: 70000\n }\n}\n", "t.conf:3: ",
		  "nodeid: expected an integer in 1..65535");
	PARSE_ERR("nodelist {\n node {\n  nodeid: 1\n  ring0_addr:\n }\n}\n", "t.conf:4: ",
		  "empty address");
	PARSE_ERR("nodelist {\n" NODE(1, "10.0.0.1") NODE(1, "10.0.0.2") "}\n", "t.conf:6: ",
		  "nodeid 1 is already used by the node at line 2");
	PARSE_ERR("nodelist {\n" NODE(1, "10.0.0.1") NODE(2, "10.0.0.1") "}\n", "t.conf:6: ",
		  "ring0_addr 10.0.0.1 is already used (ring0_addr of the node at line 2)");
	/* the same address written differently is still the same */
	PARSE_ERR("nodelist {\n" NODE(1, "fd00::1") NODE(2, "fd00:0::0:1") "}\n", "t.conf:6: ",
		  "already used");
	/* one node with the same address on two links */
	PARSE_ERR("nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n"
		  "  ring1_addr: 10.0.0.1\n }\n}\n", "t.conf:2: ", "ring1_addr 10.0.0.1 is already used");
	/* names are compared as text before resolution */
	PARSE_ERR("nodelist {\n" NODE(1, "host-a") NODE(2, "host-a") "}\n", "t.conf:6: ",
		  "already used");
	PARSE_ERR("nodelist {\n" NODE(1, "10.0.0.1") NODE(2, "fd00::2") "}\n", "t.conf:6: ",
		  "link 0 mixes IPv4 and IPv6");
}
END_TEST

START_TEST(unknown_node_key_is_warning)
{
	struct config cfg;

	PARSE_OK(&cfg, "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n"
		       "  ring9_addr: 10.0.0.9\n }\n stray: 1\n}\n");
	ck_assert_int_eq(count_notices(&cfg, "t.conf:5: unknown key 'ring9_addr' in nodelist.node",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:7: key 'stray' directly in nodelist",
				       CONFIG_NOTICE_WARNING), 1);
	config_free(&cfg);
}
END_TEST

START_TEST(too_many_nodes)
{
	size_t cap = (CONFIG_MAX_NODES + 2) * 80 + 64, used = 0;
	char *text = malloc(cap);
	struct config cfg;
	struct err e;
	unsigned i;

	ck_assert_ptr_nonnull(text);
	used += (size_t)snprintf(text + used, cap - used, "nodelist {\n");
	for (i = 1; i <= CONFIG_MAX_NODES; i++)
		used += (size_t)snprintf(text + used, cap - used,
					 " node {\n  nodeid: %u\n  ring0_addr: 10.%u.%u.1\n }\n",
					 i, i / 256, i % 256);
	snprintf(text + used, cap - used, "}\n");
	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.n_nodes, CONFIG_MAX_NODES);
	ck_assert_uint_eq(cfg.totem.token, 3000 + (CONFIG_MAX_NODES - 2) * 650);
	config_free(&cfg);

	snprintf(text + used, cap - used, " node {\n  nodeid: 999\n  ring0_addr: 10.99.99.1\n }\n}\n");
	ck_assert_int_eq(config_parse_buffer(&cfg, "t.conf", text, strlen(text),
					     fresh(&e)), -EINVAL);
	ck_assert_msg(strstr(e.msg, "more than 384 nodes") != NULL, "%s", e.msg);
	free(text);
}
END_TEST

START_TEST(cross_key_checks)
{
	struct config cfg;

	PARSE_ERR("totem {\n crypto_cipher: aes256\n}\n" NODES1, "t.conf:2: ",
		  "crypto_cipher aes256 needs a crypto_hash other than none");
	PARSE_ERR("totem {\n secauth: on\n crypto_hash: none\n}\n" NODES1, "t.conf:2: ",
		  "needs a crypto_hash");
	PARSE_ERR("totem {\n consensus: 40\n join: 45\n}\n" NODES1, "t.conf:2: ",
		  "consensus (40 ms) may not be less than join (45 ms)");
	PARSE_ERR("totem {\n token: 30\n}\n" NODES1, "t.conf:2: ",
		  "below the 30 ms minimum");
	PARSE_ERR("totem {\n token: 100\n token_retransmits_before_loss_const: 10\n}\n" NODES1,
		  "t.conf:3: ", "below the 30 ms minimum");
	PARSE_OK(&cfg, "totem {\n token_retransmit: 30\n}\n" NODES1);
	ck_assert_uint_eq(cfg.totem.hold, 14);
	config_free(&cfg);

	/* warnings, not errors */
	PARSE_OK(&cfg, "totem {\n consensus: 2000\n max_messages: 60\n}\n" NODES1);
	ck_assert_uint_eq(cfg.totem.consensus, 2000);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:2: consensus 2000 ms is less than 1.2 * token",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:3: max_messages 60 is larger than window_size",
				       CONFIG_NOTICE_WARNING), 1);
	config_free(&cfg);

	PARSE_OK(&cfg, "totem {\n interface {\n  linknumber: 3\n  knet_ping_interval: 500\n"
		       "  knet_ping_timeout: 500\n }\n}\n"
		       "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\n"
		       " node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n  ring1_addr: 10.1.0.2\n }\n"
		       " node {\n  nodeid: 3\n  ring0_addr: n3\n  name: same\n }\n"
		       " node {\n  nodeid: 4\n  ring0_addr: n4\n  name: same\n }\n}\n");
	ck_assert_int_eq(count_notices(&cfg, "t.conf:2: interface for link 3, but no node",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:2: link 3: knet_ping_timeout 500 ms",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:9: node 1 has no ring1_addr",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:23: node name 'same' is also used by the node at line 18",
				       CONFIG_NOTICE_WARNING), 1);
	config_free(&cfg);
}
END_TEST

START_TEST(resolve_names)
{
	struct config cfg;
	struct err e;
	struct sockaddr_in *in;

	PARSE_OK(&cfg, "totem {\n ip_version: ipv4\n}\n"
		       "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: localhost\n }\n}\n");
	ck_assert_int_eq(config_resolve_addresses(&cfg, fresh(&e)), 0);
	ck_assert(cfg.nodes[0].addr[0].resolved);
	ck_assert_int_eq(cfg.nodes[0].addr[0].sa.ss_family, AF_INET);
	in = (struct sockaddr_in *)&cfg.nodes[0].addr[0].sa;
	ck_assert_uint_eq(ntohl(in->sin_addr.s_addr), 0x7f000001);
	ck_assert_uint_eq(in->sin_port, 0);
	config_free(&cfg);

	/* a name resolving to an address another node has */
	PARSE_OK(&cfg, "totem {\n ip_version: ipv4\n}\nnodelist {\n"
		       NODE(1, "127.0.0.1") NODE(2, "localhost") "}\n");
	ck_assert_int_eq(config_resolve_addresses(&cfg, fresh(&e)), -EINVAL);
	ck_assert_msg(strstr(e.msg, "t.conf:9: ring0_addr localhost is already used") == e.msg, "%s", e.msg);
	config_free(&cfg);

	PARSE_OK(&cfg, "nodelist {\n" NODE(1, "no-such-host.invalid") "}\n");
	ck_assert_int_lt(config_resolve_addresses(&cfg, fresh(&e)), 0);
	ck_assert_msg(strstr(e.msg, "t.conf:2: cannot resolve ring0_addr 'no-such-host.invalid'") == e.msg,
		      "%s", e.msg);
	config_free(&cfg);
}
END_TEST

static void v4(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, &in->sin_addr), 1);
}

static void v6(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	in6->sin6_family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, a, &in6->sin6_addr), 1);
}

START_TEST(local_node_lookup)
{
	struct config cfg;
	struct sockaddr_storage local[3];
	struct err e;
	unsigned idx = 99;
	const char *text =
		"nodelist {\n"
		" node {\n  nodeid: 10\n  name: alpha.example.com\n  ring0_addr: 10.0.0.1\n"
		"  ring1_addr: fd00::1\n }\n"
		" node {\n  nodeid: 20\n  name: beta\n  ring0_addr: 10.0.0.2\n"
		"  ring1_addr: fd00::2\n }\n"
		" node {\n  nodeid: 30\n  name: gamma\n  ring0_addr: 10.0.0.3\n }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	v4(&local[0], "127.0.0.1");
	v4(&local[1], "192.168.1.1");
	v4(&local[2], "10.0.0.2");
	/* by address, whatever the host name */
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, local, 3, "alpha", &idx,
						   fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 20);
	/* by an address on the second link */
	v6(&local[2], "fd00::1");
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, local, 3, NULL, &idx,
						   fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 10);
	/* explicit id wins */
	ck_assert_int_eq(config_find_local_node_in(&cfg, 30, local, 3, NULL, &idx,
						   fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 30);
	ck_assert_int_eq(config_find_local_node_in(&cfg, 31, local, 3, NULL, &idx,
						   fresh(&e)), -ENOENT);
	ck_assert_str_eq(e.msg, "t.conf: nodeid 31 is not in the nodelist");
	/* no address matches: by host name, full or short */
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, local, 2, "gamma.example.org",
						   &idx, fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 30);
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, local, 2, "alpha", &idx,
						   fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 10);
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, local, 2, "delta", &idx,
						   fresh(&e)), -ENOENT);
	ck_assert_msg(strstr(e.msg, "no node has an address of this host") != NULL, "%s", e.msg);
	/* two nodes with local addresses: ambiguous */
	v4(&local[0], "10.0.0.3");
	v4(&local[1], "10.0.0.2");
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, local, 2, NULL, &idx,
						   fresh(&e)), -EEXIST);
	config_free(&cfg);

	/* totem.nodeid is the explicit id when none is passed */
	PARSE_OK(&cfg, "totem {\n nodeid: 2\n}\nnodelist {\n" NODE(1, "10.0.0.1")
		       NODE(2, "10.0.0.2") "}\n");
	ck_assert_int_eq(config_find_local_node_in(&cfg, 0, NULL, 0, NULL, &idx,
						   fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 2);
	config_free(&cfg);
}
END_TEST

START_TEST(local_node_from_interfaces)
{
	struct config cfg;
	struct err e;
	unsigned idx = 99;

	/* 127.0.0.1 is on lo in every network namespace */
	PARSE_OK(&cfg, "nodelist {\n" NODE(1, "10.255.255.254") NODE(2, "127.0.0.1") "}\n");
	ck_assert_int_eq(config_find_local_node(&cfg, 0, &idx, fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[idx].nodeid, 2);
	config_free(&cfg);
}
END_TEST

START_TEST(builtin_default)
{
	struct config cfg;
	struct err e;
	unsigned idx = 99;

	ck_assert_int_eq(config_default_single_node(&cfg, fresh(&e)), 0);
	ck_assert_str_eq(cfg.source, "<built-in>");
	ck_assert_uint_eq(cfg.n_nodes, 1);
	ck_assert_uint_eq(cfg.nodes[0].nodeid, 1);
	ck_assert_str_eq(cfg.nodes[0].addr[0].text, "127.0.0.1");
	ck_assert(cfg.nodes[0].addr[0].resolved);
	ck_assert_uint_eq(cfg.totem.token, 3000);
	ck_assert_int_eq(cfg.totem.crypto_cipher, CONFIG_CIPHER_NONE);
	ck_assert_uint_eq(cfg.n_notices, 0);
	ck_assert_int_eq(config_resolve_addresses(&cfg, fresh(&e)), 0);
	ck_assert_int_eq(config_find_local_node(&cfg, 0, &idx, fresh(&e)), 0);
	ck_assert_uint_eq(idx, 0);
	config_free(&cfg);
}
END_TEST

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

START_TEST(load_files)
{
	char dir[] = "/tmp/cpgd-config-test.XXXXXX";
	char path[256];
	struct err e;
	struct config cfg;
	const char *text = "totem {\n token: 1234\n}\n" NODES1;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	ck_assert_int_eq(config_load_file(&cfg, path, fresh(&e)), -ENOENT);
	ck_assert_msg(strstr(e.msg, "cannot open") != NULL, "%s", e.msg);

	snprintf(path, sizeof(path), "%s/ok.conf", dir);
	write_file(path, text, strlen(text));
	ck_assert_int_eq(config_load_file(&cfg, path, fresh(&e)), 0);
	ck_assert_uint_eq(cfg.totem.token, 1234);
	ck_assert_str_eq(cfg.source, path);
	config_free(&cfg);

	write_file(path, "totem {\n token: x\n}\n", 20);
	ck_assert_int_eq(config_load_file(&cfg, path, fresh(&e)), -EINVAL);
	ck_assert_msg(strncmp(e.msg, path, strlen(path)) == 0 &&
		      strncmp(e.msg + strlen(path), ":2: ", 4) == 0, "%s", e.msg);

	/* a directory is not a configuration file */
	ck_assert_int_eq(config_load_file(&cfg, dir, fresh(&e)), -EINVAL);
	/* nor is anything over CONFIG_FILE_MAX */
	ck_assert_int_eq(truncate(path, CONFIG_FILE_MAX + 1), 0);
	ck_assert_int_eq(config_load_file(&cfg, path, fresh(&e)), -EFBIG);
	ck_assert_msg(strstr(e.msg, "at most") != NULL, "%s", e.msg);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(key_files)
{
	char dir[] = "/tmp/cpgd-config-key.XXXXXX";
	char text[512], path[256];
	struct err e;
	uint8_t key[4096], want[256];
	struct config cfg;
	size_t len = 0;
	unsigned i;

	for (i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(i * 7);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/authkey", dir);
	write_file(path, want, sizeof(want));
	snprintf(text, sizeof(text), "totem {\n keyfile: %s\n}\n" NODES1, path);
	PARSE_OK(&cfg, text);
	ck_assert_int_eq(config_read_key(&cfg, key, sizeof(key), &len, fresh(&e)), 0);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_mem_eq(key, want, sizeof(want));
	/* a buffer too small for the key */
	ck_assert_int_eq(config_read_key(&cfg, key, 200, &len, fresh(&e)), -EFBIG);
	/* too short for knet */
	write_file(path, want, 100);
	ck_assert_int_eq(config_read_key(&cfg, key, sizeof(key), &len, fresh(&e)), -EINVAL);
	ck_assert_msg(strstr(e.msg, "at least 128") != NULL, "%s", e.msg);
	unlink(path);
	ck_assert_int_eq(config_read_key(&cfg, key, sizeof(key), &len, fresh(&e)), -ENOENT);
	config_free(&cfg);
	rmdir(dir);

	/* inline key */
	memset(want, 'k', 150);
	want[150] = '\0';
	snprintf(text, sizeof(text), "totem {\n key: %s\n}\n" NODES1, (char *)want);
	PARSE_OK(&cfg, text);
	ck_assert_int_eq(config_read_key(&cfg, key, sizeof(key), &len, fresh(&e)), 0);
	ck_assert_uint_eq(len, 150);
	config_free(&cfg);
}
END_TEST

START_TEST(uidgid_dir)
{
	char dir[] = "/tmp/cpgd-config-uidgid.XXXXXX";
	char path[256], sub[256];
	struct err e;
	struct config cfg;
	const char *b = "uidgid {\n uid: 5\n}\n";
	const char *a = "# from a package\nuidgid {\n gid: 6\n uid: root\n}\n";
	const char *bad = "uidgid {\n uid: 7\n}\ntotem {\n}\n";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	PARSE_OK(&cfg, NODES1 "uidgid {\n uid: 1\n}\n");
	snprintf(path, sizeof(path), "%s/none", dir);
	ck_assert_int_eq(config_add_uidgid_dir(&cfg, path, fresh(&e)), 0);

	snprintf(path, sizeof(path), "%s/b", dir);
	write_file(path, b, strlen(b));
	snprintf(path, sizeof(path), "%s/a", dir);
	write_file(path, a, strlen(a));
	snprintf(sub, sizeof(sub), "%s/subdir", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(config_add_uidgid_dir(&cfg, dir, fresh(&e)), 0);
	/* the main file's entry first, then a, then b */
	ck_assert_uint_eq(cfg.n_uids, 3);
	ck_assert_uint_eq(cfg.uids[0], 1);
	ck_assert_uint_eq(cfg.uids[1], 0);
	ck_assert_uint_eq(cfg.uids[2], 5);
	ck_assert_uint_eq(cfg.n_gids, 1);
	ck_assert_uint_eq(cfg.gids[0], 6);

	snprintf(path, sizeof(path), "%s/c", dir);
	write_file(path, bad, strlen(bad));
	ck_assert_int_eq(config_add_uidgid_dir(&cfg, dir, fresh(&e)), -EINVAL);
	ck_assert_msg(strstr(e.msg, "/c:4: only uidgid sections are allowed") != NULL, "%s", e.msg);
	write_file(path, "uid: 3\n", 7);
	ck_assert_int_eq(config_add_uidgid_file(&cfg, path, fresh(&e)), -EINVAL);
	ck_assert_msg(strstr(e.msg, "/c:1: only uidgid sections") != NULL, "%s", e.msg);
	config_free(&cfg);

	unlink(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b", dir);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

START_TEST(startup_sequence)
{
	char dir[] = "/tmp/cpgd-config-start.XXXXXX";
	char path[256], ug[256], ugfile[300];
	struct err e;
	struct config_startup_opts o = { 0 };
	struct config cfg;
	unsigned me = 99;
	const char *text = "nodelist {\n" NODE(4, "10.255.255.254") NODE(5, "127.0.0.1") "}\n";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/corosync.conf", dir);
	snprintf(ug, sizeof(ug), "%s/uidgid.d", dir);
	ck_assert_int_eq(mkdir(ug, 0700), 0);
	o.path = path;
	o.uidgid_dir = ug;
	/* an explicit file must exist */
	ck_assert_int_eq(config_startup(&cfg, &o, &me, fresh(&e)), -ENOENT);
	ck_assert_msg(strstr(e.msg, "/corosync.conf: cannot open: ") != NULL, "%s", e.msg);
	ck_assert_ptr_null(cfg.nodes);

	write_file(path, text, strlen(text));
	snprintf(ugfile, sizeof(ugfile), "%s/x", ug);
	write_file(ugfile, "uidgid {\n gid: 42\n}\n", 20);
	ck_assert_int_eq(config_startup(&cfg, &o, &me, fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[me].nodeid, 5);  /* 127.0.0.1 is local */
	ck_assert_uint_eq(cfg.n_gids, 1);
	ck_assert_uint_eq(cfg.gids[0], 42);
	config_free(&cfg);

	o.nodeid = 4;
	ck_assert_int_eq(config_startup(&cfg, &o, &me, fresh(&e)), 0);
	ck_assert_uint_eq(cfg.nodes[me].nodeid, 4);
	config_free(&cfg);
	o.nodeid = 6;
	ck_assert_int_eq(config_startup(&cfg, &o, &me, fresh(&e)), -ENOENT);
	ck_assert_msg(strstr(e.msg, "nodeid 6 is not in the nodelist") != NULL, "%s", e.msg);
	ck_assert_ptr_null(cfg.nodes);

	/* no -c: the installed file, or the built-in node when there is none */
	o.path = NULL;
	o.uidgid_dir = NULL;
	o.nodeid = 0;
	ck_assert_int_eq(config_startup(&cfg, &o, &me, fresh(&e)), 0);
	ck_assert_uint_ge(cfg.n_nodes, 1);
	if (access(CONFIG_DEFAULT_FILE, F_OK) != 0) {
		ck_assert_int_eq(count_notices(&cfg, "built-in single node", CONFIG_NOTICE_INFO), 1);
		/* the missing file is no error: its reason is not left in e */
		ck_assert_str_eq(e.msg, "");
	}
	config_free(&cfg);

	unlink(ugfile);
	rmdir(ug);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { node_errors, unknown_node_key_is_warning,
		too_many_nodes, cross_key_checks, resolve_names,
		local_node_lookup, local_node_from_interfaces, builtin_default,
		load_files, key_files, uidgid_dir, startup_sequence, NULL };

	return unit_suite_of("config_nodes", "nodes", 20, tests);
}
