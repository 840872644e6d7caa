/*
 * Every key we read, its default, its range, and what we ignore.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon_config_util.h"
#include "unit/check_main.h"

START_TEST(defaults_match_corosync)
{
	struct config cfg;
	const struct config_totem *t;
	const struct config_link *l;

	PARSE_OK(&cfg, NODES1);
	t = &cfg.totem;
	ck_assert_uint_eq(t->version, 2);
	ck_assert_str_eq(t->cluster_name, "");
	ck_assert_uint_eq(t->nodeid, 0);
	ck_assert_int_eq(t->crypto_cipher, CONFIG_CIPHER_NONE);
	ck_assert_int_eq(t->crypto_hash, CONFIG_HASH_NONE);
	ck_assert_str_eq(t->keyfile, "");
	ck_assert_str_eq(t->knet_compression_model, "none");
	ck_assert_uint_eq(t->knet_compression_threshold, 100);
	ck_assert_int_eq(t->knet_compression_level, 1);
	ck_assert_uint_eq(t->knet_pmtud_interval, 30);
	ck_assert_uint_eq(t->knet_mtu, 0);
	ck_assert_int_eq(t->link_mode, CONFIG_LINK_PASSIVE);
	ck_assert_int_eq(t->ip_version, CONFIG_IP_IPV6_4);
	ck_assert_uint_eq(t->token, 3000);
	ck_assert_uint_eq(t->token_configured, 3000);
	ck_assert_uint_eq(t->token_coefficient, 650);
	ck_assert_uint_eq(t->token_warning, 75);
	ck_assert_uint_eq(t->token_retransmits_before_loss_const, 4);
	ck_assert_uint_eq(t->token_retransmit, 714);  /* 3000 / 4.2 */
	ck_assert_uint_eq(t->hold, 561);              /* 714 * 0.8 - 10 */
	ck_assert_uint_eq(t->join, 50);
	ck_assert_uint_eq(t->send_join, 0);
	ck_assert_uint_eq(t->consensus, 3600);
	ck_assert_uint_eq(t->merge, 200);
	ck_assert_uint_eq(t->downcheck, 1000);
	ck_assert_uint_eq(t->fail_recv_const, 2500);
	ck_assert_uint_eq(t->seqno_unchanged_const, 30);
	ck_assert_uint_eq(t->miss_count_const, 5);
	ck_assert_uint_eq(t->max_network_delay, 50);
	ck_assert_uint_eq(t->window_size, 50);
	ck_assert_uint_eq(t->max_messages, 17);
	ck_assert_uint_eq(t->netmtu, 65536);
	ck_assert(t->block_unlisted_ips);
	ck_assert_uint_eq(cfg.n_links, 1);
	l = &cfg.links[0];
	ck_assert(!l->configured);
	ck_assert_uint_eq(l->knet_link_priority, 1);
	ck_assert_uint_eq(l->knet_ping_interval, 200);  /* 3000 / (2 * 2), at most 200 */
	ck_assert_uint_eq(l->knet_ping_timeout, 1500);  /* 3000 / 2 */
	ck_assert_uint_eq(l->knet_ping_precision, 2048);
	ck_assert_uint_eq(l->knet_pong_count, 2);
	ck_assert_uint_eq(l->port, 5405);
	ck_assert_uint_eq(cfg.links[7].port, 5412);
	ck_assert(cfg.logging.to_stderr);
	ck_assert(cfg.logging.to_syslog);
	ck_assert(!cfg.logging.to_logfile);
	ck_assert_int_eq(cfg.logging.debug, CONFIG_DEBUG_OFF);
	ck_assert_int_eq(cfg.logging.timestamp, CONFIG_TIMESTAMP_HIRES);
	ck_assert_int_eq(cfg.logging.syslog_facility, CONFIG_FACILITY_DAEMON);
	ck_assert_int_eq(cfg.logging.syslog_priority, 6);
	ck_assert_int_eq(cfg.logging.logfile_priority, 6);
	ck_assert_uint_eq(cfg.n_uids, 0);
	ck_assert_uint_eq(cfg.n_notices, 0);
	config_free(&cfg);
}
END_TEST

