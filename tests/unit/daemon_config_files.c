/*
 * Whole files: our sample in config_data/ and the corosync.conf that the
 * corosync package installs (a real-world file we must accept as is).
 * Exits 77 (skip) only when the corosync file is not installed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "daemon_config_util.h"
#include "unit/check_main.h"

/* where Debian's corosync package puts its file (not cpgd's default) */
#define COROSYNC_CONF "/etc/corosync/corosync.conf"

static char sample_path[1024];

START_TEST(sample_file)
{
	struct config cfg;
	struct err e = { "" };
	int rc = config_load_file(&cfg, sample_path, &e);

	ck_assert_msg(rc == 0, "%s", err_msg(&e, rc));
	ck_assert_str_eq(cfg.totem.cluster_name, "lab");
	ck_assert_int_eq(cfg.totem.crypto_cipher, CONFIG_CIPHER_AES256);
	ck_assert_int_eq(cfg.totem.crypto_hash, CONFIG_HASH_SHA256);
	ck_assert_uint_eq(cfg.n_nodes, 3);
	ck_assert_uint_eq(cfg.n_links, 2);
	ck_assert_uint_eq(cfg.totem.token, 2650);         /* 2000 + 1 * 650 */
	ck_assert_uint_eq(cfg.totem.consensus, 3180);
	ck_assert_uint_eq(cfg.links[0].knet_link_priority, 10);
	ck_assert_uint_eq(cfg.links[0].knet_ping_interval, 200);  /* 2650 / 4, at most 200 */
	ck_assert_uint_eq(cfg.links[1].knet_ping_interval, 200);
	ck_assert_uint_eq(cfg.links[1].knet_ping_timeout, 1000);
	ck_assert_str_eq(cfg.nodes[2].addr[1].text, "10.214.0.3");
	ck_assert(!cfg.logging.to_syslog);
	ck_assert_uint_eq(cfg.logging.n_subsys, 1);
	ck_assert_uint_eq(cfg.n_notices, 1);  /* quorum is ignored */
	ck_assert_msg(strstr(cfg.notices[0].text, ":33: section 'quorum'") != NULL,
		      "%s", cfg.notices[0].text);
	config_free(&cfg);
}
END_TEST

START_TEST(corosync_installed_file)
{
	struct config cfg;
	struct err e;
	unsigned idx;

	ck_assert_int_eq(config_load_file(&cfg, COROSYNC_CONF, fresh(&e)), 0);
	/* Debian's file: one node on 127.0.0.1, quorum ignored, logging to
	 * a file. */
	ck_assert_uint_ge(cfg.n_nodes, 1);
	ck_assert_int_eq(config_resolve_addresses(&cfg, fresh(&e)), 0);
	if (strcmp(cfg.nodes[0].addr[0].text, "127.0.0.1") == 0) {
		ck_assert_int_eq(config_find_local_node(&cfg, 0, &idx, fresh(&e)), 0);
		ck_assert_uint_eq(idx, 0);
	}
	ck_assert_int_ge(count_notices(&cfg, "section 'quorum'", CONFIG_NOTICE_INFO), 1);
	config_free(&cfg);
}
END_TEST

Suite *unit_suite(void)
{
	const char *srcdir = getenv("top_srcdir");
	Suite *s = suite_create("config_files");
	TCase *tc = tcase_create("files");

	snprintf(sample_path, sizeof(sample_path), "%s/tests/unit/config_data/"
		 "three-nodes-two-links.conf", srcdir ? srcdir : "..");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, sample_file);
	if (access(COROSYNC_CONF, R_OK) == 0)
		tcase_add_test(tc, corosync_installed_file);
	else
		unit_skip(COROSYNC_CONF " is not installed (package corosync)");
	suite_add_tcase(s, tc);
	return s;
}