START_TEST(every_totem_key)
{
	struct config cfg;
	const struct config_totem *t;
	const char *text =
		"totem {\n"
		" version: 2\n"
		" cluster_name: alpha\n"
		" nodeid: 2\n"
		" transport: knet\n"
		" crypto_cipher: aes192\n"
		" crypto_hash: sha384\n"
		" crypto_model: nss\n"
		" secauth: off\n"
		" keyfile: /etc/corosync/authkey\n"
		" key: inline\n"
		" knet_compression_model: zlib\n"
		" knet_compression_threshold: 200\n"
		" knet_compression_level: 6\n"
		" knet_pmtud_interval: 60\n"
		" knet_mtu: 1400\n"
		" link_mode: active\n"
		" ip_version: ipv4\n"
		" token: 5000\n"
		" token_coefficient: 100\n"
		" token_warning: 50\n"
		" token_retransmits_before_loss_const: 10\n"
		" token_retransmit: 400\n"
		" hold: 300\n"
		" join: 60\n"
		" send_join: 5\n"
		" consensus: 7000\n"
		" merge: 250\n"
		" downcheck: 900\n"
		" fail_recv_const: 100\n"
		" seqno_unchanged_const: 31\n"
		" miss_count_const: 6\n"
		" max_network_delay: 60\n"
		" window_size: 60\n"
		" max_messages: 20\n"
		" netmtu: 1500\n"
		" config_version: 18446744073709551615\n"
		" block_unlisted_ips: no\n"
		"}\n"
		"nodelist {\n"
		" node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\n"
		" node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n }\n"
		" node {\n  nodeid: 3\n  ring0_addr: 10.0.0.3\n }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	t = &cfg.totem;
	ck_assert_str_eq(t->cluster_name, "alpha");
	ck_assert_uint_eq(t->nodeid, 2);
	ck_assert_int_eq(t->crypto_cipher, CONFIG_CIPHER_AES192);
	ck_assert_int_eq(t->crypto_hash, CONFIG_HASH_SHA384);
	ck_assert_str_eq(t->keyfile, "/etc/corosync/authkey");
	ck_assert_str_eq(t->key, "inline");
	ck_assert_str_eq(t->knet_compression_model, "zlib");
	ck_assert_uint_eq(t->knet_compression_threshold, 200);
	ck_assert_int_eq(t->knet_compression_level, 6);
	ck_assert_uint_eq(t->knet_pmtud_interval, 60);
	ck_assert_uint_eq(t->knet_mtu, 1400);
	ck_assert_int_eq(t->link_mode, CONFIG_LINK_ACTIVE);
	ck_assert_int_eq(t->ip_version, CONFIG_IP_IPV4);
	ck_assert_uint_eq(t->token_configured, 5000);
	ck_assert_uint_eq(t->token, 5100); /* 3 nodes: + 1 * 100 */
	ck_assert_uint_eq(t->token_coefficient, 100);
	ck_assert_uint_eq(t->token_warning, 50);
	ck_assert_uint_eq(t->token_retransmits_before_loss_const, 10);
	ck_assert_uint_eq(t->token_retransmit, 400);
	ck_assert_uint_eq(t->hold, 300);
	ck_assert_uint_eq(t->join, 60);
	ck_assert_uint_eq(t->send_join, 5);
	ck_assert_uint_eq(t->consensus, 7000);
	ck_assert_uint_eq(t->merge, 250);
	ck_assert_uint_eq(t->downcheck, 900);
	ck_assert_uint_eq(t->fail_recv_const, 100);
	ck_assert_uint_eq(t->seqno_unchanged_const, 31);
	ck_assert_uint_eq(t->miss_count_const, 6);
	ck_assert_uint_eq(t->max_network_delay, 60);
	ck_assert_uint_eq(t->window_size, 60);
	ck_assert_uint_eq(t->max_messages, 20);
	ck_assert_uint_eq(t->netmtu, 1500);
	ck_assert(t->config_version == UINT64_MAX);
	ck_assert(!t->block_unlisted_ips);
	ck_assert_uint_eq(cfg.n_notices, 0);
	config_free(&cfg);
}
END_TEST

START_TEST(token_coefficient_and_derived)
{
	struct config cfg;
	const char *text =
		"nodelist {\n"
		" node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\n"
		" node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n }\n"
		" node {\n  nodeid: 3\n  ring0_addr: 10.0.0.3\n }\n"
		" node {\n  nodeid: 4\n  ring0_addr: 10.0.0.4\n }\n"
		"}\n";

	/* 4 nodes: token = 3000 + 2 * 650, everything derived from that */
	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.totem.token, 4300);
	ck_assert_uint_eq(cfg.totem.consensus, 5160);
	ck_assert_uint_eq(cfg.totem.token_retransmit, 1023);  /* 4300 / 4.2 */
	ck_assert_uint_eq(cfg.totem.hold, 808);               /* 1023*0.8-10 */
	ck_assert_uint_eq(cfg.links[0].knet_ping_interval, 200);  /* 4300 / 4, at most 200 */
	ck_assert_uint_eq(cfg.links[0].knet_ping_timeout, 2150);
	config_free(&cfg);
}
END_TEST

START_TEST(two_nodes_no_coefficient)
{
	struct config cfg;
	const char *text =
		"totem {\n token: 1000\n token_coefficient: 5000\n}\n"
		"nodelist {\n"
		" node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\n"
		" node {\n  nodeid: 2\n  ring0_addr: 10.0.0.2\n }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.totem.token, 1000);
	ck_assert_uint_eq(cfg.totem.consensus, 1200);
	config_free(&cfg);
}
END_TEST

START_TEST(secauth_implies_aes256_sha256)
{
	struct config cfg;

	PARSE_OK(&cfg, "totem {\n secauth: on\n}\n" NODES1);
	ck_assert_int_eq(cfg.totem.crypto_cipher, CONFIG_CIPHER_AES256);
	ck_assert_int_eq(cfg.totem.crypto_hash, CONFIG_HASH_SHA256);
	config_free(&cfg);
	/* explicit values win over secauth */
	PARSE_OK(&cfg, "totem {\n crypto_hash: sha1\n secauth: on\n}\n" NODES1);
	ck_assert_int_eq(cfg.totem.crypto_cipher, CONFIG_CIPHER_AES256);
	ck_assert_int_eq(cfg.totem.crypto_hash, CONFIG_HASH_SHA1);
	config_free(&cfg);
	PARSE_OK(&cfg, "totem {\n secauth: on\n crypto_cipher: none\n crypto_hash: none\n}\n" NODES1);
	ck_assert_int_eq(cfg.totem.crypto_cipher, CONFIG_CIPHER_NONE);
	config_free(&cfg);
	/* hash without cipher is fine: authentication only */
	PARSE_OK(&cfg, "totem {\n crypto_hash: sha512\n}\n" NODES1);
	ck_assert_int_eq(cfg.totem.crypto_hash, CONFIG_HASH_SHA512);
	config_free(&cfg);
}
END_TEST

START_TEST(every_enum_value)
{
	static const char *const ciphers[] = { "none", "aes256", "aes192", "aes128" };
	static const char *const hashes[] = { "none", "md5", "sha1", "sha256", "sha384", "sha512" };
	static const struct { const char *v; int e; } ipv[] = {
		{ "ipv4", CONFIG_IP_IPV4 }, { "ipv6", CONFIG_IP_IPV6 },
		{ "ipv4-6", CONFIG_IP_IPV4_6 }, { "ipv6-4", CONFIG_IP_IPV6_4 },
	};
	static const struct { const char *v; int e; } modes[] = {
		{ "passive", CONFIG_LINK_PASSIVE }, { "active", CONFIG_LINK_ACTIVE },
		{ "rr", CONFIG_LINK_RR },
	};
	struct config cfg;
	char text[512];
	unsigned i;

	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "totem {\n crypto_cipher: %s\n crypto_hash: sha1\n}\n"
			 NODES1, ciphers[i]);
		PARSE_OK(&cfg, text);
		ck_assert_int_eq(cfg.totem.crypto_cipher, (int)i);
		ck_assert_str_eq(config_cipher_name(cfg.totem.crypto_cipher), ciphers[i]);
		config_free(&cfg);
	}
	for (i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), "totem {\n crypto_hash: %s\n}\n" NODES1, hashes[i]);
		PARSE_OK(&cfg, text);
		ck_assert_int_eq(cfg.totem.crypto_hash, (int)i);
		ck_assert_str_eq(config_hash_name(cfg.totem.crypto_hash), hashes[i]);
		config_free(&cfg);
	}
	for (i = 0; i < 4; i++) {
		/* ring0 10.0.0.1 is IPv4: ipv6 alone must refuse it */
		snprintf(text, sizeof(text), "totem {\n ip_version: %s\n}\n" NODES1, ipv[i].v);
		if (ipv[i].e == CONFIG_IP_IPV6) {
			PARSE_ERR(text, "t.conf:5: ", "does not match ip_version");
			continue;
		}
		PARSE_OK(&cfg, text);
		ck_assert_int_eq(cfg.totem.ip_version, ipv[i].e);
		config_free(&cfg);
	}
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "totem {\n link_mode: %s\n}\n" NODES1, modes[i].v);
		PARSE_OK(&cfg, text);
		ck_assert_int_eq(cfg.totem.link_mode, modes[i].e);
		config_free(&cfg);
	}
}
END_TEST

START_TEST(bad_values)
{
	PARSE_ERR("totem {\n version: 1\n}\n" NODES1, "t.conf:2: ", "version: expected an integer in 2..2");
	PARSE_ERR("totem {\n token: 29\n}\n" NODES1, "t.conf:2: ", "token: expected an integer in 30..");
	PARSE_ERR("totem {\n token: -5\n}\n" NODES1, "t.conf:2: ", "token: expected an integer");
	PARSE_ERR("totem {\n token: 1e3\n}\n" NODES1, "t.conf:2: ", "'1e3'");
	PARSE_ERR("totem {\n token: 99999999999999999999999\n}\n" NODES1, "t.conf:2: ", "token");
	PARSE_ERR("totem {\n token:\n}\n" NODES1, "t.conf:2: ", "got ''");
	PARSE_ERR("totem {\n join: 20\n}\n" NODES1, "t.conf:2: ", "join");
	PARSE_ERR("totem {\n consensus: 10\n}\n" NODES1, "t.conf:2: ", "consensus");
	PARSE_ERR("totem {\n merge: 1\n}\n" NODES1, "t.conf:2: ", "merge");
	PARSE_ERR("totem {\n window_size: 0\n}\n" NODES1, "t.conf:2: ", "window_size");
	PARSE_ERR("totem {\n max_messages: 0\n}\n" NODES1, "t.conf:2: ", "max_messages");
	PARSE_ERR("totem {\n fail_recv_const: 0\n}\n" NODES1, "t.conf:2: ", "fail_recv_const");
	PARSE_ERR("totem {\n netmtu: 100\n}\n" NODES1, "t.conf:2: ", "netmtu");
	PARSE_ERR("totem {\n token_retransmits_before_loss_const: 0\n}\n" NODES1, "t.conf:2: ",
		  "token_retransmits_before_loss_const");
	PARSE_ERR("totem {\n token_warning: 101\n}\n" NODES1, "t.conf:2: ", "token_warning");
	PARSE_ERR("totem {\n nodeid: 0\n}\n" NODES1, "t.conf:2: ", "nodeid");
	PARSE_ERR("totem {\n nodeid: 65536\n}\n" NODES1, "t.conf:2: ", "nodeid");
	PARSE_ERR("totem {\n crypto_cipher: des\n}\n" NODES1, "t.conf:2: ",
		  "'des' is not one of none, aes256, aes192, aes128");
	PARSE_ERR("totem {\n crypto_hash: sha2\n}\n" NODES1, "t.conf:2: ", "crypto_hash");
	PARSE_ERR("totem {\n crypto_model: rot13\n}\n" NODES1, "t.conf:2: ", "crypto_model");
	PARSE_ERR("totem {\n secauth: maybe\n}\n" NODES1, "t.conf:2: ", "yes/no/on/off");
	PARSE_ERR("totem {\n ip_version: ipv5\n}\n" NODES1, "t.conf:2: ", "ip_version");
	PARSE_ERR("totem {\n link_mode: both\n}\n" NODES1, "t.conf:2: ", "link_mode");
	PARSE_ERR("totem {\n knet_compression_level: 1000\n}\n" NODES1, "t.conf:2: ",
		  "knet_compression_level");
	PARSE_ERR("totem {\n knet_compression_model: ../zlib\n}\n" NODES1, "t.conf:2: ",
		  "not a model name");
	PARSE_ERR("totem {\n config_version: x\n}\n" NODES1, "t.conf:2: ", "config_version");
	PARSE_ERR("totem {\n block_unlisted_ips: 2\n}\n" NODES1, "t.conf:2: ", "block_unlisted_ips");
	PARSE_ERR("totem {\n knet_mtu: 70000\n}\n" NODES1, "t.conf:2: ", "knet_mtu");
	PARSE_ERR("totem {\n knet_pmtud_interval: 0\n}\n" NODES1, "t.conf:2: ", "knet_pmtud_interval");
}
END_TEST

START_TEST(transport)
{
	struct config cfg;

	PARSE_OK(&cfg, "totem {\n transport: knet\n}\n" NODES1);
	config_free(&cfg);
	PARSE_ERR("totem {\n transport: udp\n}\n" NODES1, "t.conf:2: ",
		  "transport udp is not supported: cpgd runs only over knet");
	PARSE_ERR("totem {\n transport: udpu\n}\n" NODES1, "t.conf:2: ",
		  "transport udpu is not supported");
	PARSE_ERR("totem {\n transport: tcp\n}\n" NODES1, "t.conf:2: ",
		  "not one of knet, udp, udpu");
}
END_TEST

START_TEST(ignored_totem_keys)
{
	struct config cfg;

	PARSE_OK(&cfg, "totem {\n heartbeat_failures_allowed: 3\n"
		       " clear_node_high_bit: yes\n crypto_model: openssl\n}\n" NODES1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:2: totem.heartbeat_failures_allowed is not used",
				       CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:3: totem.clear_node_high_bit",
				       CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:4: crypto_model openssl",
				       CONFIG_NOTICE_INFO), 1);
	config_free(&cfg);
}
END_TEST

START_TEST(interface_keys)
{
	struct config cfg;
	const struct config_link *l;
	const char *text =
		"totem {\n"
		" interface {\n"
		"  linknumber: 1\n"
		"  knet_link_priority: 20\n"
		"  knet_ping_interval: 100\n"
		"  knet_ping_timeout: 400\n"
		"  knet_ping_precision: 64\n"
		"  knet_pong_count: 3\n"
		"  knet_transport: udp\n"
		"  mcastport: 5405\n"            /* 10 */
		"  bindnetaddr: 10.0.0.0\n"      /* 11 */
		"  mcastaddr: 239.1.1.1\n"
		"  broadcast: no\n"
		"  ttl: 1\n"
		" }\n"
		" interface {\n"
		"  knet_pong_count: 4\n"   /* link 0 by default; pings derived */
		" }\n"
		"}\n"
		"nodelist {\n"
		" node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n  ring1_addr: 10.1.0.1\n }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.n_links, 2);
	l = &cfg.links[1];
	ck_assert(l->configured);
	ck_assert_uint_eq(l->knet_link_priority, 20);
	ck_assert_uint_eq(l->knet_ping_interval, 100);
	ck_assert_uint_eq(l->knet_ping_timeout, 400);
	ck_assert_uint_eq(l->knet_ping_precision, 64);
	ck_assert_uint_eq(l->knet_pong_count, 3);
	ck_assert_uint_eq(l->port, 5406);
	l = &cfg.links[0];
	ck_assert(l->configured);
	ck_assert_uint_eq(l->knet_pong_count, 4);
	ck_assert_uint_eq(l->knet_ping_interval, 200);   /* 3000 / 8, at most 200 */
	ck_assert_uint_eq(l->knet_ping_timeout, 750);    /* 3000 / 4 */
	ck_assert_int_eq(count_notices(&cfg, "t.conf:10: mcastport is ignored", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:11: bindnetaddr is for the udp",
				       CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "mcastaddr is for the udp", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "ttl is for the udp", CONFIG_NOTICE_INFO), 1);
	config_free(&cfg);
}
END_TEST

START_TEST(interface_errors)
{
	PARSE_ERR("totem {\n interface {\n  linknumber: 8\n }\n}\n" NODES1, "t.conf:3: ",
		  "linknumber: expected an integer in 0..7");
	PARSE_ERR("totem {\n interface {\n  knet_transport: sctp\n }\n}\n" NODES1, "t.conf:3: ",
		  "sctp is not supported");
	PARSE_ERR("totem {\n interface {\n  knet_transport: tcp\n }\n}\n" NODES1, "t.conf:3: ",
		  "knet_transport");
	PARSE_ERR("totem {\n interface {\n  knet_link_priority: 256\n }\n}\n" NODES1, "t.conf:3: ",
		  "knet_link_priority");
	PARSE_ERR("totem {\n interface {\n  knet_pong_count: 0\n }\n}\n" NODES1, "t.conf:3: ",
		  "knet_pong_count");
	PARSE_ERR("totem {\n interface {\n  mcastport: 70000\n }\n}\n" NODES1, "t.conf:3: ",
		  "mcastport");
	PARSE_ERR("totem {\n interface {\n  linknumber: 0\n }\n interface {\n }\n}\n" NODES1,
		  "t.conf:6: ", "a second interface section for link 0");
}
END_TEST

START_TEST(nodelist_keys)
{
	struct config cfg;
	char text[4096];
	size_t used = 0;
	unsigned l;

	used += (size_t)snprintf(text + used, sizeof(text) - used,
				 "nodelist {\n node {\n  nodeid: 65535\n  name: big.example.com\n"
				 "  quorum_votes: 1\n");
	for (l = 0; l < CONFIG_MAX_LINKS; l++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "  ring%u_addr: 192.168.%u.1\n", l, l);
	snprintf(text + used, sizeof(text) - used, " }\n}\n");
	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.n_nodes, 1);
	ck_assert_uint_eq(cfg.nodes[0].nodeid, 65535);
	ck_assert_str_eq(cfg.nodes[0].name, "big.example.com");
	ck_assert_uint_eq(cfg.nodes[0].line, 2);
	ck_assert_uint_eq(cfg.n_links, 8);
	for (l = 0; l < CONFIG_MAX_LINKS; l++) {
		char want[32];

		snprintf(want, sizeof(want), "192.168.%u.1", l);
		ck_assert(cfg.nodes[0].addr[l].set);
		ck_assert(cfg.nodes[0].addr[l].resolved);
		ck_assert_str_eq(cfg.nodes[0].addr[l].text, want);
		ck_assert_int_eq(cfg.nodes[0].addr[l].sa.ss_family, AF_INET);
	}
	ck_assert_int_eq(count_notices(&cfg, "t.conf:5: nodelist.node.quorum_votes",
				       CONFIG_NOTICE_INFO), 1);
	ck_assert_ptr_eq(config_node_by_id(&cfg, 65535), &cfg.nodes[0]);
	ck_assert_ptr_null(config_node_by_id(&cfg, 1));
	config_free(&cfg);

	/* host names stay unresolved until config_resolve_addresses() */
	PARSE_OK(&cfg, "nodelist {\n node {\n  nodeid: 1\n  ring0_addr: localhost\n }\n}\n");
	ck_assert(!cfg.nodes[0].addr[0].resolved);
	config_free(&cfg);
}
END_TEST

START_TEST(logging_keys)
{
	struct config cfg;
	const char *text =
		NODES1
		"logging {\n"
		" to_stderr: no\n"
		" to_syslog: off\n"
		" to_logfile: yes\n"
		" logfile: /var/log/cpgd.log\n"
		" debug: trace\n"
		" timestamp: off\n"
		" fileline: on\n"
		" function_name: yes\n"
		" blackbox: off\n"            /* 16 */
		" logger_subsys {\n"
		"  subsys: CPG\n"
		"  debug: on\n"
		"  to_syslog: no\n"           /* 20 */
		" }\n"
		" logger_subsys {\n"
		"  subsys: TOTEM\n"
		" }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert(!cfg.logging.to_stderr);
	ck_assert(!cfg.logging.to_syslog);
	ck_assert(cfg.logging.to_logfile);
	ck_assert_str_eq(cfg.logging.logfile, "/var/log/cpgd.log");
	ck_assert_int_eq(cfg.logging.debug, CONFIG_DEBUG_TRACE);
	ck_assert_int_eq(cfg.logging.timestamp, CONFIG_TIMESTAMP_OFF);
	ck_assert(cfg.logging.fileline);
	ck_assert(cfg.logging.function_name);
	ck_assert_uint_eq(cfg.logging.n_subsys, 2);
	ck_assert_str_eq(cfg.logging.subsys[0].subsys, "CPG");
	ck_assert_int_eq(cfg.logging.subsys[0].debug, CONFIG_DEBUG_ON);
	ck_assert_str_eq(cfg.logging.subsys[1].subsys, "TOTEM");
	ck_assert_int_eq(cfg.logging.subsys[1].debug, CONFIG_DEBUG_OFF);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:16: logging.blackbox", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:20: logging.logger_subsys.to_syslog",
				       CONFIG_NOTICE_INFO), 1);
	config_free(&cfg);

	PARSE_OK(&cfg, NODES1 "logging {\n timestamp: on\n debug: off\n}\n");
	ck_assert_int_eq(cfg.logging.timestamp, CONFIG_TIMESTAMP_ON);
	config_free(&cfg);

	PARSE_OK(&cfg, NODES1 "logging {\n syslog_facility: local5\n"
		 " syslog_priority: error\n logfile_priority: debug\n}\n");
	ck_assert_int_eq(cfg.logging.syslog_facility, CONFIG_FACILITY_LOCAL5);
	ck_assert_int_eq(cfg.logging.syslog_priority, 3);
	ck_assert_int_eq(cfg.logging.logfile_priority, 7);
	config_free(&cfg);
}
END_TEST

START_TEST(logging_errors)
{
	PARSE_ERR(NODES1 "logging {\n to_logfile: yes\n}\n", "t.conf:8: ",
		  "to_logfile is yes but no logfile");
	PARSE_ERR(NODES1 "logging {\n debug: verbose\n}\n", "t.conf:8: ", "debug");
	PARSE_ERR(NODES1 "logging {\n timestamp: yes\n}\n", "t.conf:8: ", "timestamp");
	PARSE_ERR(NODES1 "logging {\n to_stderr: 1\n}\n", "t.conf:8: ", "to_stderr");
	PARSE_ERR(NODES1 "logging {\n syslog_facility: user\n}\n", "t.conf:8: ",
		  "syslog_facility");
	PARSE_ERR(NODES1 "logging {\n logfile_priority: loud\n}\n", "t.conf:8: ",
		  "logfile_priority");
	PARSE_ERR(NODES1 "logging {\n logger_subsys {\n  debug: on\n }\n}\n", "t.conf:10: ",
		  "logger_subsys without a subsys");
}
END_TEST

START_TEST(uidgid_sections)
{
	struct config cfg;

	PARSE_OK(&cfg, NODES1 "uidgid {\n uid: root\n gid: root\n}\nuidgid {\n uid: 1234\n"
		       " gid: 4321\n gid: 17\n}\n");
	ck_assert_uint_eq(cfg.n_uids, 2);
	ck_assert_uint_eq(cfg.n_gids, 3);
	ck_assert_uint_eq(cfg.uids[0], 0);
	ck_assert_uint_eq(cfg.gids[0], 0);
	ck_assert_uint_eq(cfg.uids[1], 1234);
	ck_assert_uint_eq(cfg.gids[1], 4321);
	ck_assert_uint_eq(cfg.gids[2], 17);
	config_free(&cfg);

	PARSE_ERR(NODES1 "uidgid {\n user: root\n}\n", "t.conf:8: ", "only uid and gid");
	PARSE_ERR(NODES1 "uidgid {\n uid: no-such-user-cpgd\n}\n", "t.conf:8: ", "not found");
	PARSE_ERR(NODES1 "uidgid {\n gid: no-such-group-cpgd\n}\n", "t.conf:8: ", "not found");
	PARSE_ERR(NODES1 "uidgid {\n uid:\n}\n", "t.conf:8: ", "empty");
	PARSE_ERR(NODES1 "uidgid {\n sub {\n }\n}\n", "t.conf:8: ", "no sections allowed");
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { defaults_match_corosync, every_totem_key,
		token_coefficient_and_derived, two_nodes_no_coefficient,
		secauth_implies_aes256_sha256, every_enum_value, bad_values,
		transport, ignored_totem_keys, interface_keys,
		interface_errors, nodelist_keys, logging_keys, logging_errors,
		uidgid_sections, NULL };

	return unit_suite_of("config_keys", "keys", 10, tests);
}
